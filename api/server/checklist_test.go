package server_test

import (
	"bytes"
	"context"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/auth"
	"palmaid/service/checklist"
	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// previewBody: 特困 and temporary aid (an accident), applied for by a daughter; the mother is
// disabled, the father seriously ill, a grandson at school.
func previewBody(village string) map[string]any {
	return map[string]any{"villageCode": village, "categories": []string{"extreme_hardship", "temporary_aid"}, "byAgent": true,
		"emergency": "accident", "supporters": 1,
		"members": []map[string]any{
			{"relation": "self", "adult": true, "disabilityKind": "physical", "disabilityGrade": 2},
			{"relation": "spouse", "adult": true, "health": "serious"},
			{"relation": "grandchild", "inEducation": true},
		}}
}

// items indexes a preview's items by code (per-member items under code#member).
func items(t *testing.T, m map[string]any) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, x := range m["items"].([]any) {
		it := x.(map[string]any)
		key := it["code"].(string)
		if mem := int(it["member"].(float64)); mem >= 0 {
			key += "#" + string(rune('0'+mem))
		}
		if out[key] != nil {
			t.Fatalf("item %s twice", key)
		}
		out[key] = it
	}
	return out
}

func TestChecklistPreviewAndPolicyGuide(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
		ctx := context.Background()
		before, err := testenv.OpenRows(t, h.app.Config).TextDump(ctx)
		testenv.Must(t, err)

		// No login.
		first := h.do("POST", "/mp/v1/checklist/preview", "", previewBody(seed.DemoVillageE1))
		m := h.expect(first, 200)
		if first.Header.Get("Cache-Control") != "no-store" || m["areaName"] != "孙庄村委会" || m["date"] != "2026-11-20" || !strings.Contains(m["notice"].(string), "无需提供") {
			t.Fatalf("preview: %s", first.Body)
		}
		it := items(t, m)
		for key, want := range map[string][2]string{
			"disability_certificate#0": {checklist.ProvideShared, "残联"},
			"diagnosis_certificate#1":  {checklist.ProvideRequired, ""},
			"medical_receipts":         {checklist.ProvideRequired, ""},
			"accident_proof":           {checklist.ProvideCommitment, ""},
			"agent_authorization":      {checklist.ProvideRequired, ""},
			"enrollment_proof#2":       {checklist.ProvideRequired, ""},
			"supporters_statement":     {checklist.ProvideRequired, ""},
			"household_register":       {checklist.ProvideShared, "公安户籍"},
		} {
			got := it[key]
			if got == nil || got["provide"] != want[0] || got["source"] != want[1] || got["why"] == "" || got["provideLabel"] == "" {
				t.Errorf("%s: %v", key, got)
			}
		}
		if it["disability_certificate#0"]["why"] != "因家庭成员1（本人）有残疾" {
			t.Errorf("reason: %v", it["disability_certificate#0"]["why"])
		}
		if _, ok := it["disaster_proof"]; ok {
			t.Error("a disaster proof for an accident")
		}
		// Stable: the same household gives the same bytes.
		if again := h.do("POST", "/mp/v1/checklist/preview", "", previewBody(seed.DemoVillageE1)); !bytes.Equal(again.Body, first.Body) {
			t.Fatalf("a second preview differs:\n%s\n%s", first.Body, again.Body)
		}

		// Bad requests.
		bad := previewBody(seed.DemoVillageE1)
		bad["members"].([]map[string]any)[1]["health"] = "poorly"
		if r := h.do("POST", "/mp/v1/checklist/preview", "", bad); r.Status != 422 || r.errCode(t) != "checklist.invalid_input" ||
			r.json(t)["error"].(map[string]any)["fields"].(map[string]any)["members[1].health"] == nil {
			t.Fatalf("bad health: %d %s", r.Status, r.Body)
		}
		unknown := previewBody(seed.DemoVillageE1)
		unknown["idNumber"] = "x"
		if r := h.do("POST", "/mp/v1/checklist/preview", "", unknown); r.Status != 400 || r.errCode(t) != "request.unknown_field" {
			t.Fatalf("unknown field: %d %s", r.Status, r.Body)
		}
		if r := h.do("POST", "/mp/v1/checklist/preview", "", previewBody(seed.DemoTownEast)); r.Status != 400 || r.errCode(t) != "area.not_village" {
			t.Fatalf("a town: %d %s", r.Status, r.Body)
		}
		if r := h.do("POST", "/mp/v1/checklist/preview", "", previewBody("371522009009")); r.Status != 422 || r.errCode(t) != "area.unknown" {
			t.Fatalf("an unknown village: %d %s", r.Status, r.Body)
		}

		// The policy guide: the demo county's standards, no login.
		g := h.expect(h.do("GET", "/mp/v1/policy?village="+seed.DemoVillageW1, "", nil), 200)
		fig := g["figures"].(map[string]any)
		if g["areaName"] != "桥下村委会" || fig["urbanStandardCents"] != float64(85000) || fig["ruralStandardCents"] != float64(70000) ||
			fig["edgeMultiplier"] != "1.5" || fig["extremeBasicRuralCents"] != float64(91000) || fig["townCapMonths"] != float64(3) ||
			g["clocks"].(map[string]any)["noticeDays"] != float64(7) {
			t.Fatalf("guide: %v", g)
		}
		cats := g["categories"].([]any)
		low := cats[0].(map[string]any)
		if len(cats) != 5 || low["category"] != "minimum_living" || low["decider"] != "县级民政部门" ||
			!strings.Contains(low["conditions"].([]any)[0].(string), "城镇每人每月850.00元，农村每人每月700.00元") {
			t.Fatalf("guide categories: %v", cats)
		}
		// A change of the standard in force from a date shows from that date.
		testenv.Must(t, h.app.Store.UpsertRegionSettings(ctx, []model.RegionSetting{
			{AreaCode: seed.DemoCounty, Key: string(model.SetStandardCents), Value: "90000", EffectiveFrom: "2026-12-01"}}))
		if g := h.expect(h.do("GET", "/mp/v1/policy?village="+seed.DemoVillageW1, "", nil), 200); g["figures"].(map[string]any)["urbanStandardCents"] != float64(85000) {
			t.Fatalf("before the change: %v", g["figures"])
		}
		h.clock.Set(time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC)) // 2026-12-01 00:00 CST
		if g := h.expect(h.do("GET", "/mp/v1/policy?village="+seed.DemoVillageW1, "", nil), 200); g["figures"].(map[string]any)["urbanStandardCents"] != float64(90000) || g["date"] != "2026-12-01" {
			t.Fatalf("after the change: %v", g)
		}
		for _, q := range []string{"", "?village=" + seed.DemoCounty, "?village=abc"} {
			if r := h.do("GET", "/mp/v1/policy"+q, "", nil); r.Status != 400 || r.errCode(t) != "area.not_village" {
				t.Fatalf("policy%s: %d %s", q, r.Status, r.Body)
			}
		}

		// Nothing stored by either route (the setting written above excepted).
		after, err := testenv.OpenRows(t, h.app.Config).TextDump(ctx)
		testenv.Must(t, err)
		for _, written := range []string{"region_settings", "sqlite_sequence"} {
			delete(before, written)
			delete(after, written)
		}
		if !reflect.DeepEqual(before, after) {
			t.Fatal("a public route wrote to the database")
		}

		// Rate limited per address.
		for path, limit := range map[string]int{"/mp/v1/checklist/preview": 40, "/mp/v1/policy?village=" + seed.DemoVillageE1: 70} {
			limited := false
			for i := 0; i < limit && !limited; i++ {
				var r resp
				if strings.HasPrefix(path, "/mp/v1/policy") {
					r = h.do("GET", path, "", nil)
				} else {
					r = h.do("POST", path, "", previewBody(seed.DemoVillageE1))
				}
				limited = r.Status == 429 && r.errCode(t) == "request.rate_limited" && r.Header.Get("Retry-After") != ""
			}
			if !limited {
				t.Fatalf("%s: no rate limit", path)
			}
		}
	})
}

