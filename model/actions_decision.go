package model

// Opinions and the decision: the per-category entries of 初审 and 审核确认, refusals, 先行救助.

import (
	"fmt"
	"strings"
	"time"
)

// checkEntries validates per-category entries (opinions or decisions): every one of the five
// categories covered; per-person entries only for 特困 (and household-level 低保边缘 单人保
// entries for one member), positions of real members, amounts not negative, refusals reasoned.
func (f *CaseFile) checkEntries(cats []Category, positions []int, outcomes []string, amounts []int64, reasons []string) error {
	covered := map[Category]bool{}
	seen := map[string]bool{}
	for i := range cats {
		field := fmt.Sprintf("entries[%d]", i)
		if !cats[i].Valid() {
			return ErrEntryInvalid.field(field+".category", "未知的救助类别")
		}
		if positions[i] != HouseholdLevel {
			if cats[i] != CatExtremeHardship && cats[i] != CatMinimumLiving {
				return ErrEntryInvalid.field(field+".memberPosition", "只有特困和单人保按人认定")
			}
			if !f.hasMember(positions[i]) {
				return ErrEntryInvalid.field(field+".memberPosition", "没有这位家庭成员")
			}
		}
		key := fmt.Sprintf("%s/%d", cats[i], positions[i])
		if seen[key] {
			return ErrEntryInvalid.field(field, "重复的意见")
		}
		seen[key] = true
		switch outcomes[i] {
		case OutcomeApproved, OutcomeNotApplicable:
		case OutcomeRefused:
			if strings.TrimSpace(reasons[i]) == "" {
				return ErrReasonRequired.field(field+".reason", "不予批准须写明理由")
			}
		default:
			return ErrEntryInvalid.field(field+".outcome", "approved、refused 或 not_applicable")
		}
		if amounts[i] < 0 || amounts[i] > 100_000_000 {
			return ErrEntryInvalid.field(field+".monthlyCents", "金额不正确")
		}
		covered[cats[i]] = true
	}
	for _, c := range AllCategories {
		if !covered[c] {
			return ErrCategoriesIncomplete.field("entries", "缺少“"+c.Label()+"”")
		}
	}
	return checkExclusive(cats, positions, outcomes)
}

// checkExclusive applies the exclusion table (model/exclusion.go) to the approved entries;
// the error's fields name the entries by their index in the request.
func checkExclusive(cats []Category, positions []int, outcomes []string) error {
	var grants []Grant
	var index []int
	for i := range cats {
		if outcomes[i] == OutcomeApproved {
			grants = append(grants, Grant{Category: cats[i], MemberPosition: positions[i]})
			index = append(index, i)
		}
	}
	for a := range grants {
		for b := a + 1; b < len(grants); b++ {
			if x := Excludes(grants[a], grants[b]); x != nil {
				return x.Err.
					WithField(fmt.Sprintf("entries[%d]", index[a]), grantLabel(grants[a])+"与"+grantLabel(grants[b])+"不能同时批准").
					WithField(fmt.Sprintf("entries[%d]", index[b]), grantLabel(grants[b])+"与"+grantLabel(grants[a])+"不能同时批准")
			}
		}
	}
	return nil
}

func (f *CaseFile) hasMember(pos int) bool {
	for _, m := range f.Members {
		if m.Position == pos {
			return true
		}
	}
	return false
}

// GiveOpinion records the preliminary opinion (初审) for all five categories.
func (f *CaseFile) GiveOpinion(env Env, entries []Opinion, summary string) error {
	if err := f.require(ActOpinion); err != nil {
		return err
	}
	if !f.investigationComplete() {
		return ErrInvestigationOpen
	}
	cats, pos, outs, amts, reasons := make([]Category, len(entries)), make([]int, len(entries)), make([]string, len(entries)), make([]int64, len(entries)), make([]string, len(entries))
	for i, e := range entries {
		cats[i], pos[i], outs[i], amts[i], reasons[i] = e.Category, e.MemberPosition, e.Outcome, e.MonthlyCents+e.OneOffCents, e.Reason
	}
	if err := f.checkEntries(cats, pos, outs, amts, reasons); err != nil {
		return err
	}
	for _, e := range entries {
		e.ID, e.CaseID, e.Round, e.ByStaff, e.CreatedAt = 0, f.Case.ID, f.Case.InvestigationRound, env.By.ID, env.Now
		if e.Outcome != OutcomeApproved {
			e.OneOffCents = 0
		}
		f.Opinions = append(f.Opinions, e)
	}
	f.record(env, StepPreliminary, ActOpinion, StatusOpinionGiven, summary)
	f.meetClock(env, StepPreliminary)
	return nil
}

