// Package review holds the statutory steps staff take on a case, from acceptance to the
// decision: each one act of the kernel (one transaction with its history, clocks, notices and
// audit row), the document items of a return, and the engine's suggestions beside an opinion.
package review

import (
	"log/slog"
	"time"

	"palmaid/service/calendar"
	"palmaid/service/cases"
	"palmaid/service/crypto"
	"palmaid/service/econcheck"
	"palmaid/service/store"
)

// Service is the review use case; build it once.
type Service struct {
	k      *cases.Kernel
	st     *store.Store
	cipher crypto.Cipher
	cal    *calendar.Calendar
	now    func() time.Time
	log    *slog.Logger
	econ   econcheck.Source   // nil: the county enters results by hand
	shared cases.SharingRules // nil: no document is known to come from data sharing
	// decided is told of every decision inside its transaction (nil: nobody).
	decided cases.DecisionHook
}

// Options are what review needs beyond the kernel.
type Options struct {
	// Econ is the household economic-check source (nil: the county enters results by hand).
	Econ econcheck.Source
	// Sharing tells which documents data sharing supplies: a return may not ask for them (免证明).
	Sharing cases.SharingRules
	// Decided is told of every decision inside the decision's transaction (service/benefits).
	Decided cases.DecisionHook
}

// New builds the service.
func New(k *cases.Kernel, o Options) *Service {
	d := k.Deps()
	return &Service{k: k, st: d.Store, cipher: d.Cipher, cal: d.Calendar, now: d.Now, log: d.Log,
		econ: o.Econ, shared: o.Sharing, decided: o.Decided}
}
