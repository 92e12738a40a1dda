package model

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// fakeClock: Monday–Friday working days, no holidays; dates in UTC (tests use UTC noon).
type fakeClock struct{ provisionalFrom string }

func (c fakeClock) prov(d string) bool { return c.provisionalFrom != "" && d >= c.provisionalFrom }

func (c fakeClock) AddWorkingDays(from time.Time, n int) (string, bool) {
	d := time.Date(from.Year(), from.Month(), from.Day(), 12, 0, 0, 0, time.UTC)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			n--
		}
	}
	s := d.Format("2006-01-02")
	return s, c.prov(s)
}

func (c fakeClock) AddDays(from time.Time, n int) (string, bool) {
	s := from.AddDate(0, 0, n).Format("2006-01-02")
	return s, c.prov(s)
}

func (fakeClock) Date(t time.Time) string { return t.Format("2006-01-02") }

// Tuesday 2026-03-03 noon UTC.
var t0 = time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)

var (
	townStaff    = &Staff{ID: 10, Role: RoleTownCaseworker, AreaCode: "371522106000", Active: true}
	villageStaff = &Staff{ID: 11, Role: RoleVillageAssistant, AreaCode: "371522106200", Active: true}
	townLeader   = &Staff{ID: 12, Role: RoleTownLeader, AreaCode: "371522106000", Active: true}
	countyStaff  = &Staff{ID: 20, Role: RoleCountyOfficer, AreaCode: "371522000000", Active: true}
	countyStaff2 = &Staff{ID: 21, Role: RoleCountyLeader, AreaCode: "371522000000", Active: true}
	otherTown    = &Staff{ID: 30, Role: RoleTownCaseworker, AreaCode: "371522103000", Active: true}
)

func env(st *Staff, at time.Time) Env {
	p := PolicyFrom(map[SettingKey]string{SetStandardCents: "85000"})
	return Env{Now: at, By: Actor{Type: ActorStaff, ID: st.ID, AreaCode: st.AreaCode}, Staff: st, Policy: p, Clock: fakeClock{}}
}

func newFile(cats ...Category) *CaseFile {
	f := &CaseFile{Case: Case{ID: 1, PublicID: "p1", CaseNo: "JZ1", AreaCode: "371522106200", TownCode: "371522106000",
		CountyCode: "371522000000", Status: StatusSubmitted, Round: 1, Version: 1},
		Members: []Member{{ID: 100, Position: 0, Name: "张三"}, {ID: 101, Position: 1, Name: "李四"}}}
	chosen := map[Category]bool{}
	for _, c := range cats {
		chosen[c] = true
	}
	for _, c := range AllCategories {
		f.Categories = append(f.Categories, CaseCategory{CaseID: 1, Category: c, Requested: chosen[c]})
	}
	f.Deadlines = []Deadline{{Step: StepAcceptance, Round: 1, DueOn: "2026-03-06", State: ClockOpen}}
	return f
}

func all(outcome string, amount int64) []Opinion {
	var out []Opinion
	for _, c := range AllCategories {
		o := Opinion{Category: c, MemberPosition: HouseholdLevel, Outcome: OutcomeNotApplicable}
		if c == CatMinimumLiving {
			o.Outcome, o.MonthlyCents = outcome, amount
			if outcome == OutcomeRefused {
				o.Reason = "人均收入高于低保标准"
			}
		}
		out = append(out, o)
	}
	return out
}

func decisions(outcome string, amount int64) []Decision {
	var out []Decision
	for _, o := range all(outcome, amount) {
		out = append(out, Decision{Category: o.Category, MemberPosition: o.MemberPosition, Outcome: o.Outcome, MonthlyCents: o.MonthlyCents, Reason: o.Reason})
	}
	return out
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("err = %v, want %s", err, code)
	}
}

func clockOf(f *CaseFile, step string) *Deadline {
	for i := len(f.Deadlines) - 1; i >= 0; i-- {
		if f.Deadlines[i].Step == step {
			return &f.Deadlines[i]
		}
	}
	return nil
}

