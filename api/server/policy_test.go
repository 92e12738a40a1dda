package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/auth"
	"palmaid/service/policyadmin"
	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// policyValues indexes a GET /admin/policy answer by setting key.
func policyValues(t *testing.T, m map[string]any) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, x := range m["values"].([]any) {
		v := x.(map[string]any)
		out[v["key"].(string)] = v
	}
	if len(out) != len(model.Settings()) {
		t.Fatalf("%d values, want one per setting (%d)", len(out), len(model.Settings()))
	}
	return out
}

func source(v map[string]any) string {
	s := v["source"].(map[string]any)
	return s["level"].(string) + ":" + s["areaCode"].(string) + "@" + s["effectiveFrom"].(string)
}

// An administrator reads the typed policy with the origin of each value, sets overrides from a
// future date (validated, audited), and inheritance runs down the area tree.
func TestPolicyAdmin(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)) // 2026-11-20 10:00 CST
		ctx := context.Background()
		admin := h.staffLogin("admin")
		county := "/api/v1/admin/policy/" + seed.DemoCounty

		got := h.expect(h.do("GET", county, admin, nil), 200)
		vals := policyValues(t, got)
		if got["date"] != "2026-11-20" || got["areaName"] != "莘县" || !strings.HasPrefix(got["policyRef"].(string), "2026-11-20#") {
			t.Fatalf("answer: %v", got)
		}
		if v := vals[string(model.SetStandardCents)]; v["value"] != float64(85000) || source(v) != "county:"+seed.DemoCounty+"@2026-01-01" ||
			v["type"] != "cents" || v["label"] == "" {
			t.Fatalf("standard: %v", v)
		}
		if v := vals[string(model.SetEdgeMultiplier)]; v["value"] != 1.5 || v["type"] != "ratio" {
			t.Fatalf("edge multiplier: %v", v)
		}
		if v := vals[string(model.SetSpotCheckPercent)]; v["value"] != float64(30) || source(v) != "national:@" || v["source"].(map[string]any)["areaName"] != "全国默认" {
			t.Fatalf("a national default: %v", v)
		}
		if v := vals[string(model.SetTemporaryTiers)]; len(v["value"].([]any)) != 3 {
			t.Fatalf("months: %v", v)
		}
		if n := len(got["overrides"].([]any)); n != len(seed.DemoSettings()) {
			t.Fatalf("the county's own rows: %d, want %d", n, len(seed.DemoSettings()))
		}

		// The county sets a new standard, tiers and 民主评议 from 2026-12-01; a town lowers the edge multiplier.
		set := h.expect(h.do("PUT", county, admin, map[string]any{"effectiveFrom": "2026-12-01", "values": map[string]any{
			string(model.SetStandardCents):  90000,
			string(model.SetAmountMethod):   "tiers",
			string(model.SetAmountTiers):    []map[string]any{{"ceilPermille": 500, "amountPermille": 700}, {"ceilPermille": 1000, "amountPermille": 300}},
			string(model.SetDemocraticEval): true,
		}}), 200)
		if set["date"] != "2026-12-01" {
			t.Fatalf("answer of a change: %v", set)
		}
		after := policyValues(t, set)
		if v := after[string(model.SetStandardCents)]; v["value"] != float64(90000) || source(v) != "county:"+seed.DemoCounty+"@2026-12-01" {
			t.Fatalf("new standard: %v", v)
		}
		if v := after[string(model.SetAmountTiers)]["value"].([]any); len(v) != 2 || v[1].(map[string]any)["amountPermille"] != float64(300) {
			t.Fatalf("tiers: %v", v)
		}
		if after[string(model.SetDemocraticEval)]["value"] != true {
			t.Fatalf("民主评议: %v", after[string(model.SetDemocraticEval)])
		}
		h.expect(h.do("PUT", "/api/v1/admin/policy/"+seed.DemoTownWest, admin, map[string]any{"effectiveFrom": "2026-11-21",
			"values": map[string]any{string(model.SetEdgeMultiplier): 1.25}}), 200)
		// Today nothing changed; on 2026-12-01 a village of the town sees the county's standard and its town's multiplier.
		if v := policyValues(t, h.expect(h.do("GET", county, admin, nil), 200))[string(model.SetStandardCents)]; v["value"] != float64(85000) {
			t.Fatalf("today, before the effective date: %v", v)
		}
		village := policyValues(t, h.expect(h.do("GET", "/api/v1/admin/policy/"+seed.DemoVillageW1+"?date=2026-12-01", admin, nil), 200))
		if v := village[string(model.SetStandardCents)]; v["value"] != float64(90000) || source(v) != "county:"+seed.DemoCounty+"@2026-12-01" {
			t.Fatalf("village on 2026-12-01, standard: %v", v)
		}
		if v := village[string(model.SetEdgeMultiplier)]; v["value"] != 1.25 || source(v) != "town:"+seed.DemoTownWest+"@2026-11-21" {
			t.Fatalf("village on 2026-12-01, multiplier: %v", v)
		}
		// The resident's self-check reads the same policy: the town's multiplier from tomorrow.
		h.clock.Set(time.Date(2026, 11, 20, 16, 0, 0, 0, time.UTC)) // 2026-11-21 CST
		admin = h.staffLogin("admin")
		if f := h.expect(h.do("POST", "/mp/v1/eligibility/check", "", selfCheck(seed.DemoVillageW1)), 200)["figures"].(map[string]any); f["edgeMultiplier"] != "1.25" {
			t.Fatalf("self-check figures: %v", f)
		}

		// Validation: each refusal names the field and changes nothing.
		bad := func(body map[string]any, status int, code, field string) {
			t.Helper()
			r := h.do("PUT", county, admin, body)
			if r.Status != status || r.errCode(t) != code {
				t.Fatalf("%v: %d %s", body, r.Status, r.Body)
			}
			if field != "" {
				if f, _ := r.json(t)["error"].(map[string]any)["fields"].(map[string]any); f[field] == nil {
					t.Fatalf("%v: field %s not named: %s", body, field, r.Body)
				}
			}
		}
		day := "2026-12-15"
		bad(map[string]any{"effectiveFrom": day, "values": map[string]any{"minimum_living.standard": 1}}, 400, "policy.unknown_setting", "values.minimum_living.standard")
		bad(map[string]any{"effectiveFrom": day, "values": map[string]any{}, "note": "x"}, 400, "request.unknown_field", "")
		bad(map[string]any{"effectiveFrom": day, "values": map[string]any{}}, 400, "policy.no_values", "values")
		bad(map[string]any{"effectiveFrom": day, "values": map[string]any{string(model.SetStandardCents): "90000"}}, 400, "policy.invalid_value", "values."+string(model.SetStandardCents))
		bad(map[string]any{"effectiveFrom": day, "values": map[string]any{string(model.SetEdgeMultiplier): 3.5, string(model.SetPaymentDay): 31}},
			422, "policy.out_of_range", "values."+string(model.SetPaymentDay))
		bad(map[string]any{"effectiveFrom": day, "values": map[string]any{string(model.SetEdgeMultiplier): 1.2345}}, 422, "policy.out_of_range", "values."+string(model.SetEdgeMultiplier))
		bad(map[string]any{"effectiveFrom": day, "values": map[string]any{string(model.SetDeciderMinLiving): "province"}}, 422, "policy.out_of_range", "values."+string(model.SetDeciderMinLiving))
		bad(map[string]any{"effectiveFrom": day, "values": map[string]any{string(model.SetTemporaryTiers): []int{3, 2, 1}}}, 422, "policy.out_of_range", "values."+string(model.SetTemporaryTiers))
		bad(map[string]any{"effectiveFrom": "2026-11-21", "values": map[string]any{string(model.SetStandardCents): 1}}, 422, "policy.effective_not_future", "effectiveFrom")
		bad(map[string]any{"effectiveFrom": "2026-11-01", "values": map[string]any{string(model.SetStandardCents): 1}}, 422, "policy.effective_not_future", "effectiveFrom")
		bad(map[string]any{"effectiveFrom": "2026-12-1", "values": map[string]any{string(model.SetStandardCents): 1}}, 400, "policy.invalid_date", "effectiveFrom")
		// finding (issue 19): 9999-12-31 was accepted; dates are bounded, and a change is dated
		// no further than the horizon (PALMAID_POLICY_HORIZON, two years by default)
		bad(map[string]any{"effectiveFrom": "9999-12-31", "values": map[string]any{string(model.SetStandardCents): 1}}, 400, "policy.invalid_date", "effectiveFrom")
		bad(map[string]any{"effectiveFrom": "2029-01-01", "values": map[string]any{string(model.SetStandardCents): 1}}, 422, "policy.beyond_horizon", "effectiveFrom")
		if r := h.do("GET", county+"?date=0000-01-01", admin, nil); r.Status != 400 || r.errCode(t) != "policy.invalid_date" {
			t.Fatalf("year 0: %d %s", r.Status, r.Body)
		}
		// tiers chosen, but on that date the tiers are removed: refused, rolled back
		bad(map[string]any{"effectiveFrom": "2026-12-01", "values": map[string]any{string(model.SetAmountTiers): nil}}, 422, "policy.tiers_required", "values."+string(model.SetAmountTiers))
		if r := h.do("GET", county+"?date=2026-13-01", admin, nil); r.Status != 400 || r.errCode(t) != "policy.invalid_date" {
			t.Fatalf("bad date: %d %s", r.Status, r.Body)
		}
		if v := policyValues(t, h.expect(h.do("GET", county+"?date=2026-12-15", admin, nil), 200)); v[string(model.SetAmountTiers)]["source"].(map[string]any)["effectiveFrom"] != "2026-12-01" ||
			v[string(model.SetPaymentDay)]["value"] != float64(10) {
			t.Fatalf("a refused change changed the policy: %v %v", v[string(model.SetAmountTiers)], v[string(model.SetPaymentDay)])
		}

		// null removes the area's own value from that date: the town inherits the county's multiplier again.
		h.expect(h.do("PUT", "/api/v1/admin/policy/"+seed.DemoTownWest, admin, map[string]any{"effectiveFrom": "2026-11-21",
			"values": map[string]any{string(model.SetEdgeMultiplier): nil}}), 422) // 2026-11-21 is today now: the past is not rewritten
		h.expect(h.do("PUT", "/api/v1/admin/policy/"+seed.DemoTownWest, admin, map[string]any{"effectiveFrom": "2026-12-15",
			"values": map[string]any{string(model.SetEdgeMultiplier): 1.5}}), 200)
		town := h.expect(h.do("PUT", "/api/v1/admin/policy/"+seed.DemoTownWest, admin, map[string]any{"effectiveFrom": "2026-12-15",
			"values": map[string]any{string(model.SetEdgeMultiplier): nil}}), 200)
		if v := policyValues(t, town)[string(model.SetEdgeMultiplier)]; v["value"] != 1.25 || source(v) != "town:"+seed.DemoTownWest+"@2026-11-21" {
			t.Fatalf("after removing the 2026-12-15 row: %v", v)
		}
		if n := len(town["overrides"].([]any)); n != 1 {
			t.Fatalf("the town's own rows: %v", town["overrides"])
		}

		// Every change is audited with the old and new values.
		rows, err := testenv.OpenRows(t, h.app.Config).AuditByAction(ctx, policyadmin.ActionSet)
		testenv.Must(t, err)
		if len(rows) != 4 || rows[0].RequestID == "" {
			t.Fatalf("audit rows: %+v", rows)
		}
		var all []string
		for _, r := range rows {
			all = append(all, r.Detail)
		}
		if joined := strings.Join(all, "\n"); !strings.Contains(joined, string(model.SetStandardCents)+"=-→90000") ||
			!strings.Contains(joined, string(model.SetEdgeMultiplier)+"=1.5→(inherit)") {
			t.Fatalf("audit details: %s", joined)
		}
	})
}

