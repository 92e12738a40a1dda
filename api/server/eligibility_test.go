package server_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// selfCheck is a rural couple of 76 and 71 on 2026-11-20 with a 500 元 pension.
func selfCheck(village string) map[string]any {
	return map[string]any{"villageCode": village, "household": map[string]any{
		"residence": "rural",
		"members": []map[string]any{
			{"relation": "self", "birthDate": "1950-01-01"},
			{"relation": "spouse", "birthDate": "1955-06-01", "selfCareFailed": 4},
		},
		"income": []map[string]any{{"member": 0, "kind": "pension", "monthlyCents": 50000},
			{"member": 0, "kind": "assistance", "monthlyCents": 30000}},
		"assets": map[string]any{"depositCents": 100000, "housing": 1},
	}}
}

func resultsByLabel(t *testing.T, m map[string]any) map[string][]map[string]any {
	t.Helper()
	out := map[string][]map[string]any{}
	for _, x := range m["results"].([]any) {
		r := x.(map[string]any)
		out[r["category"].(string)] = append(out[r["category"].(string)], r)
	}
	return out
}

func TestEligibilitySelfCheck(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		now := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC) // 10:00 CST
		h := newHarness(t, be, now)
		ctx := context.Background()
		before, err := testenv.OpenRows(t, h.app.Config).TextDump(ctx)
		if err != nil {
			t.Fatal(err)
		}

		// No login. Rural standard of the demo county: 700 元; 2 × 700 − 500 = 900 (assistance is not income).
		first := h.do("POST", "/mp/v1/eligibility/check", "", selfCheck(seed.DemoVillageW1))
		m := h.expect(first, 200)
		if first.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("Cache-Control %q", first.Header.Get("Cache-Control"))
		}
		if m["referenceOnly"] != true || !strings.Contains(m["notice"].(string), "仅供参考") || m["areaName"] != "桥下村委会" ||
			m["date"] != "2026-11-20" || m["monthlyIncomeCents"] != float64(50000) {
			t.Fatalf("answer: %v", m)
		}
		fig := m["figures"].(map[string]any)
		if fig["standardCents"] != float64(70000) || fig["urbanStandardCents"] != float64(85000) || fig["edgeMultiplier"] != "1.5" ||
			fig["extremeBasicCents"] != float64(91000) || fig["careFullCents"] != float64(100000) {
			t.Fatalf("figures: %v", fig)
		}
		res := resultsByLabel(t, m)
		// Both are 特困 (each other's spouse, both over 70 with little income: unable to support),
		// so 低保 is worked out but not suggested: a 特困 person is not also paid 低保.
		low := res[string(model.CatMinimumLiving)][0]
		if low["status"] != "not_eligible" || low["amountCents"] != float64(0) || low["label"] != "低保" {
			t.Fatalf("低保: %v", low)
		}
		reasons := low["reasons"].([]any)
		formula, last := reasons[len(reasons)-2].(map[string]any), reasons[len(reasons)-1].(map[string]any)
		if !strings.Contains(formula["text"].(string), "低保标准700.00元 × 2人 − 家庭月收入500.00元 = 每月900.00元") ||
			last["outcome"] != "fail" || !strings.Contains(last["text"].(string), "按特困供养") {
			t.Fatalf("低保 reasons: %v", reasons)
		}
		// 特困 per person: 1.3 × 700 = 910 plus care: 全自理 200, 全护理 (4 activities failed) 1000
		ex := res[string(model.CatExtremeHardship)]
		if len(ex) != 2 || ex[0]["amountCents"] != float64(111000) || ex[0]["careTier"] != "self" ||
			ex[1]["amountCents"] != float64(191000) || ex[1]["careTier"] != "full" || ex[1]["member"] != float64(1) {
			t.Fatalf("特困: %v", ex)
		}
		for _, c := range []model.Category{model.CatEdgeHousehold, model.CatIllnessPoverty, model.CatTemporaryAid} {
			if r := res[string(c)]; len(r) != 1 || r[0]["status"] != "not_eligible" {
				t.Fatalf("%s: %v", c, r)
			}
		}
		// resident text only: the staff figures (‰, the income formula) stay out
		for _, leak := range []string{"‰", "计入收入", "minimum_living."} {
			if strings.Contains(string(h.do("POST", "/mp/v1/eligibility/check", "", selfCheck(seed.DemoVillageW1)).Body), leak) {
				t.Fatalf("staff text %q in the resident answer", leak)
			}
		}

		// A town sets its own rural standard: its villages use it, the other town's keep the county's.
		if err := h.app.Store.UpsertRegionSettings(ctx, []model.RegionSetting{
			{AreaCode: seed.DemoTownWest, Key: string(model.SetStandardRuralCents), Value: "72000", EffectiveFrom: "2026-01-01"},
			{AreaCode: seed.DemoCounty, Key: string(model.SetStandardRuralCents), Value: "75000", EffectiveFrom: "2026-12-01"},
		}); err != nil {
			t.Fatal(err)
		}
		west := h.expect(h.do("POST", "/mp/v1/eligibility/check", "", selfCheck(seed.DemoVillageW1)), 200)
		east := h.expect(h.do("POST", "/mp/v1/eligibility/check", "", selfCheck(seed.DemoVillageE1)), 200)
		if s := west["figures"].(map[string]any)["standardCents"]; s != float64(72000) {
			t.Fatalf("town override: %v", s)
		}
		if s := east["figures"].(map[string]any)["standardCents"]; s != float64(70000) {
			t.Fatalf("the county's figure before its change takes effect: %v", s)
		}
		// From 2026-12-01 (CST) the county's new standard applies; the town still overrides it.
		h.clock.Set(time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC)) // 2026-12-01 00:00 CST
		east = h.expect(h.do("POST", "/mp/v1/eligibility/check", "", selfCheck(seed.DemoVillageE1)), 200)
		west = h.expect(h.do("POST", "/mp/v1/eligibility/check", "", selfCheck(seed.DemoVillageW1)), 200)
		if east["figures"].(map[string]any)["standardCents"] != float64(75000) || east["date"] != "2026-12-01" ||
			resultsByLabel(t, east)[string(model.CatExtremeHardship)][0]["amountCents"] != float64(117500) { // 1.3 × 750 + 200
			t.Fatalf("after the effective date: %v", east)
		}
		if west["figures"].(map[string]any)["standardCents"] != float64(72000) {
			t.Fatalf("town override after the county's change: %v", west["figures"])
		}

		// Bad requests.
		bad := selfCheck(seed.DemoVillageW1)
		bad["household"].(map[string]any)["members"].([]map[string]any)[0]["birthDate"] = "1950-13-01"
		r := h.do("POST", "/mp/v1/eligibility/check", "", bad)
		if r.Status != 422 || r.errCode(t) != "eligibility.invalid_facts" ||
			r.json(t)["error"].(map[string]any)["fields"].(map[string]any)["members[0].birthDate"] == nil {
			t.Fatalf("bad birth date: %d %s", r.Status, r.Body)
		}
		unknown := selfCheck(seed.DemoVillageW1)
		unknown["household"].(map[string]any)["idNumber"] = "x"
		if r := h.do("POST", "/mp/v1/eligibility/check", "", unknown); r.Status != 400 || r.errCode(t) != "request.unknown_field" {
			t.Fatalf("unknown field: %d %s", r.Status, r.Body)
		}
		if r := h.do("POST", "/mp/v1/eligibility/check", "", selfCheck(seed.DemoTownWest)); r.Status != 400 || r.errCode(t) != "area.not_village" {
			t.Fatalf("a town code: %d %s", r.Status, r.Body)
		}
		if r := h.do("POST", "/mp/v1/eligibility/check", "", selfCheck("371522009009")); r.Status != 422 || r.errCode(t) != "area.unknown" {
			t.Fatalf("an unknown village: %d %s", r.Status, r.Body)
		}
		if r := h.do("POST", "/mp/v1/eligibility/check", "", `{"villageCode":`); r.Status != 400 {
			t.Fatalf("broken JSON: %d %s", r.Status, r.Body)
		}

		// Never stored: every table is as it was (the settings written above excepted).
		after, err := testenv.OpenRows(t, h.app.Config).TextDump(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, written := range []string{"region_settings", "sqlite_sequence"} { // sqlite_sequence: the settings' ids
			delete(before, written)
			delete(after, written)
		}
		if !reflect.DeepEqual(before, after) {
			for k := range after {
				if !reflect.DeepEqual(before[k], after[k]) {
					t.Errorf("table %s changed", k)
				}
			}
		}

		// Rate limited per address like the other public routes.
		limited := false
		for i := 0; i < 40 && !limited; i++ {
			r := h.do("POST", "/mp/v1/eligibility/check", "", selfCheck(seed.DemoVillageW1))
			if r.Status == 429 {
				limited = r.errCode(t) == "request.rate_limited" && r.Header.Get("Retry-After") != ""
			}
		}
		if !limited {
			t.Fatal("no rate limit")
		}
	})
}