// investigate takes a fresh file through acceptance, the data check and a two-person visit.
func investigate(t *testing.T, f *CaseFile, at time.Time) {
	t.Helper()
	must(t, f.Accept(env(townStaff, at), "材料齐全"))
	must(t, f.StartInvestigation(env(townStaff, at), ""))
	must(t, f.DataCheckResult(env(countyStaff, at), CheckPass, "未发现异常", "[]"))
	must(t, f.RecordVisit(env(townStaff, at), "2026-03-03", "家中确有困难", true, []*Staff{townStaff, villageStaff}))
}

func TestMinimumLivingToDecision(t *testing.T) {
	f := newFile(CatMinimumLiving)
	investigate(t, f, t0)
	if f.Case.Status != StatusInvestigating || f.stage() != StageToOpinion {
		t.Fatalf("after investigation: %s %s", f.Case.Status, f.stage())
	}
	if d := clockOf(f, StepInvestigation); d.DueOn != "2026-03-06" || d.State != ClockMet {
		t.Fatalf("investigation clock %+v", d)
	}
	if d := clockOf(f, StepOverall); d == nil || d.DueOn != "2026-04-14" || d.State != ClockOpen {
		t.Fatalf("低保 overall clock (30 WD from 2026-03-03) %+v", d)
	}
	must(t, f.GiveOpinion(env(townStaff, t0), all(OutcomeApproved, 120000), "建议批准"))
	must(t, f.StartNotice(env(townStaff, t0), "ref1", "张三"))
	n := f.OpenNotice()
	// posted 3 March: the notice runs 4–10 March (the start day is not counted)
	if n.StartsOn != "2026-03-03" || n.EndsOn != "2026-03-10" || n.NameMasked != "张*" || n.HouseholdSize != 2 || n.Categories != "低保" || n.MonthlyCents != 120000 {
		t.Fatalf("notice %+v", n)
	}
	wantCode(t, f.CloseNotice(env(townStaff, time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))), ErrNoticeRunning.Code)
	must(t, f.CloseNotice(env(townStaff, time.Date(2026, 3, 11, 9, 0, 0, 0, time.UTC))))
	if f.Case.Status != StatusReviewing || f.Case.DeciderLevel != DeciderCounty || f.stage() != StageToDecideCounty {
		t.Fatalf("forwarded: %s %s %s", f.Case.Status, f.Case.DeciderLevel, f.stage())
	}
	if d := clockOf(f, StepDecision); d.DueOn != "2026-03-25" {
		t.Fatalf("decision clock (10 WD from 11 March): %+v", d)
	}
	decideAt := time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)
	must(t, f.Decide(env(countyStaff, decideAt), DecideInput{Entries: decisions(OutcomeApproved, 120000)}))
	if f.Case.Status != StatusDecided {
		t.Fatal(f.Case.Status)
	}
	for _, d := range f.Decisions {
		if d.Category == CatMinimumLiving && (d.Outcome != OutcomeApproved || d.EffectiveMonth != "2026-04" || d.MonthlyCents != 120000) {
			t.Fatalf("decision %+v", d)
		}
	}
	f.Finish(decideAt)
	if f.Case.Stage != StageClosed || f.Case.NextDueOn != "" || f.Case.ClosedAt == nil {
		t.Fatalf("closed case: %+v", f.Case)
	}
	for _, d := range f.Deadlines {
		if d.State == ClockOpen {
			t.Fatalf("clock left open: %+v", d)
		}
	}
}

func TestIllegalActionNamesStatusAndAllowed(t *testing.T) {
	f := newFile(CatMinimumLiving)
	err := f.Decide(env(countyStaff, t0), DecideInput{Entries: decisions(OutcomeApproved, 1)})
	wantCode(t, err, ErrIllegalStep.Code)
	e := AsError(err)
	if e.Fields["status"] != "submitted" || !strings.Contains(e.Fields["allowedActions"], "accept") || !strings.Contains(e.Message, "待受理") {
		t.Fatalf("409 does not explain itself: %+v", e)
	}
	if len(f.Events) != 0 || f.Case.Status != StatusSubmitted {
		t.Fatal("a refused action changed the file")
	}
}

