package server_test

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"reflect"
	"strconv"
	"testing"
	"time"

	"palmaid/service/testenv"
)

// Fault test: Redis killed under a running server, through the router. Every request that
// needs it (resident and staff logins, authenticated reads and writes) answers 503
// service.unavailable with Retry-After — never 401, 500 or a password oracle — and the
// database is exactly as before (nothing half-written). Redis back: /readyz recovers and a
// fresh login works. The embedded backend kills its in-process Redis; the MariaDB backend
// starts its own redis-server (never the shared one) and kills it with SIGKILL.
func TestRedisOutage(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		var kill, restart func()
		if be.Name != "embedded" {
			bin, err := exec.LookPath("redis-server")
			if err != nil {
				t.Skip("redis-server is not installed: the outage test on this backend needs its own Redis to kill")
			}
			port := freePort(t)
			var cmd *exec.Cmd
			start := func() {
				cmd = exec.Command(bin, "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--save", "", "--appendonly", "no")
				testenv.Must(t, cmd.Start())
				deadline := time.Now().Add(10 * time.Second)
				for {
					if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond); err == nil {
						_ = c.Close()
						return
					}
					if time.Now().After(deadline) {
						t.Fatal("redis-server did not start")
					}
					time.Sleep(20 * time.Millisecond)
				}
			}
			kill = func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }
			restart = start
			start()
			t.Cleanup(kill)
			be.Config.Redis.Addr = fmt.Sprintf("127.0.0.1:%d", port)
		}
		h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
		if kill == nil {
			mr := h.app.InProcessRedis
			kill = mr.Close
			restart = func() { testenv.Must(t, mr.Restart()) }
		}
		ctx := context.Background()
		resident := testenv.UniqueName("outage")
		tok := h.residentLogin(resident)
		staffTok := h.staffLogin("town_west")
		h.expect(h.do("GET", "/api/v1/worklists", staffTok, nil), 200)
		before, err := testenv.OpenRows(t, h.app.Config).TextDump(ctx)
		testenv.Must(t, err)

		kill()
		down := time.Now()
		statuses := map[int]int{}
		requests := 0
		for i := 0; i < 3; i++ {
			for _, rq := range []struct {
				method, path, tok string
				body              any
			}{
				{"POST", "/mp/v1/auth/login", "", map[string]string{"code": "dev:" + resident}},
				{"PUT", "/mp/v1/me/identity", tok, map[string]string{"name": "张三", "idNumber": makeID("990101", "19700101", 500+i)}},
				{"GET", "/mp/v1/me", tok, nil},
				{"POST", "/api/v1/auth/login", "", map[string]string{"username": "town_west", "password": "palmaid-demo-2026"}},
				{"POST", "/api/v1/auth/login", "", map[string]string{"username": "town_west", "password": "wrong-password-1"}},
				{"GET", "/api/v1/worklists", staffTok, nil},
			} {
				r := h.do(rq.method, rq.path, rq.tok, rq.body)
				requests++
				statuses[r.Status]++
				if r.Status != 503 || r.errCode(t) != "service.unavailable" || r.Header.Get("Retry-After") == "" {
					t.Fatalf("%s %s with Redis down: %d %s (Retry-After %q)", rq.method, rq.path, r.Status, r.Body, r.Header.Get("Retry-After"))
				}
			}
		}
		if r := h.do("GET", "/readyz", "", nil); r.Status != 503 {
			t.Fatalf("/readyz with Redis down: %d %s", r.Status, r.Body)
		}
		after, err := testenv.OpenRows(t, h.app.Config).TextDump(ctx)
		testenv.Must(t, err)
		// SQLite's AUTOINCREMENT bookkeeping moves when the resident login's
		// INSERT … ON CONFLICT DO NOTHING finds the row: no data row changes.
		delete(before, "sqlite_sequence")
		delete(after, "sqlite_sequence")
		if !reflect.DeepEqual(before, after) {
			for table := range after {
				if !reflect.DeepEqual(before[table], after[table]) {
					t.Errorf("table %s changed during the outage", table)
				}
			}
		}

		restart()
		up := time.Now()
		var recovered time.Duration
		for i := 0; ; i++ {
			if r := h.do("GET", "/readyz", "", nil); r.Status == 200 {
				recovered = time.Since(up)
				break
			}
			if i == 200 {
				t.Fatal("/readyz did not recover within 10 s of Redis coming back")
			}
			time.Sleep(50 * time.Millisecond)
		}
		fresh := h.staffLogin("town_west")
		h.expect(h.do("GET", "/api/v1/worklists", fresh, nil), 200)
		h.expect(h.do("GET", "/mp/v1/me", h.residentLogin(resident), nil), 200)
		t.Logf("%s: %d requests during a %.1f s Redis outage, statuses %v; ready again %.2f s after Redis returned",
			be.Name, requests, up.Sub(down).Seconds(), statuses, recovered.Seconds())
	})
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	testenv.Must(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
