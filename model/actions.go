package model

import (
	"fmt"
)

// Workflow errors (codes are stable; messages are shown to staff or residents).
var (
	ErrMissingItemsRequired   = E(KindUnprocessable, "case.missing_items_required", "退回补正时须一次性列明全部所缺材料")
	ErrItemNotInFirstNotice   = E(KindUnprocessable, "case.item_not_in_first_notice", "再次退回只能要求第一次一次性告知中列明的材料（一次性告知制度）")
	ErrReasonRequired         = E(KindUnprocessable, "case.reason_required", "请填写理由")
	ErrNoDataCheckPending     = E(KindConflict, "case.no_data_check_pending", "当前没有待反馈的核对请求")
	ErrNoNegativeCheck        = E(KindConflict, "case.no_negative_check", "当前没有可提出异议的核对结果")
	ErrVisitNeedsTwo          = E(KindUnprocessable, "case.visit_needs_two_investigators", "入户调查须由至少两名工作人员共同进行")
	ErrVisitInvestigator      = E(KindUnprocessable, "case.visit_investigator_invalid", "调查人员须为本辖区在岗工作人员")
	ErrInvestigationOpen      = E(KindUnprocessable, "case.investigation_incomplete", "家庭经济状况核对和入户调查完成后才能提出初审意见")
	ErrCategoriesIncomplete   = E(KindUnprocessable, "case.categories_incomplete", "须对五类救助逐项给出意见（五合一）")
	ErrEntryInvalid           = E(KindUnprocessable, "case.entry_invalid", "意见或决定的内容不正确")
	ErrNoticeRunning          = E(KindUnprocessable, "case.notice_running", "公示期未满，不能结束公示")
	ErrObjectionPending       = E(KindUnprocessable, "case.objection_pending", "公示期间有未处理的异议，请先处理")
	ErrObjectionNotFound      = E(KindNotFound, "objection.not_found", "异议不存在")
	ErrNoticeClosed           = E(KindUnprocessable, "notice.closed", "该公示已结束，不再受理异议")
	ErrFourEyes               = E(KindForbidden, "case.four_eyes", "参与入户调查的工作人员不能对同一申请作出审核确认")
	ErrCountyVisitRequired    = E(KindUnprocessable, "case.county_visit_required", "该申请涉及工作人员或村干部近亲属，须县级入户核查后才能审核确认")
	ErrSpotCheckRequired      = E(KindUnprocessable, "case.spot_check_required", "本案被本县特困认定随机抽查抽中，须先记录两名工作人员的入户抽查核实")
	ErrNotTemporaryAid        = E(KindUnprocessable, "case.urgent_temporary_aid_only", "先行救助只适用于仅申请临时救助的急难情形")
	ErrNoRefusalPending       = E(KindConflict, "case.no_refusal_notice_pending", "没有待送达的不予批准告知")
	ErrNoOverallClock         = E(KindUnprocessable, "case.no_overall_clock", "该申请没有可延长的办理时限")
	ErrMeetingForbidden       = E(KindForbidden, "case.meeting_forbidden", "一事一议须由县级分管领导记录")
	ErrMeetingRequired        = E(KindUnprocessable, "case.meeting_required", "临时救助金额超过上限，须经一事一议，由县级分管领导记录会议日期、参会人员和纪要编号")
	ErrDemocraticEvalDisabled = E(KindUnprocessable, "case.democratic_evaluation_disabled", "本地区未启用民主评议")
)

func (e *Error) field(name, hint string) *Error { return e.WithField(name, hint) }

