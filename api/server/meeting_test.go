package server_test

import (
	"testing"

	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// TestTemporaryAidAboveOverallCapNeedsMeeting is issue 21 item 5 through the router on every
// backend: above the overall 临时救助 cap (10 months × 850 元 × 1 person = 8 500 元) a decision
// needs a complete 一事一议 record entered by a county leader, and an urgent grant the county
// approves gets the back-fill clock.
func TestTemporaryAidAboveOverallCapNeedsMeeting(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		_, id := r.apply("meeting-"+be.Name, seed.DemoVillageE1, []string{"temporary_aid"},
			map[string]string{"relation": "self", "name": "吴难", "idNumber": makeID("990101", "19860611", 91)})
		r.wantStatus(r.act("town_east", id, "urgent-grant", map[string]any{"amountCents": 5_000_000, "reason": "重病住院，自付费用高"}, 200), "reviewing", "to_decide")

		grant := func(meeting map[string]any) []map[string]any {
			e := map[string]any{"category": "temporary_aid", "outcome": "approved", "oneOffCents": 5_000_000}
			for k, v := range meeting {
				e[k] = v
			}
			return allFive(nil, e)
		}
		full := map[string]any{"meetingRef": "莘民〔2026〕12号纪要", "meetingOn": "2026-11-23", "meetingParticipants": "张局长、李科长、王主任"}
		// An ordinary county officer, no record: refused (it was approved, 200).
		if e := r.act("county", id, "decision", map[string]any{"entries": grant(nil)}, 422); e["code"] != "case.meeting_required" {
			t.Fatalf("above the cap without a meeting: %v", e)
		}
		// A complete record, but not by a county leader.
		if e := r.act("county", id, "decision", map[string]any{"entries": grant(full)}, 403); e["code"] != "case.meeting_forbidden" {
			t.Fatalf("a meeting recorded by an ordinary officer: %v", e)
		}
		// A county leader with an incomplete record (no participants; a meeting tomorrow).
		if e := r.act("county_leader", id, "decision", map[string]any{"entries": grant(map[string]any{"meetingRef": "纪要12号", "meetingOn": "2026-11-23"})}, 422); e["code"] != "case.meeting_required" {
			t.Fatalf("no participants: %v", e)
		}
		if e := r.act("county_leader", id, "decision", map[string]any{"entries": grant(map[string]any{"meetingRef": "纪要12号", "meetingOn": "2026-11-24", "meetingParticipants": "张、李"})}, 422); e["code"] != "case.meeting_required" {
			t.Fatalf("a meeting in the future: %v", e)
		}
		dec := r.act("county_leader", id, "decision", map[string]any{"note": "一事一议同意", "entries": grant(full)}, 200)
		// The county approved an urgent grant: paid, the paperwork back-filled on its clock.
		r.wantStatus(dec, "urgent_granted", "to_backfill")
		if openDeadline(dec, "backfill") == nil {
			t.Fatalf("no back-fill clock after the county's urgent approval: %v", dec["deadlines"])
		}
		recorded := false
		for _, d := range dec["decisions"].([]any) {
			d := d.(map[string]any)
			recorded = recorded || (d["category"] == "temporary_aid" && d["meetingRef"] == full["meetingRef"] && d["meetingOn"] == "2026-11-23" && d["meetingParticipants"] == full["meetingParticipants"])
		}
		if !recorded {
			t.Fatalf("the 一事一议 record: %v", dec["decisions"])
		}
		r.wantStatus(r.act("town_east", id, "backfill", map[string]any{"note": "已补齐材料"}, 200), "decided", "closed")

		// Within the overall cap an ordinary county officer approves an urgent grant; back-fill clock too.
		_, id2 := r.apply("meeting2-"+be.Name, seed.DemoVillageE1, []string{"temporary_aid"},
			map[string]string{"relation": "self", "name": "郑急", "idNumber": makeID("990101", "19860611", 92)})
		r.act("town_east", id2, "urgent-grant", map[string]any{"amountCents": 300_000, "reason": "房屋倒塌"}, 200)
		d2 := r.act("county", id2, "decision", map[string]any{"entries": allFive(nil, map[string]any{"category": "temporary_aid", "outcome": "approved", "oneOffCents": 300_000})}, 200)
		if r.wantStatus(d2, "urgent_granted", "to_backfill"); openDeadline(d2, "backfill") == nil {
			t.Fatalf("back-fill clock: %v", d2["deadlines"])
		}
	})
}
