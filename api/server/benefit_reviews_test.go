package server_test

import (
	"context"
	"testing"

	"palmaid/model"
	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// Issue 25: reviews of benefits — a reported change, the town's 核查 and opinion, the county's
// decision effective the month after, the written-notice clock, 渐退 paid month by month on the
// roster, the periodic review opened once by the job — through the real router, on every
// backend.

// decidedBenefit takes a 低保 application to an approved decision on 1 December 2026 (China
// time) and answers the case and its benefit's id.
func decidedBenefit(t *testing.T, h *harness, r *reviewer, resident string, cents int64, seq int) (*payCase, string) {
	t.Helper()
	c := r.noticed(resident, seed.DemoVillageE1, "town_east", "town_east2", "minimum_living", cents,
		map[string]string{"relation": "self", "name": "蒋大", "idNumber": makeID("990101", "19520302", seq)})
	h.clock.Set(cst("2026-12-01", 9))
	r.closeNotice(c)
	h.clock.Set(cst("2026-12-01", 10))
	r.decide(c, nil)
	return c, myBenefit(t, h, c.tok)["id"].(string)
}

// reviewAct posts an action on a review with its current version.
func reviewAct(t *testing.T, h *harness, r *reviewer, who, id, action string, body map[string]any, status int) map[string]any {
	t.Helper()
	if _, ok := body["version"]; !ok {
		cur := h.expect(h.do("GET", "/api/v1/reviews/"+id, r.staff("town_east"), nil), 200)
		body["version"] = cur["version"]
	}
	res := h.do("POST", "/api/v1/reviews/"+id+"/"+action, r.staff(who), body)
	if res.Status != status {
		t.Fatalf("%s %s by %s: %d, want %d: %s", action, id, who, res.Status, status, res.Body)
	}
	return res.json(t)
}

// TestReportedChangeLeadsToDecrease: the beneficiary reports an income rise from the
// mini-program after the decision; it opens a review on the town's worklist; the town records
// its 核查 (a visit by two staff) and proposes a decrease; the county decides; the new amount is
// paid from the month after the decision's China-time date, the written notice is due within
// 3 working days with the remedies, and the review closes only with the notice served. Only
// the beneficiary reports; other towns and strangers get 404; roles are kept apart.
func TestReportedChangeLeadsToDecrease(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		c, bid := decidedBenefit(t, h, r, "rv-dec-"+be.Name, 120000, 61)
		if b := h.expect(h.do("GET", "/api/v1/benefits/"+bid, r.staff("town_east"), nil), 200); b["nextReviewOn"] != "2027-12-01" {
			t.Fatalf("the next review of a stable household: %v", b["nextReviewOn"])
		}

		// 2027-03-05 (a Friday): the beneficiary reports a new job.
		h.clock.Set(cst("2027-03-05", 10))
		report := map[string]any{"kind": "income", "summary": "本人已在县城找到工作，月工资2600元", "changedOn": "2027-03-01"}
		stranger := h.residentLogin("rv-stranger-" + be.Name)
		if res := h.do("POST", "/mp/v1/benefits/"+bid+"/changes", stranger, report); res.Status != 404 || res.errCode(t) != "benefit.not_found" {
			t.Fatalf("a stranger reports a change: %d %s", res.Status, res.Body)
		}
		if res := h.do("POST", "/mp/v1/benefits/"+bid+"/changes", c.tok, map[string]any{"kind": "salary", "summary": "x"}); res.Status != 400 {
			t.Fatalf("an unknown kind: %d %s", res.Status, res.Body)
		}
		if res := h.do("POST", "/mp/v1/benefits/"+bid+"/changes", c.tok, map[string]any{"kind": "income", "summary": "x", "extra": 1}); res.Status != 400 {
			t.Fatalf("an unknown field: %d %s", res.Status, res.Body)
		}
		rep := h.expect(h.do("POST", "/mp/v1/benefits/"+bid+"/changes", c.tok, report), 201)
		id := rep["reviewId"].(string)
		if rep["dueOn"] != "2027-04-05" {
			t.Fatalf("a reported change is due within a month: %v", rep)
		}

		list := h.expect(h.do("GET", "/api/v1/reviews", r.staff("town_east"), nil), 200)["items"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["id"] != id || list[0].(map[string]any)["kind"] != "change_report" ||
			list[0].(map[string]any)["reportedByResident"] != true {
			t.Fatalf("the town's worklist: %v", list)
		}
		if l := h.expect(h.do("GET", "/api/v1/reviews", r.staff("town_west"), nil), 200)["items"].([]any); len(l) != 0 {
			t.Fatalf("another town lists %v", l)
		}
		if res := h.do("GET", "/api/v1/reviews/"+id, r.staff("town_west"), nil); res.Status != 404 || res.errCode(t) != "review.not_found" {
			t.Fatalf("another town reads the review: %d %s", res.Status, res.Body)
		}
		// every action on the review, as an officer of another town and a county leader of
		// another county: 404 as for no review at all
		elsewhere := &model.Staff{Username: "rv_elsewhere_" + be.Name, DisplayName: "外县分管领导", Role: model.RoleCountyLeader, AreaCode: "990102000000", Active: true}
		elsewhere.PasswordHash = adminHash(t, h)
		testenv.Must(t, h.app.Store.UpsertStaff(context.Background(), elsewhere))
		far := h.staffLogin(elsewhere.Username)
		for action, body := range map[string]map[string]any{"investigate": {"findings": "x"}, "propose": {"outcome": "unchanged", "reason": "x"},
			"decide": {}, "return": {"reason": "x"}, "close": {"noticeServedOn": "2027-03-05"}, "objection": {"objection": "x"},
			"objection-decision": {"upheld": true, "reason": "x"}} {
			body["version"] = 1
			for who, tok := range map[string]string{"town_west": r.staff("town_west"), "another county": far} {
				if res := h.do("POST", "/api/v1/reviews/"+id+"/"+action, tok, body); res.Status != 404 || res.errCode(t) != "review.not_found" {
					t.Fatalf("%s by %s on another area's review: %d %s", action, who, res.Status, res.Body)
				}
			}
		}
		if res := h.do("GET", "/api/v1/reviews/"+id, far, nil); res.Status != 404 {
			t.Fatalf("another county reads the review: %d %s", res.Status, res.Body)
		}
		if l := h.expect(h.do("GET", "/api/v1/reviews", far, nil), 200)["items"].([]any); len(l) != 0 {
			t.Fatalf("another county lists %v", l)
		}

		// The county may not do the town's 核查; a visit needs two staff.
		reviewAct(t, h, r, "county", id, "investigate", map[string]any{"findings": "核实"}, 403)
		if e := reviewAct(t, h, r, "town_east", id, "investigate", map[string]any{"findings": "入户核实", "visitedOn": "2027-03-05",
			"visitors": []string{"town_east"}}, 422); errCodeOf(e) != "review.visit_two_staff" {
			t.Fatalf("a visit by one: %v", e)
		}
		reviewAct(t, h, r, "town_east", id, "investigate", map[string]any{"findings": "入户核实：申请人3月起在县城务工，月工资2600元",
			"visitedOn": "2027-03-05", "visitors": []string{"town_east", "town_east2"}}, 200)
		if e := reviewAct(t, h, r, "town_east", id, "propose", map[string]any{"outcome": "decrease", "monthlyCents": 130000, "reason": "收入增加"}, 422); errCodeOf(e) != "review.invalid_amount" {
			t.Fatalf("a decrease that is not lower: %v", e)
		}
		reviewAct(t, h, r, "town_east", id, "propose", map[string]any{"outcome": "decrease", "monthlyCents": 40000, "variable": true,
			"reason": "家庭成员务工收入增加，人均收入仍低于低保标准"}, 200)
		reviewAct(t, h, r, "town_east", id, "decide", map[string]any{}, 403)

		// Decided at 00:30 on Tuesday 9 March China time (still 8 March in UTC): effective April,
		// the notice due 3 working days later (Friday 12 March), the next review in six months.
		h.clock.Set(cst("2027-03-09", 0).Add(30 * 60 * 1e9))
		d := reviewAct(t, h, r, "county", id, "decide", map[string]any{}, 200)
		if d["status"] != "decided" || d["decidedOn"] != "2027-03-09" || d["effectiveMonth"] != "2027-04" || d["noticeDueOn"] != "2027-03-12" ||
			d["remedies"] == "" || len(d["changes"].([]any)) != 1 {
			t.Fatalf("the decision: %v", d)
		}
		b := h.expect(h.do("GET", "/api/v1/benefits/"+bid, r.staff("county"), nil), 200)
		if b["monthlyCents"] != float64(40000) || b["nextReviewOn"] != "2027-09-09" || b["status"] != "active" {
			t.Fatalf("the benefit after the decision: %v", b)
		}
		ch := b["changes"].([]any)
		last := ch[len(ch)-1].(map[string]any)
		if last["kind"] != "decrease" || last["effectiveMonth"] != "2027-04" || last["ref"] != "review:"+id {
			t.Fatalf("the change: %v", ch)
		}
		// March's roster pays the old amount, April's the new one.
		for month, want := range map[string]float64{"2027-03": 120000, "2027-04": 40000} {
			ro := h.expect(h.do("POST", "/api/v1/rosters", r.staff("county"), map[string]any{"month": month, "category": "minimum_living"}), 201)
			if ro["totalCents"] != want {
				t.Fatalf("the roster of %s: %v", month, ro["totalCents"])
			}
		}

		if e := reviewAct(t, h, r, "town_east", id, "close", map[string]any{}, 400); errCodeOf(e) != "review.invalid_notice_date" {
			t.Fatalf("closed without the notice: %v", e)
		}
		h.clock.Set(cst("2027-03-10", 10))
		if cl := reviewAct(t, h, r, "town_east", id, "close", map[string]any{"noticeServedOn": "2027-03-10"}, 200); cl["status"] != "closed" {
			t.Fatalf("closed: %v", cl)
		}
		if l := h.expect(h.do("GET", "/api/v1/reviews", r.staff("town_east"), nil), 200)["items"].([]any); len(l) != 0 {
			t.Fatalf("a closed review stays on the worklist: %v", l)
		}
	})
}

