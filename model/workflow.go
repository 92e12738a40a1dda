package model

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Stage is the worklist a case sits on; the model sets it after every action so a worklist is
// one indexed column, never a computation over children.
type Stage string

const (
	StageDraft          Stage = "draft"           // 居民草稿：不在任何工作人员的工作清单上
	StageToAccept       Stage = "to_accept"       // 待受理
	StageReturned       Stage = "returned"        // 待申请人补正
	StageToInvestigate  Stage = "to_investigate"  // 已受理，待启动调查
	StageCheckAndVisit  Stage = "check_and_visit" // 核对、入户均未完成
	StageToCheck        Stage = "to_check"        // 待核对（入户已完成）
	StageToVisit        Stage = "to_visit"        // 待入户（核对已完成）
	StageToOpinion      Stage = "to_opinion"      // 核对、入户均完成，待初审
	StageToNotice       Stage = "to_notice"       // 待公示
	StageInNotice       Stage = "in_notice"       // 公示中
	StageToDecideTown   Stage = "to_decide_town"  // 待乡镇审核确认（授权）
	StageToDecideCounty Stage = "to_decide"       // 待县级审核确认
	StageToBackfill     Stage = "to_backfill"     // 先行救助，待补办
	StageRefusalNotice  Stage = "refusal_notice"  // 待送达不予批准告知
	StageClosed         Stage = "closed"          // 已办结/撤回/终止/不予受理
)

// Action names one workflow step (case history, audit, the allowed-actions answer).
type Action string

const (
	ActDraft              Action = "draft"
	ActSubmit             Action = "submit"
	ActTakeOver           Action = "take_over"
	ActDeclareChange      Action = "declare_change"
	ActAccept             Action = "accept"
	ActReturn             Action = "return"
	ActResubmit           Action = "resubmit"
	ActRefuseAcceptance   Action = "refuse_acceptance"
	ActWithdraw           Action = "withdraw"
	ActStartInvestigation Action = "start_investigation"
	ActDataCheckResult    Action = "data_check_result"
	ActDataCheckObjection Action = "data_check_objection"
	ActRecordVisit        Action = "record_visit"
	ActScheduleVisit      Action = "schedule_visit"
	ActOpinion            Action = "opinion"
	ActStartNotice        Action = "start_notice"
	ActObject             Action = "object"
	ActResolveObjection   Action = "resolve_objection"
	ActCloseNotice        Action = "close_notice"
	ActSpotCheck          Action = "spot_check"
	ActDecide             Action = "decide"
	ActRefusalDelivered   Action = "refusal_notice_delivered"
	ActUrgentGrant        Action = "urgent_grant"
	ActBackfill           Action = "backfill"
	ActTerminate          Action = "terminate"
	ActFlagCloseRelative  Action = "flag_close_relative"
	ActExtend             Action = "extend"
)

// Kept for the history rows written before the workflow grew.
const (
	ActionSubmit = string(ActSubmit)
	ActionAccept = string(ActAccept)
	ActionReturn = string(ActReturn)
)

// allowed is the state machine: the actions each status accepts.
func allowed(s Status) []Action {
	switch s {
	case StatusDraft:
		return []Action{ActSubmit, ActTakeOver, ActWithdraw}
	case StatusSubmitted:
		return []Action{ActDeclareChange, ActAccept, ActReturn, ActRefuseAcceptance, ActUrgentGrant, ActFlagCloseRelative, ActTakeOver, ActWithdraw}
	case StatusReturned:
		return []Action{ActDeclareChange, ActResubmit, ActTakeOver, ActWithdraw}
	case StatusAccepted:
		return []Action{ActDeclareChange, ActStartInvestigation, ActScheduleVisit, ActRecordVisit, ActFlagCloseRelative, ActExtend, ActTerminate, ActWithdraw}
	case StatusInvestigating:
		return []Action{ActDeclareChange, ActDataCheckResult, ActDataCheckObjection, ActScheduleVisit, ActRecordVisit, ActOpinion, ActFlagCloseRelative, ActExtend, ActTerminate, ActWithdraw}
	case StatusOpinionGiven:
		return []Action{ActDeclareChange, ActStartNotice, ActRecordVisit, ActExtend, ActTerminate, ActWithdraw}
	case StatusPublicNotice:
		return []Action{ActDeclareChange, ActObject, ActResolveObjection, ActCloseNotice, ActExtend, ActTerminate, ActWithdraw}
	case StatusReviewing:
		return []Action{ActDeclareChange, ActDecide, ActSpotCheck, ActRecordVisit, ActExtend, ActWithdraw}
	case StatusUrgentGranted:
		return []Action{ActBackfill}
	case StatusDecided:
		return []Action{ActRefusalDelivered}
	}
	return nil
}

