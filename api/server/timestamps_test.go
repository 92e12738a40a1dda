package server_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"palmaid/service/seed"
	"palmaid/service/testenv"
)

var timestampRe = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d`)

// timestampsIn returns every RFC 3339 timestamp in a decoded JSON value.
func timestampsIn(v any) []string {
	var out []string
	switch x := v.(type) {
	case string:
		if timestampRe.MatchString(x) {
			out = append(out, x)
		}
	case map[string]any:
		for _, y := range x {
			out = append(out, timestampsIn(y)...)
		}
	case []any:
		for _, y := range x {
			out = append(out, timestampsIn(y)...)
		}
	}
	return out
}

// One timestamp rule (README, "Timestamps"): every instant in an answer is RFC 3339 in China
// Standard Time, +08:00 — the logins' expiresAt used to be UTC.
func TestTimestampsAreChinaTime(t *testing.T) {
	h := newHarness(t, testenv.New(t, "embedded"), friday)
	var answers []map[string]any
	answers = append(answers,
		h.expect(h.do("POST", "/mp/v1/auth/login", "", map[string]string{"code": "dev:" + testenv.UniqueName("ts")}), 200),
		h.expect(h.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "town_east", "password": seed.DemoPassword}), 200))
	tok := answers[0]["token"].(string)
	h.expect(h.do("PUT", "/mp/v1/me/identity", tok, map[string]string{"name": "张三", "idNumber": aliceID}), 200)
	created := h.expect(h.do("POST", "/mp/v1/cases", tok, application("371522106200"), "Idempotency-Key", testenv.UniqueName("ts")), 201)
	staff := answers[1]["token"].(string)
	answers = append(answers, created,
		h.expect(h.do("GET", "/mp/v1/cases", tok, nil), 200),
		h.expect(h.do("GET", "/api/v1/cases", staff, nil), 200),
		h.expect(h.do("GET", "/api/v1/cases/"+created["id"].(string), staff, nil), 200))
	n := 0
	for _, a := range answers {
		for _, ts := range timestampsIn(a) {
			n++
			if !strings.HasSuffix(ts, "+08:00") {
				t.Errorf("timestamp %s is not in +08:00: %v", ts, a)
			}
		}
	}
	if n < 6 {
		t.Fatalf("only %d timestamps seen", n)
	}
}

// Finding (issue 19): the staff-admin API answered UTC times. Every GET route of the router
// without a path parameter, asked by each staff role and a resident: every timestamp in a 200
// answer is in +08:00.
func TestEveryListTimestampIsChinaTime(t *testing.T) {
	h := newHarness(t, testenv.New(t, "embedded"), friday)
	tok := h.residentLogin(testenv.UniqueName("ts-all"))
	h.expect(h.do("PUT", "/mp/v1/me/identity", tok, map[string]string{"name": "张三", "idNumber": aliceID}), 200)
	h.expect(h.do("POST", "/mp/v1/cases", tok, application("371522106200"), "Idempotency-Key", testenv.UniqueName("ts")), 201)
	tokens := []string{tok}
	for _, u := range []string{"admin", "auditor", "county", "town_east"} {
		tokens = append(tokens, h.staffLogin(u))
	}
	n := 0
	for _, rt := range newHarnessEngine(t, h).Routes() {
		if rt.Method != "GET" || strings.Contains(rt.Path, ":") || strings.Contains(rt.Path, "*") || strings.HasPrefix(rt.Path, "/dev/") {
			continue
		}
		for _, tk := range tokens {
			r := h.do("GET", rt.Path, tk, nil)
			if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
				continue
			}
			var v any
			if err := json.Unmarshal(r.Body, &v); err != nil {
				continue
			}
			for _, ts := range timestampsIn(v) {
				n++
				if !strings.HasSuffix(ts, "+08:00") {
					t.Errorf("GET %s: timestamp %s is not in +08:00", rt.Path, ts)
				}
			}
		}
	}
	if n < 20 {
		t.Fatalf("only %d timestamps seen", n)
	}
}