// Only an administrator, and only inside their own area subtree: another county's
// administrator gets the same 404 as an unknown area.
func TestPolicyAdminNotYours(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
		ctx := context.Background()
		county := "/api/v1/admin/policy/" + seed.DemoCounty
		body := map[string]any{"effectiveFrom": "2026-12-01", "values": map[string]any{string(model.SetStandardCents): 1}}
		if r := h.do("GET", county, h.staffLogin("town_east"), nil); r.Status != 403 || r.errCode(t) != "auth.forbidden" {
			t.Fatalf("a caseworker: %d %s", r.Status, r.Body)
		}
		if r := h.do("PUT", county, h.staffLogin("county"), body); r.Status != 403 {
			t.Fatalf("a county officer: %d %s", r.Status, r.Body)
		}
		hash, err := auth.HashPassword("Other-admin-2026")
		testenv.Must(t, err)
		now := h.clock.Now()
		testenv.Must(t, h.app.Store.CreateStaff(ctx, &model.Staff{Username: "admin.policy", PasswordHash: hash, DisplayName: "另一县管理员",
			Role: model.RoleAdmin, AreaCode: "990102000000", Active: true, SessionVersion: 1, CreatedAt: now, UpdatedAt: now}))
		other := h.expect(h.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin.policy", "password": "Other-admin-2026"}), 200)["token"].(string)
		for _, path := range []string{county, "/api/v1/admin/policy/" + seed.DemoVillageE1, "/api/v1/admin/policy/" + seed.DemoTownWest} {
			for _, method := range []string{"GET", "PUT"} {
				var b any
				if method == "PUT" {
					b = body
				}
				mine := h.do(method, path, other, b)
				if mine.Status != 404 || mine.errCode(t) != "policy.area_not_found" {
					t.Fatalf("another county's admin %s %s: %d %s", method, path, mine.Status, mine.Body)
				}
			}
		}
		admin := h.staffLogin("admin")
		for _, code := range []string{"990102000000", "371522009009", "99", "370000000000"} {
			for _, method := range []string{"GET", "PUT"} {
				var b any
				if method == "PUT" {
					b = body
				}
				if r := h.do(method, "/api/v1/admin/policy/"+code, admin, b); r.Status != 404 || r.errCode(t) != "policy.area_not_found" {
					t.Fatalf("%s area %s: %d %s", method, code, r.Status, r.Body)
				}
			}
		}
		if rows, err := testenv.OpenRows(t, h.app.Config).AuditByAction(ctx, policyadmin.ActionSet); err != nil || len(rows) != 0 {
			t.Fatalf("refused requests audited as changes: %v %v", rows, err)
		}
	})
}