// TestGradualExitOnTheRoster: 渐退 is limited by the region's maximum (6 months by default);
// with a schedule of percentages the roster pays it month by month, and nothing after its last
// month.
func TestGradualExitOnTheRoster(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		_, bid := decidedBenefit(t, h, r, "rv-gx-"+be.Name, 80000, 62)
		h.clock.Set(cst("2027-05-10", 10))
		if e := h.expect(h.do("POST", "/api/v1/benefits/"+bid+"/reviews", r.staff("town_east"), map[string]any{"kind": "standard_change", "cause": "x"}), 422); errCodeOf(e) != "review.standard_change_batch" {
			t.Fatalf("a standard change opened alone: %v", e)
		}
		if res := h.do("POST", "/api/v1/benefits/"+bid+"/reviews", r.staff("town_west"), map[string]any{"kind": "warning", "cause": "大数据比对预警"}); res.Status != 404 {
			t.Fatalf("another town opens a review: %d %s", res.Status, res.Body)
		}
		rv := h.expect(h.do("POST", "/api/v1/benefits/"+bid+"/reviews", r.staff("town_east"), map[string]any{"kind": "periodic", "cause": "提前定期核查"}), 201)
		id := rv["id"].(string)
		reviewAct(t, h, r, "town_east", id, "investigate", map[string]any{"findings": "户主已稳定就业，家庭人均收入超过低保标准"}, 200)
		if e := reviewAct(t, h, r, "town_east", id, "propose", map[string]any{"outcome": "gradual_exit", "gradualMonths": 7, "reason": "就业增收"}, 422); errCodeOf(e) != "review.gradual_months" {
			t.Fatalf("seven months of 渐退: %v", e)
		}
		if e := reviewAct(t, h, r, "town_east", id, "propose", map[string]any{"outcome": "gradual_exit", "gradualMonths": 3, "schedulePct": []int{100, 50}, "reason": "就业增收"}, 400); errCodeOf(e) != "review.invalid_schedule" {
			t.Fatalf("a schedule shorter than the months: %v", e)
		}
		reviewAct(t, h, r, "town_east", id, "propose", map[string]any{"outcome": "gradual_exit", "gradualMonths": 3, "schedulePct": []int{100, 50, 50}, "reason": "就业增收，给予渐退"}, 200)
		d := reviewAct(t, h, r, "county", id, "decide", map[string]any{}, 200)
		if d["effectiveMonth"] != "2027-06" || len(d["changes"].([]any)) != 4 || d["noticeDueOn"] == "" {
			t.Fatalf("the 渐退 decision: %v", d)
		}
		b := h.expect(h.do("GET", "/api/v1/benefits/"+bid, r.staff("county"), nil), 200)
		if b["status"] != "gradual_exit" || b["effectiveTo"] != "2027-08" {
			t.Fatalf("the benefit in 渐退: %v", b)
		}
		// the roster month by month: May (before) 800, June 800, July and August 400, September nothing
		for _, m := range []struct {
			month string
			cents float64
		}{{"2027-05", 80000}, {"2027-06", 80000}, {"2027-07", 40000}, {"2027-08", 40000}, {"2027-09", 0}} {
			ro := h.expect(h.do("POST", "/api/v1/rosters", r.staff("county"), map[string]any{"month": m.month, "category": "minimum_living"}), 201)
			if ro["totalCents"] != m.cents {
				t.Fatalf("the roster of %s pays %v, want %v", m.month, ro["totalCents"], m.cents)
			}
		}
		// A review of a benefit in 渐退 may end it early but not raise it; ended early, its
		// remaining steps pay nothing.
		h.clock.Set(cst("2027-06-10", 10))
		rv2 := h.expect(h.do("POST", "/api/v1/benefits/"+bid+"/reviews", r.staff("town_east"), map[string]any{"kind": "warning", "cause": "比对发现新增车辆"}), 201)
		id2 := rv2["id"].(string)
		reviewAct(t, h, r, "town_east", id2, "investigate", map[string]any{"findings": "核实"}, 200)
		reviewAct(t, h, r, "town_east", id2, "propose", map[string]any{"outcome": "increase", "monthlyCents": 90000, "reason": "x"}, 409)
		reviewAct(t, h, r, "town_east", id2, "propose", map[string]any{"outcome": "terminate", "reason": "购置小汽车，不再符合条件"}, 200)
		reviewAct(t, h, r, "county", id2, "decide", map[string]any{}, 200)
		b = h.expect(h.do("GET", "/api/v1/benefits/"+bid, r.staff("county"), nil), 200)
		if b["status"] != "terminated" || b["effectiveTo"] != "2027-06" {
			t.Fatalf("ended early: %v", b)
		}
		for _, month := range []string{"2027-07", "2027-08"} {
			ro := h.expect(h.do("GET", "/api/v1/rosters?month="+month, r.staff("county"), nil), 200)["items"].([]any)[0].(map[string]any)
			h.expect(h.do("POST", "/api/v1/rosters/"+ro["id"].(string)+"/rebuild", r.staff("county"), map[string]any{"version": ro["version"]}), 200)
			ro = h.expect(h.do("GET", "/api/v1/rosters/"+ro["id"].(string), r.staff("county"), nil), 200)
			if ro["totalCents"] != float64(0) {
				t.Fatalf("the rebuilt roster of %s still pays %v after the early end", month, ro["totalCents"])
			}
		}
	})
}

