// Package notify delivers outbox rows after commit: every row becomes an in-app message, and
// also a WeChat subscribe message when the resident has quota for the template (one accept in
// wx.requestSubscribeMessage = one message; a long-term template needs one accept that sending
// does not use up). Every row is delivered (claimed with a lease and retried until done or dead);
// a subscribe message is pushed at most once per idempotency key: the push is marked in its own
// commit before it is sent, and a marked, unconfirmed push (a worker killed mid-push) is not
// repeated.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"palmaid/model"
	"palmaid/service/store"
	"palmaid/service/wechat"
)

const (
	lease = time.Minute
	batch = 200
	// parallel is how many subscribe messages of a batch are in flight at once.
	parallel    = 16
	maxAttempts = 8
	// sendBudget is the longest one row can take (a WeChat call has a 5 s timeout, plus the
	// database writes): a row is started only while this much of the claim's lease is left, so
	// no row is worked on after its lease expired and another worker may have claimed it.
	sendBudget = 15 * time.Second
)

// Subscribe results reported by the mini-program.
const (
	ResultAccept = "accept"
	ResultReject = "reject"
	ResultBan    = "ban"
	// ResultFilter: WeChat filtered the template out of the popup (for example, the user
	// turned the mini-program's messages off). Not an error: nothing changes for it.
	ResultFilter = "filter"
)

var errSubscribe = model.Invalid("subscribe.invalid", "订阅结果不正确")

var errUnknownTemplate = model.E(model.KindUnprocessable, "subscribe.unknown_template", "未知的消息模板")

// Service sends notifications and keeps subscribe quotas.
type Service struct {
	st      Store
	wx      wechat.Client
	now     func() time.Time
	log     *slog.Logger
	observe func(channel string, errcode int)
}

// Option configures the service.
type Option func(*Service)

// WithSendObserver reports every delivery: channel subscribe (errcode 0 = sent, else WeChat's)
// or in_app (the resident had no quota, or the push failed permanently).
func WithSendObserver(f func(channel string, errcode int)) Option {
	return func(s *Service) { s.observe = f }
}

// New builds the service.
func New(st Store, wx wechat.Client, now func() time.Time, log *slog.Logger, opts ...Option) *Service {
	s := &Service{st: st, wx: wx, now: now, log: log, observe: func(string, int) {}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Templates lists the templates the mini-program may ask the user to accept.
func (s *Service) Templates(ctx context.Context) ([]model.NotifyTemplate, error) {
	return s.st.NotifyTemplates(ctx)
}

// SubscribeResult is one template's answer in a requestSubscribeMessage popup.
type SubscribeResult struct {
	TemplateID string `json:"templateId"`
	Result     string `json:"result"`
}

// MaxQuota is the most one-time sends of one template a resident's accepts can bank. WeChat
// grants one send per accept and its popup answers each template once, so a client that
// reports more is not reporting taps (issue 19: 60 reports made a quota of 60); the workflow
// sends a handful of messages of one template over a case's life.
const MaxQuota = 10

// RecordResults stores the answers of one popup (at most 3 templates, each once); an accept
// adds one send to the template's quota, up to MaxQuota.
func (s *Service) RecordResults(ctx context.Context, residentID uint64, results []SubscribeResult) error {
	if len(results) == 0 || len(results) > 3 {
		return errSubscribe.WithField("results", "1至3项")
	}
	known, err := s.st.NotifyTemplates(ctx)
	if err != nil {
		return err
	}
	ids, longTerm := map[string]bool{}, map[string]bool{}
	for _, t := range known {
		ids[t.TemplateID] = true
		longTerm[t.TemplateID] = longTerm[t.TemplateID] || t.LongTerm()
	}
	seen := map[string]bool{}
	for i, r := range results {
		if seen[r.TemplateID] { // the popup's answer is keyed by template id: one answer each
			return errSubscribe.WithField(fmt.Sprintf("results[%d].templateId", i), "同一模板只能出现一次")
		}
		seen[r.TemplateID] = true
		if r.Result == ResultFilter {
			continue // WeChat filtered it out of the popup: whatever its id, nothing to record
		}
		if !ids[r.TemplateID] {
			return errUnknownTemplate.WithField(fmt.Sprintf("results[%d].templateId", i), "未知的模板")
		}
		switch r.Result {
		case ResultAccept, ResultReject, ResultBan, ResultFilter:
		default:
			return errSubscribe.WithField(fmt.Sprintf("results[%d].result", i), "应为accept、reject、ban或filter")
		}
	}
	return s.st.InTx(ctx, func(ctx context.Context) error {
		for _, r := range results {
			if r.Result == ResultFilter {
				continue // the popup's other answers still count
			}
			if longTerm[r.TemplateID] { // 长期订阅: on or off, accepts do not accumulate
				if err := s.st.SetSubscription(ctx, residentID, r.TemplateID, r.Result, r.Result == ResultAccept, s.now()); err != nil {
					return err
				}
				continue
			}
			if err := s.st.RecordSubscribeResult(ctx, residentID, r.TemplateID, r.Result, MaxQuota, s.now()); err != nil {
				return err
			}
		}
		return nil
	})
}

// Messages lists the resident's in-app messages.
func (s *Service) Messages(ctx context.Context, residentID uint64, before uint64, limit int) ([]model.Message, error) {
	return s.st.ListMessages(ctx, residentID, before, limit)
}

// Run delivers until ctx ends, polling every interval.
func (s *Service) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.RunOnce(ctx); err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "notify: delivery round failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce claims a batch of due rows and delivers it; it returns how many rows it handled.
//
// The database work of a batch does not grow with its size: the claim (one transaction); the
// preparation (one transaction: every in-app copy in one insert, the quotas taken two
// statements per template, the rows that need no push completed); one statement per wave of
// 16 pushes, overlapping the sends; and one transaction recording the outcomes. The sends run 16
// at a time and touch no database. A wave starts only while sendBudget of the claim's lease is
// left: no row is worked on after another worker may have claimed it again.
func (s *Service) RunOnce(ctx context.Context) (int, error) {
	claimed := s.now()
	var rows []model.Outbox
	var err error
	for attempt := 0; attempt < 3; attempt++ { // defence: the claim locks only the rows it takes
		if rows, err = s.st.ClaimOutbox(ctx, claimed, lease, batch); !store.IsDeadlock(err) {
			break
		}
		s.log.WarnContext(ctx, "notify: claim chosen as a deadlock victim, claiming again", "attempt", attempt+1)
	}
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	templates, err := s.templateMap(ctx)
	if err != nil {
		return 0, errors.Join(err, s.st.ReleaseOutbox(ctx, rows, s.now()))
	}
	jobs, err := s.prepare(ctx, rows, templates)
	if err != nil {
		return 0, errors.Join(err, s.st.ReleaseOutbox(ctx, rows, s.now()))
	}
	if err := s.push(ctx, jobs, claimed); err != nil {
		// Sends done but not recorded keep their push marks: claimed again after the lease,
		// those rows are completed in-app without a second push.
		return len(rows), fmt.Errorf("notify: recording a delivered batch: %w", err)
	}
	return len(rows), nil
}

func (s *Service) templateMap(ctx context.Context) (map[string]model.NotifyTemplate, error) {
	ts, err := s.st.NotifyTemplates(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]model.NotifyTemplate, len(ts))
	for _, t := range ts {
		m[t.Key] = t
	}
	return m, nil
}
