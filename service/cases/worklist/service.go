// Package worklist holds the staff console's reads of cases: the worklists and their counts,
// opening a case (audited) and unmasking one datum with a reason, search, the villages of an
// area, statistics and the reminder list.
package worklist

import (
	"log/slog"
	"time"

	"palmaid/service/calendar"
	"palmaid/service/cases"
	"palmaid/service/crypto"
	"palmaid/service/store"
)

// Service is the worklist use case; build it once.
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
