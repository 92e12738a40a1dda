package documents

import (
	"context"
	"palmaid/model"
	"palmaid/service/store"
	"time"
)

// Store is what this package needs of the store, and all it may call (*store.Store satisfies it).
type Store interface {
	Audit(ctx context.Context, a *model.AuditLog) error
	LoadCaseFile(ctx context.Context, sc store.Scope, publicID string) (*model.CaseFile, error)
	UpdateCaseFile(ctx context.Context, sc store.Scope, publicID string, expectVersion int, now time.Time, decide func(ctx context.Context, f *model.CaseFile) error) (*model.CaseFile, error)
}