func TestChecklistRulesAdmin(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
		ctx := context.Background()
		admin := h.staffLogin("admin")
		county := "/api/v1/admin/checklist-rules/" + seed.DemoCounty

		got := h.expect(h.do("GET", county, admin, nil), 200)
		if len(got["overrides"].([]any)) != 0 || len(got["inForce"].([]any)) != len(checklist.NationalRules()) || got["areaName"] != "莘县" ||
			len(got["conditionKinds"].([]any)) != len(checklist.ConditionKinds()) {
			t.Fatalf("before any override: %v", got)
		}
		for _, x := range got["inForce"].([]any) {
			if x.(map[string]any)["areaCode"] != "" {
				t.Fatalf("a national row from elsewhere: %v", x)
			}
		}
		disability := func(shared string) map[string]any {
			return map[string]any{"code": "disability_certificate", "name": "残疾证", "note": "第二代残疾人证", "appliesWhen": []string{"member_disabled"},
				"scope": "member", "sharedSource": shared, "aliases": []string{"残疾人证"}, "sortOrder": 60, "effectiveFrom": "2026-01-01"}
		}
		// The county has no 残联 data link (sharing off); from 2026-12-01 it accepts a commitment for the enrolment proof.
		set := h.expect(h.do("PUT", county, admin, map[string]any{"rules": []map[string]any{
			disability(""),
			{"code": "enrollment_proof", "name": "在读证明", "note": "学校出具", "appliesWhen": []string{"member_in_education"}, "scope": "member",
				"commitmentAllowed": true, "sortOrder": 110, "effectiveFrom": "2026-12-01"},
		}}), 200)
		if len(set["overrides"].([]any)) != 2 {
			t.Fatalf("after the override: %v", set)
		}
		preview := func(village string) map[string]map[string]any {
			return items(t, h.expect(h.do("POST", "/mp/v1/checklist/preview", "", previewBody(village)), 200))
		}
		if it := preview(seed.DemoVillageE1); it["disability_certificate#0"]["provide"] != checklist.ProvideRequired ||
			it["enrollment_proof#2"]["provide"] != checklist.ProvideRequired {
			t.Fatalf("county override before 2026-12-01: %v %v", it["disability_certificate#0"], it["enrollment_proof#2"])
		}
		// A town of the county turns sharing on again for its subtree.
		h.expect(h.do("PUT", "/api/v1/admin/checklist-rules/"+seed.DemoTownWest, admin, map[string]any{"rules": []map[string]any{disability("县残联")}}), 200)
		if it := preview(seed.DemoVillageW1); it["disability_certificate#0"]["provide"] != checklist.ProvideShared || it["disability_certificate#0"]["source"] != "县残联" {
			t.Fatalf("town override: %v", it["disability_certificate#0"])
		}
		h.clock.Set(time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC)) // 2026-12-01 CST
		admin = h.staffLogin("admin")                               // sessions end after 12 hours
		if it := preview(seed.DemoVillageE1); it["enrollment_proof#2"]["provide"] != checklist.ProvideCommitment || it["disability_certificate#0"]["provide"] != checklist.ProvideRequired {
			t.Fatalf("from 2026-12-01: %v %v", it["enrollment_proof#2"], it["disability_certificate#0"])
		}
		inForce := h.expect(h.do("GET", "/api/v1/admin/checklist-rules/"+seed.DemoVillageW1, admin, nil), 200)["inForce"].([]any)
		from := map[string]string{}
		for _, x := range inForce {
			r := x.(map[string]any)
			from[r["code"].(string)] = r["areaCode"].(string)
		}
		if from["disability_certificate"] != seed.DemoTownWest || from["enrollment_proof"] != seed.DemoCounty || from["id_card"] != "" {
			t.Fatalf("where each rule in force comes from: %v", from)
		}

		// Validation: an unknown condition kind is named.
		r := h.do("PUT", county, admin, map[string]any{"rules": []map[string]any{
			{"code": "pet_licence", "name": "犬证", "appliesWhen": []string{"owns_dog"}, "scope": "household", "effectiveFrom": "2026-01-01"}}})
		if r.Status != 422 || r.errCode(t) != "checklist.unknown_condition" ||
			!strings.Contains(r.json(t)["error"].(map[string]any)["fields"].(map[string]any)["rules[0].appliesWhen"].(string), "owns_dog") {
			t.Fatalf("unknown condition: %d %s", r.Status, r.Body)
		}
		if r := h.do("PUT", county, admin, map[string]any{"rules": []map[string]any{{"code": "x", "scope": "house"}}}); r.Status != 400 || r.errCode(t) != "checklist.invalid_rules" {
			t.Fatalf("bad rule: %d %s", r.Status, r.Body)
		}
		if r := h.do("PUT", county, admin, map[string]any{"rules": []any{}, "extra": 1}); r.Status != 400 || r.errCode(t) != "request.unknown_field" {
			t.Fatalf("unknown field: %d %s", r.Status, r.Body)
		}
		if n := len(h.expect(h.do("GET", county, admin, nil), 200)["overrides"].([]any)); n != 2 {
			t.Fatalf("a refused change changed %d rows", n)
		}

		// Not an administrator: 403. Another county's administrator, or an area outside: 404.
		if r := h.do("GET", county, h.staffLogin("town_east"), nil); r.Status != 403 || r.errCode(t) != "auth.forbidden" {
			t.Fatalf("a caseworker: %d %s", r.Status, r.Body)
		}
		if r := h.do("PUT", county, h.staffLogin("county"), map[string]any{"rules": []any{}}); r.Status != 403 {
			t.Fatalf("a county officer: %d %s", r.Status, r.Body)
		}
		hash, err := auth.HashPassword("Other-admin-2026")
		testenv.Must(t, err)
		now := h.clock.Now()
		testenv.Must(t, h.app.Store.CreateStaff(ctx, &model.Staff{Username: "admin.rules", PasswordHash: hash, DisplayName: "另一县管理员",
			Role: model.RoleAdmin, AreaCode: "990102000000", Active: true, SessionVersion: 1, CreatedAt: now, UpdatedAt: now}))
		other := h.expect(h.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin.rules", "password": "Other-admin-2026"}), 200)["token"].(string)
		for _, x := range []struct{ method, path string }{{"GET", county}, {"PUT", county}, {"GET", "/api/v1/admin/checklist-rules/" + seed.DemoVillageE1},
			{"PUT", "/api/v1/admin/checklist-rules/" + seed.DemoTownWest}} {
			var body any
			if x.method == "PUT" {
				body = map[string]any{"rules": []any{}}
			}
			if r := h.do(x.method, x.path, other, body); r.Status != 404 || r.errCode(t) != "checklist.area_not_found" {
				t.Fatalf("another county's admin %s %s: %d %s", x.method, x.path, r.Status, r.Body)
			}
		}
		for _, code := range []string{"990102000000", "371522009009", "99", "370000000000"} {
			if r := h.do("GET", "/api/v1/admin/checklist-rules/"+code, admin, nil); r.Status != 404 {
				t.Fatalf("area %s: %d %s", code, r.Status, r.Body)
			}
		}

		// An empty list removes the county's overrides: the national rule applies again. Every change is audited.
		h.expect(h.do("PUT", county, admin, map[string]any{"rules": []any{}}), 200)
		if it := preview(seed.DemoVillageE1); it["disability_certificate#0"]["provide"] != checklist.ProvideShared {
			t.Fatalf("after removing the override: %v", it["disability_certificate#0"])
		}
		rows, err := testenv.OpenRows(t, h.app.Config).AuditByAction(ctx, checklist.ActionSetRules)
		testenv.Must(t, err)
		if len(rows) != 3 || !strings.Contains(rows[0].Detail, "disability_certificate@2026-01-01") || rows[0].RequestID == "" {
			t.Fatalf("audit: %+v", rows)
		}
	})
}

