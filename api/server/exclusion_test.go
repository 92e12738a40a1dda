package server_test

import (
	"strings"
	"testing"

	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// Issue 21, "特困 ignores legal supporters who live in the household": a 76-year-old whose
// co-resident spouse (51, able to work) earns 8 000 元 a month was told by the self-check that
// she qualifies for 特困 ("没有法定赡养、抚养、扶养义务人"); the same for a severely disabled
// adult living with a working father (also offered 单人保 and 特困 at once).
func TestSelfCheckSeesSupportersAtHome(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		check := func(members []map[string]any, income []map[string]any) map[string][]map[string]any {
			t.Helper()
			return resultsByLabel(t, h.expect(h.do("POST", "/mp/v1/eligibility/check", "", map[string]any{"villageCode": seed.DemoVillageW1,
				"household": map[string]any{"residence": "rural", "members": members, "income": income,
					"assets": map[string]any{"housing": 1}}}), 200))
		}
		reasons := func(r map[string]any) string {
			var b strings.Builder
			for _, x := range r["reasons"].([]any) {
				b.WriteString(x.(map[string]any)["text"].(string) + "\n")
			}
			return b.String()
		}

		res := check([]map[string]any{{"relation": "self", "birthDate": "1950-01-01"},
			{"relation": "spouse", "birthDate": "1975-06-01", "workAbility": "full"}},
			[]map[string]any{{"member": 1, "kind": "wage", "monthlyCents": 800000}})
		her := res["extreme_hardship"][0]
		if her["status"] != "not_eligible" || !strings.Contains(reasons(her), "共同生活的配偶") || strings.Contains(reasons(her), "没有法定赡养") {
			t.Fatalf("特困 of the wife of an earning husband: %v", her)
		}

		res = check([]map[string]any{{"relation": "self", "birthDate": "1996-01-01", "disabilityKind": "intellectual", "disabilityGrade": 2},
			{"relation": "parent", "birthDate": "1968-01-01", "workAbility": "full"}},
			[]map[string]any{{"member": 1, "kind": "wage", "monthlyCents": 150000}})
		son := res["extreme_hardship"][0]
		if son["status"] != "not_eligible" || !strings.Contains(reasons(son), "共同生活的父母") {
			t.Fatalf("特困 of the disabled son of a working father: %v", son)
		}
		eligible := 0
		for _, r := range res["minimum_living"] {
			if r["singlePerson"] == true && r["status"] == "eligible" {
				eligible++
			}
		}
		if eligible != 1 || res["edge_household"][0]["status"] != "eligible" {
			t.Fatalf("the son alone (单人保) in an edge household: %v / %v", res["minimum_living"], res["edge_household"])
		}
	})
}

// The same household at the town: the pre-filled 初审 does not suggest 特困 for her, and names
// the spouse in the basis.
func TestOpinionSuggestionSeesSupportersAtHome(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		herID, hisID := makeID("990101", "19500101", 61), makeID("990101", "19750601", 62)
		r.ids = append(r.ids, herID, hisID)
		facts := map[string]any{"residence": "rural",
			"members": []map[string]any{
				{"relation": "self", "name": "周兰", "idNumber": herID, "hukouType": "local", "health": "chronic", "workAbility": "none", "employment": "none"},
				{"relation": "spouse", "name": "吴强", "idNumber": hisID, "hukouType": "local", "health": "healthy", "workAbility": "full", "employment": "employed"}},
			"income": []map[string]any{{"member": 1, "kind": "wage", "amountCents": 800000, "period": "monthly", "source": "建筑公司"}},
			"assets": map[string]any{"declared": true, "depositCents": 300000}, "noSupporters": true} // none living elsewhere
		cs := h.expect(h.do("POST", "/api/v1/assisted-applications", r.staff("village_e1"), map[string]any{"villageCode": seed.DemoVillageE1,
			"address": "孙庄村6组2号", "categories": []string{"extreme_hardship"}, "reason": "年老体弱", "facts": facts, "paperFormsSigned": true}), 201)
		id := cs["id"].(string)
		r.act("town_east", id, "accept", nil, 200)
		r.investigate(id, "town_east", "town_east2")
		found := false
		for _, sg := range r.detail("town_east", id)["suggestedOpinion"].([]any) {
			sg := sg.(map[string]any)
			if sg["category"] == "extreme_hardship" && sg["memberPosition"] == 0.0 {
				found = true
				if sg["outcome"] != "refused" || !strings.Contains(sg["basis"].(string), "配偶（成员2）") || strings.Contains(sg["basis"].(string), hisID) {
					t.Fatalf("suggested 特困 for her: %v", sg)
				}
			}
		}
		if !found {
			t.Fatal("no 特困 suggestion for her")
		}
	})
}

