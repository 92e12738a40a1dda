package policyadmin

import (
	"context"
	"palmaid/model"
)

// Store is what this package needs of the store, and all it may call (*store.Store satisfies it).
type Store interface {
	Audit(ctx context.Context, a *model.AuditLog) error
	DeleteRegionSetting(ctx context.Context, area, key, from string) error
	GetArea(ctx context.Context, code string) (*model.Area, error)
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	RegionSettingsAt(ctx context.Context, area string) ([]model.RegionSetting, error)
	RegionSettingsFor(ctx context.Context, area model.AreaCode, date string) ([]model.RegionSetting, error)
	UpsertRegionSettings(ctx context.Context, rows []model.RegionSetting) error
}