// AllowedActions lists what the case's status accepts (for the 409 answer and the staff view).
func (f *CaseFile) AllowedActions() []Action { return allowed(f.Case.Status) }

// Allows reports whether the case's status accepts action a.
func (f *CaseFile) Allows(a Action) bool {
	for _, x := range allowed(f.Case.Status) {
		if x == a {
			return true
		}
	}
	return false
}

func (f *CaseFile) require(a Action) error {
	if f.Allows(a) {
		return nil
	}
	names := make([]string, 0, 8)
	for _, x := range allowed(f.Case.Status) {
		names = append(names, string(x))
	}
	return ErrIllegalStep.WithField("status", string(f.Case.Status)).
		WithField("allowedActions", strings.Join(names, ",")).
		withMessage(fmt.Sprintf("该申请当前状态为“%s”，不能进行此操作", f.Case.Status.Label()))
}

// Clock is the working-day arithmetic an action needs (service/calendar implements it).
type Clock interface {
	// AddWorkingDays: the n-th working day after from's civil date, and whether any day counted
	// lies in a year whose holiday calendar is not loaded.
	AddWorkingDays(from time.Time, n int) (dueOn string, provisional bool)
	// AddDays: from's civil date plus n calendar days (the start day not counted, 民法典 §201).
	AddDays(from time.Time, n int) (dueOn string, provisional bool)
	// Date is t's civil date.
	Date(t time.Time) string
}

// Env is what an action needs from outside the case file.
type Env struct {
	Now    time.Time
	By     Actor
	Staff  *Staff // nil for residents and the system
	Policy Policy
	Clock  Clock
}

// record appends a history line and moves the case (to == "" keeps the status).
func (f *CaseFile) record(env Env, step string, a Action, to Status, opinion string) {
	c := &f.Case
	from := c.Status
	if to == "" {
		to = from
	}
	f.Events = append(f.Events, CaseEvent{CaseID: c.ID, Step: step, Action: string(a), FromStatus: from, ToStatus: to,
		ActorType: env.By.Type, ActorID: env.By.ID, AreaCode: env.By.AreaCode, Opinion: opinion, CreatedAt: env.Now})
	c.Status = to
}

// startClock stores the due date of a step, written when the step starts.
func (f *CaseFile) startClock(env Env, step string, round, n int, calendarDays bool, basis string) {
	var due string
	var prov bool
	if calendarDays {
		due, prov = env.Clock.AddDays(env.Now, n)
	} else {
		due, prov = env.Clock.AddWorkingDays(env.Now, n)
	}
	f.Deadlines = append(f.Deadlines, Deadline{CaseID: f.Case.ID, Step: step, Round: round, DueOn: due, Days: n,
		Calendar: calendarDays, Provisional: prov, State: ClockOpen, StartedAt: env.Now, Basis: basis})
}

// meetClock closes the open clocks of a step: met on or before the due date, missed after.
func (f *CaseFile) meetClock(env Env, step string) {
	today := env.Clock.Date(env.Now)
	for i := range f.Deadlines {
		d := &f.Deadlines[i]
		if d.Step == step && d.State == ClockOpen {
			at := env.Now
			d.MetAt = &at
			d.State = ClockMet
			if today > d.DueOn {
				d.State = ClockMissed
			}
		}
	}
}

// cancelClocks closes open clocks that no longer apply (all of them when no step is named).
func (f *CaseFile) cancelClocks(env Env, steps ...string) {
	for i := range f.Deadlines {
		d := &f.Deadlines[i]
		if d.State != ClockOpen {
			continue
		}
		if len(steps) > 0 && !containsStr(steps, d.Step) {
			continue
		}
		at := env.Now
		d.MetAt = &at
		d.State = ClockCancelled
	}
}

