package server_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"testing"

	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// 特困 spot checks as the rules mean them (issue 21): the county's 特困 cases put to it for
// confirmation in a period — asked for or found by the town — are the population; the system
// draws the sample with a recorded seed; a check is an in-person record by two named officers
// who did not investigate the case; no 特困 approval passes without the draw, nor a sampled one
// without its check.

// toCounty takes a case through the town's work to the county's decision step. found: the
// applicant asked for 低保 only and the town's opinion proposes 特困 (五合一).
func (r *reviewer) toCounty(name, person string, seq int, found bool) string {
	r.t.Helper()
	cats := []string{"extreme_hardship"}
	if found {
		cats = []string{"minimum_living"}
	}
	_, id := r.apply(name, seed.DemoVillageE1, cats,
		map[string]string{"relation": "self", "name": person, "idNumber": makeID("990101", "19400105", seq)})
	r.act("town_east", id, "accept", nil, 200)
	r.investigate(id, "town_east", "town_east2")
	entries := allFive(nil, map[string]any{"category": "extreme_hardship", "memberPosition": 0, "outcome": "approved", "monthlyCents": 110500})
	if found {
		entries = allFive(nil, map[string]any{"category": "extreme_hardship", "memberPosition": 0, "outcome": "approved", "monthlyCents": 110500},
			map[string]any{"category": "minimum_living", "outcome": "refused", "reason": "已认定特困，不重复享受低保"})
	}
	r.act("town_east", id, "opinion", map[string]any{"summary": "符合特困", "entries": entries}, 200)
	r.act("town_east", id, "notice", nil, 200)
	return id
}

func tekunApproved() []map[string]any {
	return allFive(nil, map[string]any{"category": "extreme_hardship", "memberPosition": 0, "outcome": "approved", "monthlyCents": 110500},
		map[string]any{"category": "minimum_living", "outcome": "refused", "reason": "已认定特困，不重复享受低保"})
}

// TestSpotCheckFoundExtremeHardship: 特困 found in a 低保 case was approved with no check; now it
// is drawn like an application for 特困, and approved only after the in-person check.
func TestSpotCheckFoundExtremeHardship(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		id := r.toCounty("spot-found-"+be.Name, "孤老甲", 701, true)
		h.clock.Set(cst("2026-12-01", 9))
		r.act("town_east", id, "notice/close", nil, 200)

		if e := r.act("county", id, "decision", map[string]any{"entries": tekunApproved()}, 422); e["code"] != "case.spot_check_draw_required" {
			t.Fatalf("特困 found by the town, approved before any draw: %v", e)
		}
		// the officer does not choose: a case not drawn cannot be "checked", and a note is no check
		if res := h.do("POST", "/api/v1/cases/"+id+"/spot-check", r.staff("county"), map[string]any{"version": r.version(id), "note": "电话回访"}); res.Status != 400 {
			t.Fatalf("a note as a spot check: %d %s", res.Status, res.Body)
		}
		check := map[string]any{"checkedOn": "2026-12-01", "place": "申请人家中", "officers": []string{"county", "county2"},
			"findings": "独居，无收入，与调查一致", "confirmed": true}
		if e := r.act("county", id, "spot-check", clone(check), 422); e["code"] != "case.spot_check_not_sampled" {
			t.Fatalf("checking a case no draw sampled: %v", e)
		}

		// the draw: the county's, for a closed period, recorded
		county := r.staff("county")
		if res := h.do("POST", "/api/v1/spot-check-draws", r.staff("town_east"), map[string]any{"from": "2026-11-23", "to": "2026-12-01"}); res.Status != 403 {
			t.Fatalf("a town draws: %d %s", res.Status, res.Body)
		}
		for _, bad := range []map[string]any{{"from": "2026-12-01", "to": "2026-11-30"}, {"from": "2026-11-23", "to": "2026-12-02"}, {"from": "2026-11-23", "to": "12/01"}} {
			if res := h.do("POST", "/api/v1/spot-check-draws", county, bad); res.Status != 422 || res.errCode(t) != "spot_check.invalid_period" {
				t.Fatalf("period %v: %d %s", bad, res.Status, res.Body)
			}
		}
		d := h.expect(h.do("POST", "/api/v1/spot-check-draws", county, map[string]any{"from": "2026-11-23", "to": "2026-12-01"}), 201)
		seedHex, _ := d["seed"].(string)
		if d["populationSize"] != 1.0 || d["sampleSize"] != 1.0 || d["percent"] != 30.0 || len(seedHex) != 32 || d["reproducible"] != true ||
			fmt.Sprint(d["sample"]) != "["+id+"]" {
			t.Fatalf("draw: %v", d)
		}
		if res := h.do("POST", "/api/v1/spot-check-draws", county, map[string]any{"from": "2026-11-23", "to": "2026-12-01"}); res.Status != 422 ||
			res.errCode(t) != "spot_check.empty_population" {
			t.Fatalf("a case is drawn once: %d %s", res.Status, res.Body)
		}
		if e := r.act("county", id, "decision", map[string]any{"entries": tekunApproved()}, 422); e["code"] != "case.spot_check_required" {
			t.Fatalf("sampled, approved before the check: %v", e)
		}

		// the check: in person, two officers who did not investigate, a date not in the future
		bad := clone(check)
		bad["officers"] = []string{"county", "town_east"}
		if e := r.act("county", id, "spot-check", bad, 422); e["code"] != "case.visit_investigator_invalid" {
			t.Fatalf("an investigator checks their own case: %v", e)
		}
		bad["officers"] = []string{"county", "county"}
		if e := r.act("county", id, "spot-check", bad, 422); e["code"] != "case.visit_needs_two_investigators" {
			t.Fatalf("one officer: %v", e)
		}
		bad = clone(check)
		bad["checkedOn"] = "2026-12-02"
		r.act("county", id, "spot-check", bad, 400)
		bad = clone(check)
		delete(bad, "place")
		if e := r.act("county", id, "spot-check", bad, 422); e["code"] != "case.reason_required" {
			t.Fatalf("no place: %v", e)
		}
		sc := r.act("county", id, "spot-check", clone(check), 200)
		rec, _ := sc["spotCheck"].(map[string]any)
		if sc["spotChecked"] != true || rec == nil || rec["sampled"] != true || rec["place"] != "申请人家中" || rec["checkedOn"] != "2026-12-01" ||
			len(rec["officers"].([]any)) != 2 || !strings.Contains(fmt.Sprint(rec["officers"]), "莘县民政局第二审核人") {
			t.Fatalf("the in-person check: %v", sc["spotCheck"])
		}
		r.act("county", id, "spot-check", clone(check), 409)
		dec := r.act("county", id, "decision", map[string]any{"entries": tekunApproved()}, 200)
		r.wantStatus(dec, "decided", "refusal_notice") // 特困 approved, 低保 refused in writing

		got := h.expect(h.do("GET", fmt.Sprintf("/api/v1/spot-check-draws/%v", d["id"]), county, nil), 200)
		cs := got["cases"].([]any)
		if len(cs) != 1 || cs[0].(map[string]any)["checked"] != true || got["reproducible"] != true || got["seed"] != seedHex {
			t.Fatalf("the draw read back: %v", got)
		}
		if l := h.expect(h.do("GET", "/api/v1/spot-check-draws", county, nil), 200); len(l["items"].([]any)) != 1 {
			t.Fatalf("draws: %v", l)
		}
		h.expect(h.do("GET", "/api/v1/spot-check-draws/999999", county, nil), 404)
		if res := h.do("GET", fmt.Sprintf("/api/v1/spot-check-draws/%v", d["id"]), r.staff("town_east"), nil); res.Status != 403 {
			t.Fatalf("a town reads the county's draw: %d %s", res.Status, res.Body)
		}
		r.privacyScan()
	})
}

