package server_test

import (
	"context"
	"os"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/areaadmin"
	"palmaid/service/auth"
	"palmaid/service/testenv"
)

// POST /api/v1/admin/areas/import through the real router: the 莘县 extract (real towns and
// villages) as published text,
// a dry run first, then the import (audited with the request id), again with nothing to do; a
// caseworker gets 403; a bad row is named; the imported villages are searchable at once.
func TestAreaImportAPI(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
		ctx := context.Background()
		hash, err := auth.HashPasswordCost("palmaid-demo-2026", 4)
		testenv.Must(t, err)
		now := h.clock.Now()
		testenv.Must(t, h.app.Store.UpsertStaff(ctx, &model.Staff{Username: "sx_admin", PasswordHash: hash, DisplayName: "莘县管理员",
			Role: model.RoleAdmin, AreaCode: "371522000000", Active: true, CreatedAt: now, UpdatedAt: now}))
		admin := h.staffLogin("sx_admin")
		file, err := os.ReadFile("../../docs/areas/shenxian-371522.csv")
		testenv.Must(t, err)

		if r := h.do("POST", "/api/v1/admin/areas/import", h.staffLogin("town_west"), map[string]any{"file": string(file)}); r.Status != 403 || r.errCode(t) != "auth.forbidden" {
			t.Fatalf("caseworker: %d %s", r.Status, r.Body)
		}
		dry := h.expect(h.do("POST", "/api/v1/admin/areas/import", admin, map[string]any{"file": string(file), "within": "371522", "dryRun": true}), 200)
		// the demo's nine areas (莘县, two towns, four villages and the province and city above)
		// are the published ones: unchanged, not renamed; the other 22 towns and 874 villages new
		if dry["added"] != 896.0 || dry["unchanged"] != 9.0 || dry["renamed"] != 0.0 || dry["dryRun"] != true || dry["truncated"] != true ||
			dry["within"] != "371522000000" {
			t.Fatalf("dry run: %v", dry)
		}
		if _, err := h.app.Store.GetArea(ctx, "371522001000"); err == nil {
			t.Fatal("the dry run stored 燕塔街道")
		}
		res := h.expect(h.do("POST", "/api/v1/admin/areas/import", admin, map[string]any{"file": string(file), "within": "371522", "source": "莘县摘录"}), 200)
		if res["added"] != 896.0 || res["renamed"] != 0.0 {
			t.Fatalf("import: %v", res)
		}
		again := h.expect(h.do("POST", "/api/v1/admin/areas/import", admin, map[string]any{"file": string(file), "within": "371522"}), 200)
		if again["added"] != 0.0 || again["unchanged"] != 905.0 || len(again["changes"].([]any)) != 0 {
			t.Fatalf("second import: %v", again)
		}
		audit, err := testenv.OpenRows(t, h.app.Config).AuditByAction(ctx, areaadmin.ActionImport)
		testenv.Must(t, err)
		if len(audit) != 2 || audit[0].RequestID == "" || audit[0].AreaCode != "371522000000" {
			t.Fatalf("audit rows: %+v", audit)
		}

		villages := "code,name,streetCode\n371522001901,测试一村（虚构）,371522001\n"
		h.expect(h.do("POST", "/api/v1/admin/areas/import", admin, map[string]any{"file": villages}), 200)
		found := h.expect(h.do("GET", "/mp/v1/villages?q=测试一村", "", nil), 200)
		if items, _ := found["items"].([]any); len(items) != 1 {
			t.Fatalf("village search after the import: %v", found)
		}

		bad := h.do("POST", "/api/v1/admin/areas/import", admin, map[string]any{"file": "code,name,areaCode\n371522002,莘亭街道,371521\n"})
		if bad.Status != 400 || bad.errCode(t) != "area.invalid_rows" || bad.json(t)["error"].(map[string]any)["fields"].(map[string]any)["rows[2].parent"] == nil {
			t.Fatalf("bad row: %d %s", bad.Status, bad.Body)
		}
		if r := h.do("POST", "/api/v1/admin/areas/import", admin, map[string]any{"file": "{", "bogus": 1}); r.Status != 400 {
			t.Fatalf("unknown field: %d %s", r.Status, r.Body)
		}
		if r := h.do("POST", "/api/v1/admin/areas/import", admin, map[string]any{"file": "id,title\n1,x\n"}); r.Status != 400 || r.errCode(t) != "area.invalid_file" {
			t.Fatalf("not a division file: %d %s", r.Status, r.Body)
		}
	})
}
