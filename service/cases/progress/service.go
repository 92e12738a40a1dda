// Package progress is the resident's read of their cases: the list, and the progress screen —
// the hottest read of the service — through a read model cached in Redis (readcache.go), whose
// session read it owns: one Redis round trip reads the session with the case's view.
package progress

import (
	"context"
	"log/slog"
	"time"

	"palmaid/service/calendar"
	"palmaid/service/cases"
	"palmaid/service/crypto"
	"palmaid/service/store"
)

// Service is the progress read; build it once.
type Service struct {
	k      *cases.Kernel
	st     *store.Store
	cipher crypto.Cipher
	cal    *calendar.Calendar
	now    func() time.Time
	log    *slog.Logger
	cache  *ReadCache // nil: the progress view is read from the database every time
	// sessions resolves the resident's token; the session is read with the view (Read).
	sessions Sessions
}

// Sessions resolves residents' tokens (auth.Service).
type Sessions interface {
	// ResidentID resolves a token on its own (without a read cache).
	ResidentID(ctx context.Context, token string) (uint64, error)
	// ResidentSessionKey is the Redis key of the token's session ("" for no token).
	ResidentSessionKey(token string) string
	// ResidentFromSession resolves what the GET of the session key answered.
	ResidentFromSession(v string, err error) (uint64, error)
}

// New builds the service; cache may be nil (every read then asks the database).
func New(k *cases.Kernel, cache *ReadCache, sessions Sessions) *Service {
	d := k.Deps()
	return &Service{k: k, st: d.Store, cipher: d.Cipher, cal: d.Calendar, now: d.Now, log: d.Log, cache: cache, sessions: sessions}
}
