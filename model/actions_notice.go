package model

// The public notice (公示) and its objections: actions of the CaseFile after the opinion.

import (
	"fmt"
	"strings"
)

// StartNotice posts the public notice in the village for NoticeDays calendar days, the start
// day not counted: posted on 3 March, it runs 4–10 March.
func (f *CaseFile) StartNotice(env Env, publicRef, applicantName string) error {
	if err := f.require(ActStartNotice); err != nil {
		return err
	}
	var labels []string
	var amount int64
	approved := map[Category]bool{}
	for _, o := range f.CurrentOpinions() {
		if o.Outcome == OutcomeApproved && !approved[o.Category] {
			approved[o.Category] = true
		}
		if o.Outcome == OutcomeApproved && o.Category == CatMinimumLiving {
			amount += o.MonthlyCents
		}
	}
	for _, c := range AllCategories {
		if approved[c] {
			labels = append(labels, c.Label())
		}
	}
	ends, _ := env.Clock.AddDays(env.Now, env.Policy.NoticeDays)
	f.Notices = append(f.Notices, PublicNotice{CaseID: f.Case.ID, Round: f.Case.InvestigationRound, AreaCode: f.Case.AreaCode,
		PublicRef: publicRef, NameMasked: MaskName(applicantName), HouseholdSize: len(f.Members), Categories: strings.Join(labels, "、"),
		MonthlyCents: amount, StartsOn: env.Clock.Date(env.Now), EndsOn: ends, Status: NoticeOpen, CreatedAt: env.Now})
	f.record(env, StepNotice, ActStartNotice, StatusPublicNotice, fmt.Sprintf("公示至%s", ends))
	// The step this clock times is closing the notice, allowed from the first day after the
	// notice's last day: that day is its due date (issue 21: a notice closed on it was "missed").
	f.startClock(env, StepNotice, f.Case.InvestigationRound, env.Policy.NoticeDays+1, true,
		fmt.Sprintf("公示%d日（次日起算），期满次日结束公示", env.Policy.NoticeDays))
	f.Deadlines[len(f.Deadlines)-1].Days = env.Policy.NoticeDays
	return nil
}

// proposes reports whether the current round's opinion approves category cat for someone (a
// 特困 found during a 低保 review is decided on the 特困 clock).
func (f *CaseFile) proposes(cat Category) bool {
	for _, o := range f.Opinions {
		if o.Round == f.Case.InvestigationRound && o.Category == cat && o.Outcome == OutcomeApproved {
			return true
		}
	}
	return false
}

// OpenNotice is the running public notice (nil if none).
func (f *CaseFile) OpenNotice() *PublicNotice {
	for i := range f.Notices {
		if f.Notices[i].Status == NoticeOpen {
			return &f.Notices[i]
		}
	}
	return nil
}

// Object records a named objection during the notice.
func (f *CaseFile) Object(env Env, o Objection) error {
	n := f.OpenNotice()
	if f.Case.Status != StatusPublicNotice || n == nil || env.Clock.Date(env.Now) > n.EndsOn {
		return ErrNoticeClosed
	}
	o.ID, o.CaseID, o.NoticeID, o.Status, o.CreatedAt = 0, f.Case.ID, n.ID, ObjectionPending, env.Now
	f.Objections = append(f.Objections, o)
	f.record(env, StepNotice, ActObject, "", "公示期间收到异议")
	return nil
}

// Caps on residents' online objections (issue 19): one person cannot stall every notice of a
// county. Objections recorded by staff are not counted.
const (
	ObjectionsPerAccountPerNotice = 2  // any status
	ObjectionsPerAccountPerDay    = 5  // across every notice, China Standard Time day
	ObjectionsPerNotice           = 30 // from all accounts
)

var (
	// ErrObjectionLimit: a cap above was reached.
	ErrObjectionLimit = E(KindRateLimited, "objection.limit", "您对该公示或今日提出的异议已达上限；如有新的情况，请到乡镇（街道）经办窗口当面反映")
	// ErrObjectionMerge: the objections cannot be merged (same one, another notice, or the
	// target is itself merged).
	ErrObjectionMerge = E(KindUnprocessable, "objection.merge_invalid", "只能把同一公示期间的异议合并到另一条未被合并的异议")
)

// CountObjections counts the residents' objections to notice n: all of them, and those of one
// account.
func (f *CaseFile) CountObjections(noticeID, residentID uint64) (all, mine int) {
	for _, o := range f.Objections {
		if o.NoticeID != noticeID || o.ResidentID == nil {
			continue
		}
		all++
		if *o.ResidentID == residentID {
			mine++
		}
	}
	return all, mine
}

// MergeObjection settles a duplicate: objection id (pending) is merged into another objection
// of the same notice that is not itself merged; it stops blocking the notice's close and is
// answered with the other one. The investigation is not reopened.
func (f *CaseFile) MergeObjection(env Env, id, into uint64) error {
	if err := f.require(ActResolveObjection); err != nil {
		return err
	}
	var ob, target *Objection
	for i := range f.Objections {
		switch f.Objections[i].ID {
		case id:
			ob = &f.Objections[i]
		case into:
			target = &f.Objections[i]
		}
	}
	if ob == nil || ob.Status != ObjectionPending {
		return ErrObjectionNotFound
	}
	if target == nil || id == into || target.NoticeID != ob.NoticeID || target.Status == ObjectionMerged {
		return ErrObjectionMerge
	}
	at := env.Now
	ob.Status, ob.MergedInto, ob.ResolvedByStaff, ob.ResolvedAt = ObjectionMerged, &target.ID, env.By.ID, &at
	ob.Resolution = fmt.Sprintf("与第%d号异议重复，合并处理", target.ID)
	f.record(env, StepNotice, ActResolveObjection, "", fmt.Sprintf("异议重复，合并至第%d号异议", target.ID))
	return nil
}

