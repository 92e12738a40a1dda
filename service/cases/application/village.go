package application

import (
	"context"
	"palmaid/model"
)

var errVillageInactive = model.E(model.KindUnprocessable, "area.inactive", "该村（社区）已撤销或合并，请选择现在所在的村（社区）").
	WithField("villageCode", "已不在现行区划中")

// openVillage: a new application goes to a village that exists and is still in the current
// division codes (an import marks a vanished one inactive, never deletes it). It answers the
// new case's area name ("town village", read with the village in one query).
func (s *Service) openVillage(ctx context.Context, village model.AreaCode) (string, error) {
	a, name, err := s.st.VillageForCase(ctx, village)
	if err != nil {
		return "", err
	}
	if !a.Active {
		return "", errVillageInactive
	}
	return name, nil
}