// TestPeriodicReviewJob: the scheduled job opens a periodic review the region's lead time
// (30 days) before the benefit's next review date, once however often it runs; after the due
// date an undecided review is listed as overdue; a death opens a review due three months after
// the date of death.
func TestPeriodicReviewJob(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		_, bid := decidedBenefit(t, h, r, "rv-job-"+be.Name, 90000, 63) // next review 2027-12-01
		run := func() {
			if err := h.app.RunJob(context.Background(), "benefit-reviews"); err != nil {
				t.Fatal(err)
			}
		}
		h.clock.Set(cst("2027-10-31", 10))
		run()
		if l := h.expect(h.do("GET", "/api/v1/reviews?kind=periodic", r.staff("town_east"), nil), 200)["items"].([]any); len(l) != 0 {
			t.Fatalf("opened 31 days before: %v", l)
		}
		h.clock.Set(cst("2027-11-01", 10))
		run()
		run()
		l := h.expect(h.do("GET", "/api/v1/reviews?kind=periodic", r.staff("town_east"), nil), 200)["items"].([]any)
		if len(l) != 1 || l[0].(map[string]any)["dueOn"] != "2027-12-01" || l[0].(map[string]any)["benefitId"] != bid {
			t.Fatalf("the periodic review: %v", l)
		}
		if o := h.expect(h.do("GET", "/api/v1/reviews?overdue=true", r.staff("town_east"), nil), 200)["items"].([]any); len(o) != 0 {
			t.Fatalf("overdue before its date: %v", o)
		}
		h.clock.Set(cst("2027-12-02", 10))
		run()
		o := h.expect(h.do("GET", "/api/v1/reviews?overdue=true", r.staff("county"), nil), 200)["items"].([]any)
		if len(o) != 1 || o[0].(map[string]any)["overdue"] != true {
			t.Fatalf("overdue: %v", o)
		}
		if res := h.do("GET", "/api/v1/reviews?overdue=yes", r.staff("county"), nil); res.Status != 400 {
			t.Fatalf("overdue=yes: %d", res.Status)
		}
		// a death on 30 November: due on the last day of February (民法典 art. 202)
		dr := h.expect(h.do("POST", "/api/v1/benefits/"+bid+"/reviews", r.staff("town_east"), map[string]any{"kind": "death", "eventOn": "2027-11-30", "cause": "户主配偶去世"}), 201)
		if dr["dueOn"] != "2028-02-29" || dr["kind"] != "death" {
			t.Fatalf("the death review: %v", dr)
		}
		if res := h.do("POST", "/api/v1/benefits/"+bid+"/reviews", r.staff("town_east"), map[string]any{"kind": "death", "cause": "x"}); res.Status != 400 {
			t.Fatalf("a death without its date: %d %s", res.Status, res.Body)
		}
	})
}

