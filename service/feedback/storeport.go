package feedback

import (
	"context"
	"palmaid/model"
	"palmaid/service/store"
)

// Store is what this package needs of the store, and all it may call (*store.Store satisfies it).
type Store interface {
	AddOutbox(ctx context.Context, o *model.Outbox) error
	AreaName(ctx context.Context, code string) (string, error)
	AreaNames(ctx context.Context, codes []string) (map[string]string, error)
	Audit(ctx context.Context, a *model.AuditLog) error
	CasePublicIDs(ctx context.Context, ids []uint64) (map[uint64]string, error)
	CountyComplaintForUpdate(ctx context.Context, county, publicID string) (*model.Complaint, error)
	CountyComplaints(ctx context.Context, county string, answered *bool, after store.ComplaintKey, limit int) ([]model.Complaint, error)
	GetArea(ctx context.Context, code string) (*model.Area, error)
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	InsertComplaint(ctx context.Context, c *model.Complaint) error
	InsertRating(ctx context.Context, r *model.Rating) error
	LoadCaseFile(ctx context.Context, sc store.Scope, publicID string) (*model.CaseFile, error)
	RatingForCase(ctx context.Context, caseID uint64) (*model.Rating, error)
	ResidentComplaints(ctx context.Context, residentID uint64, before uint64, limit int) ([]model.Complaint, error)
	SaveComplaintAnswer(ctx context.Context, c *model.Complaint) error
}
