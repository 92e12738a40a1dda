package store

import (
	"context"
	"time"

	"palmaid/model"
)

// StatusCount is how many cases of a scope are in one status.
type StatusCount struct {
	Status model.Status
	N      int64
}

// CategoryCount is how many cases of a scope are in one status and ask for one category.
type CategoryCount struct {
	Status   model.Status
	Category model.Category
	N        int64
}

// CaseCountsByStatus counts the scope's cases (drafts excluded by staff scopes) per status.
func (s *CaseFileRepo) CaseCountsByStatus(ctx context.Context, sc Scope) ([]StatusCount, error) {
	var out []StatusCount
	err := sc.apply(s.conn(ctx).Model(&model.Case{})).Select("status, COUNT(*) AS n").Group("status").Scan(&out).Error
	return out, err
}

// CaseCountsByCategory counts the scope's cases per status and requested category.
func (s *CaseFileRepo) CaseCountsByCategory(ctx context.Context, sc Scope) ([]CategoryCount, error) {
	var out []CategoryCount
	ids := sc.apply(s.conn(ctx).Model(&model.Case{}).Select("id"))
	err := s.conn(ctx).Table("case_categories AS cc").Joins("JOIN cases ON cases.id = cc.case_id").
		Where("cc.requested = ? AND cc.case_id IN (?)", true, ids).
		Select("cases.status AS status, cc.category AS category, COUNT(*) AS n").Group("cases.status, cc.category").Scan(&out).Error
	return out, err
}

// OpenDeadlines lists the open clocks (state open) of the scope's cases.
func (s *CaseFileRepo) OpenDeadlines(ctx context.Context, sc Scope) ([]model.Deadline, error) {
	var out []model.Deadline
	ids := sc.apply(s.conn(ctx).Model(&model.Case{}).Select("id"))
	return out, s.conn(ctx).Where("state = ? AND case_id IN (?)", model.ClockOpen, ids).Find(&out).Error
}

// EventsOfCasesActiveSince lists the whole history (oldest first per case) of every case of
// the scope with an event at or after since.
func (s *CaseFileRepo) EventsOfCasesActiveSince(ctx context.Context, sc Scope, since time.Time) ([]model.CaseEvent, error) {
	ids := sc.apply(s.conn(ctx).Model(&model.Case{}).Select("id"))
	active := s.conn(ctx).Model(&model.CaseEvent{}).Select("case_id").Where("created_at >= ? AND case_id IN (?)", since, ids)
	var out []model.CaseEvent
	return out, s.conn(ctx).Where("case_id IN (?)", active).Order("case_id, id").Find(&out).Error
}
