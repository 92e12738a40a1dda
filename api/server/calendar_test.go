package server_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"palmaid/service/calendar"
	"palmaid/service/calendaradmin"
	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// 2026-12-29 (Tuesday) 10:00 CST: three working days later crosses New Year's Day 2027.
var dec29 = time.Date(2026, 12, 29, 2, 0, 0, 0, time.UTC)

// fixture2027 is the PUT body in api/server/testdata: a fictional 2027 (not the State
// Council's arrangement) with 2027-01-04 off and Saturday 2027-01-09 worked.
func fixture2027(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/calendar-2027-fixture.json")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCalendarAdminAPI(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, dec29)
		admin := h.staffLogin("admin")
		east := h.staffLogin("town_east")
		const path = "/api/v1/admin/calendar/2027"

		y := h.expect(h.do("GET", path, admin, nil), 200)
		if y["loaded"] != false || len(y["days"].([]any)) != 0 || len(y["fixedHolidays"].([]any)) != 6 ||
			!strings.Contains(y["warning"].(string), "2027年节假日安排尚未导入") {
			t.Fatalf("2027 before loading: %v", y)
		}

		// Only an administrator.
		for _, r := range []resp{h.do("GET", path, east, nil), h.do("PUT", path, east, fixture2027(t))} {
			if r.Status != 403 || r.errCode(t) != "auth.forbidden" {
				t.Fatalf("town caseworker: %d %s", r.Status, r.Body)
			}
		}

		// Bad input: every problem named by field.
		bad := map[string]any{"source": "", "days": []map[string]string{
			{"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
			{"date": "2028-01-01", "kind": "holiday", "name": "元旦"},
			{"date": "2027-01-01", "kind": "off", "name": ""},
		}}
		r := h.do("PUT", path, admin, bad)
		if r.Status != 400 || r.errCode(t) != "calendar.invalid_arrangement" {
			t.Fatalf("invalid days: %d %s", r.Status, r.Body)
		}
		fields := r.json(t)["error"].(map[string]any)["fields"].(map[string]any)
		for _, f := range []string{"source", "days[1].date", "days[2].date", "days[2].kind", "days[2].name"} {
			if fields[f] == nil || fields[f] == "" {
				t.Errorf("no hint for %s: %v", f, fields)
			}
		}
		if r := h.do("PUT", path, admin, `{"source":"x","days":[],"replace":true}`); r.Status != 400 || r.errCode(t) != "request.unknown_field" {
			t.Fatalf("unknown field: %d %s", r.Status, r.Body)
		}
		for _, p := range []string{"/api/v1/admin/calendar/1999", "/api/v1/admin/calendar/twenty", "/api/v1/admin/calendar/02027"} {
			if r := h.do("PUT", p, admin, fixture2027(t)); r.Status != 400 || r.errCode(t) != "calendar.invalid_year" {
				t.Fatalf("PUT %s: %d %s", p, r.Status, r.Body)
			}
		}
		if y := h.expect(h.do("GET", path, admin, nil), 200); y["loaded"] != false {
			t.Fatalf("a refused load changed 2027: %v", y)
		}

		// The load.
		res := h.do("PUT", path, admin, fixture2027(t))
		y = h.expect(res, 200)
		if y["loaded"] != true || len(y["days"].([]any)) != 3 || y["warning"] != "" || y["loadedAt"] == nil ||
			!strings.Contains(y["source"].(string), "测试夹具") {
			t.Fatalf("after PUT: %v", y)
		}
		if got := h.expect(h.do("GET", path, admin, nil), 200); got["loaded"] != true || len(got["loadedYears"].([]any)) != 4 {
			t.Fatalf("GET after PUT: %v", got)
		}
		due, prov := h.app.Calendar.AddWorkingDaysFlag(dec29, 3)
		if calendar.DateOf(due) != "2027-01-05" || prov {
			t.Fatalf("calendar after the load: %s provisional=%v", calendar.DateOf(due), prov)
		}
		audits, err := h.app.Store.AuditByAction(context.Background(), calendaradmin.ActionLoadYear)
		testenv.Must(t, err)
		if len(audits) != 1 || audits[0].RequestID != res.Header.Get("X-Request-Id") || audits[0].AreaCode != seed.DemoCounty {
			t.Fatalf("audit: %+v (request id %s)", audits, res.Header.Get("X-Request-Id"))
		}
	})
}

