package auth

import (
	"context"
	"palmaid/model"
	"time"
)

// Store is what this package needs of the store, and all it may call (*store.Store satisfies it).
type Store interface {
	AreaNames(ctx context.Context, codes []string) (map[string]string, error)
	Audit(ctx context.Context, a *model.AuditLog) error
	EnableStaffTOTP(ctx context.Context, id uint64, step int64, hashes []string, now time.Time) (bool, error)
	GetStaff(ctx context.Context, id uint64) (*model.Staff, error)
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	RecoveryCodesLeft(ctx context.Context, id uint64) (int64, error)
	SetStaffPassword(ctx context.Context, id uint64, hash string, mustChange, revoke bool, now time.Time) error
	SetStaffTOTPPending(ctx context.Context, id uint64, secretEnc []byte, now time.Time) (bool, error)
	StaffByUsername(ctx context.Context, username string) (*model.Staff, error)
	UpsertResident(ctx context.Context, appID, openID, unionID string, now time.Time) (*model.Resident, error)
	UseRecoveryCode(ctx context.Context, id uint64, hash string, now time.Time) (bool, error)
	UseTOTPStep(ctx context.Context, id uint64, step int64) (bool, error)
}
