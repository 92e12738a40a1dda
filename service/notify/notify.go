// Package notify delivers outbox rows after commit: every row becomes an in-app message, and
// also a WeChat subscribe message when the resident has quota for the template (one accept in
// wx.requestSubscribeMessage = one message). Delivery is at-least-once: rows are claimed with
// a lease and retried; the row's idempotency key makes a retry of a delivered row a no-op.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"palmaid/model"
	"palmaid/service/reqmeta"
	"palmaid/service/store"
	"palmaid/service/wechat"
)

const (
	lease       = time.Minute
	batch       = 50
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

var errUnknownTemplate = model.E(model.KindUnprocessable, "subscribe.unknown_template", "未知的消息模板")

// Service sends notifications and keeps subscribe quotas.
type Service struct {
	st      *store.Store
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
func New(st *store.Store, wx wechat.Client, now func() time.Time, log *slog.Logger, opts ...Option) *Service {
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

// RecordResults stores the answers of one popup (at most 3 templates).
func (s *Service) RecordResults(ctx context.Context, residentID uint64, results []SubscribeResult) error {
	if len(results) == 0 || len(results) > 3 {
		return model.Invalid("subscribe.invalid", "订阅结果不正确").WithField("results", "1至3项")
	}
	known, err := s.st.NotifyTemplates(ctx)
	if err != nil {
		return err
	}
	ids := map[string]bool{}
	for _, t := range known {
		ids[t.TemplateID] = true
	}
	for i, r := range results {
		if r.Result == ResultFilter {
			continue // WeChat filtered it out of the popup: whatever its id, nothing to record
		}
		if !ids[r.TemplateID] {
			return errUnknownTemplate.WithField(fmt.Sprintf("results[%d].templateId", i), "未知的模板")
		}
		switch r.Result {
		case ResultAccept, ResultReject, ResultBan, ResultFilter:
		default:
			return model.Invalid("subscribe.invalid", "订阅结果不正确").WithField(fmt.Sprintf("results[%d].result", i), "应为accept、reject、ban或filter")
		}
	}
	return s.st.InTx(ctx, func(ctx context.Context) error {
		for _, r := range results {
			if r.Result == ResultFilter {
				continue // the popup's other answers still count
			}
			if err := s.st.RecordSubscribeResult(ctx, residentID, r.TemplateID, r.Result, s.now()); err != nil {
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

// RunOnce claims due rows and delivers them; it returns how many rows it handled.
func (s *Service) RunOnce(ctx context.Context) (int, error) {
	claimed := s.now()
	rows, err := s.st.ClaimOutbox(ctx, claimed, lease, batch)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	templates, err := s.templateMap(ctx)
	if err != nil {
		return 0, errors.Join(err, s.st.ReleaseOutbox(ctx, rows, s.now()))
	}
	// Rows are independent (each has its own idempotency key and quota row), so on MySQL they
	// are delivered concurrently: each write waits for its own commit, and the waits overlap.
	// SQLite has one writer: one at a time there.
	parallel := 16
	if s.st.Dialect() == "sqlite" {
		parallel = 1
	}
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	started := len(rows)
	for i := range rows {
		if s.now().After(claimed.Add(lease - sendBudget)) {
			started = i // out of lease: the rest go back now rather than race a worker that reclaims them
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func(row *model.Outbox) {
			defer func() { <-sem; wg.Done() }()
			if err := s.deliver(ctx, row, templates); err != nil {
				s.log.WarnContext(ctx, "notify: delivery failed", "outbox_id", row.ID, "attempt", row.Attempts, "err", err)
			}
		}(&rows[i])
	}
	wg.Wait()
	if started < len(rows) {
		return started, s.st.ReleaseOutbox(ctx, rows[started:], s.now())
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

func (s *Service) deliver(ctx context.Context, row *model.Outbox, templates map[string]model.NotifyTemplate) error {
	now := s.now()
	// 1. The in-app copy, once per key.
	if err := s.st.InsertMessage(ctx, &model.Message{ResidentID: row.ResidentID, CaseID: row.CaseID, Title: row.Title,
		Body: row.Body, IdempotencyKey: row.IdempotencyKey, CreatedAt: now}); err != nil {
		return s.retry(ctx, row, err)
	}
	msg, err := s.st.MessageByKey(ctx, row.IdempotencyKey)
	if err != nil {
		return s.retry(ctx, row, err)
	}
	if msg.Pushed { // an earlier attempt already pushed it: never twice
		return s.st.CompleteOutbox(ctx, row.ID, model.ChannelSubscribe, "", now)
	}
	tpl, ok := templates[row.TemplateKey]
	if !ok {
		return s.st.CompleteOutbox(ctx, row.ID, model.ChannelInApp, "no template configured", now)
	}
	// 2. A subscribe message only if the resident allowed one.
	took, err := s.st.TakeQuota(ctx, row.ResidentID, tpl.TemplateID)
	if err != nil {
		return s.retry(ctx, row, err)
	}
	if !took {
		s.observe(model.ChannelInApp, 0)
		return s.st.CompleteOutbox(ctx, row.ID, model.ChannelInApp, "", now)
	}
	sendErr := s.send(ctx, row, tpl)
	if code, isAPI := wechat.ErrCode(sendErr); sendErr == nil || isAPI {
		s.observe(model.ChannelSubscribe, code)
	} else {
		s.observe(model.ChannelSubscribe, -1) // network or timeout
	}
	if sendErr == nil {
		if err := s.st.MarkMessagePushed(ctx, row.IdempotencyKey); err != nil {
			return s.retry(ctx, row, err)
		}
		return s.st.CompleteOutbox(ctx, row.ID, model.ChannelSubscribe, "", s.now())
	}
	code, isAPI := wechat.ErrCode(sendErr)
	switch {
	case isAPI && code == 43101: // the user's quota at WeChat is gone: trust WeChat
		if err := s.st.ZeroQuota(ctx, row.ResidentID, tpl.TemplateID); err != nil {
			return err
		}
		return s.st.CompleteOutbox(ctx, row.ID, model.ChannelInApp, sendErr.Error(), s.now())
	case isAPI && code > 0 && code != 45009: // permanent (bad openid/template/field/page): keep quota, stay in-app
		_ = s.st.RefundQuota(ctx, row.ResidentID, tpl.TemplateID)
		return s.st.CompleteOutbox(ctx, row.ID, model.ChannelInApp, sendErr.Error(), s.now())
	default: // busy, rate limit or network: retry later
		_ = s.st.RefundQuota(ctx, row.ResidentID, tpl.TemplateID)
		return s.retry(ctx, row, sendErr)
	}
}

func (s *Service) send(ctx context.Context, row *model.Outbox, tpl model.NotifyTemplate) error {
	r, err := s.st.GetResident(ctx, row.ResidentID)
	if err != nil {
		return err
	}
	data, err := render(tpl, []byte(row.Payload))
	if err != nil {
		return &wechat.APIError{Op: "render", Code: wechat.CodeArgumentInvalid, Msg: fmt.Sprintf("outbox %d: %v", row.ID, err)}
	}
	pid, err := s.st.CasePublicID(ctx, row.CaseID)
	if err != nil {
		return err
	}
	return s.wx.SendSubscribe(ctx, wechat.SubscribeMessage{ToOpenID: r.OpenID, TemplateID: tpl.TemplateID, Page: tpl.Page + "?id=" + pid, Data: data})
}

func (s *Service) retry(ctx context.Context, row *model.Outbox, cause error) error {
	if row.Attempts >= maxAttempts {
		s.log.ErrorContext(ctx, "notify: giving up, dead letter", "outbox_id", row.ID, "attempts", row.Attempts, "err", cause)
		s.observe("dead", 0)
		if err := s.st.DeadOutbox(ctx, row.ID, "gave up: "+cause.Error(), s.now()); err != nil {
			return errors.Join(cause, err)
		}
		return cause
	}
	if err := s.st.RetryOutbox(ctx, row.ID, s.now().Add(Backoff(row.Attempts, rand.Float64())), cause.Error()); err != nil {
		return errors.Join(cause, err)
	}
	return cause
}

// Backoff is the wait before attempt n+1: 5 s doubling per attempt, capped at 30 minutes, with
// full jitter in its upper half (u in [0,1)) so replicas retrying a WeChat outage spread out.
func Backoff(attempts int, u float64) time.Duration {
	base := time.Duration(1<<min(max(attempts-1, 0), 9)) * 5 * time.Second
	base = min(base, 30*time.Minute)
	return base/2 + time.Duration(u*float64(base/2))
}

// DeadLetters lists the dead notifications of the administrator's area.
func (s *Service) DeadLetters(ctx context.Context, st *model.Staff, before uint64, limit int) ([]model.Outbox, error) {
	if !st.Can(model.PermNotifyAdmin) {
		return nil, errAdminOnly
	}
	return s.st.DeadLetters(ctx, store.StaffScope(st), before, limit)
}

// Requeue puts a dead notification of the administrator's area back in the queue (audited).
func (s *Service) Requeue(ctx context.Context, st *model.Staff, id uint64) error {
	if !st.Can(model.PermNotifyAdmin) {
		return errAdminOnly
	}
	return s.st.InTx(ctx, func(ctx context.Context) error {
		ok, err := s.st.RequeueOutbox(ctx, store.StaffScope(st), id, s.now())
		if err != nil {
			return err
		}
		if !ok {
			return errDeadNotFound
		}
		return s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, "notify.requeue", nil, fmt.Sprintf("outbox=%d", id), s.now()))
	})
}

var (
	errAdminOnly    = model.E(model.KindForbidden, "auth.forbidden", "只有系统管理员可以处理失败的通知")
	errDeadNotFound = model.E(model.KindNotFound, "notify.not_found", "没有这条发送失败的通知")
)
