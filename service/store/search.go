package store

import (
	"context"

	"palmaid/model"
)

// CaseSearch is one way of finding cases (exactly one field set).
type CaseSearch struct {
	CaseNo     string   // the 受理编号, exactly
	IDBidx     string   // the blind index of an ID number of a household member
	NamePrefix string   // the start of a household member's name
	Villages   []string // the area codes of villages (found by name)
	Limit      int
}

// SearchCases finds cases in scope, newest first, with categories loaded.
func (s *CaseFileRepo) SearchCases(ctx context.Context, sc Scope, f CaseSearch) ([]*model.Case, error) {
	q := sc.apply(s.conn(ctx).Model(&model.Case{})).Where("status <> ?", model.StatusDraft)
	switch {
	case f.CaseNo != "":
		q = q.Where("case_no = ?", f.CaseNo)
	case f.IDBidx != "":
		q = q.Where("EXISTS (SELECT 1 FROM household_members m WHERE m.household_id = cases.household_id AND m.id_bidx = ?)", f.IDBidx)
	case f.NamePrefix != "":
		q = q.Where("EXISTS (SELECT 1 FROM household_members m WHERE m.household_id = cases.household_id AND m.name LIKE ? ESCAPE '!')",
			escapeLike(f.NamePrefix)+"%")
	case len(f.Villages) > 0:
		q = q.Where("area_code IN ?", f.Villages)
	default:
		return nil, nil
	}
	var rows []*model.Case
	if err := q.Order("id DESC").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, err
	}
	return rows, s.loadCategories(ctx, rows)
}

// AreaCodesNamed lists the codes of the villages inside within whose name contains q (at most limit).
func (s *CaseFileRepo) AreaCodesNamed(ctx context.Context, within model.AreaCode, q string, limit int) ([]string, error) {
	var codes []string
	err := s.conn(ctx).Model(&model.Area{}).Where("level = ? AND code LIKE ? AND name LIKE ? ESCAPE '!'",
		model.LevelVillage, within.Prefix()+"%", "%"+escapeLike(q)+"%").Order("code").Limit(limit).Pluck("code", &codes).Error
	return codes, err
}

// VillagesWithin lists the active villages inside an area (the area itself when it is one), by code.
func (s *CaseFileRepo) VillagesWithin(ctx context.Context, within model.AreaCode, limit int) ([]model.Area, error) {
	var rows []model.Area
	err := s.conn(ctx).Where("level = ? AND active = ? AND code LIKE ?", model.LevelVillage, true, within.Prefix()+"%").
		Order("code").Limit(limit).Find(&rows).Error
	return rows, err
}