// errCodeOf is the code of an error answer.
func errCodeOf(m map[string]any) string {
	if e, ok := m["error"].(map[string]any); ok {
		code, _ := e["code"].(string)
		return code
	}
	return ""
}

// TestExtremeTerminationNotice: ending 特困 support is decided only after a public notice of 7
// calendar days, the start day not counted — holidays count like any day (National Day within
// it) — and never while an objection awaits its decision (due 15 working days after it came,
// flagged provisional in a year whose calendar is not loaded); an objection not upheld starts
// a new notice; the termination is effective the month after the decision.
func TestExtremeTerminationNotice(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		c := r.noticed("rv-tk-"+be.Name, seed.DemoVillageE1, "town_east", "town_east2", "extreme_hardship", 110000,
			map[string]string{"relation": "self", "name": "霍老汉", "idNumber": makeID("990101", "19400105", 64)})
		h.clock.Set(cst("2026-12-01", 9))
		r.closeNotice(c)
		h.clock.Set(cst("2026-12-01", 10))
		r.decide(c, nil)
		bid := myBenefit(t, h, c.tok)["id"].(string)

		h.clock.Set(cst("2027-09-28", 10)) // Tuesday
		rv := h.expect(h.do("POST", "/api/v1/benefits/"+bid+"/reviews", r.staff("town_east"), map[string]any{"kind": "periodic", "cause": "年度核查"}), 201)
		id := rv["id"].(string)
		reviewAct(t, h, r, "town_east", id, "investigate", map[string]any{"findings": "已由子女接回赡养，有法定赡养人且有赡养能力"}, 200)
		reviewAct(t, h, r, "town_east", id, "propose", map[string]any{"outcome": "terminate", "reason": "有法定赡养人且具备赡养能力"}, 200)
		n := reviewAct(t, h, r, "county", id, "decide", map[string]any{}, 200)
		if n["status"] != "noticed" || n["publicNoticeStartOn"] != "2027-09-28" || n["publicNoticeEndOn"] != "2027-10-05" || len(n["changes"].([]any)) != 0 {
			t.Fatalf("the termination's public notice: %v", n)
		}
		if b := h.expect(h.do("GET", "/api/v1/benefits/"+bid, r.staff("county"), nil), 200); b["status"] != "active" {
			t.Fatalf("the benefit changed during the notice: %v", b["status"])
		}
		// an objection on Monday 4 October (a holiday in the fixed-date calendar)
		h.clock.Set(cst("2027-10-04", 10))
		o := reviewAct(t, h, r, "town_east", id, "objection", map[string]any{"objection": "子女外出务工，实际无人照料"}, 200)
		if o["objectionOn"] != "2027-10-04" || o["objectionDueOn"] != "2027-10-25" || o["noticeDueProvisional"] != true {
			t.Fatalf("the objection: %v", o)
		}
		h.clock.Set(cst("2027-10-05", 18)) // the notice's last day
		if e := reviewAct(t, h, r, "county", id, "decide", map[string]any{}, 409); errCodeOf(e) != "review.notice_running" {
			t.Fatalf("decided on the notice's last day: %v", e)
		}
		h.clock.Set(cst("2027-10-06", 10))
		if e := reviewAct(t, h, r, "county", id, "decide", map[string]any{}, 409); errCodeOf(e) != "review.notice_running" {
			t.Fatalf("decided with an objection pending: %v", e)
		}
		reviewAct(t, h, r, "town_east", id, "objection-decision", map[string]any{"upheld": false, "reason": "x"}, 403)
		h.clock.Set(cst("2027-10-08", 10))
		nn := reviewAct(t, h, r, "county", id, "objection-decision", map[string]any{"upheld": false, "reason": "经入户核实，子女已接回同住照料"}, 200)
		if nn["status"] != "noticed" || nn["publicNoticeStartOn"] != "2027-10-08" || nn["publicNoticeEndOn"] != "2027-10-15" || nn["objectionDecision"] == "" {
			t.Fatalf("a new notice after the objection: %v", nn)
		}
		h.clock.Set(cst("2027-10-18", 10))
		d := reviewAct(t, h, r, "county", id, "decide", map[string]any{}, 200)
		if d["status"] != "decided" || d["effectiveMonth"] != "2027-11" || len(d["changes"].([]any)) != 1 {
			t.Fatalf("the termination: %v", d)
		}
		b := h.expect(h.do("GET", "/api/v1/benefits/"+bid, r.staff("county"), nil), 200)
		if b["status"] != "terminated" || b["effectiveTo"] != "2027-10" || b["nextReviewOn"] != "" {
			t.Fatalf("the terminated benefit: %v", b)
		}
		if res := h.do("POST", "/api/v1/benefits/"+bid+"/reviews", r.staff("town_east"), map[string]any{"kind": "warning", "cause": "x"}); res.Status != 409 {
			t.Fatalf("a review of a terminated benefit: %d %s", res.Status, res.Body)
		}
	})
}

