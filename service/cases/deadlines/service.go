// Package deadlines holds the jobs on the cases' clocks: the daily sweep (staff reminders and
// the residents' notices of a due date), the purge of old drafts, and the re-timing of open
// clocks after a year of the holiday calendar was loaded or corrected.
package deadlines

import (
	"log/slog"
	"time"

	"palmaid/service/calendar"
	"palmaid/service/cases"
	"palmaid/service/crypto"
	"palmaid/service/store"
)

// Service is the deadlines use case; build it once.
type Service struct {
	k      *cases.Kernel
	st     *store.Store
	cipher crypto.Cipher
	cal    *calendar.Calendar
	now    func() time.Time
	log    *slog.Logger
}

// New builds the service.
func New(k *cases.Kernel) *Service {
	d := k.Deps()
	return &Service{k: k, st: d.Store, cipher: d.Cipher, cal: d.Calendar, now: d.Now, log: d.Log}
}