func TestStateMachineTable(t *testing.T) {
	// every action outside its allowed statuses is refused, and every allowed one is listed
	actions := map[Action]func(f *CaseFile) error{
		ActAccept:             func(f *CaseFile) error { return f.Accept(env(townStaff, t0), "") },
		ActReturn:             func(f *CaseFile) error { return f.Return(env(townStaff, t0), "", []MissingItem{{Name: "x"}}) },
		ActResubmit:           func(f *CaseFile) error { return f.Resubmit(env(townStaff, t0), "") },
		ActRefuseAcceptance:   func(f *CaseFile) error { return f.RefuseAcceptance(env(townStaff, t0), "r") },
		ActWithdraw:           func(f *CaseFile) error { return f.Withdraw(env(townStaff, t0), "") },
		ActStartInvestigation: func(f *CaseFile) error { return f.StartInvestigation(env(townStaff, t0), "") },
		ActCloseNotice:        func(f *CaseFile) error { return f.CloseNotice(env(townStaff, t0)) },
		ActBackfill:           func(f *CaseFile) error { return f.Backfill(env(townStaff, t0), "n") },
		ActTerminate:          func(f *CaseFile) error { return f.Terminate(env(townStaff, t0), "r") },
	}
	for _, st := range AllStatuses {
		for a, do := range actions {
			f := newFile(CatMinimumLiving)
			f.Case.Status = st
			err := do(f)
			legal := false
			for _, x := range allowed(st) {
				legal = legal || x == a
			}
			if !legal && AsError(err).Code != ErrIllegalStep.Code {
				t.Errorf("%s in %s: want illegal_transition, got %v", a, st, err)
			}
			if legal && err != nil && AsError(err).Code == ErrIllegalStep.Code {
				t.Errorf("%s in %s: allowed but refused as illegal", a, st)
			}
		}
	}
}

func TestReturnResubmitAndTheOneTimeList(t *testing.T) {
	f := newFile(CatMinimumLiving)
	must(t, f.Return(env(townStaff, t0), "", []MissingItem{{Name: "住院票据"}, {Name: "收入证明"}}))
	if clockOf(f, StepAcceptance).State != ClockMet {
		t.Fatal("acceptance clock not closed by the return")
	}
	later := t0.AddDate(0, 0, 5) // Sunday 8 March
	must(t, f.Resubmit(env(townStaff, later), "已补齐"))
	if f.Case.Round != 2 || f.Case.Status != StatusSubmitted {
		t.Fatalf("round %d status %s", f.Case.Round, f.Case.Status)
	}
	if d := clockOf(f, StepAcceptance); d.Round != 2 || d.DueOn != "2026-03-11" || d.State != ClockOpen {
		t.Fatalf("acceptance clock restarts: %+v", d)
	}
	// a second return may name items of the first list only
	wantCode(t, f.Return(env(townStaff, later), "", []MissingItem{{Name: "户口本"}}), ErrItemNotInFirstNotice.Code)
	must(t, f.Return(env(townStaff, later), "", []MissingItem{{Name: "收入证明", Note: "需盖章"}}))
	must(t, f.Resubmit(env(townStaff, later), ""))
	must(t, f.Accept(env(townStaff, later), ""))
	for _, it := range f.Checklist {
		if it.Status != ItemAccepted {
			t.Fatalf("item not accepted: %+v", it)
		}
	}
}

func TestVisitNeedsTwoDistinctStaffOfTheArea(t *testing.T) {
	f := newFile(CatMinimumLiving)
	must(t, f.Accept(env(townStaff, t0), ""))
	must(t, f.StartInvestigation(env(townStaff, t0), ""))
	wantCode(t, f.RecordVisit(env(townStaff, t0), "2026-03-03", "x", true, []*Staff{townStaff}), ErrVisitNeedsTwo.Code)
	wantCode(t, f.RecordVisit(env(townStaff, t0), "2026-03-03", "x", true, []*Staff{townStaff, townStaff}), ErrVisitNeedsTwo.Code)
	wantCode(t, f.RecordVisit(env(townStaff, t0), "2026-03-03", "x", true, []*Staff{townStaff, otherTown}), ErrVisitInvestigator.Code)
	wantCode(t, f.RecordVisit(env(townStaff, t0), "2026-03-03", "x", true, []*Staff{townStaff, nil}), ErrVisitInvestigator.Code)
	inactive := *villageStaff
	inactive.Active = false
	wantCode(t, f.RecordVisit(env(townStaff, t0), "2026-03-03", "x", true, []*Staff{townStaff, &inactive}), ErrVisitInvestigator.Code)
	must(t, f.RecordVisit(env(townStaff, t0), "2026-03-03", "x", true, []*Staff{townStaff, villageStaff}))
	if len(f.Visits) != 1 || f.Visits[0].Investigators != "10,11" || f.Visits[0].ByCounty {
		t.Fatalf("visit %+v", f.Visits)
	}
}