// TestStandardChangeBatch: a new 低保 standard effective from a month is previewed as old and new
// amounts per household (S × persons − the income recorded on the benefit), approved by another
// county officer than its preparer (four eyes), and that month's roster pays the new amounts; a
// batch prepared before another was applied is refused as stale; other areas see nothing.
func TestStandardChangeBatch(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		ca := r.noticed("rv-std-a-"+be.Name, seed.DemoVillageE1, "town_east", "town_east2", "minimum_living", 60000,
			map[string]string{"relation": "self", "name": "邹大", "idNumber": makeID("990101", "19560302", 65)})
		cb := r.noticed("rv-std-b-"+be.Name, seed.DemoVillageE1, "town_east", "town_east2", "minimum_living", 80000,
			map[string]string{"relation": "self", "name": "邹二", "idNumber": makeID("990101", "19580302", 66)})
		h.clock.Set(cst("2026-12-01", 9))
		r.closeNotice(ca)
		r.closeNotice(cb)
		h.clock.Set(cst("2026-12-01", 10))
		r.decide(ca, nil)
		r.decide(cb, nil)
		a, b := myBenefit(t, h, ca.tok)["id"].(string), myBenefit(t, h, cb.tok)["id"].(string)
		std := h.expect(h.do("GET", "/api/v1/benefits/"+a, r.staff("county"), nil), 200)["breakdown"].([]any)[0].(map[string]any)["cents"].(float64)

		h.clock.Set(cst("2027-03-10", 10))
		S := int64(std) + 5000
		if e := h.expect(h.do("POST", "/api/v1/standard-changes", r.staff("county"), map[string]any{"standardCents": S, "effectiveMonth": "2027-03"}), 422); errCodeOf(e) != "standard.month_too_early" {
			t.Fatalf("this month: %v", e)
		}
		if res := h.do("POST", "/api/v1/standard-changes", r.staff("town_east"), map[string]any{"standardCents": S, "effectiveMonth": "2027-04"}); res.Status != 403 {
			t.Fatalf("a town prepares a batch: %d %s", res.Status, res.Body)
		}
		batch := h.expect(h.do("POST", "/api/v1/standard-changes", r.staff("county"), map[string]any{"standardCents": S, "effectiveMonth": "2027-04"}), 201)
		later := h.expect(h.do("POST", "/api/v1/standard-changes", r.staff("county"), map[string]any{"standardCents": S + 5000, "effectiveMonth": "2027-05"}), 201)
		want := map[string][2]float64{a: {60000, 65000}, b: {80000, 85000}}
		lines := batch["lines"].([]any)
		if batch["households"] != float64(2) || len(lines) != 2 || batch["oldTotalCents"] != float64(140000) || batch["newTotalCents"] != float64(150000) {
			t.Fatalf("the preview: %v", batch)
		}
		for _, l := range lines {
			m := l.(map[string]any)
			if w := want[m["benefitId"].(string)]; m["oldCents"] != w[0] || m["newCents"] != w[1] {
				t.Fatalf("a line: %v, want %v", m, w)
			}
		}
		id := batch["id"].(string)
		elsewhere := &model.Staff{Username: "std_elsewhere_" + be.Name, DisplayName: "外县审核人", Role: model.RoleCountyOfficer, AreaCode: "990102000000", Active: true}
		elsewhere.PasswordHash = adminHash(t, h)
		testenv.Must(t, h.app.Store.UpsertStaff(context.Background(), elsewhere))
		far := h.staffLogin(elsewhere.Username)
		for who, tok := range map[string]string{"another county": far, "a town": r.staff("town_east")} {
			if res := h.do("GET", "/api/v1/standard-changes/"+id, tok, nil); res.Status != 404 || res.errCode(t) != "standard.not_found" {
				t.Fatalf("%s reads the batch: %d %s", who, res.Status, res.Body)
			}
		}
		if res := h.do("POST", "/api/v1/standard-changes/"+id+"/approve", far, map[string]any{"version": 1}); res.Status != 404 {
			t.Fatalf("another county approves: %d %s", res.Status, res.Body)
		}
		if e := h.expect(h.do("POST", "/api/v1/standard-changes/"+id+"/approve", r.staff("county"), map[string]any{"version": 1}), 403); errCodeOf(e) != "standard.four_eyes" {
			t.Fatalf("the preparer approves: %v", e)
		}
		done := h.expect(h.do("POST", "/api/v1/standard-changes/"+id+"/approve", r.staff("county2"), map[string]any{"version": 1}), 200)
		if done["status"] != "applied" {
			t.Fatalf("approved: %v", done)
		}
		h.expect(h.do("POST", "/api/v1/standard-changes/"+id+"/approve", r.staff("county2"), map[string]any{"version": 2}), 409)
		if e := h.expect(h.do("POST", "/api/v1/standard-changes/"+later["id"].(string)+"/approve", r.staff("county2"), map[string]any{"version": 1}), 409); errCodeOf(e) != "standard.stale" {
			t.Fatalf("a batch prepared before another was applied: %v", e)
		}
		if x := h.expect(h.do("GET", "/api/v1/benefits/"+a, r.staff("county"), nil), 200); x["monthlyCents"] != float64(65000) {
			t.Fatalf("the benefit after the batch: %v", x)
		}
		for month, total := range map[string]float64{"2027-03": 140000, "2027-04": 150000} {
			ro := h.expect(h.do("POST", "/api/v1/rosters", r.staff("county"), map[string]any{"month": month, "category": "minimum_living"}), 201)
			if ro["totalCents"] != total {
				t.Fatalf("the roster of %s: %v, want %v", month, ro["totalCents"], total)
			}
		}
	})
}

