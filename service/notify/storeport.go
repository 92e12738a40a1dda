package notify

import (
	"context"
	"palmaid/model"
	"palmaid/service/store"
	"time"
)

// Store is what this package needs of the store, and all it may call (*store.Store satisfies it).
type Store interface {
	Audit(ctx context.Context, a *model.AuditLog) error
	CasePublicIDs(ctx context.Context, ids []uint64) (map[uint64]string, error)
	ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]model.Outbox, error)
	ClearPushStarted(ctx context.Context, keys []string) error
	CompleteOutboxRows(ctx context.Context, ids []uint64, channel, lastErr string, now time.Time) error
	DeadLetters(ctx context.Context, sc store.Scope, before uint64, limit int) ([]model.Outbox, error)
	DeadOutbox(ctx context.Context, id uint64, lastErr string, now time.Time) error
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	InTxReadCommitted(ctx context.Context, fn func(ctx context.Context) error) error
	InsertMessages(ctx context.Context, msgs []model.Message) error
	ListMessages(ctx context.Context, residentID uint64, before uint64, limit int) ([]model.Message, error)
	MarkAllMessagesRead(ctx context.Context, residentID uint64, now time.Time) (int64, error)
	MarkMessageRead(ctx context.Context, residentID, id uint64, now time.Time) (bool, error)
	MarkMessagesPushed(ctx context.Context, keys []string) error
	MessagesByKeys(ctx context.Context, keys []string) (map[string]model.Message, error)
	NotifyTemplates(ctx context.Context) ([]model.NotifyTemplate, error)
	OpenIDs(ctx context.Context, residentIDs []uint64) (map[uint64]string, error)
	PushWave(ctx context.Context, sent, starting []string, now time.Time) error
	RecordSubscribeResult(ctx context.Context, residentID uint64, templateID, result string, maxQuota int, now time.Time) error
	RefundQuota(ctx context.Context, residentID uint64, templateID string, n int) error
	ReleaseOutbox(ctx context.Context, rows []model.Outbox, now time.Time) error
	RequeueOutbox(ctx context.Context, sc store.Scope, id uint64, now time.Time) (bool, error)
	RetryOutbox(ctx context.Context, id uint64, next time.Time, lastErr string) error
	SetQuotaTaken(ctx context.Context, keys []string, taken bool) error
	SetSubscription(ctx context.Context, residentID uint64, templateID, result string, on bool, now time.Time) error
	SubscribedAmong(ctx context.Context, templateID string, residentIDs []uint64) (map[uint64]bool, error)
	TakeQuotas(ctx context.Context, templateID string, need map[uint64]int) (map[uint64]int, error)
	UnreadMessages(ctx context.Context, residentID uint64) (int64, error)
	ZeroQuota(ctx context.Context, residentID uint64, templateID string) error
}
