package residents

import (
	"context"
	"palmaid/model"
	"time"
)

// Store is what this package needs of the store, and all it may call (*store.Store satisfies it).
type Store interface {
	AreaNames(ctx context.Context, codes []string) (map[string]string, error)
	Audit(ctx context.Context, a *model.AuditLog) error
	ClearResidentIdentity(ctx context.Context, residentID uint64, now time.Time) error
	CountBeneficiaryCases(ctx context.Context, residentID uint64) (int64, error)
	GetResident(ctx context.Context, id uint64) (*model.Resident, error)
	HasSubmittedCase(ctx context.Context, residentID uint64) (bool, error)
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	LinkBeneficiary(ctx context.Context, residentID uint64, bidx string) ([]uint64, error)
	ResidentByDeskCode(ctx context.Context, hash string, now time.Time) (*model.Resident, error)
	ResidentByVerifiedID(ctx context.Context, bidx string) (*model.Resident, error)
	SaveResidentIdentity(ctx context.Context, r *model.Resident) error
	SaveResidentPhone(ctx context.Context, r *model.Resident) error
	SearchVillages(ctx context.Context, q string, digits bool, limit int) ([]model.Area, error)
	SetDeskCode(ctx context.Context, residentID uint64, hash string, expires, now time.Time) error
	UnlinkBeneficiary(ctx context.Context, residentID uint64, keep string) (int64, error)
	UnverifiedClaims(ctx context.Context, bidx string, except uint64) ([]model.Resident, error)
}