// CurrentOpinions are the opinions of the current investigation round.
func (f *CaseFile) CurrentOpinions() []Opinion {
	var out []Opinion
	for _, o := range f.Opinions {
		if o.Round == f.Case.InvestigationRound {
			out = append(out, o)
		}
	}
	return out
}

// DecideInput is the final decision for all five categories.
type DecideInput struct {
	Entries []Decision
	Note    string
	// MayHoldMeeting: the decider may record a 一事一议 meeting (county leader).
	MayHoldMeeting bool
}

// Decide is 审核确认. Four eyes: nobody who investigated the case decides it. A close-relative
// case needs a county visit first. A refusal starts the written-notice clock.
func (f *CaseFile) Decide(env Env, in DecideInput) error {
	if err := f.require(ActDecide); err != nil {
		return err
	}
	c := &f.Case
	if f.Investigators()[env.By.ID] {
		return ErrFourEyes
	}
	if c.CloseRelative && env.Policy.CloseRelativeVisit && !f.hasCountyVisit() {
		return ErrCountyVisitRequired
	}
	n := len(in.Entries)
	cats, pos, outs, amts, reasons := make([]Category, n), make([]int, n), make([]string, n), make([]int64, n), make([]string, n)
	for i, e := range in.Entries {
		cats[i], pos[i], outs[i], amts[i], reasons[i] = e.Category, e.MemberPosition, e.Outcome, e.MonthlyCents+e.OneOffCents, e.Reason
	}
	if err := f.checkEntries(cats, pos, outs, amts, reasons); err != nil {
		return err
	}
	refused := false
	tempCap := TemporaryCap(env.Policy, len(f.Members))
	urgentApproved := false
	for i, e := range in.Entries {
		urgentApproved = urgentApproved || (c.Urgent && e.Category == CatTemporaryAid && e.Outcome == OutcomeApproved)
		if e.MeetingRef != "" && !in.MayHoldMeeting {
			return ErrMeetingForbidden.field(fmt.Sprintf("entries[%d].meetingRef", i), "一事一议")
		}
		if e.Category == CatTemporaryAid && e.Outcome == OutcomeApproved && e.OneOffCents+e.MonthlyCents > tempCap {
			// above the overall cap: only a 一事一议 record, entered by a county leader (issue 21)
			field := fmt.Sprintf("entries[%d]", i)
			if e.MeetingRef == "" || e.MeetingParticipants == "" || e.MeetingOn == "" || e.MeetingOn > env.Clock.Date(env.Now) {
				return ErrMeetingRequired.field(field+".meetingRef", "上限"+Yuan(tempCap)+"：须填写一事一议的日期（不晚于今天）、参会人员和纪要编号")
			}
			if !in.MayHoldMeeting {
				return ErrMeetingForbidden.field(field+".meetingRef", "一事一议")
			}
		}
		if e.Category == CatExtremeHardship && e.Outcome == OutcomeApproved {
			// every 特困 approval, asked for or found: drawn, and checked in person when sampled
			if err := f.spotCheckGate(); err != nil {
				return err
			}
		}
		if e.Outcome == OutcomeRefused {
			refused = true
		}
	}
	// Aid is paid from the month after the decision's China-time date (S1 art. 21, S2 art. 17),
	// never earlier: a start month before it is refused.
	next := NextMonth(env.Now)
	if env.Clock != nil { // the civil date of the decision is China's, whatever zone Now is in
		next = AddMonths(env.Clock.Date(env.Now)[:7], 1)
	}
	for i, e := range in.Entries {
		if e.Outcome == OutcomeApproved && e.EffectiveMonth != "" && e.EffectiveMonth < next {
			return ErrEffectiveMonthEarly.field(fmt.Sprintf("entries[%d].effectiveMonth", i), "不能早于"+next)
		}
	}
	for _, e := range in.Entries {
		e.ID, e.CaseID, e.DeciderLevel, e.DecidedByStaffID, e.DecidedAt, e.PolicyRef = 0, c.ID, c.DeciderLevel, env.By.ID, env.Now, env.Policy.Ref
		e.Urgent = c.Urgent
		if e.Outcome == OutcomeApproved && e.EffectiveMonth == "" {
			e.EffectiveMonth = next
		}
		if e.Outcome != OutcomeApproved {
			e.MonthlyCents, e.OneOffCents, e.EffectiveMonth = 0, 0, ""
		}
		if e.MeetingRef == "" {
			e.MeetingOn, e.MeetingParticipants = "", ""
		}
		f.Decisions = append(f.Decisions, e)
	}
	if urgentApproved {
		// an urgent grant the county approved (above the town's cap): paid first, the paperwork
		// back-filled on the same clock as the town's own urgent grants (issue 21)
		f.record(env, StepDecision, ActDecide, StatusUrgentGranted, in.Note)
		f.startClock(env, StepBackfill, 1, env.Policy.BackfillWD, false, fmt.Sprintf("先行救助后%d个工作日内补齐手续", env.Policy.BackfillWD))
	} else {
		f.record(env, StepDecision, ActDecide, StatusDecided, in.Note)
	}
	f.meetClock(env, StepDecision)
	f.meetClock(env, StepOverall)
	f.cancelClocks(env, StepPreliminary)
	if refused {
		f.startClock(env, StepRefusalNotice, 1, env.Policy.RefusalNoticeWD, false,
			fmt.Sprintf("作出不予批准决定后%d个工作日内书面告知理由", env.Policy.RefusalNoticeWD))
	}
	return nil
}