// A return may not ask for what data sharing supplies (户口簿, 残疾证 under the national rules);
// where a region switches the sharing off, it may.
func TestReturnOfSharedItemRefused(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		_, id := r.apply(testenv.UniqueName("shared-"+be.Name), seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "严共", "idNumber": makeID("990101", "19670405", 97)})
		v := r.version(id)
		for i, name := range []string{"户口簿", "张三户口本复印件", "残疾证", "母亲的残疾人证"} {
			e := r.act("town_east", id, "return", map[string]any{"version": v, "missingItems": []map[string]string{{"name": "近6个月收入证明"}, {"name": name}}}, 422)
			if e["code"] != "case.item_shared" {
				t.Fatalf("return %s: %v", name, e)
			}
			hint := e["body"].(map[string]any)["error"].(map[string]any)["fields"].(map[string]any)["missingItems[1].name"]
			if hint == nil || !strings.Contains(hint.(string), name) || !strings.Contains(hint.(string), []string{"公安户籍", "公安户籍", "残联", "残联"}[i]) {
				t.Fatalf("return %s: hint %v", name, hint)
			}
		}
		if r.version(id) != v || r.status(id) != "submitted" {
			t.Fatalf("a refused return changed the case: version %d, %s", r.version(id), r.status(id))
		}
		// The county has no 残联 data link: the certificate may be asked for.
		h.expect(h.do("PUT", "/api/v1/admin/checklist-rules/"+seed.DemoCounty, r.staff("admin"), map[string]any{"rules": []map[string]any{
			{"code": "disability_certificate", "name": "残疾证", "appliesWhen": []string{"member_disabled"}, "scope": "member", "effectiveFrom": "2026-01-01"}}}), 200)
		// It is not on this household's one-time list (nobody declared a disability): a return
		// still may not add it (issue 21); the list's own items may be asked for.
		if e := r.act("town_east", id, "return", map[string]any{"missingItems": []map[string]string{{"name": "残疾证"}}}, 422); e["code"] != "case.item_not_in_first_notice" {
			t.Fatalf("return of an item never on the list: %v", e)
		}
		ret := r.act("town_east", id, "return", map[string]any{"missingItems": []map[string]string{{"name": "家庭财产申报"}}}, 200)
		r.wantStatus(ret, "returned", "returned")
	})
}

