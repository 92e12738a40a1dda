package server_test

import (
	"strconv"
	"testing"
	"time"

	"palmaid/service/testenv"
)

// Finding 6: with the database gone, requests answer 503 service.unavailable with
// Retry-After (they answered 500 internal).
func TestDatabaseOutageAnswers503(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
		tok := h.staffLogin("town_east")
		h.expect(h.do("GET", "/api/v1/me", tok, nil), 200)
		testenv.Must(t, h.app.Store.Close())
		for _, r := range []resp{
			h.do("GET", "/api/v1/me", tok, nil),
			h.do("GET", "/api/v1/cases", tok, nil),
			h.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "county", "password": "palmaid-demo-2026"}),
		} {
			if r.Status != 503 || r.errCode(t) != "service.unavailable" {
				t.Fatalf("with the database closed: %d %s", r.Status, r.Body)
			}
			if n, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || n < 1 {
				t.Fatalf("503 without Retry-After: %q", r.Header.Get("Retry-After"))
			}
		}
	})
}

// Finding 6: every request's database work has a deadline (PALMAID_DB_REQUEST_TIMEOUT); past
// it the answer is 503, not a hung connection or 500.
func TestRequestDeadlineAnswers503(t *testing.T) {
	be := testenv.New(t, "embedded")
	be.Config.Database.RequestTimeout = time.Nanosecond
	h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
	r := h.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "county", "password": "palmaid-demo-2026"})
	if r.Status != 503 || r.Header.Get("Retry-After") == "" {
		t.Fatalf("past the deadline: %d %s", r.Status, r.Body)
	}
}

// Findings 8 and 9: auth.locked carries Retry-After; every API response is no-store and
// nosniff (tokens and personal data must not sit in caches).
func TestLockedRetryAfterAndNoStore(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
		for i := 0; i < 5; i++ {
			h.expect(h.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "village_e1", "password": "wrong"}), 401)
		}
		r := h.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "village_e1", "password": "palmaid-demo-2026"})
		if r.Status != 429 || r.errCode(t) != "auth.locked" {
			t.Fatalf("locked: %d %s", r.Status, r.Body)
		}
		if n, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || n < 60 || n > 900 {
			t.Fatalf("auth.locked Retry-After %q", r.Header.Get("Retry-After"))
		}
		tok := h.staffLogin("town_east")
		for _, r := range []resp{r, h.do("GET", "/api/v1/me", tok, nil), h.do("POST", "/mp/v1/auth/login", "", map[string]string{"code": "dev:alice"}),
			h.do("GET", "/api/v1/nowhere", tok, nil)} {
			if r.Header.Get("Cache-Control") != "no-store" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Fatalf("%d response headers: %v", r.Status, r.Header)
			}
		}
	})
}

// Finding 9: a client cannot skip the optimistic check with version ≤ 0 (it used to mean "no
// check"), and cannot smuggle it in a case-folded or repeated key.
func TestClientVersionMustBePositive(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
		staff := h.staffLogin("town_east")
		res := h.residentLogin("versioned")
		for _, v := range []int{-1, 0} {
			if r := h.do("POST", "/api/v1/cases/MZX/accept", staff, map[string]any{"version": v}); r.Status != 400 || r.errCode(t) != "case.version_required" {
				t.Errorf("staff version %d: %d %s", v, r.Status, r.Body)
			}
			if r := h.do("POST", "/mp/v1/cases/MZX/withdraw", res, map[string]any{"version": v, "reason": "不需要了"}); r.Status != 400 || r.errCode(t) != "case.version_required" {
				t.Errorf("resident version %d: %d %s", v, r.Status, r.Body)
			}
		}
		for body, code := range map[string]string{`{"VERSION":3}`: "request.unknown_field", `{"verſion":3}`: "request.unknown_field",
			`{"version":3,"version":-1}`: "request.duplicate_field"} {
			if r := h.do("POST", "/api/v1/cases/MZX/accept", staff, body, "Content-Type", "application/json"); r.Status != 400 || r.errCode(t) != code {
				t.Errorf("%s: %d %s", body, r.Status, r.Body)
			}
		}
	})
}

// auth.rate_limited (WeChat's 45011 on a resident login) carries Retry-After.
func TestWeChatRateLimitedRetryAfter(t *testing.T) {
	be := testenv.New(t, "embedded")
	h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
	r := h.do("POST", "/mp/v1/auth/login", "", map[string]string{"code": "fail:45011"})
	if r.Status != 429 || r.errCode(t) != "auth.rate_limited" || r.Header.Get("Retry-After") != "60" {
		t.Fatalf("45011: %d %v %s", r.Status, r.Header.Get("Retry-After"), r.Body)
	}
}
