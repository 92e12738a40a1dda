// Package notify delivers outbox rows after commit: every row becomes an in-app message, and
// also a WeChat subscribe message when the resident has quota for the template (one accept in
// wx.requestSubscribeMessage = one message; a long-term template needs one accept that sending
// does not use up). Every row is delivered (claimed with a lease and retried until done or dead);
// a subscribe message is pushed at most once per idempotency key: the push is marked in its own
// commit before it is sent, and a marked, unconfirmed push (a worker killed mid-push) is not
// repeated.
package notify

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"palmaid/model"
	"palmaid/service/reqmeta"
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
		return model.Invalid("subscribe.invalid", "订阅结果不正确").WithField("results", "1至3项")
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
			return model.Invalid("subscribe.invalid", "订阅结果不正确").WithField(fmt.Sprintf("results[%d].templateId", i), "同一模板只能出现一次")
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
			return model.Invalid("subscribe.invalid", "订阅结果不正确").WithField(fmt.Sprintf("results[%d].result", i), "应为accept、reject、ban或filter")
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

// job is one row of a batch that is to be pushed.
type job struct {
	row     *model.Outbox
	tpl     model.NotifyTemplate
	msg     wechat.SubscribeMessage
	took    bool // a one-time quota was taken: given back unless WeChat takes the message
	started bool
	err     error
}

type completion struct{ channel, lastErr string }

// errUnknownOutcome completes a row whose push an earlier worker started and never recorded.
const errUnknownOutcome = "push outcome unknown (an earlier worker stopped mid-push): not pushed again"

// prepare writes the in-app copies and decides, in one transaction, which rows are pushed:
// those with a template, a quota (taken here) or a long-term subscription, and no push started
// before. Rows that need no push are completed here.
func (s *Service) prepare(ctx context.Context, rows []model.Outbox, templates map[string]model.NotifyTemplate) ([]*job, error) {
	var jobs []*job
	// Concurrent workers' batches lock quota rows and insert messages: InnoDB may pick one as a
	// deadlock victim. The body rebuilds everything from rows, so the batch is simply prepared again.
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		err = s.prepareTx(ctx, rows, templates, &jobs)
		if !store.IsDeadlock(err) {
			break
		}
		s.log.WarnContext(ctx, "notify: batch preparation chosen as a deadlock victim, preparing it again", "attempt", attempt+1, "rows", len(rows))
	}
	return jobs, err
}

