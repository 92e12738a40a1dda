package server_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/auth"
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
		audits, err := testenv.OpenRows(t, h.app.Config).AuditByAction(context.Background(), calendaradmin.ActionLoadYear)
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

// Finding (issue 19): any county's administrator rewrote every county's holiday calendar. With
// a second county loaded, only an administrator over both (the city's) writes a year; a county
// administrator still reads it; a year in use changes only when a second administrator confirms
// the proposal, never its proposer.
func TestCalendarBelongsToInstallation(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, dec29)
		ctx := context.Background()
		now := h.clock.Now()
		testenv.Must(t, h.app.Store.InsertAreas(ctx, []model.Area{{Code: "371521000000", ParentCode: "371500000000", Name: "阳谷县", Level: model.LevelCounty}}))
		hash, err := auth.HashPasswordCost("palmaid-demo-2026", 4)
		testenv.Must(t, err)
		for _, a := range []struct{ user, area string }{{"yg_admin", "371521000000"}, {"lc_admin", "371500000000"}, {"lc_admin2", "371500000000"}} {
			testenv.Must(t, h.app.Store.UpsertStaff(ctx, &model.Staff{Username: a.user, PasswordHash: hash, DisplayName: a.user,
				Role: model.RoleAdmin, AreaCode: a.area, Active: true, CreatedAt: now, UpdatedAt: now}))
		}
		yg, sx, lc, lc2 := h.staffLogin("yg_admin"), h.staffLogin("admin"), h.staffLogin("lc_admin"), h.staffLogin("lc_admin2")
		const path = "/api/v1/admin/calendar/2026"
		before := h.expect(h.do("GET", path, yg, nil), 200) // a county administrator reads it
		changed := `{"source":"改写（测试）","days":[{"date":"2026-06-01","kind":"holiday","name":"虚构假日"}]}`
		for who, tok := range map[string]string{"阳谷县 admin": yg, "莘县 admin": sx} {
			for _, r := range []resp{h.do("PUT", path, tok, changed), h.do("PUT", "/api/v1/admin/calendar/2027", tok, fixture2027(t)),
				h.do("POST", path+"/confirm", tok, map[string]any{"proposalId": 1})} {
				if r.Status != 403 || r.errCode(t) != "calendar.installation_only" {
					t.Fatalf("%s writes the installation's calendar: %d %s", who, r.Status, r.Body)
				}
			}
		}
		// a year not loaded yet: loaded at once by the city's administrator
		if y := h.expect(h.do("PUT", "/api/v1/admin/calendar/2027", lc, fixture2027(t)), 200); y["loaded"] != true {
			t.Fatalf("2027: %v", y)
		}
		// a year in use: proposed, unchanged until a second administrator confirms
		p := h.expect(h.do("PUT", path, lc, changed), 202)
		pending := p["pending"].(map[string]any)
		if len(p["days"].([]any)) != len(before["days"].([]any)) || pending["source"] != "改写（测试）" || pending["differences"].(float64) < 1 {
			t.Fatalf("proposal: %v", p)
		}
		if !h.app.Calendar.IsWorkingDay(time.Date(2026, 6, 1, 2, 0, 0, 0, time.UTC)) {
			t.Fatal("a proposal changed the calendar")
		}
		id := pending["id"]
		if r := h.do("POST", path+"/confirm", lc, map[string]any{"proposalId": id}); r.Status != 403 || r.errCode(t) != "calendar.confirm_own" {
			t.Fatalf("the proposer confirms: %d %s", r.Status, r.Body)
		}
		if r := h.do("POST", path+"/confirm", lc2, map[string]any{"proposalId": id.(float64) + 1}); r.Status != 404 || r.errCode(t) != "calendar.proposal_not_found" {
			t.Fatalf("another proposal id: %d %s", r.Status, r.Body)
		}
		y := h.expect(h.do("POST", path+"/confirm", lc2, map[string]any{"proposalId": id}), 200)
		if len(y["days"].([]any)) != 1 || y["pending"] != nil || h.app.Calendar.IsWorkingDay(time.Date(2026, 6, 1, 2, 0, 0, 0, time.UTC)) {
			t.Fatalf("after the confirmation: %v", y)
		}
		if r := h.do("POST", path+"/confirm", lc2, map[string]any{"proposalId": id}); r.Status != 404 {
			t.Fatalf("confirmed twice: %d %s", r.Status, r.Body)
		}
		for _, action := range []string{calendaradmin.ActionProposeYear, calendaradmin.ActionConfirmYear} {
			rows, err := testenv.OpenRows(t, h.app.Config).AuditByAction(ctx, action)
			if err != nil || len(rows) != 1 {
				t.Fatalf("%s audit rows: %+v %v", action, rows, err)
			}
		}
	})
}
