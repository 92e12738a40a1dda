package server_test

import (
	"testing"

	"strconv"

	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// TestProgressTheResidentCanActOn is issue 21 item 7 through the router on every backend: the
// progress screen lists every running clock with its due date, says plainly when one is past
// (with the 12349 hotline and the complaint route), names the officer responsible with the
// office phone an administrator set (首问负责), and never shows the overall clock's date as the
// notice step's own.
func TestProgressTheResidentCanActOn(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)

		// The administrator sets the caseworker's office phone (a bad one is refused).
		admin := r.staff("admin")
		var eastID float64
		for _, it := range h.expect(h.do("GET", "/api/v1/admin/staff", admin, nil), 200)["items"].([]any) {
			if it := it.(map[string]any); it["username"] == "town_east" {
				eastID = it["id"].(float64)
			}
		}
		path := "/api/v1/admin/staff/" + strconv.Itoa(int(eastID)) + "/office-phone"
		if res := h.do("POST", path, admin, map[string]any{"officePhone": "call me"}); res.Status != 400 || res.errCode(t) != "staff.invalid_office_phone" {
			t.Fatalf("bad phone: %d %s", res.Status, res.Body)
		}
		if acc := h.expect(h.do("POST", path, admin, map[string]any{"officePhone": "0635-7331234"}), 200); acc["officePhone"] != "0635-7331234" {
			t.Fatalf("office phone: %v", acc)
		}

		tok, id := r.apply("progress-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "孙进", "idNumber": makeID("990101", "19580302", 71)})
		mine := h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
		if mine["responsible"] != nil {
			t.Fatalf("no owner before acceptance: %v", mine["responsible"])
		}
		r.act("town_east", id, "accept", map[string]any{"opinion": "材料齐全"}, 200)

		mine = h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
		resp, _ := mine["responsible"].(map[string]any)
		if resp == nil || resp["name"] != "古云镇经办人（演示）" || resp["officePhone"] != "0635-7331234" {
			t.Fatalf("responsible officer: %v", mine["responsible"])
		}
		steps := map[string]map[string]any{}
		for _, s := range mine["remainingSteps"].([]any) {
			s := s.(map[string]any)
			steps[s["step"].(string)] = s
		}
		if steps["investigation"] == nil || steps["investigation"]["dueOn"] != "2026-11-26" || steps["overall"] == nil || steps["overall"]["dueOn"] == "" {
			t.Fatalf("remaining steps with due dates: %v", mine["remainingSteps"])
		}
		if mine["overdue"] != nil || steps["investigation"]["overdue"] != false {
			t.Fatalf("nothing is overdue yet: %v", mine)
		}
		overallDue := steps["overall"]["dueOn"]

		// Ten-odd days past the investigation's due date, the screen says so and what to do.
		h.clock.Set(cst("2026-12-08", 10))
		tok = h.residentLogin("progress-" + be.Name)
		mine = h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
		var inv map[string]any
		for _, s := range mine["remainingSteps"].([]any) {
			if s := s.(map[string]any); s["step"] == "investigation" {
				inv = s
			}
		}
		if inv == nil || inv["overdue"] != true || inv["daysOverdue"].(float64) != 12 {
			t.Fatalf("overdue step: %v", mine["remainingSteps"])
		}
		help, _ := mine["overdue"].(map[string]any)
		if help == nil || help["hotline"] != "12349" || help["complaintPath"] != "/mp/v1/complaints" {
			t.Fatalf("what the resident can do: %v", mine["overdue"])
		}
		if ns := mine["nextStep"].(map[string]any); ns["overdue"] != true || ns["dueOn"] != "2026-11-26" {
			t.Fatalf("next step overdue: %v", ns)
		}

		// At the notice stage the date shown is named for the clock it belongs to.
		r.investigate(id, "town_east", "town_east2")
		r.act("town_east", id, "opinion", map[string]any{"summary": "符合", "entries": allFive(map[string]int64{"minimum_living": 120000})}, 200)
		mine = h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
		ns := mine["nextStep"].(map[string]any)
		if ns["step"] != "to_notice" || ns["dueOn"] != overallDue || ns["dueFor"] != "办理总时限（审核确认）" {
			t.Fatalf("the notice step with the overall clock's date: %v", ns)
		}
	})
}
