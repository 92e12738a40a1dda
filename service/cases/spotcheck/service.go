// Package spotcheck holds the county's 特困 spot checks: the draw, the draws' records and the
// check recorded in person on a drawn case.
package spotcheck

import (
	"log/slog"
	"time"

	"palmaid/service/calendar"
	"palmaid/service/cases"
	"palmaid/service/crypto"
	"palmaid/service/store"
)

// Service is the spotcheck use case; build it once.
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
