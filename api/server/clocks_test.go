package server_test

import (
	"context"
	"encoding/json"
	"testing"

	"palmaid/model"
	"palmaid/service/auth"
	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// Issue 21 item 6, honest clocks, through the router on every backend.

// TestClocksNoticeClosedOnFirstAllowedDayIsMet: the notice may be closed from the first day after
// its seven days; closing it then meets its clock (it was recorded missed).
func TestClocksNoticeClosedOnFirstAllowedDayIsMet(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		_, id := r.apply("notice-clock-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "赵大", "idNumber": makeID("990101", "19580302", 81)})
		r.act("town_east", id, "accept", nil, 200)
		r.investigate(id, "town_east", "town_east2")
		r.act("town_east", id, "opinion", map[string]any{"summary": "符合", "entries": allFive(map[string]int64{"minimum_living": 120000})}, 200)
		r.act("town_east", id, "notice", nil, 200) // 2026-11-23: the notice runs 11-24 … 11-30
		h.clock.Set(cst("2026-12-01", 9))
		cl := r.act("town_east", id, "notice/close", nil, 200)
		for _, d := range cl["deadlines"].([]any) {
			if d := d.(map[string]any); d["step"] == "public_notice" && d["state"] != "met" {
				t.Fatalf("notice closed on the first day allowed: %v", d)
			}
		}
	})
}

// TestClocksExtremeFoundInMinimumLivingCase: a 特困 approval proposed in a 低保-only case is
// decided on the 15-working-day 特困 clock, not the 10-day 低保 one.
func TestClocksExtremeFoundInMinimumLivingCase(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		_, id := r.apply("extreme-clock-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "孤老", "idNumber": makeID("990101", "19400105", 82)})
		r.act("town_east", id, "accept", nil, 200)
		r.investigate(id, "town_east", "town_east2")
		entries := allFive(nil, map[string]any{"category": "extreme_hardship", "memberPosition": 0, "outcome": "approved", "monthlyCents": 150000},
			map[string]any{"category": "minimum_living", "outcome": "refused", "reason": "已认定特困，不重复享受低保"})
		r.act("town_east", id, "opinion", map[string]any{"summary": "符合特困", "entries": entries}, 200)
		r.act("town_east", id, "notice", nil, 200)
		h.clock.Set(cst("2026-12-01", 9))
		cl := r.act("town_east", id, "notice/close", nil, 200)
		if d := openDeadline(cl, "decision"); d == nil || d["days"].(float64) != 15 {
			t.Fatalf("the 特困 decision clock: %v", cl["deadlines"])
		}
	})
}

// TestClocksOnlyAssistanceStaffInvestigate: the auditor is not one of the two investigators.
func TestClocksOnlyAssistanceStaffInvestigate(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		_, id := r.apply("auditor-visit-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "钱三", "idNumber": makeID("990101", "19600302", 83)})
		r.act("town_east", id, "accept", nil, 200)
		r.act("town_east", id, "start-investigation", nil, 200)
		if e := r.act("town_east", id, "visits", map[string]any{"visitedOn": "2026-11-23", "investigators": []string{"town_east", "auditor"},
			"findings": "x", "familyConfirmed": true}, 422); e["code"] != "case.visit_investigator_invalid" {
			t.Fatalf("the auditor as investigator: %v", e)
		}
	})
}

// TestClocksWithdrawalCancelsPendingDataCheck: a withdrawn case asks nothing of the county.
func TestClocksWithdrawalCancelsPendingDataCheck(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		tok, id := r.apply("withdraw-check-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "孙四", "idNumber": makeID("990101", "19600302", 84)})
		r.act("town_east", id, "accept", nil, 200)
		r.act("town_east", id, "start-investigation", nil, 200)
		h.expect(h.do("POST", "/mp/v1/cases/"+id+"/withdraw", tok, map[string]any{"version": r.version(id), "reason": "不再申请"}), 200)
		for _, dc := range r.detail("county", id)["dataChecks"].([]any) {
			if dc := dc.(map[string]any); dc["status"] == "requested" {
				t.Fatalf("a withdrawn case keeps a pending data check: %v", dc)
			}
		}
	})
}

// TestCalendarFixedHolidayCannotBeWorkday and TestCalendarCorrectionRetimesOpenClocks: the
// installation's administrators; a correction of a loaded year moves the open clocks that count
// its days and puts them on the owners' reminder list.
func TestCalendarCorrectionRetimesOpenClocks(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		ctx := context.Background()
		now := h.clock.Now()
		hash, err := auth.HashPasswordCost("palmaid-demo-2026", 4)
		testenv.Must(t, err)
		for _, u := range []string{"lc_admin", "lc_admin2"} {
			testenv.Must(t, h.app.Store.UpsertStaff(ctx, &model.Staff{Username: u, PasswordHash: hash, DisplayName: u,
				Role: model.RoleAdmin, AreaCode: "371500000000", Active: true, CreatedAt: now, UpdatedAt: now}))
		}
		lc, lc2 := h.staffLogin("lc_admin"), h.staffLogin("lc_admin2")

		// 1 January is a holiday in every year: no arrangement makes it a working day.
		bad := `{"source":"测试","days":[{"date":"2028-01-01","kind":"workday","name":"元旦上班"}]}`
		if res := h.do("PUT", "/api/v1/admin/calendar/2028", lc, bad); res.Status != 400 || res.errCode(t) != "calendar.invalid_arrangement" {
			t.Fatalf("1 January as a working day: %d %s", res.Status, res.Body)
		}

		_, id := r.apply("retime-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "周五", "idNumber": makeID("990101", "19600302", 85)})
		if d := openDeadline(r.act("town_east", id, "accept", nil, 200), "investigation"); d == nil || d["dueOn"] != "2026-11-26" {
			t.Fatalf("investigation clock: %v", d)
		}
		const path = "/api/v1/admin/calendar/2026"
		year := h.expect(h.do("GET", path, lc, nil), 200)
		days := year["days"].([]any)
		days = append(days, map[string]any{"date": "2026-11-24", "kind": "holiday", "name": "更正（测试）"},
			map[string]any{"date": "2026-11-25", "kind": "holiday", "name": "更正（测试）"})
		body, _ := json.Marshal(map[string]any{"source": "更正（测试）", "days": days})
		p := h.expect(h.do("PUT", path, lc, string(body)), 202)
		h.expect(h.do("POST", path+"/confirm", lc2, map[string]any{"proposalId": p["pending"].(map[string]any)["id"]}), 200)

		if d := openDeadline(r.detail("town_east", id), "investigation"); d == nil || d["dueOn"] != "2026-11-30" {
			t.Fatalf("the corrected year moves the open clock: %v", d)
		}
		told := false
		for _, it := range h.expect(h.do("GET", "/api/v1/reminders", r.staff("town_east"), nil), 200)["items"].([]any) {
			it := it.(map[string]any)
			told = told || (it["caseId"] == id && it["kind"] == "retimed" && it["dueOn"] == "2026-11-30")
		}
		if !told {
			t.Fatal("the owners are not told of the moved clock")
		}
	})
}