func (f *CaseFile) hasCountyVisit() bool {
	for _, v := range f.Visits {
		if v.ByCounty {
			return true
		}
	}
	return false
}

// NextMonth is "YYYY-MM" of the month after t (China Standard Time is the caller's concern:
// t should already be in it). Aid is paid from the month after approval.
func NextMonth(t time.Time) string {
	y, m, _ := t.Date()
	return time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
}

// RefusalDelivered records that the written refusal reached the applicant.
func (f *CaseFile) RefusalDelivered(env Env, how string) error {
	if err := f.require(ActRefusalDelivered); err != nil {
		return err
	}
	if !f.hasOpenClock(StepRefusalNotice) {
		return ErrNoRefusalPending
	}
	f.meetClock(env, StepRefusalNotice)
	f.record(env, StepRefusalNotice, ActRefusalDelivered, "", how)
	return nil
}

// UrgentGrant is 先行救助 for urgent temporary aid: the town grants the same day, within its
// cap, skipping the data check and the public notice; the paperwork is back-filled later. Above
// the cap the case goes straight to the county (still without check and notice).
func (f *CaseFile) UrgentGrant(env Env, amountCents int64, reason string) (forwarded bool, err error) {
	if err := f.require(ActUrgentGrant); err != nil {
		return false, err
	}
	for _, cc := range f.Categories {
		if cc.Requested && cc.Category != CatTemporaryAid {
			return false, ErrNotTemporaryAid
		}
	}
	if !f.Requested(CatTemporaryAid) {
		return false, ErrNotTemporaryAid
	}
	if reason == "" {
		return false, ErrReasonRequired.field("reason", "请写明急难情形")
	}
	if amountCents <= 0 || amountCents > 100_000_000 {
		return false, ErrEntryInvalid.field("amountCents", "金额不正确")
	}
	c := &f.Case
	at := env.Now
	c.Urgent, c.AcceptedAt = true, &at
	owner := env.By.ID
	c.OwnerStaffID = &owner
	f.meetClock(env, StepAcceptance)
	cap := UrgentCap(env.Policy, len(f.Members))
	if amountCents > cap {
		f.record(env, StepAcceptance, ActAccept, StatusAccepted, fmt.Sprintf("急难型临时救助，拟救助%s，超过乡镇审批额度%s：%s", Yuan(amountCents), Yuan(cap), reason))
		c.DeciderLevel = DeciderCounty
		f.record(env, StepDecision, ActUrgentGrant, StatusReviewing, "超过乡镇审批额度，报县级审核确认")
		f.startClock(env, StepDecision, 1, env.Policy.DecisionWD, false, fmt.Sprintf("急难型临时救助：%d个工作日内审核确认", env.Policy.DecisionWD))
		return true, nil
	}
	c.DeciderLevel = DeciderTown
	for _, cat := range AllCategories {
		d := Decision{CaseID: c.ID, Category: cat, MemberPosition: HouseholdLevel, Outcome: OutcomeNotApplicable,
			DeciderLevel: DeciderTown, Urgent: true, DecidedByStaffID: env.By.ID, DecidedAt: env.Now, PolicyRef: env.Policy.Ref}
		if cat == CatTemporaryAid {
			d.Outcome, d.OneOffCents, d.Reason = OutcomeApproved, amountCents, reason
		}
		f.Decisions = append(f.Decisions, d)
	}
	f.record(env, StepDecision, ActUrgentGrant, StatusUrgentGranted, fmt.Sprintf("先行救助%s：%s", Yuan(amountCents), reason))
	f.startClock(env, StepBackfill, 1, env.Policy.BackfillWD, false, fmt.Sprintf("先行救助后%d个工作日内补齐手续", env.Policy.BackfillWD))
	return false, nil
}

