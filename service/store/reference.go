package store

import (
	"context"
	"strings"

	"gorm.io/gorm/clause"

	"palmaid/model"
)

// UpsertAreas inserts or renames areas.
func (s *ReferenceRepo) UpsertAreas(ctx context.Context, areas []model.Area) error {
	if len(areas) == 0 {
		return nil
	}
	return s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "code"}},
		DoUpdates: clause.AssignmentColumns([]string{"parent_code", "name", "level"}),
	}).Create(&areas).Error
}

// AreaNames returns the names of the given codes.
func (s *ReferenceRepo) AreaNames(ctx context.Context, codes []string) (map[string]string, error) {
	out := make(map[string]string, len(codes))
	if len(codes) == 0 {
		return out, nil
	}
	var rows []model.Area
	if err := s.conn(ctx).Select("code", "name").Where("code IN ?", codes).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, a := range rows {
		out[a.Code] = a.Name
	}
	return out, nil
}

// ErrAreaUnknown: the area code is not one of the installation's areas.
var ErrAreaUnknown = model.E(model.KindUnprocessable, "area.unknown", "所选村（社区）不在本系统服务范围内")

// GetArea loads one area.
func (s *ReferenceRepo) GetArea(ctx context.Context, code string) (*model.Area, error) {
	var a model.Area
	if err := s.conn(ctx).Take(&a, "code = ?", code).Error; err != nil {
		return nil, notFound(err, ErrAreaUnknown)
	}
	return &a, nil
}

// UpsertRegionSettings writes settings (idempotent on area, key, effective date).
func (s *ReferenceRepo) UpsertRegionSettings(ctx context.Context, rows []model.RegionSetting) error {
	if len(rows) == 0 {
		return nil
	}
	return s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "area_code"}, {Name: "key"}, {Name: "effective_from"}},
		DoUpdates: clause.AssignmentColumns([]string{"value"}),
	}).Create(&rows).Error
}

// InsertCalendarDaysIfAbsent seeds calendar overrides without touching edited rows.
func (s *ReferenceRepo) InsertCalendarDaysIfAbsent(ctx context.Context, days []model.CalendarDay) error {
	if len(days) == 0 {
		return nil
	}
	return s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(&days, 200).Error
}

// ListCalendarDays returns every calendar override (the calendar.Loader interface).
func (s *ReferenceRepo) ListCalendarDays(ctx context.Context) ([]model.CalendarDay, error) {
	var out []model.CalendarDay
	err := s.conn(ctx).Order("date").Find(&out).Error
	return out, err
}

// UpsertNotifyTemplates writes template ids.
func (s *ReferenceRepo) UpsertNotifyTemplates(ctx context.Context, rows []model.NotifyTemplate) error {
	if len(rows) == 0 {
		return nil
	}
	return s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "key"}},
		DoUpdates: clause.AssignmentColumns([]string{"template_id", "title", "page", "fields", "kind"}),
	}).Create(&rows).Error
}

// NotifyTemplates lists the configured templates.
func (s *ReferenceRepo) NotifyTemplates(ctx context.Context) ([]model.NotifyTemplate, error) {
	var out []model.NotifyTemplate
	err := s.conn(ctx).Order(clause.OrderByColumn{Column: clause.Column{Name: "key"}}).Find(&out).Error
	return out, err
}

// SearchVillages finds active villages (level 5) whose name contains q, or whose code starts with q
// when q is digits, ordered by code; at most limit rows.
func (s *ReferenceRepo) SearchVillages(ctx context.Context, q string, digits bool, limit int) ([]model.Area, error) {
	var rows []model.Area
	db := s.conn(ctx).Where("level = ? AND active = ?", model.LevelVillage, true)
	if digits {
		db = db.Where("code LIKE ?", q+"%")
	} else {
		db = db.Where("name LIKE ? ESCAPE '!'", "%"+escapeLike(q)+"%")
	}
	err := db.Order("code").Limit(limit).Find(&rows).Error
	return rows, err
}

// escapeLike makes s match itself in a LIKE pattern with ESCAPE '!' (the same on MySQL, whose
// default escape is the backslash, and SQLite, which has none).
func escapeLike(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s)
}