// A change set through the API never rewrites the past: a decision made before it keeps its
// amount and policy reference, and the policy read for the decision's date is the one it was
// made under (same reference, old standard).
func TestPolicyChangeKeepsPastDecisions(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		decide := func(name, id string) map[string]any {
			r.act("town_east", id, "accept", nil, 200)
			r.investigate(id, "town_east", "town_east2")
			entries := allFive(map[string]int64{"minimum_living": 85000})
			r.act("town_east", id, "opinion", map[string]any{"entries": entries}, 200)
			r.act("town_east", id, "notice", nil, 200)
			h.clock.Set(h.clock.Now().Add(8 * 24 * time.Hour))
			r.act("town_east", id, "notice/close", nil, 200)
			d := r.act("county", id, "decision", map[string]any{"entries": entries}, 200)
			for _, x := range d["decisions"].([]any) {
				if x := x.(map[string]any); x["outcome"] == "approved" {
					return x
				}
			}
			t.Fatalf("%s: no approval", name)
			return nil
		}
		_, first := r.apply("polapi1-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "曹一", "idNumber": makeID("990101", "19610101", 18)})
		before := decide("first", first)
		then := h.clock.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
		tomorrow := h.clock.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, 1).Format(time.DateOnly)
		ref1 := before["policyRef"].(string)
		if !strings.HasPrefix(ref1, then+"#") {
			t.Fatalf("first decision's reference %q, decided on %s", ref1, then)
		}
		admin := h.staffLogin("admin")
		village := "/api/v1/admin/policy/" + seed.DemoVillageE1
		if p := h.expect(h.do("GET", village, admin, nil), 200); p["policyRef"] != ref1 {
			t.Fatalf("the policy read today names %v, the decision %s", p["policyRef"], ref1)
		}
		// Today is refused (the decision above was made under today's values); tomorrow is accepted.
		change := func(from string) resp {
			return h.do("PUT", "/api/v1/admin/policy/"+seed.DemoCounty, admin, map[string]any{"effectiveFrom": from,
				"values": map[string]any{string(model.SetStandardCents): 90000}})
		}
		if r := change(then); r.Status != 422 || r.errCode(t) != "policy.effective_not_future" {
			t.Fatalf("a change effective today: %d %s", r.Status, r.Body)
		}
		h.expect(change(tomorrow), 200)

		_, second := r.apply("polapi2-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "曹二", "idNumber": makeID("990101", "19620202", 19)})
		after := decide("second", second)
		ref2 := after["policyRef"].(string)
		if ref2 == ref1 || strings.SplitN(ref2, "#", 2)[1] == strings.SplitN(ref1, "#", 2)[1] {
			t.Fatalf("the second decision %q should name the new values, the first %q", ref2, ref1)
		}
		for _, x := range r.detail("county", first)["decisions"].([]any) {
			if x := x.(map[string]any); x["outcome"] == "approved" && (x["policyRef"] != ref1 || x["monthlyCents"].(float64) != 85000) {
				t.Fatalf("the first decision changed: %v", x)
			}
		}
		admin = h.staffLogin("admin")
		old := h.expect(h.do("GET", village+"?date="+then, admin, nil), 200)
		if old["policyRef"] != ref1 || policyValues(t, old)[string(model.SetStandardCents)]["value"] != float64(85000) {
			t.Fatalf("the policy on %s: %v %v", then, old["policyRef"], policyValues(t, old)[string(model.SetStandardCents)])
		}
		if v := policyValues(t, h.expect(h.do("GET", village, admin, nil), 200))[string(model.SetStandardCents)]; v["value"] != float64(90000) {
			t.Fatalf("the policy today: %v", v)
		}
	})
}
