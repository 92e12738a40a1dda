package checklist

import (
	"context"
	"palmaid/model"
)

// Store is what this package needs of the store, and all it may call (*store.Store satisfies it).
type Store interface {
	Audit(ctx context.Context, a *model.AuditLog) error
	ChecklistRulesAt(ctx context.Context, area string) ([]model.ChecklistRule, error)
	ChecklistRulesFor(ctx context.Context, area model.AreaCode, date string) ([]model.ChecklistRule, error)
	GetArea(ctx context.Context, code string) (*model.Area, error)
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	RegionPolicy(ctx context.Context, area model.AreaCode, date string) (model.Policy, error)
	ReplaceChecklistRules(ctx context.Context, area string, rows []model.ChecklistRule) error
}
