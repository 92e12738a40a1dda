package metrics

import (
	"context"
	"database/sql"
	"time"
)

// Store is what this package needs of the store, and all it may call (*store.Store satisfies it).
type Store interface {
	OutboxBacklog(ctx context.Context, now time.Time) (n int64, oldest time.Duration, err error)
	PoolStats() sql.DBStats
}