func (s *Service) prepareTx(ctx context.Context, rows []model.Outbox, templates map[string]model.NotifyTemplate, out *[]*job) error {
	var jobs []*job
	err := s.st.InTxReadCommitted(ctx, func(ctx context.Context) error {
		jobs = jobs[:0]
		now := s.now()
		// Lock order, the same in every transaction of the worker (prepare and ack): quota rows
		// (by template id, then resident id), then in-app copies (by idempotency key), then
		// outbox rows (by id). Concurrent batches then wait for each other and never deadlock.
		// So: read what an earlier attempt left (a plain read, no lock), take the quotas, and only
		// then write the in-app copies, already marked with the quota they hold.
		keys := make([]string, len(rows))
		for i, r := range rows {
			keys[i] = r.IdempotencyKey
		}
		byKey, err := s.st.MessagesByKeys(ctx, keys)
		if err != nil {
			return err
		}
		done := map[completion][]uint64{}
		var residents, cases []uint64
		var cands []*job
		for i := range rows {
			row := &rows[i]
			m, ok := byKey[row.IdempotencyKey]
			switch {
			case ok && m.Pushed: // an earlier attempt pushed it: never twice
				done[completion{model.ChannelSubscribe, ""}] = append(done[completion{model.ChannelSubscribe, ""}], row.ID)
				continue
			case ok && m.PushStartedAt != nil:
				s.log.WarnContext(ctx, "notify: push outcome unknown after a stopped worker, kept in-app", "outbox_id", row.ID)
				done[completion{model.ChannelInApp, errUnknownOutcome}] = append(done[completion{model.ChannelInApp, errUnknownOutcome}], row.ID)
				continue
			}
			tpl, ok := templates[row.TemplateKey]
			if !ok {
				done[completion{model.ChannelInApp, "no template configured"}] = append(done[completion{model.ChannelInApp, "no template configured"}], row.ID)
				continue
			}
			data, err := render(tpl, []byte(row.Payload))
			if err != nil { // a configuration fault, not a resident's: in-app, logged
				s.log.ErrorContext(ctx, "notify: cannot render", "outbox_id", row.ID, "err", err)
				c := completion{model.ChannelInApp, "render: " + err.Error()}
				done[c] = append(done[c], row.ID)
				continue
			}
			cands = append(cands, &job{row: row, tpl: tpl, took: m.QuotaTaken && !tpl.LongTerm(), msg: wechat.SubscribeMessage{TemplateID: tpl.TemplateID, Data: data}})
		}
		// Quotas, per template in two statements: one-time accepts are taken now (a resident
		// with two rows and one accept gets one push) and remembered on the message, so a worker
		// taking the row over after a crash does not take another; long-term subscriptions are
		// only read.
		need, subs := map[string]map[uint64]int{}, map[string][]uint64{}
		for _, j := range cands {
			id := j.tpl.TemplateID
			switch {
			case j.tpl.LongTerm():
				subs[id] = append(subs[id], j.row.ResidentID)
			case j.took: // taken by an earlier attempt
			default:
				if need[id] == nil {
					need[id] = map[uint64]int{}
				}
				need[id][j.row.ResidentID]++
			}
		}
		granted, on := map[string]map[uint64]int{}, map[string]map[uint64]bool{}
		for _, id := range slices.Sorted(maps.Keys(need)) {
			if granted[id], err = s.st.TakeQuotas(ctx, id, need[id]); err != nil {
				return err
			}
		}
		for id, rids := range subs {
			if on[id], err = s.st.SubscribedAmong(ctx, id, rids); err != nil {
				return err
			}
		}
		tookNow := map[string]bool{}
		for _, j := range cands {
			id, rid := j.tpl.TemplateID, j.row.ResidentID
			switch {
			case j.tpl.LongTerm() && on[id][rid], j.took:
			case !j.tpl.LongTerm() && granted[id][rid] > 0:
				granted[id][rid]--
				j.took = true
				tookNow[j.row.IdempotencyKey] = true
			default:
				s.observe(model.ChannelInApp, 0)
				done[completion{model.ChannelInApp, ""}] = append(done[completion{model.ChannelInApp, ""}], j.row.ID)
				continue
			}
			jobs = append(jobs, j)
			residents, cases = append(residents, rid), append(cases, j.row.CaseID)
		}
		// The in-app copies not written yet, in key order, each marked with the quota it holds;
		// copies written by an earlier attempt that took a quota now are marked.
		var msgs []model.Message
		var marked []string
		for _, r := range rows {
			if _, ok := byKey[r.IdempotencyKey]; ok {
				if tookNow[r.IdempotencyKey] {
					marked = append(marked, r.IdempotencyKey)
				}
				continue
			}
			msgs = append(msgs, model.Message{ResidentID: r.ResidentID, CaseID: r.CaseID, Title: r.Title, Body: r.Body,
				IdempotencyKey: r.IdempotencyKey, QuotaTaken: tookNow[r.IdempotencyKey], CreatedAt: now})
		}
		slices.SortFunc(msgs, func(a, b model.Message) int { return strings.Compare(a.IdempotencyKey, b.IdempotencyKey) })
		if err := s.st.InsertMessages(ctx, msgs); err != nil {
			return err
		}
		if err := s.st.SetQuotaTaken(ctx, marked, true); err != nil {
			return err
		}
		openIDs, err := s.st.OpenIDs(ctx, residents)
		if err != nil {
			return err
		}
		pids, err := s.st.CasePublicIDs(ctx, cases)
		if err != nil {
			return err
		}
		for _, j := range jobs {
			j.msg.ToOpenID = openIDs[j.row.ResidentID]
			j.msg.Page = j.tpl.Page + "?id=" + pids[j.row.CaseID]
		}
		return completeAll(ctx, s.st, done, now)
	})
	*out = jobs
	return err
}

