package server_test

import (
	"context"
	"strings"
	"testing"

	"palmaid/service/testenv"
)

// Issue 6, "what to add": every staff and resident login writes an audit row (the chain covers
// it), and GET /api/v1/me/sessions lists one's own open sessions — a fingerprint per session,
// never a token, the current one marked; a session ended by logout is gone from the list.
func TestLoginsAuditedAndSessionsListed(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		countAudit := func(action string) int {
			dump, err := testenv.OpenRows(t, h.app.Config).TextDump(context.Background())
			testenv.Must(t, err)
			n := 0
			for _, row := range dump["audit_logs"] {
				for _, v := range row {
					if v == action {
						n++
					}
				}
			}
			return n
		}
		staff0, res0 := countAudit("staff.login"), countAudit("resident.login")
		first := h.staffLogin("town_east")
		second := h.staffLogin("town_east")
		h.residentLogin(testenv.UniqueName("audited"))
		if got := countAudit("staff.login") - staff0; got != 2 {
			t.Fatalf("staff logins audited: %d, want 2", got)
		}
		if got := countAudit("resident.login") - res0; got != 1 {
			t.Fatalf("resident logins audited: %d, want 1", got)
		}

		res := h.do("GET", "/api/v1/me/sessions", second, nil)
		list := h.expect(res, 200)["items"].([]any)
		if len(list) != 2 {
			t.Fatalf("sessions: %v", list)
		}
		current := 0
		for _, x := range list {
			s := x.(map[string]any)
			if s["current"] == true {
				current++
			}
			if s["id"] == "" || s["issuedAt"] == nil || s["expiresAt"] == nil {
				t.Fatalf("session view: %v", s)
			}
		}
		for _, tok := range []string{first, second} {
			if strings.Contains(string(res.Body), tok) {
				t.Fatalf("the session list shows a token: %s", res.Body)
			}
		}
		if current != 1 {
			t.Fatalf("current sessions marked: %d", current)
		}
		h.do("POST", "/api/v1/auth/logout", first, nil)
		if list := h.expect(h.do("GET", "/api/v1/me/sessions", second, nil), 200)["items"].([]any); len(list) != 1 {
			t.Fatalf("after logging the first session out: %v", list)
		}
	})
}
