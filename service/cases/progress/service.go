// Package progress is the resident's read of their cases: the list, and the progress screen —
// the hottest read of the service — through a read model cached in Redis (readcache.go), whose
// session read it owns: one Redis round trip reads the session with the case's view.
package progress

import (
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
}

// New builds the service; cache may be nil.
func New(k *cases.Kernel, cache *ReadCache) *Service {
	d := k.Deps()
	return &Service{k: k, st: d.Store, cipher: d.Cipher, cal: d.Calendar, now: d.Now, log: d.Log, cache: cache}
}