func TestFourEyesAndCloseRelatives(t *testing.T) {
	f := newFile(CatMinimumLiving)
	must(t, f.FlagCloseRelative(env(townStaff, t0), "申请人为村委委员之母"))
	investigate(t, f, t0)
	// the county officer also took part in a visit: may not decide
	must(t, f.RecordVisit(env(countyStaff, t0), "2026-03-03", "县级复核", true, []*Staff{countyStaff, townStaff}))
	must(t, f.GiveOpinion(env(townStaff, t0), all(OutcomeApproved, 1000), ""))
	must(t, f.StartNotice(env(townStaff, t0), "r", "张三"))
	must(t, f.CloseNotice(env(townStaff, t0.AddDate(0, 0, 8))))
	wantCode(t, f.Decide(env(countyStaff, t0.AddDate(0, 0, 9)), DecideInput{Entries: decisions(OutcomeApproved, 1000)}), ErrFourEyes.Code)
	must(t, f.Decide(env(countyStaff2, t0.AddDate(0, 0, 9)), DecideInput{Entries: decisions(OutcomeApproved, 1000)}))

	g := newFile(CatMinimumLiving)
	must(t, g.FlagCloseRelative(env(townStaff, t0), "近亲属"))
	investigate(t, g, t0)
	must(t, g.GiveOpinion(env(townStaff, t0), all(OutcomeApproved, 1000), ""))
	must(t, g.StartNotice(env(townStaff, t0), "r", "张三"))
	must(t, g.CloseNotice(env(townStaff, t0.AddDate(0, 0, 8))))
	wantCode(t, g.Decide(env(countyStaff, t0.AddDate(0, 0, 9)), DecideInput{Entries: decisions(OutcomeApproved, 1000)}), ErrCountyVisitRequired.Code)
	must(t, g.RecordVisit(env(countyStaff2, t0.AddDate(0, 0, 9)), "2026-03-12", "县级入户核查", true, []*Staff{countyStaff2, villageStaff}))
	must(t, g.Decide(env(countyStaff, t0.AddDate(0, 0, 9)), DecideInput{Entries: decisions(OutcomeApproved, 1000)}))
}

func TestObjectionUpheldMeansReinvestigationAndANewNotice(t *testing.T) {
	f := newFile(CatMinimumLiving, CatExtremeHardship)
	investigate(t, f, t0)
	must(t, f.GiveOpinion(env(townStaff, t0), all(OutcomeApproved, 1000), ""))
	must(t, f.StartNotice(env(townStaff, t0), "r", "张三"))
	f.Notices[0].ID = 7 // as saved
	must(t, f.Object(env(townStaff, t0.AddDate(0, 0, 2)), Objection{Name: "王五", Content: "其子在城里有房有车"}))
	f.Objections[0].ID = 3
	wantCode(t, f.CloseNotice(env(townStaff, t0.AddDate(0, 0, 8))), ErrObjectionPending.Code)
	wantCode(t, f.ResolveObjection(env(townStaff, t0.AddDate(0, 0, 3)), 3, true, "属实", FollowupDemocratic), ErrDemocraticEvalDisabled.Code)
	must(t, f.ResolveObjection(env(townStaff, t0.AddDate(0, 0, 3)), 3, true, "经核实属实", FollowupReinvestigation))
	if f.Case.Status != StatusInvestigating || f.Case.InvestigationRound != 2 || f.Notices[0].Status != NoticeVoided {
		t.Fatalf("after upheld objection: %s round %d notice %s", f.Case.Status, f.Case.InvestigationRound, f.Notices[0].Status)
	}
	if f.stage() != StageToVisit {
		t.Fatalf("the data check carries over, a new visit is due: %s", f.stage())
	}
	wantCode(t, f.GiveOpinion(env(townStaff, t0), all(OutcomeApproved, 1000), ""), ErrInvestigationOpen.Code)
	if d := clockOf(f, StepPreliminary); d.Round != 2 || d.State != ClockOpen {
		t.Fatalf("特困 opinion clock restarts: %+v", d)
	}
	must(t, f.RecordVisit(env(townStaff, t0.AddDate(0, 0, 4)), "2026-03-07", "重新入户", true, []*Staff{townStaff, villageStaff}))
	must(t, f.GiveOpinion(env(townStaff, t0.AddDate(0, 0, 4)), all(OutcomeRefused, 0), ""))
	must(t, f.StartNotice(env(townStaff, t0.AddDate(0, 0, 4)), "r2", "张三"))
	if len(f.Notices) != 2 || f.OpenNotice().Round != 2 {
		t.Fatalf("second notice: %+v", f.Notices)
	}
}

