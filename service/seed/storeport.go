package seed

import (
	"context"
	"palmaid/model"
)

// Store is what this package needs of the store, and all it may call (*store.Store satisfies it).
type Store interface {
	ChecklistRulesAt(ctx context.Context, area string) ([]model.ChecklistRule, error)
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	InsertCalendarDaysIfAbsent(ctx context.Context, days []model.CalendarDay) error
	MarkCalendarYearsLoadedIfAbsent(ctx context.Context, years []model.CalendarYear) error
	StaffByUsernames(ctx context.Context, names []string) (map[string]*model.Staff, error)
	SyncNationalChecklistRules(ctx context.Context, rows []model.ChecklistRule) error
	UpsertAreas(ctx context.Context, areas []model.Area) error
	UpsertRegionSettings(ctx context.Context, rows []model.RegionSetting) error
	UpsertStaff(ctx context.Context, st *model.Staff) error
}