// Accept records 受理: the investigation must start within InvestigationWD; for 特困 the
// preliminary opinion is due in ExtremePrelimWD; 低保 gets its overall clock.
func (f *CaseFile) Accept(env Env, opinion string) error {
	if err := f.require(ActAccept); err != nil {
		return err
	}
	c := &f.Case
	f.record(env, StepAcceptance, ActAccept, StatusAccepted, opinion)
	f.meetClock(env, StepAcceptance)
	at := env.Now
	c.AcceptedAt = &at
	owner := env.By.ID
	c.OwnerStaffID = &owner
	for i := range f.Checklist {
		if f.Checklist[i].Status == ItemProvided {
			f.Checklist[i].Status = ItemAccepted
		}
	}
	// Accepting verifies the signed paper consents (their forms were just accepted).
	for i := range f.Consents {
		if f.Consents[i].State == ConsentPaper {
			f.Consents[i].State, f.Consents[i].UpdatedAt = ConsentVerified, env.Now
		}
	}
	f.startClock(env, StepInvestigation, 1, env.Policy.InvestigationWD, false, fmt.Sprintf("受理后%d个工作日内启动调查", env.Policy.InvestigationWD))
	if f.Requested(CatExtremeHardship) {
		f.startClock(env, StepPreliminary, 1, env.Policy.ExtremePrelimWD, false, fmt.Sprintf("特困：受理后%d个工作日内提出初审意见", env.Policy.ExtremePrelimWD))
	}
	if f.Requested(CatMinimumLiving) {
		n, basis := env.Policy.OverallWD, fmt.Sprintf("低保：受理后%d个工作日内办结", env.Policy.OverallWD)
		if env.Policy.Decider[CatMinimumLiving] == DeciderTown {
			n, basis = env.Policy.OverallTownWD, fmt.Sprintf("低保（乡镇审核确认）：受理后%d个工作日内办结", env.Policy.OverallTownWD)
		}
		f.startClock(env, StepOverall, 1, n, false, basis)
	}
	return nil
}

// Submit sends a draft to the town: the acceptance clock starts (accWD working days).
func (f *CaseFile) Submit(env Env, accWD int, basis string) error {
	if err := f.require(ActSubmit); err != nil {
		return err
	}
	f.record(env, StepApplication, ActSubmit, StatusSubmitted, "")
	f.startClock(env, StepAcceptance, f.Case.Round, accWD, false, basis)
	for i := range f.Checklist { // what the rules' list still lacks is part of the one-time notice
		if it := &f.Checklist[i]; it.Code != "" && it.Status == ItemMissing && it.Notice == "" {
			it.Notice = NoticeSubmission
		}
	}
	return nil
}

// TakeOver records that the person the application is for took it over from the agent (the
// service moves the case to their account).
func (f *CaseFile) TakeOver(env Env) error {
	if err := f.require(ActTakeOver); err != nil {
		return err
	}
	f.record(env, StepApplication, ActTakeOver, "", "")
	return nil
}

// DeclareChange records a change of circumstances the applicant declared after submission;
// the officers read it in the history (the status does not move).
func (f *CaseFile) DeclareChange(env Env, summary string) error {
	if err := f.require(ActDeclareChange); err != nil {
		return err
	}
	f.record(env, StepApplication, ActDeclareChange, "", summary)
	return nil
}

// returned reports whether the case was returned before: an item a return named (or one a
// return typed in, before lists came from the rules).
func (f *CaseFile) returned() bool {
	for _, it := range f.Checklist {
		if it.Notice == NoticeAsked || it.Code == "" {
			return true
		}
	}
	return false
}

// Returnable says whether a return may name the item now (一次性告知, issue 21). The first
// return may name any item of a list from the rules that data sharing does not supply (or, on
// an application without such a list, anything: its list is what that return names). A later
// return may name only
//   - an item staff rejected with a reason,
//   - an item of the first notice — missing at submission on a rules list, or named by a
//     return — that staff have not accepted (nor a commitment replaced),
//   - an item a change of facts declared since submission needs (new, or about the member or
//     the assets the change touched), whatever became of its earlier copy.
func (f *CaseFile) Returnable(it *ChecklistItem) bool {
	if it.Status == ItemShared || it.Status == ItemNotNeeded {
		return false
	}
	if it.Status == ItemRejected || it.Notice == NoticeChange {
		return true
	}
	if !f.returned() {
		return it.Code != ""
	}
	if it.Code == "" && it.Notice == "" { // typed in by a return before notices were recorded
		return it.Round == f.firstFreeTextRound()
	}
	return (it.Notice == NoticeSubmission || it.Notice == NoticeAsked) && it.Status != ItemAccepted && it.Status != ItemCommitted
}

func (f *CaseFile) firstFreeTextRound() int {
	first := 0
	for _, it := range f.Checklist {
		if it.Code == "" && (first == 0 || it.Round < first) {
			first = it.Round
		}
	}
	return first
}