func TestSpotCheckAndRefusalNotice(t *testing.T) {
	f := newFile(CatExtremeHardship)
	investigate(t, f, t0)
	entries := func(out string) []Decision {
		var ds []Decision
		for _, c := range AllCategories {
			d := Decision{Category: c, MemberPosition: HouseholdLevel, Outcome: OutcomeNotApplicable}
			if c == CatExtremeHardship {
				d.MemberPosition, d.Outcome, d.MonthlyCents = 0, out, 110500
				if out == OutcomeRefused {
					d.Reason = "有赡养能力的子女"
				}
			}
			ds = append(ds, d)
		}
		return ds
	}
	var ops []Opinion
	for _, d := range entries(OutcomeApproved) {
		ops = append(ops, Opinion{Category: d.Category, MemberPosition: d.MemberPosition, Outcome: d.Outcome, MonthlyCents: d.MonthlyCents})
	}
	must(t, f.GiveOpinion(env(townStaff, t0), ops, ""))
	must(t, f.StartNotice(env(townStaff, t0), "r", "张三"))
	must(t, f.CloseNotice(env(townStaff, t0.AddDate(0, 0, 8))))
	if d := clockOf(f, StepDecision); d.Days != 15 {
		t.Fatalf("特困 decision clock is 15 WD: %+v", d)
	}
	at := t0.AddDate(0, 0, 9)
	// not drawn yet: no 特困 approval; drawn and sampled: not before the in-person check
	wantCode(t, f.Decide(env(countyStaff, at), DecideInput{Entries: entries(OutcomeApproved)}), ErrSpotCheckDrawRequired.Code)
	f.SpotChecks = []SpotCheck{{ID: 1, DrawID: 1, CaseID: f.Case.ID, Sampled: true}}
	wantCode(t, f.Decide(env(countyStaff, at), DecideInput{Entries: entries(OutcomeApproved)}), ErrSpotCheckRequired.Code)
	check := SpotCheckInput{CheckedOn: "2026-03-10", Place: "申请人家中", Findings: "与调查一致", Confirmed: true, Officers: []*Staff{countyStaff, townStaff}}
	// an officer who investigated the case does not check it
	wantCode(t, f.SpotCheck(env(countyStaff, at), check, "2026-03-10"), ErrVisitInvestigator.Code)
	check.Officers = []*Staff{countyStaff, countyStaff}
	wantCode(t, f.SpotCheck(env(countyStaff, at), check, "2026-03-10"), ErrVisitNeedsTwo.Code)
	check.Officers = []*Staff{countyStaff, countyStaff2}
	must(t, f.SpotCheck(env(countyStaff, at), check, "2026-03-10"))
	wantCode(t, f.SpotCheck(env(countyStaff, at), check, "2026-03-10"), ErrSpotCheckDone.Code)
	refusal := *f
	must(t, f.Decide(env(countyStaff, at), DecideInput{Entries: entries(OutcomeApproved)}))

	// the same file refused instead: the written notice is due in 3 working days
	g := snapshotFile(&refusal)
	must(t, g.Decide(env(countyStaff, at), DecideInput{Entries: entries(OutcomeRefused)}))
	if d := clockOf(g, StepRefusalNotice); d == nil || d.DueOn != "2026-03-17" || d.State != ClockOpen {
		t.Fatalf("refusal notice clock: %+v", d)
	}
	if g.stage() != StageRefusalNotice {
		t.Fatal(g.stage())
	}
	must(t, g.RefusalDelivered(env(townStaff, at), "当面送达"))
	if g.stage() != StageClosed {
		t.Fatal(g.stage())
	}
}

