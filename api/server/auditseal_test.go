package server_test

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"palmaid/service/store"
	"palmaid/service/testenv"
)

// The audit-seal and audit-anchor jobs as the scheduler runs them: a row inserted by SQL with a
// back-dated time is refused (the run fails: palmaid_scheduler_runs_total{result="error"}, the
// alert), left unsealed, and the verify endpoint says so; the anchor job writes the head to the
// file under the data directory.
func TestAuditSealJobRefusesForgedRow(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, friday)
		ctx := context.Background()
		h.staffLogin("town_east") // a staff.login audit row
		h.clock.Set(h.clock.Now().Add(5 * time.Minute))
		testenv.Must(t, h.app.RunJob(ctx, "audit-seal"))
		testenv.Must(t, h.app.RunJob(ctx, "audit-anchor"))
		if b, err := os.ReadFile(h.app.Config.AuditAnchorFile()); err != nil || !strings.Contains(string(b), `"lastId"`) {
			t.Fatalf("anchor file: %q %v", b, err)
		}

		driver := map[string]string{"sqlite": "sqlite3", "mysql": "mysql"}[be.Config.Database.Driver]
		db, err := sql.Open(driver, be.Config.Database.DSN)
		testenv.Must(t, err)
		defer db.Close()
		if _, err := db.Exec("INSERT INTO audit_logs (actor_type, actor_id, action, area_code, request_id, client_ip, detail, created_at) VALUES ('staff', 9, 'case.decide', '371522106000', '', '', 'forged', ?)",
			h.clock.Now().Add(-72*time.Hour).UTC()); err != nil {
			t.Fatal(err)
		}
		h.clock.Set(h.clock.Now().Add(5 * time.Minute))
		err = h.app.RunJob(ctx, "audit-seal")
		var refused *store.AuditRefused
		if !errors.As(err, &refused) {
			t.Fatalf("the forged row was sealed: %v", err)
		}
		rec := httptest.NewRecorder()
		h.app.Metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		b, _ := io.ReadAll(rec.Body)
		if !strings.Contains(string(b), `palmaid_scheduler_runs_total{job="audit-seal",result="error"} 1`) {
			t.Fatalf("no alert metric: %s", grep(string(b), "palmaid_scheduler_runs_total"))
		}
		h.clock.Set(h.clock.Now().Add(20 * time.Minute))
		v := h.expect(h.do("POST", "/api/v1/audit/verify", h.staffLogin("auditor"), nil), 200)
		if v["intact"] != false || v["unsealedOverdue"].(float64) < 1 || v["anchoredLastId"] == nil {
			t.Fatalf("verify: %v", v)
		}
	})
}
