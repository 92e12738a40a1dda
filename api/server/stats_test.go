package server_test

import (
	"testing"
	"time"

	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// The dashboard's statistics on known data: two cases of the east town, one accepted the next
// working day and investigated six calendar days (four working days, over a weekend) later,
// one accepted the same afternoon. Cases per status and per category, open clocks past due per
// step, and the average stay per status in calendar and working days; another town sees none
// of it, an administrator none at all.
func TestStatsDashboard(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday) // Monday 2026-11-23 10:00 CST
		r := newReviewer(t, h)
		region := "990101" // invented ID numbers keep the invented region prefix
		_, a := r.apply(testenv.UniqueName("stats-a-"+be.Name), seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "周一", "idNumber": makeID(region, "19550101", 41)})
		_, b := r.apply(testenv.UniqueName("stats-b-"+be.Name), seed.DemoVillageE1, []string{"minimum_living", "temporary_aid"},
			map[string]string{"relation": "self", "name": "吴二", "idNumber": makeID(region, "19560101", 42)})
		h.clock.Set(monday.Add(6 * time.Hour)) // 16:00 the same day
		r.act("town_east", b, "accept", map[string]any{"opinion": "材料齐全"}, 200)
		h.clock.Set(monday.Add(24 * time.Hour)) // Tuesday
		r.act("town_east", a, "accept", map[string]any{"opinion": "材料齐全"}, 200)
		h.clock.Set(monday.Add(7 * 24 * time.Hour)) // next Monday
		r.act("town_east", a, "start-investigation", nil, 200)

		st := h.expect(h.do("GET", "/api/v1/stats?days=30", r.staff("town_east"), nil), 200)
		byStatus := map[string]float64{}
		for _, x := range st["byStatus"].([]any) {
			m := x.(map[string]any)
			byStatus[m["status"].(string)] = m["count"].(float64)
		}
		if len(byStatus) != 2 || byStatus["accepted"] != 1 || byStatus["investigating"] != 1 {
			t.Fatalf("by status: %v", st["byStatus"])
		}
		byCat := map[string]float64{}
		for _, x := range st["byCategory"].([]any) {
			m := x.(map[string]any)
			byCat[m["category"].(string)] = m["open"].(float64)
			if m["closed"].(float64) != 0 || m["label"] == "" {
				t.Fatalf("category: %v", m)
			}
		}
		if byCat["minimum_living"] != 2 || byCat["temporary_aid"] != 1 {
			t.Fatalf("by category: %v", st["byCategory"])
		}
		days := map[string]map[string]any{}
		for _, x := range st["stepDays"].([]any) {
			m := x.(map[string]any)
			days[m["status"].(string)] = m
		}
		// submitted: 1 day (1 working day) and 0.25 day (0) → 0.6 and 0.5; accepted: 6 days, 4 working.
		if s := days["submitted"]; s == nil || s["stays"] != 2.0 || s["calendarDays"] != 0.6 || s["workingDays"] != 0.5 {
			t.Fatalf("submitted: %v", st["stepDays"])
		}
		if s := days["accepted"]; s == nil || s["stays"] != 1.0 || s["calendarDays"] != 6.0 || s["workingDays"] != 4.0 {
			t.Fatalf("accepted: %v", st["stepDays"])
		}
		if len(days) != 2 {
			t.Fatalf("only ended stays count: %v", st["stepDays"])
		}
		// b's investigation was due three working days after its acceptance (Thursday).
		if o := st["overdue"].([]any); len(o) != 1 || o[0].(map[string]any)["step"] != "investigation" || o[0].(map[string]any)["count"] != 1.0 {
			t.Fatalf("overdue: %v", o)
		}

		// Six weeks later every open clock is past due; the stays that ended then are out of a
		// 7-day window.
		h.clock.Set(monday.Add(42 * 24 * time.Hour))
		st = h.expect(h.do("GET", "/api/v1/stats?days=7", r.staff("town_east"), nil), 200)
		over := map[string]float64{}
		for _, x := range st["overdue"].([]any) {
			m := x.(map[string]any)
			over[m["step"].(string)] = m["count"].(float64)
		}
		// b's investigation clock, a's data-check clock (started with its investigation).
		if len(over) != 2 || over["investigation"] != 1 || over["data_check"] != 1 || len(st["stepDays"].([]any)) != 0 {
			t.Fatalf("six weeks later: overdue %v, step days %v", st["overdue"], st["stepDays"])
		}

		if w := h.expect(h.do("GET", "/api/v1/stats", r.staff("town_west"), nil), 200); len(w["byStatus"].([]any)) != 0 || len(w["overdue"].([]any)) != 0 {
			t.Fatalf("another town: %v", w)
		}
		if res := h.do("GET", "/api/v1/stats", r.staff("admin"), nil); res.Status != 403 {
			t.Fatalf("admin: %d %s", res.Status, res.Body)
		}
		if res := h.do("GET", "/api/v1/stats?days=0", r.staff("town_east"), nil); res.Status != 400 || res.errCode(t) != "stats.invalid_days" {
			t.Fatalf("days=0: %d %s", res.Status, res.Body)
		}
	})
}
