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
	"time"

	"palmaid/model"
	"palmaid/service/store"
	"palmaid/service/wechat"
)

const (
	lease       = time.Minute
	batch       = 50
	maxAttempts = 8
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
	rows, err := s.st.ClaimOutbox(ctx, s.now(), lease, batch)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	templates, err := s.templateMap(ctx)
	if err != nil {
		return 0, err
	}
	for i := range rows {
		if err := s.deliver(ctx, &rows[i], templates); err != nil {
			s.log.WarnContext(ctx, "notify: delivery failed", "outbox_id", rows[i].ID, "attempt", rows[i].Attempts, "err", err)
		}
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
		if err := s.st.CompleteOutbox(ctx, row.ID, model.ChannelInApp, "gave up: "+cause.Error(), s.now()); err != nil {
			return errors.Join(cause, err)
		}
		return cause
	}
	backoff := time.Duration(1<<min(row.Attempts, 10)) * 5 * time.Second
	if err := s.st.RetryOutbox(ctx, row.ID, s.now().Add(backoff), cause.Error()); err != nil {
		return errors.Join(cause, err)
	}
	return cause
}
