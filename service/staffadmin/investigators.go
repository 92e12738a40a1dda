package staffadmin

import (
	"context"

	"palmaid/model"
)

var (
	errBadVillage      = model.Invalid("staff.invalid_village", "村（社区）代码不正确").WithField("village", "应为12位村（社区）代码")
	errVillageNotFound = model.E(model.KindNotFound, "staff.village_not_found", "没有找到该村（社区），或不在本人辖区内")
)

// Investigators lists the active accounts that may record a home visit in village — its own
// staff and those of its town and county who hold the visit permission — by username, for the
// console's picker (the case file's rules decide again when the visit is recorded). Any
// officer who reads cases may ask about a village of their own area; another is not found.
func (s *Service) Investigators(ctx context.Context, st *model.Staff, village string) ([]model.Staff, error) {
	if !st.Can(model.PermCaseRead) {
		return nil, model.ErrForbidden
	}
	code, err := model.ParseAreaCode(village)
	if err != nil || code.Level() != model.LevelVillage {
		return nil, errBadVillage
	}
	if !st.Area().Contains(code) {
		return nil, errVillageNotFound
	}
	all, err := s.st.StaffInArea(ctx, code.Ancestor(model.LevelCounty))
	if err != nil {
		return nil, err
	}
	out := []model.Staff{}
	for _, p := range all {
		if p.Active && p.Area().Contains(code) && p.Can(model.PermCaseVisit) {
			out = append(out, p)
		}
	}
	return out, nil
}