// Return sends the case back with every missing item listed at once; what a return may name
// is Returnable's rule (an application with no list at all may name anything the first time).
func (f *CaseFile) Return(env Env, opinion string, items []MissingItem) error {
	if err := f.require(ActReturn); err != nil {
		return err
	}
	if len(items) == 0 {
		return ErrMissingItemsRequired.field("missingItems", "至少一项")
	}
	if len(f.Checklist) > 0 {
		later := f.returned()
		for i, want := range items {
			ok := false
			for j := range f.Checklist {
				if f.Checklist[j].Name == want.Name && f.Checklist[j].Status != ItemShared && f.Checklist[j].Status != ItemNotNeeded {
					ok = ok || f.Returnable(&f.Checklist[j])
				}
			}
			if ok {
				continue
			}
			field := fmt.Sprintf("missingItems[%d].name", i)
			if !later {
				return ErrItemNotInFirstNotice.withMessage("“"+want.Name+"”不在本申请按规则生成的材料清单中，退回补正不能要求清单以外的材料（一次性告知制度）").
					field(field, "“"+want.Name+"”不在材料清单中")
			}
			return ErrItemNotInFirstNotice.withMessage("再次退回不能要求“"+want.Name+"”：它不是第一次告知中尚未通过审核的材料，未被说明理由退回，也不是此后申报的情况变化所需要的材料（一次性告知制度）").
				field(field, "“"+want.Name+"”不在第一次告知的材料清单中")
		}
	}
	f.record(env, StepAcceptance, ActReturn, StatusReturned, opinion)
	f.meetClock(env, StepAcceptance)
	for _, it := range items {
		// An item of the list is asked for again (its earlier upload was not enough); a name
		// not on a list yet (before rules existed) is a new item.
		reopened := false
		for i := range f.Checklist {
			x := &f.Checklist[i]
			if x.Code != "" && x.Name == it.Name && x.Status != ItemNotNeeded && x.Status != ItemShared {
				x.Status, x.Round, x.Note, reopened = ItemMissing, f.Case.Round, it.Note, true
				if x.Notice != NoticeChange {
					x.Notice = NoticeAsked
				}
				break
			}
		}
		if !reopened {
			f.Checklist = append(f.Checklist, ChecklistItem{CaseID: f.Case.ID, Name: it.Name, Note: it.Note, Status: ItemMissing,
				Round: f.Case.Round, CreatedAt: env.Now, Notice: NoticeAsked})
		}
	}
	return nil
}

// Resubmit is the applicant's answer to a return: a new round, the acceptance clock restarts.
func (f *CaseFile) Resubmit(env Env, note string) error {
	if err := f.require(ActResubmit); err != nil {
		return err
	}
	c := &f.Case
	for i := range f.Checklist {
		if f.Checklist[i].Round == c.Round && f.Checklist[i].Status == ItemMissing {
			f.Checklist[i].Status = ItemProvided
		}
	}
	c.Round++
	f.record(env, StepApplication, ActResubmit, StatusSubmitted, note)
	f.startClock(env, StepAcceptance, c.Round, env.Policy.AcceptanceWD, false, fmt.Sprintf("补正后重新提交：%d个工作日内受理审查", env.Policy.AcceptanceWD))
	return nil
}

// RefuseAcceptance is 不予受理, with reasons.
func (f *CaseFile) RefuseAcceptance(env Env, reason string) error {
	if err := f.require(ActRefuseAcceptance); err != nil {
		return err
	}
	if reason == "" {
		return ErrReasonRequired.field("reason", "必填")
	}
	f.record(env, StepAcceptance, ActRefuseAcceptance, StatusNotAccepted, reason)
	f.meetClock(env, StepAcceptance)
	f.cancelClocks(env)
	return nil
}

// Withdraw: the applicant (or agent) withdraws before a decision.
func (f *CaseFile) Withdraw(env Env, reason string) error {
	if err := f.require(ActWithdraw); err != nil {
		return err
	}
	f.record(env, StepClosing, ActWithdraw, StatusWithdrawn, reason)
	f.cancelClocks(env)
	f.voidOpenNotice(env)
	f.cancelPendingRequests()
	return nil
}

