package privacy

import (
	"context"
	"palmaid/model"
	"palmaid/service/store"
	"time"
)

// Store is what this package needs of the store, and all it may call (*store.Store satisfies it).
type Store interface {
	Audit(ctx context.Context, a *model.AuditLog) error
	CaseEvents(ctx context.Context, caseID uint64) ([]model.CaseEvent, error)
	CasePublicIDs(ctx context.Context, ids []uint64) (map[uint64]string, error)
	CasesOfResident(ctx context.Context, residentID uint64) ([]model.Case, error)
	EraseResident(ctx context.Context, residentID uint64, tombstone string, now time.Time) error
	GetResident(ctx context.Context, id uint64) (*model.Resident, error)
	Household(ctx context.Context, id uint64) (*model.Household, error)
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	ListMessages(ctx context.Context, residentID uint64, before uint64, limit int) ([]model.Message, error)
	LoadCaseFile(ctx context.Context, sc store.Scope, publicID string) (*model.CaseFile, error)
	RatingsByResident(ctx context.Context, residentID uint64) ([]model.Rating, error)
	ResidentComplaints(ctx context.Context, residentID uint64, before uint64, limit int) ([]model.Complaint, error)
}