func (f *CaseFile) hasOpenClock(step string) bool {
	for _, d := range f.Deadlines {
		if d.Step == step && d.State == ClockOpen {
			return true
		}
	}
	return false
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Finish bumps the version and recomputes the derived columns (stage, strictest open clock).
// The store calls it once after the action ran.
func (f *CaseFile) Finish(now time.Time) {
	c := &f.Case
	c.Version++
	c.UpdatedAt = now
	c.Stage = f.stage()
	c.NextDueOn, c.NextDueStep, c.NextDueProvisional = "", "", false
	for _, d := range f.Deadlines {
		if d.State != ClockOpen {
			continue
		}
		if c.NextDueOn == "" || d.DueOn < c.NextDueOn {
			c.NextDueOn, c.NextDueStep, c.NextDueProvisional = d.DueOn, d.Step, d.Provisional
		}
	}
	if c.Status.Closed() && c.ClosedAt == nil {
		at := now
		c.ClosedAt = &at
	}
}

func (f *CaseFile) stage() Stage {
	c := &f.Case
	switch c.Status {
	case StatusDraft:
		return StageDraft
	case StatusSubmitted:
		return StageToAccept
	case StatusReturned:
		return StageReturned
	case StatusAccepted:
		return StageToInvestigate
	case StatusInvestigating:
		dc := f.CurrentDataCheck()
		checked := dc != nil && dc.Status == CheckCompleted && dc.ObjectionRaisedAt == nil
		visited := len(f.visitsThisRound()) > 0
		switch {
		case checked && visited:
			return StageToOpinion
		case checked:
			return StageToVisit
		case visited:
			return StageToCheck
		}
		return StageCheckAndVisit
	case StatusOpinionGiven:
		return StageToNotice
	case StatusPublicNotice:
		return StageInNotice
	case StatusReviewing:
		if c.DeciderLevel == DeciderTown {
			return StageToDecideTown
		}
		return StageToDecideCounty
	case StatusUrgentGranted:
		return StageToBackfill
	case StatusDecided:
		if f.hasOpenClock(StepRefusalNotice) {
			return StageRefusalNotice
		}
	}
	return StageClosed
}

// CurrentDataCheck is the data check of the current investigation round (nil if none).
func (f *CaseFile) CurrentDataCheck() *DataCheck {
	for i := len(f.DataChecks) - 1; i >= 0; i-- {
		if f.DataChecks[i].Round == f.Case.InvestigationRound {
			return &f.DataChecks[i]
		}
	}
	return nil
}

// visitsThisRound lists the home visits of the current investigation round.
func (f *CaseFile) visitsThisRound() []HomeVisit {
	var out []HomeVisit
	for _, v := range f.Visits {
		if v.Round == f.Case.InvestigationRound {
			out = append(out, v)
		}
	}
	return out
}

func (f *CaseFile) investigationComplete() bool {
	dc := f.CurrentDataCheck()
	return dc != nil && dc.Status == CheckCompleted && dc.ObjectionRaisedAt == nil && len(f.visitsThisRound()) > 0
}

// Investigators lists every staff id that took part in a home visit of the case.
func (f *CaseFile) Investigators() map[uint64]bool {
	out := map[uint64]bool{}
	for _, v := range f.Visits {
		for _, id := range ParseIDList(v.Investigators) {
			out[id] = true
		}
	}
	return out
}

// ParseIDList reads "3,7,12".
func ParseIDList(s string) []uint64 {
	var out []uint64
	for _, p := range strings.Split(s, ",") {
		var n uint64
		if _, err := fmt.Sscan(strings.TrimSpace(p), &n); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

// FormatIDList writes ids ascending, comma separated.
func FormatIDList(ids []uint64) string {
	cp := append([]uint64(nil), ids...)
	sort.Slice(cp, func(i, j int) bool { return cp[i] < cp[j] })
	parts := make([]string, len(cp))
	for i, id := range cp {
		parts[i] = fmt.Sprint(id)
	}
	return strings.Join(parts, ",")
}

// withMessage returns a copy of e with another Chinese message (same code).
func (e *Error) withMessage(msg string) *Error {
	c := *e
	c.Message = msg
	return &c
}