// Issue 21, "categories that exclude each other are granted together": one single person was
// approved for 低保, 特困 and 低保边缘 in the same county decision. The opinion and the decision
// refuse any excluded pair with a 422 naming the rule and both entries.
func TestOpinionAndDecisionRefuseExcludedPairs(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		_, id := r.apply("excl-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "郑单", "idNumber": makeID("990101", "19450105", 63)})
		r.act("town_east", id, "accept", nil, 200)
		r.investigate(id, "town_east", "town_east2")
		tekun := map[string]any{"category": "extreme_hardship", "memberPosition": 0, "outcome": "approved", "monthlyCents": 110500}
		single := map[string]any{"category": "minimum_living", "memberPosition": 0, "outcome": "approved", "monthlyCents": 50000}
		all3 := allFive(map[string]int64{"minimum_living": 55000, "edge_household": 0}, tekun)
		for _, c := range []struct {
			entries []map[string]any
			code    string
		}{
			{all3, "exclusion.minimum_living_extreme_hardship"}, // the first pair found
			{allFive(map[string]int64{"minimum_living": 55000, "edge_household": 0}), "exclusion.minimum_living_edge_household"},
			{allFive(map[string]int64{"minimum_living": 55000}, tekun), "exclusion.minimum_living_extreme_hardship"},
			{allFive(map[string]int64{"edge_household": 0}, tekun), "exclusion.extreme_hardship_edge_household"},
			{allFive(nil, tekun, single), "exclusion.extreme_hardship_single_person"},
			{allFive(map[string]int64{"illness_poverty": 0}, tekun), "exclusion.illness_poverty_covered"},
		} {
			e := r.act("town_east", id, "opinion", map[string]any{"entries": c.entries}, 422)
			body := string(mustJSON(t, e["body"]))
			if e["code"] != c.code || !strings.Contains(body, "不能同时批准") || strings.Count(body, "entries[") != 2 {
				t.Fatalf("opinion: want %s: %v", c.code, e)
			}
		}
		r.act("town_east", id, "opinion", map[string]any{"entries": allFive(nil, tekun)}, 200)
		r.act("town_east", id, "notice", nil, 200)
		h.clock.Set(cst("2026-12-01", 9))
		r.act("town_east", id, "notice/close", nil, 200)
		if e := r.act("county", id, "decision", map[string]any{"entries": all3}, 422); e["code"] != "exclusion.minimum_living_extreme_hardship" {
			t.Fatalf("decision with 低保, 特困 and 边缘: %v", e)
		}
		if e := r.act("county", id, "decision", map[string]any{"entries": allFive(map[string]int64{"minimum_living": 55000, "edge_household": 0})}, 422); e["code"] != "exclusion.minimum_living_edge_household" {
			t.Fatalf("decision with 低保 and 边缘: %v", e)
		}
		// 特困 found in this 低保 case is drawn like any 特困 case (issue 21: spot checks)
		if d := h.expect(h.do("POST", "/api/v1/spot-check-draws", r.staff("county"), map[string]any{"from": "2026-12-01", "to": "2026-12-01"}), 201); d["sampleSize"] != 1.0 {
			t.Fatalf("draw: %v", d)
		}
		r.act("county", id, "spot-check", map[string]any{"checkedOn": "2026-12-01", "place": "申请人家中", "officers": []string{"county", "county2"},
			"findings": "情况属实", "confirmed": true}, 200)
		dec := r.act("county", id, "decision", map[string]any{"entries": allFive(map[string]int64{"temporary_aid": 0}, tekun)}, 200)
		r.wantStatus(dec, "decided", "closed")
	})
}