// Terminate ends the procedure for non-cooperation (reasons required).
func (f *CaseFile) Terminate(env Env, reason string) error {
	if err := f.require(ActTerminate); err != nil {
		return err
	}
	if reason == "" {
		return ErrReasonRequired.field("reason", "必填")
	}
	f.record(env, StepClosing, ActTerminate, StatusTerminated, reason)
	f.cancelClocks(env)
	f.voidOpenNotice(env)
	f.cancelPendingRequests()
	return nil
}

// cancelPendingRequests withdraws what the case still asks of others: a data check not yet
// answered is cancelled (the county's worklist no longer shows it; issue 21).
func (f *CaseFile) cancelPendingRequests() {
	for i := range f.DataChecks {
		if f.DataChecks[i].Status == CheckRequested {
			f.DataChecks[i].Status = CheckCancelled
		}
	}
}

func (f *CaseFile) voidOpenNotice(env Env) {
	for i := range f.Notices {
		if f.Notices[i].Status == NoticeOpen {
			at := env.Now
			f.Notices[i].Status, f.Notices[i].ClosedAt = NoticeVoided, &at
		}
	}
}

// StartInvestigation starts the investigation and asks the county for the data check.
func (f *CaseFile) StartInvestigation(env Env, opinion string) error {
	if err := f.require(ActStartInvestigation); err != nil {
		return err
	}
	c := &f.Case
	c.InvestigationRound = 1
	f.record(env, StepInvestigation, ActStartInvestigation, StatusInvestigating, opinion)
	f.meetClock(env, StepInvestigation)
	f.requestDataCheck(env)
	return nil
}

func (f *CaseFile) requestDataCheck(env Env) {
	f.DataChecks = append(f.DataChecks, DataCheck{CaseID: f.Case.ID, Round: f.Case.InvestigationRound, Status: CheckRequested,
		Results: "[]", RequestedByStaff: env.By.ID, RequestedAt: env.Now})
	f.startClock(env, StepDataCheck, f.Case.InvestigationRound, env.Policy.DataCheckWD, false,
		fmt.Sprintf("核对申请后%d个工作日内启动核对", env.Policy.DataCheckWD))
}

// DataCheckResult records the county's check result; a negative one is told to the applicant,
// who may object with evidence.
func (f *CaseFile) DataCheckResult(env Env, outcome, summary, resultsJSON string) error {
	if err := f.require(ActDataCheckResult); err != nil {
		return err
	}
	dc := f.CurrentDataCheck()
	if dc == nil || dc.Status != CheckRequested {
		return ErrNoDataCheckPending
	}
	if outcome != CheckPass && outcome != CheckNegative {
		return ErrEntryInvalid.field("outcome", "pass 或 negative")
	}
	at := env.Now
	dc.Status, dc.Outcome, dc.Summary, dc.Results = CheckCompleted, outcome, summary, resultsJSON
	dc.CompletedByStaff, dc.CompletedAt = env.By.ID, &at
	if outcome == CheckNegative {
		dc.ApplicantToldAt = &at
	}
	f.record(env, StepDataCheck, ActDataCheckResult, "", summary)
	f.meetClock(env, StepDataCheck)
	return nil
}

// DataCheckObjection: the applicant disputes a negative check with evidence → re-check.
func (f *CaseFile) DataCheckObjection(env Env, evidence string) error {
	if err := f.require(ActDataCheckObjection); err != nil {
		return err
	}
	dc := f.CurrentDataCheck()
	if dc == nil || dc.Status != CheckCompleted || dc.Outcome != CheckNegative || dc.ObjectionRaisedAt != nil {
		return ErrNoNegativeCheck
	}
	if evidence == "" {
		return ErrReasonRequired.field("evidence", "请说明异议理由和证据")
	}
	at := env.Now
	dc.Objection, dc.ObjectionRaisedAt = evidence, &at
	f.record(env, StepDataCheck, ActDataCheckObjection, "", evidence)
	f.requestDataCheck(env)
	return nil
}

