package store

import (
	"context"

	"gorm.io/gorm/clause"

	"palmaid/model"
)

// ChecklistRulesFor returns the checklist rules that can apply to area on date: the national
// rows and those of the area and its ancestors that took effect on or before date (the caller
// resolves which one wins: service/checklist.Resolve).
func (s *ReferenceRepo) ChecklistRulesFor(ctx context.Context, area model.AreaCode, date string) ([]model.ChecklistRule, error) {
	codes := []string{""}
	for lvl := area.Level(); lvl >= model.LevelProvince; lvl-- {
		codes = append(codes, string(area.Ancestor(lvl)))
	}
	var rows []model.ChecklistRule
	err := s.conn(ctx).Where("area_code IN ? AND effective_from <= ?", codes, date).
		Order("area_code").Order("code").Order("effective_from").Find(&rows).Error
	return rows, err
}

// ChecklistRulesAt returns the rows set at exactly one area ("" = the national rows), by code
// and effective date.
func (s *ReferenceRepo) ChecklistRulesAt(ctx context.Context, area string) ([]model.ChecklistRule, error) {
	var rows []model.ChecklistRule
	err := s.conn(ctx).Where("area_code = ?", area).Order("code").Order("effective_from").Find(&rows).Error
	return rows, err
}

// ReplaceChecklistRules replaces every row of one area with rows (in the caller's transaction).
// On MySQL the area's row is locked first, so two administrators saving the same area take turns
// instead of deadlocking on the delete's gap locks (SQLite's immediate transactions already do).
func (s *ReferenceRepo) ReplaceChecklistRules(ctx context.Context, area string, rows []model.ChecklistRule) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		if area != "" {
			var a []model.Area
			if err := s.forUpdate(s.conn(ctx)).Select("code").Where("code = ?", area).Find(&a).Error; err != nil {
				return err
			}
		}
		if err := s.conn(ctx).Where("area_code = ?", area).Delete(&model.ChecklistRule{}).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		return s.conn(ctx).Create(&rows).Error
	})
}

// SyncNationalChecklistRules makes the national rows (area_code "") equal rows: upserted on
// (code, effective_from), and national rows no longer listed deleted. Idempotent; replicas
// starting together write the same values.
func (s *ReferenceRepo) SyncNationalChecklistRules(ctx context.Context, rows []model.ChecklistRule) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		if len(rows) > 0 {
			err := s.conn(ctx).Clauses(clause.OnConflict{
				Columns: []clause.Column{{Name: "area_code"}, {Name: "code"}, {Name: "effective_from"}},
				DoUpdates: clause.AssignmentColumns([]string{"name", "note", "applies_when", "scope", "shared_source",
					"commitment_allowed", "disabled", "aliases", "sort_order", "effective_to", "updated_at"}),
			}).Create(&rows).Error
			if err != nil {
				return err
			}
		}
		var have []model.ChecklistRule
		if err := s.conn(ctx).Select("id", "code", "effective_from").Where("area_code = ?", "").Find(&have).Error; err != nil {
			return err
		}
		keep := map[string]bool{}
		for _, r := range rows {
			keep[r.Code+"@"+r.EffectiveFrom] = true
		}
		var stale []uint64
		for _, r := range have {
			if !keep[r.Code+"@"+r.EffectiveFrom] {
				stale = append(stale, r.ID)
			}
		}
		if len(stale) == 0 {
			return nil
		}
		return s.conn(ctx).Where("id IN ?", stale).Delete(&model.ChecklistRule{}).Error
	})
}