// TestSpotCheckDrawIsSeeded: three 特困 cases (two asked for, one found) in the period; 30 % of
// three is one, chosen by the recorded seed as documented (the smallest SHA-256 of "seed:id");
// the others are confirmed without a check, and cannot be "checked" by choice.
func TestSpotCheckDrawIsSeeded(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		ids := []string{r.toCounty("spot-a-"+be.Name, "孤老乙", 711, false), r.toCounty("spot-b-"+be.Name, "孤老丙", 712, false), r.toCounty("spot-c-"+be.Name, "孤老丁", 713, true)}
		// a 低保 case with no 特困 in it is not part of the population
		_, other := r.apply("spot-d-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "钱低保", "idNumber": makeID("990101", "19700105", 714)})
		r.act("town_east", other, "accept", nil, 200)
		r.investigate(other, "town_east", "town_east2")
		r.act("town_east", other, "opinion", map[string]any{"entries": allFive(map[string]int64{"minimum_living": 50000})}, 200)
		r.act("town_east", other, "notice", nil, 200)
		h.clock.Set(cst("2026-12-01", 9))
		for _, id := range append(ids, other) {
			r.act("town_east", id, "notice/close", nil, 200)
		}
		d := h.expect(h.do("POST", "/api/v1/spot-check-draws", r.staff("county"), map[string]any{"from": "2026-12-01", "to": "2026-12-01"}), 201)
		if d["populationSize"] != 3.0 || d["sampleSize"] != 1.0 {
			t.Fatalf("population of three 特困 cases: %v", d)
		}
		pop := []string{}
		for _, c := range d["cases"].([]any) {
			pop = append(pop, c.(map[string]any)["caseId"].(string))
		}
		sort.Strings(pop)
		want := append([]string(nil), ids...)
		sort.Strings(want)
		if fmt.Sprint(pop) != fmt.Sprint(want) {
			t.Fatalf("population %v, want %v", pop, want)
		}
		// re-drawn by hand from the seed: the case with the smallest SHA-256("seed:id")
		best, bestKey := "", ""
		for _, id := range pop {
			sum := sha256.Sum256([]byte(d["seed"].(string) + ":" + id))
			if k := hex.EncodeToString(sum[:]); best == "" || k < bestKey {
				best, bestKey = id, k
			}
		}
		if fmt.Sprint(d["sample"]) != "["+best+"]" {
			t.Fatalf("sample %v, the seed gives %s", d["sample"], best)
		}
		for _, id := range ids {
			if id == best {
				if e := r.act("county", id, "decision", map[string]any{"entries": tekunApproved()}, 422); e["code"] != "case.spot_check_required" {
					t.Fatalf("the sampled case: %v", e)
				}
				continue
			}
			if e := r.act("county", id, "spot-check", map[string]any{"checkedOn": "2026-12-01", "place": "家中", "officers": []string{"county", "county2"},
				"findings": "属实", "confirmed": true}, 422); e["code"] != "case.spot_check_not_sampled" {
				t.Fatalf("the officer picks a case not drawn: %v", e)
			}
			r.wantStatus(r.act("county", id, "decision", map[string]any{"entries": tekunApproved()}, 200), "decided", "")
		}
	})
}

func clone(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}