// Administrators saving the same area at once take turns: every save answers 200 and the area
// ends with exactly one of the saved lists.
func TestChecklistRulesConcurrentSaves(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
		admin := h.staffLogin("admin")
		path := "/api/v1/admin/checklist-rules/" + seed.DemoTownEast
		const n = 8
		res := make([]resp, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				rules := []map[string]any{}
				for k := 0; k <= i%3; k++ {
					rules = append(rules, map[string]any{"code": "local_item_" + strconv.Itoa(k), "name": "本地材料" + strconv.Itoa(k),
						"appliesWhen": []string{"always"}, "scope": "household", "sortOrder": 900 + i, "effectiveFrom": "2026-01-01"})
				}
				res[i] = h.do("PUT", path, admin, map[string]any{"rules": rules})
			}(i)
		}
		wg.Wait()
		orders := map[float64]bool{}
		for i, r := range res {
			if r.Status != 200 {
				t.Fatalf("save %d: %d %s", i, r.Status, r.Body)
			}
		}
		over := h.expect(h.do("GET", path, admin, nil), 200)["overrides"].([]any)
		for _, x := range over {
			orders[x.(map[string]any)["sortOrder"].(float64)] = true
		}
		if len(over) == 0 || len(over) > 3 || len(orders) != 1 {
			t.Fatalf("the area holds a mix of saves: %v", over)
		}
	})
}
