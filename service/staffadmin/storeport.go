package staffadmin

import (
	"context"
	"palmaid/model"
)

// Store is what this package needs of the store, and all it may call (*store.Store satisfies it).
type Store interface {
	Audit(ctx context.Context, a *model.AuditLog) error
	CreateStaff(ctx context.Context, st *model.Staff) error
	DeleteRecoveryCodes(ctx context.Context, id uint64) error
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	StaffByIDAny(ctx context.Context, id uint64) (*model.Staff, error)
	StaffInArea(ctx context.Context, area model.AreaCode) ([]model.Staff, error)
	UpdateStaffAdmin(ctx context.Context, id uint64, upd map[string]any) error
}
