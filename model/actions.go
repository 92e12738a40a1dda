package model

import (
	"fmt"
	"strings"
	"time"
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
