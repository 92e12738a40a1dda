package server_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"palmaid/service/testenv"
)

// Finding 4: eight accounts bind the same ID number at once: exactly one succeeds, the others
// get 409 identity.already_bound (before: no unique index, check-then-write, 4 of 4 won on
// MariaDB).
func TestConcurrentIdentityBindingOneWins(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
		const n = 8
		toks := make([]string, n)
		for i := range toks {
			toks[i] = h.residentLogin(fmt.Sprintf("squat%d", i))
		}
		status := make([]int, n)
		codes := make([]string, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				r := h.do("PUT", "/mp/v1/me/identity", toks[i], map[string]string{"name": "张三", "idNumber": aliceID})
				status[i] = r.Status
				if r.Status != 200 {
					codes[i] = r.errCode(t)
				}
			}(i)
		}
		close(start)
		wg.Wait()
		wins := 0
		for i, s := range status {
			switch {
			case s == 200:
				wins++
			case s == 409 && codes[i] == "identity.already_bound":
			default:
				t.Fatalf("binding %d: %d %s", i, s, codes[i])
			}
		}
		if wins != 1 {
			t.Fatalf("%d of %d concurrent bindings of one ID number succeeded (statuses %v)", wins, n, status)
		}
	})
}

// Finding 4: concurrent first logins of one WeChat user all answer 200 with the same resident
// (before: read-then-insert, the losers got 500).
func TestConcurrentFirstLoginsOneResident(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
		const n = 8
		status := make([]int, n)
		ids := make([]uint64, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				r := h.do("POST", "/mp/v1/auth/login", "", map[string]string{"code": "dev:first-timer"})
				status[i] = r.Status
				if r.Status == 200 {
					ids[i], _ = h.app.Auth.ResidentID(context.Background(), r.json(t)["token"].(string))
				}
			}(i)
		}
		close(start)
		wg.Wait()
		for i := range status {
			if status[i] != 200 || ids[i] == 0 || ids[i] != ids[0] {
				t.Fatalf("concurrent first logins: statuses %v, resident ids %v", status, ids)
			}
		}
	})
}

// Finding 9: a transient WeChat error while binding the phone is 503 (retry), not 422
// (which tells the user their authorisation was bad).
func TestPhoneBindingTransientWeChatError(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
		tok := h.residentLogin("phone-busy")
		if r := h.do("POST", "/mp/v1/me/phone", tok, map[string]string{"code": "fail:-1"}); r.Status != 503 || r.Header.Get("Retry-After") == "" {
			t.Fatalf("system busy: %d %s", r.Status, r.Body)
		}
		if r := h.do("POST", "/mp/v1/me/phone", tok, map[string]string{"code": "fail:40029"}); r.Status != 422 || r.errCode(t) != "phone.code_invalid" {
			t.Fatalf("bad code: %d %s", r.Status, r.Body)
		}
	})
}

// Finding 3 (in part): identity binding is limited per account, so one account cannot probe
// hundreds of ID numbers; the 6th attempt within the hour is 429 with Retry-After.
func TestIdentityBindingLimitedPerAccount(t *testing.T) {
	be := testenv.New(t, "embedded")
	h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
	prober := h.residentLogin("prober")
	for i := 0; i < 5; i++ {
		if r := h.do("PUT", "/mp/v1/me/identity", prober, map[string]string{"name": "张三", "idNumber": "110105194912310021"}); r.Status != 400 {
			t.Fatalf("attempt %d: %d %s", i, r.Status, r.Body)
		}
	}
	r := h.do("PUT", "/mp/v1/me/identity", prober, map[string]string{"name": "张三", "idNumber": aliceID})
	if r.Status != 429 || r.errCode(t) != "request.rate_limited" || r.Header.Get("Retry-After") == "" {
		t.Fatalf("6th binding: %d %s", r.Status, r.Body)
	}
	// Another account is not affected.
	h.expect(h.do("PUT", "/mp/v1/me/identity", h.residentLogin("owner"), map[string]string{"name": "张三", "idNumber": aliceID}), 200)
}