// completeAll completes rows per channel and error, in a fixed order (the lock order).
func completeAll(ctx context.Context, st Store, done map[completion][]uint64, now time.Time) error {
	cs := slices.SortedFunc(maps.Keys(done), func(a, b completion) int {
		return cmp.Or(strings.Compare(a.channel, b.channel), strings.Compare(a.lastErr, b.lastErr))
	})
	for _, c := range cs {
		ids := done[c]
		slices.Sort(ids)
		if err := st.CompleteOutboxRows(ctx, ids, c.channel, c.lastErr, now); err != nil {
			return err
		}
	}
	return nil
}

// push sends the batch's subscribe messages in waves of parallel, while the lease allows.
// Before a wave is sent, one statement marks its pushes as started (and records the wave
// before it as pushed); it runs while the wave in between is being sent, so the database and
// WeChat work overlap. A worker killed at any moment leaves at most two waves of pushes whose
// outcome is unknown (marked, not confirmed); those are never pushed again. The batch's
// outcomes — completions, refunds, retries — are recorded in one transaction at the end.
func (s *Service) push(ctx context.Context, jobs []*job, claimed time.Time) error {
	var waves [][]*job
	for start := 0; start < len(jobs); start += parallel {
		waves = append(waves, jobs[start:min(start+parallel, len(jobs))])
	}
	leaseLeft := func() bool { return !s.now().After(claimed.Add(lease - sendBudget)) }
	finish := func(err error) error {
		var ackErr error
		for attempt := 0; attempt < 3; attempt++ { // defence, as for the preparation: ack is rebuilt from jobs
			ackErr = s.st.InTxReadCommitted(ctx, func(ctx context.Context) error { return s.ack(ctx, jobs) })
			if !store.IsDeadlock(ackErr) {
				break
			}
			s.log.WarnContext(ctx, "notify: recording a batch chosen as a deadlock victim, recording it again", "attempt", attempt+1)
		}
		return errors.Join(err, ackErr)
	}
	if len(waves) == 0 || !leaseLeft() {
		return finish(nil)
	}
	if err := s.st.PushWave(ctx, nil, keysOf(waves[0], false), s.now()); err != nil {
		return finish(err)
	}
	var prev []*job
	for i, wave := range waves {
		var wg sync.WaitGroup
		s.send(ctx, wave, &wg)
		next := i+1 < len(waves) && leaseLeft() // out of lease: the rest go back rather than race a worker that reclaims them
		var starting []string
		if next {
			starting = keysOf(waves[i+1], false)
		}
		err := s.st.PushWave(ctx, keysOf(prev, true), starting, s.now())
		wg.Wait()
		if err != nil || !next {
			return finish(err)
		}
		prev = wave
	}
	return finish(nil)
}

// keysOf lists the idempotency keys of jobs (sent: only those WeChat took).
func keysOf(jobs []*job, sent bool) []string {
	out := make([]string, 0, len(jobs))
	for _, j := range jobs {
		if !sent || (j.started && j.err == nil) {
			out = append(out, j.row.IdempotencyKey)
		}
	}
	return out
}

// send starts the wave's pushes (those left with a quota), each in its own goroutine.
func (s *Service) send(ctx context.Context, wave []*job, wg *sync.WaitGroup) {
	for _, j := range wave {
		j.started = true
		wg.Add(1)
		go func(j *job) {
			defer wg.Done()
			j.err = s.wx.SendSubscribe(ctx, j.msg)
			if code, isAPI := wechat.ErrCode(j.err); j.err == nil || isAPI {
				s.observe(model.ChannelSubscribe, code)
			} else {
				s.observe(model.ChannelSubscribe, -1) // network or timeout
			}
		}(j)
	}
}