// TestCreditRecord: a 失信 record is never made on a person lacking civil capacity; the town
// drafts and notifies it, the person (only they) sees it and states their case within the
// window, the county confirms it (not before the window ends or a statement came), a general
// level is not published, and a later review of the person's benefit shows it to staff without
// refusing anything; other areas and other residents see nothing.
func TestCreditRecord(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		c, bid := decidedBenefit(t, h, r, "rv-cr-"+be.Name, 70000, 67)
		h.clock.Set(cst("2027-03-01", 10)) // Monday
		body := map[string]any{"conduct": "concealment", "level": "general", "amountObtainedCents": 210000,
			"facts": "隐瞒家庭成员经商收入，多领低保金三个月", "civilCapacity": "limited"}
		if e := h.expect(h.do("POST", "/api/v1/benefits/"+bid+"/credit-records", r.staff("town_east"), body), 422); errCodeOf(e) != "credit.no_civil_capacity" {
			t.Fatalf("a person lacking civil capacity: %v", e)
		}
		body["civilCapacity"] = "full"
		if res := h.do("POST", "/api/v1/benefits/"+bid+"/credit-records", r.staff("town_west"), body); res.Status != 404 {
			t.Fatalf("another town drafts: %d %s", res.Status, res.Body)
		}
		rec := h.expect(h.do("POST", "/api/v1/benefits/"+bid+"/credit-records", r.staff("town_east"), body), 201)
		id := rec["id"].(string)
		if items := h.expect(h.do("GET", "/mp/v1/me/credit-records", c.tok, nil), 200)["items"].([]any); len(items) != 0 {
			t.Fatalf("a draft shown to the person: %v", items)
		}
		n := h.expect(h.do("POST", "/api/v1/credit-records/"+id+"/notify", r.staff("town_east"), map[string]any{"version": 1}), 200)
		if n["status"] != "notified" || n["statementDueOn"] != "2027-03-08" {
			t.Fatalf("notified: %v", n)
		}
		if e := h.expect(h.do("POST", "/api/v1/credit-records/"+id+"/confirm", r.staff("county"), map[string]any{"version": 2}), 409); errCodeOf(e) != "credit.statement_window" {
			t.Fatalf("confirmed inside the window without a statement: %v", e)
		}
		stranger := h.residentLogin("rv-cr-stranger-" + be.Name)
		if items := h.expect(h.do("GET", "/mp/v1/me/credit-records", stranger, nil), 200)["items"].([]any); len(items) != 0 {
			t.Fatalf("a stranger sees %v", items)
		}
		if res := h.do("POST", "/mp/v1/credit-records/"+id+"/statement", stranger, map[string]any{"statement": "x"}); res.Status != 404 {
			t.Fatalf("a stranger states: %d %s", res.Status, res.Body)
		}
		mine := h.expect(h.do("GET", "/mp/v1/me/credit-records", c.tok, nil), 200)["items"].([]any)
		if len(mine) != 1 || mine[0].(map[string]any)["status"] != "notified" {
			t.Fatalf("the person's own record: %v", mine)
		}
		h.expect(h.do("POST", "/mp/v1/credit-records/"+id+"/statement", c.tok, map[string]any{"statement": "经商收入不稳定，并非故意隐瞒"}), 200)
		if res := h.do("GET", "/api/v1/credit-records/"+id, r.staff("town_west"), nil); res.Status != 404 {
			t.Fatalf("another town reads the record: %d", res.Status)
		}
		for _, action := range []string{"notify", "confirm", "publish", "end"} {
			body := map[string]any{"version": 3}
			if action == "end" {
				body["end"], body["reason"] = "revoked", "x"
			}
			if res := h.do("POST", "/api/v1/credit-records/"+id+"/"+action, r.staff("town_west"), body); res.Status != 404 || res.errCode(t) != "credit.not_found" {
				t.Fatalf("%s by another town: %d %s", action, res.Status, res.Body)
			}
		}
		if items := h.expect(h.do("GET", "/api/v1/credit-records", r.staff("town_west"), nil), 200)["items"].([]any); len(items) != 0 {
			t.Fatalf("another town's register lists %v", items)
		}
		h.expect(h.do("POST", "/api/v1/credit-records/"+id+"/confirm", r.staff("town_east"), map[string]any{"version": 3}), 403)
		cf := h.expect(h.do("POST", "/api/v1/credit-records/"+id+"/confirm", r.staff("county"), map[string]any{"version": 3}), 200)
		if cf["status"] != "confirmed" || cf["validTo"] != "2029-03-01" || cf["statement"] == "" {
			t.Fatalf("confirmed: %v", cf)
		}
		if e := h.expect(h.do("POST", "/api/v1/credit-records/"+id+"/publish", r.staff("county_leader"), map[string]any{"version": 4}), 422); errCodeOf(e) != "credit.publish_not_allowed" {
			t.Fatalf("a general record published: %v", e)
		}
		// a later review of the person's benefit: opened as any other, the record shown to staff
		rv := h.expect(h.do("POST", "/api/v1/benefits/"+bid+"/reviews", r.staff("town_east"), map[string]any{"kind": "warning", "cause": "失信记录认定后加大核查力度"}), 201)
		if fl := rv["creditFlags"].([]any); len(fl) != 1 || fl[0].(map[string]any)["id"] != id {
			t.Fatalf("the banner on the review: %v", rv["creditFlags"])
		}
		end := h.expect(h.do("POST", "/api/v1/credit-records/"+id+"/end", r.staff("county"), map[string]any{"version": 4, "end": "repaired", "reason": "已全额退回并完成信用修复"}), 200)
		if end["status"] != "repaired" {
			t.Fatalf("repaired: %v", end)
		}
		if rv2 := h.expect(h.do("GET", "/api/v1/reviews/"+rv["id"].(string), r.staff("town_east"), nil), 200); len(rv2["creditFlags"].([]any)) != 0 {
			t.Fatalf("a repaired record still flagged: %v", rv2["creditFlags"])
		}
	})
}
