package notify

// One batch of the outbox worker: claimed rows prepared (in-app copy, quota), pushed to WeChat in waves, acknowledged or retried with backoff.

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"palmaid/model"
	"palmaid/service/store"
	"palmaid/service/wechat"
)

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