func snapshotFile(f *CaseFile) *CaseFile {
	cp := *f
	cp.Deadlines = append([]Deadline(nil), f.Deadlines...)
	cp.Decisions = append([]Decision(nil), f.Decisions...)
	cp.Events = nil
	return &cp
}

func TestUrgentTemporaryAid(t *testing.T) {
	f := newFile(CatTemporaryAid)
	// cap: 3 months × 850 元 × 2 people = 5 100 元
	if cap := UrgentCap(env(townStaff, t0).Policy, 2); cap != 510000 {
		t.Fatalf("cap %d", cap)
	}
	forwarded, err := f.UrgentGrant(env(townStaff, t0), 300000, "火灾致房屋损毁")
	must(t, err)
	if forwarded || f.Case.Status != StatusUrgentGranted || !f.Case.Urgent || f.stage() != StageToBackfill {
		t.Fatalf("same-day grant: %v %s", forwarded, f.Case.Status)
	}
	if d := clockOf(f, StepBackfill); d.DueOn != "2026-03-17" {
		t.Fatalf("back-fill clock (10 WD): %+v", d)
	}
	must(t, f.Backfill(env(townStaff, t0.AddDate(0, 0, 2)), "补齐申请书和票据"))
	if f.Case.Status != StatusDecided {
		t.Fatal(f.Case.Status)
	}

	g := newFile(CatTemporaryAid)
	forwarded, err = g.UrgentGrant(env(townStaff, t0), 800000, "重病")
	must(t, err)
	if !forwarded || g.Case.Status != StatusReviewing || g.Case.DeciderLevel != DeciderCounty {
		t.Fatalf("over the cap goes to the county: %s %s", g.Case.Status, g.Case.DeciderLevel)
	}
	ds := []Decision{}
	for _, c := range AllCategories {
		d := Decision{Category: c, MemberPosition: HouseholdLevel, Outcome: OutcomeNotApplicable}
		if c == CatTemporaryAid {
			d.Outcome, d.OneOffCents, d.MeetingRef = OutcomeApproved, 800000, "县协调会2026-3号"
		}
		ds = append(ds, d)
	}
	wantCode(t, g.Decide(env(countyStaff, t0), DecideInput{Entries: ds}), ErrMeetingForbidden.Code)
	must(t, g.Decide(env(countyStaff2, t0), DecideInput{Entries: ds, MayHoldMeeting: true}))

	h := newFile(CatTemporaryAid, CatMinimumLiving)
	_, err = h.UrgentGrant(env(townStaff, t0), 1000, "x")
	wantCode(t, err, ErrNotTemporaryAid.Code)
}

func TestEntriesMustCoverTheFiveCategories(t *testing.T) {
	f := newFile(CatMinimumLiving)
	investigate(t, f, t0)
	ops := all(OutcomeApproved, 1000)[:4]
	wantCode(t, f.GiveOpinion(env(townStaff, t0), ops, ""), ErrCategoriesIncomplete.Code)
	bad := all(OutcomeRefused, 0)
	bad[0].Reason = ""
	wantCode(t, f.GiveOpinion(env(townStaff, t0), bad, ""), ErrReasonRequired.Code)
	person := append(all(OutcomeApproved, 1000), Opinion{Category: CatTemporaryAid, MemberPosition: 0, Outcome: OutcomeApproved})
	wantCode(t, f.GiveOpinion(env(townStaff, t0), person, ""), ErrEntryInvalid.Code)
	ghost := append(all(OutcomeApproved, 1000), Opinion{Category: CatExtremeHardship, MemberPosition: 9, Outcome: OutcomeApproved})
	wantCode(t, f.GiveOpinion(env(townStaff, t0), ghost, ""), ErrEntryInvalid.Code)
}