// RecordVisit records a home visit by at least two distinct active staff of the case's area.
func (f *CaseFile) RecordVisit(env Env, visitedOn, findings string, familyConfirmed bool, investigators []*Staff) error {
	if err := f.require(ActRecordVisit); err != nil {
		return err
	}
	seen := map[uint64]bool{}
	ids := []uint64{}
	byCounty := false
	for i, st := range investigators {
		if st == nil || !st.Active || !st.Area().Contains(AreaCode(f.Case.AreaCode)) || !st.Can(PermCaseVisit) {
			return ErrVisitInvestigator.field(fmt.Sprintf("investigators[%d]", i), "须为本辖区在岗工作人员")
		}
		if !seen[st.ID] {
			seen[st.ID] = true
			ids = append(ids, st.ID)
		}
		if st.Area().Level() <= LevelCounty {
			byCounty = true
		}
	}
	if len(ids) < 2 {
		return ErrVisitNeedsTwo.field("investigators", "至少两名不同的工作人员")
	}
	round := f.Case.InvestigationRound
	f.Visits = append(f.Visits, HomeVisit{CaseID: f.Case.ID, Round: round, VisitedOn: visitedOn, Investigators: FormatIDList(ids),
		ByCounty: byCounty, Findings: findings, FamilyConfirmed: familyConfirmed, RecordedByStaff: env.By.ID, CreatedAt: env.Now})
	note := fmt.Sprintf("入户调查（%d人）", len(ids))
	if byCounty {
		note += "，含县级人员"
	}
	f.record(env, StepVisit, ActRecordVisit, "", note)
	return nil
}

// ScheduleVisit records the appointment of the home visit (入户调查预约): the day, the time
// window and, when already known, the investigators — at least two distinct active staff of the
// case's area, as for the visit itself. A later appointment replaces an earlier one (the
// history keeps both).
func (f *CaseFile) ScheduleVisit(env Env, on, from, to string, investigators []*Staff) error {
	if err := f.require(ActScheduleVisit); err != nil {
		return err
	}
	seen := map[uint64]bool{}
	for i, st := range investigators {
		if st == nil || !st.Active || !st.Area().Contains(AreaCode(f.Case.AreaCode)) || !st.Can(PermCaseVisit) {
			return ErrVisitInvestigator.field(fmt.Sprintf("investigators[%d]", i), "须为本辖区在岗工作人员")
		}
		seen[st.ID] = true
	}
	if len(investigators) > 0 && len(seen) < 2 {
		return ErrVisitNeedsTwo.field("investigators", "至少两名不同的工作人员（未定时可不填）")
	}
	note := fmt.Sprintf("预约入户调查：%s %s–%s", on, from, to)
	if len(seen) > 0 {
		note += fmt.Sprintf("（%d名工作人员）", len(seen))
	}
	f.record(env, StepVisit, ActScheduleVisit, "", note)
	return nil
}

// FlagCloseRelative registers (备案) that a member is a close relative of a social-assistance
// worker or village cadre: the case then needs a county visit before its decision.
func (f *CaseFile) FlagCloseRelative(env Env, note string) error {
	if err := f.require(ActFlagCloseRelative); err != nil {
		return err
	}
	if note == "" {
		return ErrReasonRequired.field("note", "请说明亲属关系")
	}
	f.Case.CloseRelative = true
	f.record(env, StepInvestigation, ActFlagCloseRelative, "", note)
	return nil
}

// Extend records a special reason (objection, split household, cross-region, hard
// investigation): the 低保 overall clock becomes OverallSpecialWD from acceptance.
func (f *CaseFile) Extend(env Env, reason string) error {
	if err := f.require(ActExtend); err != nil {
		return err
	}
	if reason == "" {
		return ErrReasonRequired.field("reason", "必填")
	}
	if !f.hasOpenClock(StepOverall) || f.Case.AcceptedAt == nil || f.Case.SpecialReason != "" {
		return ErrNoOverallClock
	}
	f.cancelClocks(env, StepOverall)
	f.Case.SpecialReason = reason
	from := env
	from.Now = *f.Case.AcceptedAt
	due, prov := env.Clock.AddWorkingDays(from.Now, env.Policy.OverallSpecialWD)
	f.Deadlines = append(f.Deadlines, Deadline{CaseID: f.Case.ID, Step: StepOverall, Round: 2, DueOn: due, Days: env.Policy.OverallSpecialWD,
		Provisional: prov, State: ClockOpen, StartedAt: from.Now, Basis: fmt.Sprintf("低保特殊情况：受理后%d个工作日内办结（%s）", env.Policy.OverallSpecialWD, reason)})
	f.record(env, StepOverall, ActExtend, "", reason)
	return nil
}