// Two instances share the database: a year loaded through one reaches the other at its next
// version check, which happens at most once per calendar.DefaultSyncEvery of its clock.
func TestCalendarLoadReachesOtherInstance(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		one := newHarness(t, be, dec29)
		if one.app.InProcessRedis != nil {
			// Instances share Redis as they share the database (sessions, and the progress
			// views' generations that every case write updates, live there).
			be.Config.Redis.Addr = one.app.InProcessRedis.Addr()
		}
		two := newHarness(t, be, dec29)

		// A resident applies through instance two on 29 December: acceptance due in 3 working
		// days, skipping New Year's Day (fixed-date rule) although 2027 is not loaded.
		name := "cal-" + be.Name
		tok := two.residentLogin(name)
		two.expect(two.do("PUT", "/mp/v1/me/identity", tok, map[string]string{"name": "张三", "idNumber": aliceID}), 200)
		cs := two.expect(two.do("POST", "/mp/v1/cases", tok, application(seed.DemoVillageE1)), 201)
		caseID := cs["id"].(string)
		dueOn := func() string {
			p := two.expect(two.do("GET", "/mp/v1/cases/"+caseID, tok, nil), 200)
			return p["nextStep"].(map[string]any)["dueOn"].(string)
		}
		if got := dueOn(); got != "2027-01-04" {
			t.Fatalf("acceptance due before the load: %s, want 2027-01-04", got)
		}
		if _, prov := two.app.Calendar.AddWorkingDaysFlag(dec29, 3); !prov {
			t.Fatal("not provisional before the load")
		}

		// An administrator loads 2027 through instance one.
		one.expect(one.do("PUT", "/api/v1/admin/calendar/2027", one.staffLogin("admin"), fixture2027(t)), 200)

		// Instance two has not looked yet: its clock has not moved.
		if changed, err := two.app.Calendar.Sync(ctx); changed || err != nil {
			t.Fatalf("sync within the interval: changed=%v err=%v", changed, err)
		}
		// The stored deadline was recomputed by the load itself (one transaction on the shared
		// database), so every instance shows the corrected date at once...
		if got := dueOn(); got != "2027-01-05" {
			t.Fatalf("stored deadline after the load: %s, want 2027-01-05 (fixture holiday 2027-01-04)", got)
		}
		// ...while instance two's own calendar still lacks 2027 until its next check.
		if _, prov := two.app.Calendar.AddWorkingDaysFlag(dec29, 3); !prov {
			t.Fatal("instance two's calendar has 2027 before its sync")
		}
		adminTwo := two.staffLogin("admin")
		if y := two.expect(two.do("GET", "/api/v1/admin/calendar/2027", adminTwo, nil), 200); len(y["loadedYears"].([]any)) != 3 {
			t.Fatalf("instance two's calendar already has 2027: %v", y["loadedYears"])
		}

		two.clock.Set(dec29.Add(calendar.DefaultSyncEvery))
		if changed, err := two.app.Calendar.Sync(ctx); !changed || err != nil {
			t.Fatalf("sync after the interval: changed=%v err=%v", changed, err)
		}
		if _, prov := two.app.Calendar.AddWorkingDaysFlag(dec29, 3); prov {
			t.Fatal("still provisional after the load")
		}
		y := two.expect(two.do("GET", "/api/v1/admin/calendar/2027", adminTwo, nil), 200)
		if len(y["loadedYears"].([]any)) != 4 || y["warning"] != "" {
			t.Fatalf("instance two after sync: %v", y)
		}
	})
}
