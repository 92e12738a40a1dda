package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// The auditor's audit viewer: rows of the auditor's area only, newest first, filtered by
// actor, action, case and dates, in keyset pages; every read is audited itself; other roles
// get 403 auth.forbidden. The chain check is the one of `palmaid audit verify`: intact after
// sealing, and a changed sealed row is named.
func TestAuditViewer(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		ctx := context.Background()
		_, id := r.apply(testenv.UniqueName("audit-"+be.Name), seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "孙三", "idNumber": makeID("990101", "19600101", 31)})
		r.detail("town_east", id) // case.view by town_east (area of the east town)
		r.detail("county", id)

		list := func(who string, q url.Values) map[string]any {
			t.Helper()
			return h.expect(h.do("GET", "/api/v1/audit?"+q.Encode(), r.staff(who), nil), 200)
		}
		items := func(m map[string]any) []map[string]any {
			var out []map[string]any
			for _, x := range m["items"].([]any) {
				out = append(out, x.(map[string]any))
			}
			return out
		}

		for _, who := range []string{"town_east", "county", "admin", "county_leader"} {
			if res := h.do("GET", "/api/v1/audit", r.staff(who), nil); res.Status != 403 || res.errCode(t) != "auth.forbidden" {
				t.Fatalf("%s reads the audit log: %d %s", who, res.Status, res.Body)
			}
			if res := h.do("POST", "/api/v1/audit/verify", r.staff(who), nil); res.Status != 403 {
				t.Fatalf("%s verifies the chain: %d %s", who, res.Status, res.Body)
			}
		}

		views := items(list("auditor", url.Values{"action": {"case.view"}}))
		if len(views) != 2 || views[0]["actorName"] != "county" || views[1]["actorName"] != "town_east" || views[0]["caseId"] != id ||
			views[0]["id"].(float64) <= views[1]["id"].(float64) {
			t.Fatalf("case.view rows, newest first: %v", views)
		}
		if v := items(list("auditor", url.Values{"actor": {"town_east"}, "action": {"case."}})); len(v) == 0 {
			t.Fatalf("town_east's case rows: none")
		} else {
			for _, x := range v {
				if x["actorName"] != "town_east" {
					t.Fatalf("actor filter: %v", x)
				}
			}
		}
		if v := items(list("auditor", url.Values{"case": {id}})); len(v) < 2 {
			t.Fatalf("rows of the case: %v", v)
		}
		if v := items(list("auditor", url.Values{"case": {"nosuchcase"}})); len(v) != 0 {
			t.Fatalf("unknown case: %v", v)
		}
		if v := items(list("auditor", url.Values{"from": {"2026-11-24"}})); len(v) != 0 {
			t.Fatalf("nothing happened from the 24th: %v", v)
		}
		if v := items(list("auditor", url.Values{"from": {"2026-11-23"}, "to": {"2026-11-23"}, "action": {"case.view"}})); len(v) != 2 {
			t.Fatalf("the 23rd: %v", v)
		}
		if res := h.do("GET", "/api/v1/audit?from=2026-11-24&to=2026-11-23", r.staff("auditor"), nil); res.Status != 400 || res.errCode(t) != "audit.invalid_range" {
			t.Fatalf("reversed range: %d %s", res.Status, res.Body)
		}
		// finding (issue 19): year 0 answered 500 on MariaDB; every date a query takes is bounded
		for _, q := range []string{"from=0000-01-01", "to=0000-01-01", "from=9999-12-31", "from=1999-12-31"} {
			if res := h.do("GET", "/api/v1/audit?"+q, r.staff("auditor"), nil); res.Status != 400 || res.errCode(t) != "audit.invalid_date" {
				t.Fatalf("%s: %d %s", q, res.Status, res.Body)
			}
		}
		if res := h.do("GET", "/api/v1/audit?from=23.11.2026", r.staff("auditor"), nil); res.Status != 400 || res.errCode(t) != "audit.invalid_date" {
			t.Fatalf("bad date: %d %s", res.Status, res.Body)
		}

		// Keyset pages: one row each, no row twice.
		p1 := list("auditor", url.Values{"action": {"case.view"}, "limit": {"1"}})
		p2 := list("auditor", url.Values{"action": {"case.view"}, "limit": {"1"}, "cursor": {p1["nextCursor"].(string)}})
		if a, b := items(p1), items(p2); len(a) != 1 || len(b) != 1 || a[0]["id"] == b[0]["id"] || b[0]["actorName"] != "town_east" {
			t.Fatalf("pages: %v / %v", a, b)
		}
		// The second page is full and the last: no cursor to an empty third page.
		if next, ok := p2["nextCursor"]; ok {
			t.Fatalf("a full last page points to an empty one: nextCursor %v", next)
		}
		if all := list("auditor", url.Values{"action": {"case.view"}, "limit": {"2"}}); all["nextCursor"] != nil {
			t.Fatalf("the one full page points to an empty one: %v", all)
		}

		// Each read is audited, with its filters and without rows.
		reads, err := testenv.OpenRows(t, h.app.Config).AuditByAction(ctx, "audit.read")
		testenv.Must(t, err)
		if len(reads) < 8 || reads[len(reads)-1].Detail == "" {
			t.Fatalf("audited reads: %d", len(reads))
		}

		// An auditor of the west town sees none of the east town's rows.
		aud, err := h.app.Store.StaffByUsername(ctx, "auditor")
		testenv.Must(t, err)
		west := model.Staff{Username: "auditor_west", DisplayName: "观城镇审计员", Role: model.RoleAuditor, AreaCode: seed.DemoTownWest,
			PasswordHash: aud.PasswordHash, Active: true, CreatedAt: h.clock.Now(), UpdatedAt: h.clock.Now()}
		testenv.Must(t, h.app.Store.UpsertStaff(ctx, &west))
		if v := items(list("auditor_west", url.Values{"action": {"case.view"}})); len(v) != 0 {
			t.Fatalf("west auditor sees the east town: %v", v)
		}
		if v := items(list("auditor_west", url.Values{"actor": {"town_east"}})); len(v) != 0 {
			t.Fatalf("west auditor filters by an east officer: %v", v)
		}

		// The chain: intact once sealed; a changed sealed row is named.
		if _, err := h.app.Store.SealAudit(ctx, time.Now().Add(time.Hour), 10000); err != nil {
			t.Fatal(err)
		}
		v := h.expect(h.do("POST", "/api/v1/audit/verify", r.staff("auditor"), nil), 200)
		if v["intact"] != true || v["checked"].(float64) < 5 || v["unsealed"] != 0.0 || v["anchorNote"] == nil {
			t.Fatalf("verify: %v", v)
		}
		driver := map[string]string{"sqlite": "sqlite3", "mysql": "mysql"}[be.Config.Database.Driver]
		db, err := sql.Open(driver, be.Config.Database.DSN)
		testenv.Must(t, err)
		defer db.Close()
		target := views[1]["id"].(float64)
		if _, err := db.Exec("UPDATE audit_logs SET detail = 'nothing to see' WHERE id = ?", uint64(target)); err != nil {
			t.Fatal(err)
		}
		v = h.expect(h.do("POST", "/api/v1/audit/verify", r.staff("auditor"), nil), 200)
		if v["intact"] != false || v["brokenId"] != target || v["reason"] == "" {
			t.Fatalf("verify after tampering: %v", v)
		}
		verifies, err := testenv.OpenRows(t, h.app.Config).AuditByAction(ctx, "audit.verify")
		testenv.Must(t, err)
		if len(verifies) != 2 || verifies[1].Detail != fmt.Sprintf("checked=%d last=%d intact=false unsealed=1 overdue=0 broken=%d", int(v["checked"].(float64)), int(v["lastId"].(float64)), int(target)) {
			t.Fatalf("audited verifications: %+v", verifies)
		}
	})
}