func TestExtendAndProvisionalRecompute(t *testing.T) {
	f := newFile(CatMinimumLiving)
	e := env(townStaff, t0)
	e.Clock = fakeClock{provisionalFrom: "2026-04-01"}
	must(t, f.Accept(e, ""))
	d := clockOf(f, StepOverall)
	if d.DueOn != "2026-04-14" || !d.Provisional {
		t.Fatalf("overall clock in an unloaded period is provisional: %+v", d)
	}
	f.Finish(t0)
	if f.Case.NextDueProvisional || f.Case.NextDueStep != StepInvestigation || f.Case.NextDueOn != "2026-03-06" {
		t.Fatalf("strictest open clock: %+v", f.Case)
	}
	must(t, f.Extend(e, "分户核查困难"))
	if d := clockOf(f, StepOverall); d.Round != 2 || d.Days != 45 || d.DueOn != "2026-05-05" {
		t.Fatalf("45 WD from acceptance: %+v", d)
	}
	wantCode(t, f.Extend(e, "again"), ErrNoOverallClock.Code)
	e.Clock = fakeClock{}
	if !f.RecomputeProvisional(e) || clockOf(f, StepOverall).Provisional {
		t.Fatal("loading the year did not settle the provisional clock")
	}
}

func TestAgeOnBirthday(t *testing.T) {
	b := time.Date(1966, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		day  time.Time
		want int
	}{
		{time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC), 59},
		{time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), 60},
		{time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), 60},
	} {
		if got := AgeOn(b, tc.day); got != tc.want {
			t.Errorf("AgeOn(%s) = %d, want %d", tc.day.Format("2006-01-02"), got, tc.want)
		}
	}
}

// Issue 19, item 4: a duplicate objection is merged into another of the same notice, an
// unfounded one dismissed; neither reopens the investigation nor blocks the close. Residents'
// objections are counted per notice and per account (staff-recorded ones are not).
func TestMergedAndUnfoundedObjectionsDoNotBlock(t *testing.T) {
	f := newFile(CatMinimumLiving)
	investigate(t, f, t0)
	must(t, f.GiveOpinion(env(townStaff, t0), all(OutcomeApproved, 1000), ""))
	must(t, f.StartNotice(env(townStaff, t0), "r", "张三"))
	f.Notices[0].ID = 7
	a, b := uint64(41), uint64(42)
	for i, who := range []*uint64{&a, &a, &b, nil} {
		must(t, f.Object(env(townStaff, t0.AddDate(0, 0, 2)), Objection{Name: "王五", Content: "有车", ResidentID: who}))
		f.Objections[i].ID = uint64(i + 1)
	}
	if all, mine := f.CountObjections(7, a); all != 3 || mine != 2 {
		t.Fatalf("counts: all %d, mine %d", all, mine)
	}
	later := env(townStaff, t0.AddDate(0, 0, 3))
	wantCode(t, f.MergeObjection(later, 2, 2), ErrObjectionMerge.Code)
	wantCode(t, f.MergeObjection(later, 2, 99), ErrObjectionMerge.Code)
	wantCode(t, f.MergeObjection(later, 99, 1), ErrObjectionNotFound.Code)
	must(t, f.MergeObjection(later, 2, 1))
	wantCode(t, f.MergeObjection(later, 3, 2), ErrObjectionMerge.Code) // into a merged one
	must(t, f.MergeObjection(later, 3, 1))
	wantCode(t, f.MergeObjection(later, 2, 1), ErrObjectionNotFound.Code) // merged already
	wantCode(t, f.CloseNotice(env(townStaff, t0.AddDate(0, 0, 8))), ErrObjectionPending.Code)
	must(t, f.ResolveObjection(later, 1, false, "车辆为亲属所有", ""))
	must(t, f.ResolveObjection(later, 4, false, "重复反映", ""))
	must(t, f.CloseNotice(env(townStaff, t0.AddDate(0, 0, 8))))
	if f.Case.InvestigationRound != 1 || f.Objections[1].Status != ObjectionMerged || *f.Objections[1].MergedInto != 1 {
		t.Fatalf("after merge and dismissal: round %d, %+v", f.Case.InvestigationRound, f.Objections[1])
	}
}
