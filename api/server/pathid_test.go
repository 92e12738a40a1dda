package server_test

import (
	"strings"
	"testing"

	"palmaid/service/testenv"
)

// Finding (issue 19): numeric path ids of 2^63 and more answered 500 on SQLite (message read,
// staff disable/role/reset-password/reset-second-factor, dead-letter requeue). Every route of
// the router, every path parameter replaced by an id too large for the database, as an
// administrator, an auditor, a caseworker and a resident: never 500; the numeric-id routes
// answer 400 request.invalid_id.
func TestHugePathIDs(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		staffTokens := map[string]string{"admin": h.staffLogin("admin"), "auditor": h.staffLogin("auditor"), "town_east": h.staffLogin("town_east")}
		resident := h.residentLogin("huge-ids-" + be.Name)
		numeric := map[string]bool{
			"POST /mp/v1/messages/:id/read":                         true,
			"POST /api/v1/admin/staff/:staffId/disable":             true,
			"POST /api/v1/admin/staff/:staffId/role":                true,
			"POST /api/v1/admin/staff/:staffId/reset-password":      true,
			"POST /api/v1/admin/staff/:staffId/reset-second-factor": true,
			"POST /api/v1/admin/notifications/:id/requeue":          true,
		}
		seen := 0
		for _, huge := range []string{"9223372036854775808", "18446744073709551615", "99999999999999999999999"} {
			for _, rt := range newHarnessEngine(t, h).Routes() {
				if !strings.Contains(rt.Path, ":") || strings.HasPrefix(rt.Path, "/dev/") {
					continue
				}
				parts := strings.Split(rt.Path, "/")
				for i, p := range parts {
					if strings.HasPrefix(p, ":") || strings.HasPrefix(p, "*") {
						parts[i] = huge
					}
				}
				path := strings.Join(parts, "/")
				var tokens []string
				if strings.HasPrefix(rt.Path, "/mp/") {
					tokens = []string{resident}
				} else {
					for _, tok := range staffTokens {
						tokens = append(tokens, tok)
					}
				}
				for _, tok := range tokens {
					var body any
					if rt.Method != "GET" {
						body = map[string]any{}
					}
					r := h.do(rt.Method, path, tok, body)
					if r.Status >= 500 {
						t.Errorf("%s %s: %d %s", rt.Method, path, r.Status, r.Body)
					}
					if numeric[rt.Method+" "+rt.Path] && tok == staffTokens["admin"] || numeric[rt.Method+" "+rt.Path] && tok == resident {
						if r.Status != 400 || r.errCode(t) != "request.invalid_id" {
							t.Errorf("%s %s: %d %s, want 400 request.invalid_id", rt.Method, path, r.Status, r.Body)
						}
						seen++
					}
				}
			}
		}
		if seen != 3*len(numeric) {
			t.Fatalf("numeric-id routes tried: %d, want %d", seen, 3*len(numeric))
		}
	})
}