// ack records, inside the caller's transaction, the outcome of sends: pushed flags and
// completions, refunds, backoff or dead letters; jobs never started give their quota back and
// their rows are released.
func (s *Service) ack(ctx context.Context, jobs []*job) error {
	if len(jobs) == 0 {
		return nil
	}
	now := s.now()
	var sentKeys, clearKeys []string
	var sentIDs []uint64
	var release []model.Outbox
	done := map[completion][]uint64{}
	var refunded []string
	// Quota changes are gathered and written first, in the lock order (template, resident).
	type quotaKey struct {
		tpl string
		rid uint64
	}
	refunds, zero := map[quotaKey]int{}, map[quotaKey]bool{}
	refund := func(j *job) {
		if j.took {
			refunded = append(refunded, j.row.IdempotencyKey)
			refunds[quotaKey{j.tpl.TemplateID, j.row.ResidentID}]++
		}
	}
	var retries []*job
	for _, j := range jobs {
		if j.err == nil && j.started {
			sentKeys, sentIDs = append(sentKeys, j.row.IdempotencyKey), append(sentIDs, j.row.ID)
			continue
		}
		clearKeys = append(clearKeys, j.row.IdempotencyKey)
		refund(j)
		if !j.started {
			release = append(release, *j.row)
			continue
		}
		code, isAPI := wechat.ErrCode(j.err)
		switch {
		case isAPI && code == wechat.CodeNoSubscription: // the user's quota (or long-term subscription) at WeChat is gone: trust WeChat
			zero[quotaKey{j.tpl.TemplateID, j.row.ResidentID}] = true // undoes the refund too
			c := completion{model.ChannelInApp, j.err.Error()}
			done[c] = append(done[c], j.row.ID)
		case isAPI && code > 0 && code != wechat.CodeDailyLimit: // permanent (bad openid/template/field/page): quota kept, in-app
			c := completion{model.ChannelInApp, j.err.Error()}
			done[c] = append(done[c], j.row.ID)
		default: // busy, rate limit or network: later, with backoff
			retries = append(retries, j)
		}
	}
	qks := slices.Collect(maps.Keys(refunds))
	for k := range zero {
		if refunds[k] == 0 {
			qks = append(qks, k)
		}
	}
	slices.SortFunc(qks, func(a, b quotaKey) int { return cmp.Or(strings.Compare(a.tpl, b.tpl), cmp.Compare(a.rid, b.rid)) })
	for _, k := range qks {
		var err error
		if zero[k] {
			err = s.st.ZeroQuota(ctx, k.rid, k.tpl)
		} else {
			err = s.st.RefundQuota(ctx, k.rid, k.tpl, refunds[k])
		}
		if err != nil {
			return err
		}
	}
	slices.Sort(sentKeys)
	if err := s.st.MarkMessagesPushed(ctx, sentKeys); err != nil {
		return err
	}
	slices.Sort(clearKeys)
	if err := s.st.ClearPushStarted(ctx, clearKeys); err != nil {
		return err
	}
	slices.Sort(refunded)
	if err := s.st.SetQuotaTaken(ctx, refunded, false); err != nil {
		return err
	}
	slices.Sort(sentIDs)
	if err := s.st.CompleteOutboxRows(ctx, sentIDs, model.ChannelSubscribe, "", now); err != nil {
		return err
	}
	slices.SortFunc(retries, func(a, b *job) int { return cmp.Compare(a.row.ID, b.row.ID) })
	for _, j := range retries {
		if err := s.retry(ctx, j.row, j.err); err != nil {
			return err
		}
		s.log.WarnContext(ctx, "notify: delivery failed", "outbox_id", j.row.ID, "attempt", j.row.Attempts, "err", j.err)
	}
	if err := completeAll(ctx, s.st, done, now); err != nil {
		return err
	}
	slices.SortFunc(release, func(a, b model.Outbox) int { return cmp.Compare(a.ID, b.ID) })
	return s.st.ReleaseOutbox(ctx, release, now)
}

// retry schedules another attempt with backoff, or gives the row up as a dead letter after
// maxAttempts; it returns only a failure to record that.
func (s *Service) retry(ctx context.Context, row *model.Outbox, cause error) error {
	if row.Attempts >= maxAttempts {
		s.log.ErrorContext(ctx, "notify: giving up, dead letter", "outbox_id", row.ID, "attempts", row.Attempts, "err", cause)
		s.observe("dead", 0)
		return s.st.DeadOutbox(ctx, row.ID, "gave up: "+cause.Error(), s.now())
	}
	return s.st.RetryOutbox(ctx, row.ID, s.now().Add(Backoff(row.Attempts, rand.Float64())), cause.Error())
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
	errAdminOnly    = model.ErrForbidden // 只有系统管理员可以处理失败的通知
	errDeadNotFound = model.E(model.KindNotFound, "notify.not_found", "没有这条发送失败的通知")
)