// Follow-ups of an upheld objection.
const (
	FollowupReinvestigation = "reinvestigation"
	FollowupDemocratic      = "democratic_evaluation"
)

// ResolveObjection rules on an objection. Upheld: the notice is void and the case goes back
// to investigation (a new round: a new home visit, or 民主评议 where the region uses it), then
// a new opinion and a new notice. The data check of the previous round carries over.
func (f *CaseFile) ResolveObjection(env Env, objectionID uint64, upheld bool, resolution, followup string) error {
	if err := f.require(ActResolveObjection); err != nil {
		return err
	}
	var ob *Objection
	for i := range f.Objections {
		if f.Objections[i].ID == objectionID && f.Objections[i].Status == ObjectionPending {
			ob = &f.Objections[i]
		}
	}
	if ob == nil {
		return ErrObjectionNotFound
	}
	if resolution == "" {
		return ErrReasonRequired.field("resolution", "请写明处理意见")
	}
	at := env.Now
	ob.Resolution, ob.ResolvedByStaff, ob.ResolvedAt = resolution, env.By.ID, &at
	if !upheld {
		ob.Status = ObjectionDismissed
		f.record(env, StepNotice, ActResolveObjection, "", "异议不成立："+resolution)
		return nil
	}
	switch followup {
	case FollowupReinvestigation:
	case FollowupDemocratic:
		if !env.Policy.DemocraticEvaluation {
			return ErrDemocraticEvalDisabled
		}
	default:
		return ErrEntryInvalid.field("followup", "reinvestigation 或 democratic_evaluation")
	}
	ob.Status, ob.Followup = ObjectionUpheld, followup
	f.voidOpenNotice(env)
	f.cancelClocks(env, StepNotice)
	prev := f.CurrentDataCheck()
	c := &f.Case
	c.InvestigationRound++
	if prev != nil {
		carried := *prev
		carried.ID, carried.Round = 0, c.InvestigationRound
		f.DataChecks = append(f.DataChecks, carried)
	}
	if followup == FollowupDemocratic {
		// the evaluation stands in for the new visit: carry the last visit over
		for i := len(f.Visits) - 1; i >= 0; i-- {
			if f.Visits[i].Round == c.InvestigationRound-1 {
				v := f.Visits[i]
				v.ID, v.Round, v.Findings, v.CreatedAt = 0, c.InvestigationRound, "民主评议："+resolution, env.Now
				f.Visits = append(f.Visits, v)
				break
			}
		}
	}
	f.record(env, StepNotice, ActResolveObjection, StatusInvestigating, "异议成立："+resolution)
	if f.Requested(CatExtremeHardship) {
		f.startClock(env, StepPreliminary, c.InvestigationRound, env.Policy.ExtremePrelimWD, false,
			fmt.Sprintf("特困：异议成立后%d个工作日内重新提出初审意见", env.Policy.ExtremePrelimWD))
	}
	return nil
}

// DeciderFor says who makes the final decision of this case: the county when any requested
// category is decided there, the town when the region delegates all of them.
func (f *CaseFile) DeciderFor(p Policy) string {
	for _, cc := range f.Categories {
		if cc.Requested && p.Decider[cc.Category] != DeciderTown {
			return DeciderCounty
		}
	}
	return DeciderTown
}

// CloseNotice ends a notice that has run its full period with no pending objection and
// forwards the file to whoever decides.
func (f *CaseFile) CloseNotice(env Env) error {
	if err := f.require(ActCloseNotice); err != nil {
		return err
	}
	n := f.OpenNotice()
	if n == nil {
		return ErrNoticeRunning
	}
	if env.Clock.Date(env.Now) <= n.EndsOn {
		return ErrNoticeRunning.field("endsOn", "公示期至"+n.EndsOn+"，次日起可结束")
	}
	for _, o := range f.Objections {
		if o.NoticeID == n.ID && o.Status == ObjectionPending {
			return ErrObjectionPending
		}
	}
	at := env.Now
	n.Status, n.ClosedAt = NoticeClosed, &at
	f.meetClock(env, StepNotice)
	f.forward(env, "公示期满无异议")
	return nil
}

// forward sends the file to the decider and starts the decision clock.
func (f *CaseFile) forward(env Env, note string) {
	c := &f.Case
	c.DeciderLevel = f.DeciderFor(env.Policy)
	who := "县级民政部门"
	if c.DeciderLevel == DeciderTown {
		who = "乡镇（街道）"
	}
	f.record(env, StepDecision, ActCloseNotice, StatusReviewing, note+"，报"+who+"审核确认")
	n, basis := env.Policy.DecisionWD, fmt.Sprintf("收到乡镇材料后%d个工作日内审核确认", env.Policy.DecisionWD)
	if (f.Requested(CatExtremeHardship) || f.proposes(CatExtremeHardship)) && env.Policy.ExtremeDecisionWD > n {
		n, basis = env.Policy.ExtremeDecisionWD, fmt.Sprintf("特困：收到乡镇材料后%d个工作日内审核确认", env.Policy.ExtremeDecisionWD)
	}
	f.startClock(env, StepDecision, c.InvestigationRound, n, false, basis)
}
