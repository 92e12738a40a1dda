// Package application holds the resident's side of an application and the filings made for
// residents: drafts with their declared facts, consents and invitations, submission (and the
// one-request filing), answers to a return, withdrawal, changes declared after submission, the
// household change at the window, 帮办 filings, and the public notice with its objections.
package application

import (
	"context"
	"log/slog"
	"time"

	"palmaid/service/calendar"
	"palmaid/service/cases"
	"palmaid/service/crypto"
	"palmaid/service/store"
)

// Service is the application use case; build it once.
type Service struct {
	k      *cases.Kernel
	st     *store.Store
	cipher crypto.Cipher
	cal    *calendar.Calendar
	now    func() time.Time
	log    *slog.Logger
	rules  cases.DocumentRules // nil: drafts get no document list from rules
	// maxDrafts is how many drafts one account may hold at once (0: no cap).
	maxDrafts int
	mine      Mine
}

// Mine reads one of the resident's cases as their progress screen shows it (progress.Service):
// a repeated one-request filing answers the first case that way.
type Mine interface {
	GetMine(ctx context.Context, residentID uint64, publicID string) (*cases.Record, error)
}

// Options are the application's own settings.
type Options struct {
	// Rules produce a draft's one-time document list (nil: none from rules).
	Rules cases.DocumentRules
	// MaxDrafts lets one account hold at most this many drafts at once (issue 19: 100 drafts
	// from one account in 0.6 s, each a case with its household, members, checklist and
	// consents; 0: no cap).
	MaxDrafts int
	// Mine reads a resident's case for a replayed filing (required).
	Mine Mine
}

// New builds the service.
func New(k *cases.Kernel, o Options) *Service {
	d := k.Deps()
	return &Service{k: k, st: d.Store, cipher: d.Cipher, cal: d.Calendar, now: d.Now, log: d.Log, rules: o.Rules, maxDrafts: o.MaxDrafts, mine: o.Mine}
}