// TemporaryCap is the overall cap of 临时救助 above which a grant needs a 一事一议 meeting:
// cap months × 低保标准 × household size.
func TemporaryCap(p Policy, householdSize int) int64 {
	if householdSize < 1 {
		householdSize = 1
	}
	return int64(p.Eligibility.TemporaryCapMonths) * p.StandardCents * int64(householdSize)
}

// UrgentCap is what the town may grant at once: cap months × 低保标准 × household size.
func UrgentCap(p Policy, householdSize int) int64 {
	if householdSize < 1 {
		householdSize = 1
	}
	return int64(p.UrgentCapMonths) * p.StandardCents * int64(householdSize)
}

// Backfill records that the paperwork of an urgent grant is complete.
func (f *CaseFile) Backfill(env Env, note string) error {
	if err := f.require(ActBackfill); err != nil {
		return err
	}
	if note == "" {
		return ErrReasonRequired.field("note", "请说明补办的材料")
	}
	f.meetClock(env, StepBackfill)
	f.record(env, StepBackfill, ActBackfill, StatusDecided, note)
	return nil
}

// Yuan formats fen as "1234.50元".
func Yuan(cents int64) string {
	return fmt.Sprintf("%d.%02d元", cents/100, cents%100)
}

// RecomputeProvisional recounts every open clock from its start with the current calendar
// (after a year's holidays were loaded or corrected). It reports whether anything changed and
// returns the clocks whose due date moved (not only the provisional ones: a correction of a
// loaded year moves the clocks that count its days; issue 21). A calendar-day clock's date does
// not depend on holidays: only its provisional flag is recounted.
func (f *CaseFile) RecomputeProvisional(env Env) bool {
	changed, _ := f.Retime(env)
	return changed
}

// Retime is RecomputeProvisional returning the clocks whose due date moved.
func (f *CaseFile) Retime(env Env) (bool, []Deadline) {
	changed := false
	var moved []Deadline
	for i := range f.Deadlines {
		d := &f.Deadlines[i]
		if d.State != ClockOpen {
			continue
		}
		due, prov := d.DueOn, d.Provisional
		if d.Calendar {
			_, prov = env.Clock.AddDays(d.StartedAt, d.Days)
		} else {
			due, prov = env.Clock.AddWorkingDays(d.StartedAt, d.Days)
		}
		if due != d.DueOn || prov != d.Provisional {
			if due != d.DueOn {
				moved = append(moved, *d)
				moved[len(moved)-1].DueOn = due
			}
			d.DueOn, d.Provisional = due, prov
			changed = true
		}
	}
	return changed, moved
}
