package auditlog

import (
	"context"
	"palmaid/model"
	"palmaid/service/store"
	"time"
)

// Store is what this package needs of the store, and all it may call (*store.Store satisfies it).
type Store interface {
	Audit(ctx context.Context, a *model.AuditLog) error
	AuditHead(ctx context.Context) (store.AuditHead, error)
	AuditPage(ctx context.Context, f store.AuditFilter) ([]model.AuditLog, error)
	AuditUnsealed(ctx context.Context, olderThan time.Time) (n, old int64, oldest time.Time, err error)
	CasePublicIDs(ctx context.Context, ids []uint64) (map[uint64]string, error)
	CheckAuditAnchor(ctx context.Context, a store.AuditHead) (*store.AuditBreak, error)
	GetCase(ctx context.Context, sc store.Scope, publicID string) (*model.Case, error)
	StaffByIDs(ctx context.Context, ids []uint64) (map[uint64]*model.Staff, error)
	StaffByUsernames(ctx context.Context, names []string) (map[string]*model.Staff, error)
	VerifyAudit(ctx context.Context) (checked int, lastID uint64, broken *store.AuditBreak, err error)
}
