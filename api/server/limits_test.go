package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"palmaid/api/httpx"
	"palmaid/api/server"
	"palmaid/service/notify"
	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// redisKeys lists the keys under the backend's prefix that start with what (sorted).
func redisKeys(t *testing.T, h *harness, be *testenv.Backend, what string) []string {
	t.Helper()
	var out []string
	iter := h.app.Redis.Scan(context.Background(), 0, be.Config.Redis.KeyPrefix+what+"*", 1000).Iterator()
	for iter.Next(context.Background()) {
		out = append(out, iter.Val())
	}
	testenv.Must(t, iter.Err())
	sort.Strings(out)
	return out
}

// TestProgressReadWritesNothingForMadeUpIDs (issue 19, "Redis can be filled from one account"):
// the progress read started a generation key in Redis (10-minute TTL) for any id before
// anything checked it, so one account filled Redis with made-up ids of up to ~64 KB. Now an id
// of the wrong form, a well-formed id of no case and another resident's case all answer the
// same 404 and leave no key behind.
func TestProgressReadWritesNothingForMadeUpIDs(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, friday)
		owner, theirs := residentWithCase(h, "fill-owner-"+be.Name)
		h.expect(h.do("GET", "/mp/v1/cases/"+theirs, owner, nil), 200)
		attacker := h.residentLogin(testenv.UniqueName("fill-" + be.Name))
		before := redisKeys(t, h, be, "caseview:")
		ids := []string{
			strings.Repeat("a", 8000),    // far too long
			"abcdefghijklmnopqrstuvwxyz", // the form's length with letters outside base32
			"aaaaaaaaaaaaaaaaaaaaaaaaaa", // well-formed, no such case
			theirs[:len(theirs)-1] + "7", // well-formed, no such case
			"NOT-AN-ID%00%ff",            // not an id
			theirs,                       // another resident's case
		}
		var first string
		for _, id := range ids {
			r := h.do("GET", "/mp/v1/cases/"+id, attacker, nil)
			if r.Status != 404 || r.errCode(t) != "case.not_found" {
				t.Fatalf("GET /mp/v1/cases/%.40s: %d %s", id, r.Status, r.Body)
			}
			e := r.json(t)["error"].(map[string]any)
			if got := e["code"].(string) + " " + e["message"].(string); first == "" {
				first = got
			} else if got != first {
				t.Fatalf("not found and not yours answer differently: %s / %s", first, got)
			}
		}
		if after := redisKeys(t, h, be, "caseview:"); strings.Join(after, "\n") != strings.Join(before, "\n") {
			for i := range after {
				after[i] = after[i][:min(len(after[i]), 80)]
			}
			t.Fatalf("made-up ids left Redis keys: before %d keys, after %d:\n%s", len(before), len(after), strings.Join(after, "\n"))
		}
	})
}

// TestDraftCap (issue 19: "100 drafts from one account in 0.6 s"): an account holds at most
// PALMAID_MAX_OPEN_DRAFTS drafts (5 by default); the next is refused with 409
// case.too_many_drafts and nothing is written. A draft withdrawn frees its place.
func TestDraftCap(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, friday)
		ctx := context.Background()
		name := testenv.UniqueName("drafts-" + be.Name)
		tok := h.residentLogin(name)
		h.expect(h.do("PUT", "/mp/v1/me/identity", tok, map[string]string{"name": "张三", "idNumber": aliceID}), 200)
		draft := func(i int) resp {
			return h.do("POST", "/mp/v1/drafts", tok, map[string]any{"villageCode": seed.DemoVillageE1, "address": "孙庄村2组6号",
				"categories": []string{"minimum_living"}, "reason": "母亲年老", "agentRelation": "child",
				"facts": motherFacts(makeID("990101", "19500101", 400+i))})
		}
		var first string
		for i := range 5 {
			m := h.expect(draft(i), 201)
			if first == "" {
				first = m["id"].(string)
			}
		}
		over := draft(5)
		if over.Status != 409 || over.errCode(t) != "case.too_many_drafts" {
			t.Fatalf("the sixth draft: %d %.200s", over.Status, over.Body)
		}
		if msg := over.json(t)["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "草稿") {
			t.Fatalf("the message does not say what to do: %q", msg)
		}
		mine, err := h.app.Store.CasesOfResident(ctx, residentID(t, h, name))
		testenv.Must(t, err)
		if len(mine) != 5 {
			t.Fatalf("%d cases written, want 5", len(mine))
		}
		h.expect(h.do("POST", "/mp/v1/cases/"+first+"/withdraw", tok, map[string]any{"version": 1, "reason": "填错了"}), 200)
		h.expect(draft(6), 201)

		// At once: the cap is counted under a lock on the account's row, so 8 drafts sent
		// together by a new account make exactly 5.
		name2 := testenv.UniqueName("drafts-race-" + be.Name)
		tok = h.residentLogin(name2)
		h.expect(h.do("PUT", "/mp/v1/me/identity", tok, map[string]string{"name": "张三", "idNumber": makeID("990101", "19700101", 450)}), 200)
		var wg sync.WaitGroup
		codes := make([]int, 8)
		for i := range codes {
			wg.Go(func() { codes[i] = draft(10 + i).Status })
		}
		wg.Wait()
		mine, err = h.app.Store.CasesOfResident(ctx, residentID(t, h, name2))
		testenv.Must(t, err)
		if len(mine) != 5 {
			t.Fatalf("8 drafts at once made %d cases (statuses %v), want 5", len(mine), codes)
		}
	})
}

// TestOwnerLoginKeepsGlobalLock (issue 19: "the global staff lock is cleared by the owner's
// next successful login, giving an attacker 20 fresh guesses each time"): 20 failures from
// strangers' addresses lock the account for every address but the ones its owner logged in
// from; the owner's next login from a known address clears that address's own counter only,
// so the strangers stay locked out.
func TestOwnerLoginKeepsGlobalLock(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		be.Config.HTTP.TrustedProxies = []string{"127.0.0.1"}
		h := newHarness(t, be, friday)
		login := func(ip, password string) resp {
			return h.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "town_west", "password": password}, "X-Forwarded-For", ip)
		}
		const right = "palmaid-demo-2026"
		h.expect(login("10.1.0.1", right), 200) // the owner's desk becomes a known address
		for i := range 20 {
			if r := login(fmt.Sprintf("192.0.2.%d", 10+i/5), "guess-"+strconv.Itoa(i)); r.Status != 401 {
				t.Fatalf("guess %d: %d %.200s", i, r.Status, r.Body)
			}
		}
		if r := login("192.0.2.99", right); r.Status != 429 || r.errCode(t) != "auth.locked" {
			t.Fatalf("a new address after 20 failures: %d %.200s", r.Status, r.Body)
		}
		h.expect(login("10.1.0.1", right), 200) // the owner is not locked out of the desk
		for _, ip := range []string{"192.0.2.99", "192.0.2.100"} {
			if r := login(ip, "guess-after"); r.Status != 429 || r.errCode(t) != "auth.locked" {
				t.Fatalf("after the owner's login a stranger at %s guesses again: %d %.200s", ip, r.Status, r.Body)
			}
		}
	})
}

// killableRedis gives the harness a Redis that the test may kill and restart: the embedded
// backend's in-process one, or (MariaDB backend) a redis-server of its own, never the shared
// one. Call before newHarness; attach binds the embedded one once the harness is built.
func killableRedis(t *testing.T, be *testenv.Backend) (kill, restart func(), attach func(h *harness)) {
	t.Helper()
	if be.Name == "embedded" {
		attach = func(h *harness) {
			mr := h.app.InProcessRedis
			kill = mr.Close
			restart = func() { testenv.Must(t, mr.Restart()) }
		}
		return func() { kill() }, func() { restart() }, attach
	}
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server is not installed: this backend needs its own Redis to kill")
	}
	port := freePort(t)
	var cmd *exec.Cmd
	start := func() {
		cmd = exec.Command(bin, "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--save", "", "--appendonly", "no")
		testenv.Must(t, cmd.Start())
		for deadline := time.Now().Add(10 * time.Second); ; {
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
	stop := func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }
	start()
	t.Cleanup(stop)
	be.Config.Redis.Addr = fmt.Sprintf("127.0.0.1:%d", port)
	return stop, start, func(*harness) {}
}

// TestAnonymousLimitsHoldWithoutRedis (issue 19: "anonymous per-IP limits fail open while
// Redis is down"): with Redis killed, the self-check (no login, no Redis of its own) is still
// limited per client IP, by the limiter's in-process fallback; another IP has its own budget.
func TestAnonymousLimitsHoldWithoutRedis(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		be.Config.HTTP.TrustedProxies = []string{"127.0.0.1"}
		kill, restart, attach := killableRedis(t, be)
		h := newHarness(t, be, friday)
		attach(h)
		check := func(ip string) resp {
			return h.do("POST", "/mp/v1/eligibility/check", "", selfCheck(seed.DemoVillageW1), "X-Forwarded-For", ip)
		}
		h.expect(check("198.51.100.20"), 200)
		kill()
		defer restart()
		limited := 0
		for range 40 {
			switch r := check("198.51.100.21"); r.Status {
			case 200:
			case 429:
				if r.errCode(t) != "request.rate_limited" || r.Header.Get("Retry-After") == "" {
					t.Fatalf("refused without the limit's answer: %d %.200s", r.Status, r.Body)
				}
				limited++
			default:
				t.Fatalf("self-check with Redis down: %d %.200s", r.Status, r.Body)
			}
		}
		// 30 a minute, bursting to 30: 10 refused, fewer if the loop took seconds (no timing here).
		if limited < 5 {
			t.Fatalf("%d of 40 self-checks from one IP refused with Redis down, want about 10 (the limit failed open?)", limited)
		}
		h.expect(check("198.51.100.22"), 200)
	})
}

// TestSubscriptionQuotaCapped (issue 19: "subscription reports are unlimited and trusted (60
// reports → a quota of 60)"): WeChat's popup answers once per template (its result is keyed by
// template id), so a report naming a template twice is refused; reports are limited per account
// (each needs a tap); and the quota of one template never passes notify.MaxQuota, whatever
// the client reports.
func TestSubscriptionQuotaCapped(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, friday)
		name := testenv.UniqueName("subs-" + be.Name)
		tok := h.residentLogin(name)
		accept := map[string]string{"templateId": seed.SimulatorTemplateID, "result": "accept"}
		if r := h.do("POST", "/mp/v1/subscriptions", tok, map[string]any{"results": []map[string]string{accept, accept}}); r.Status != 400 ||
			r.errCode(t) != "subscribe.invalid" {
			t.Fatalf("one report accepting a template twice: %d %.200s", r.Status, r.Body)
		}
		statuses := map[int]int{}
		for range 60 {
			statuses[h.do("POST", "/mp/v1/subscriptions", tok, map[string]any{"results": []map[string]string{accept}}).Status]++
		}
		if statuses[429] == 0 || statuses[204]+statuses[429] != 60 {
			t.Fatalf("60 reports at once: %v", statuses)
		}
		q, err := testenv.OpenRows(t, h.app.Config).Quota(context.Background(), residentID(t, h, name), seed.SimulatorTemplateID)
		testenv.Must(t, err)
		if q > notify.MaxQuota {
			t.Fatalf("quota %d after 60 reports, want at most %d", q, notify.MaxQuota)
		}
	})
}

// TestEveryRouteHasALimitClass (issue 19: "a limit on every write and every expensive read"):
// the router of both faces (and the server's own routes) is walked; every route must have been
// registered with a limit class (httpx.Router), a write never with none, and a route without a
// limit must say why.
func TestEveryRouteHasALimitClass(t *testing.T) {
	be := testenv.New(t, "embedded")
	h := newHarness(t, be, friday)
	engine, book := server.Build(h.app, slog.New(slog.NewTextHandler(io.Discard, nil)))
	routes := engine.Routes()
	if len(routes) < 60 {
		t.Fatalf("only %d routes: is this the whole router?", len(routes))
	}
	documented := map[string]bool{} // routes whose OpenAPI operation lists a 429
	for path, item := range loadCommitted(t).Paths.Map() {
		for method, op := range item.Operations() {
			documented[method+" "+path] = op.Responses.Status(429) != nil
		}
	}
	faces := map[string]int{}
	for _, r := range routes {
		cl, ok := book.Class(r.Method, r.Path)
		if !ok {
			t.Errorf("%s %s has no limit class (register it through httpx.Router with its class)", r.Method, r.Path)
			continue
		}
		switch {
		case cl.Scope == httpx.NoLimit && r.Method != "GET":
			t.Errorf("%s %s writes without a limit", r.Method, r.Path)
		case cl.Scope == httpx.NoLimit && len(cl.Reason) < 10:
			t.Errorf("%s %s has no limit and no reason", r.Method, r.Path)
		case cl.Scope != httpx.NoLimit && (cl.Limit.Rate < 1 || cl.Limit.Period <= 0):
			t.Errorf("%s %s: class %q has no rate", r.Method, r.Path, cl.Name)
		case cl.Scope != httpx.NoLimit && !documented[r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}")]:
			t.Errorf("%s %s is limited (%s) but its OpenAPI operation lists no 429 (api/server/openapi.go limitedPrefixes)", r.Method, r.Path, cl.Name)
		}
		for _, face := range []string{"/mp/v1/", "/api/v1/"} {
			if strings.HasPrefix(r.Path, face) {
				faces[face]++
			}
		}
	}
	if faces["/mp/v1/"] < 30 || faces["/api/v1/"] < 30 {
		t.Fatalf("routes by face: %v", faces)
	}
}

// TestUnmaskBudgetAndReason (issue 19: "unmask has no budget (15 in 0.1 s, a 2-character
// reason accepted)"): a reason shorter than 5 characters is refused; each officer may unmask
// PALMAID_UNMASK_PER_HOUR numbers an hour, and the next is refused with 429
// unmask.budget_spent and raises an alert (an error log line and the metric
// palmaid_rate_limited_total{limit="unmask:staff"}); another officer's budget is their own.
func TestUnmaskBudgetAndReason(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		be.Config.Limits.UnmaskPerHour = 3
		h := newHarness(t, be, friday)
		_, id := residentWithCase(h, "unmask-"+be.Name)
		officer := h.staffLogin("town_east")
		unmask := func(tok, reason string) resp {
			return h.do("POST", "/api/v1/cases/"+id+"/unmask", tok, map[string]any{"field": "idNumber", "memberPosition": 0, "reason": reason})
		}
		if r := unmask(officer, "看看"); r.Status != 422 || r.errCode(t) != "unmask.reason_too_short" {
			t.Fatalf("a 2-character reason: %d %.200s", r.Status, r.Body)
		}
		for i := range 2 {
			h.expect(unmask(officer, fmt.Sprintf("电话核实申请人身份%d", i)), 200)
		}
		r := unmask(officer, "电话核实申请人身份")
		if r.Status != 429 || r.errCode(t) != "unmask.budget_spent" || r.Header.Get("Retry-After") == "" {
			t.Fatalf("an unmask past the budget: %d %.200s", r.Status, r.Body)
		}
		if !strings.Contains(h.logs.String(), `"alert":"limit_budget_spent"`) {
			t.Fatal("no alert logged for the spent unmask budget")
		}
		var m dto.Metric
		testenv.Must(t, h.app.Metrics.RateLimited.WithLabelValues("unmask:staff").Write(&m))
		if n := m.GetCounter().GetValue(); n != 1 {
			t.Fatalf("palmaid_rate_limited_total{limit=unmask:staff} = %v, want 1", n)
		}
		h.expect(unmask(h.staffLogin("town_east2"), "电话核实申请人身份"), 200)
	})
}

// TestProgressReadLimitedPerAccount: the progress read checks the session itself, so its
// class is spent by the handler once it knows the account (httpx.SpendDeferred): one account
// gets its read budget (240 a minute) and then 429; another account still reads.
func TestProgressReadLimitedPerAccount(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, friday)
		tok, id := residentWithCase(h, "reads-"+be.Name)
		statuses := map[int]int{}
		for range 260 {
			statuses[h.do("GET", "/mp/v1/cases/"+id, tok, nil).Status]++
		}
		// 240 a minute, bursting to 240 (a few more if the loop took seconds: no timing here).
		if statuses[429] < 5 || statuses[200] < 240 || statuses[200]+statuses[429] != 260 {
			t.Fatalf("260 progress reads from one account: %v", statuses)
		}
		if r := h.do("GET", "/mp/v1/cases/"+id, "", nil); r.Status != 401 {
			t.Fatalf("no session, after the account's budget is spent: %d", r.Status)
		}
		other := h.residentLogin(testenv.UniqueName("reads-other-" + be.Name))
		if r := h.do("GET", "/mp/v1/cases/"+id, other, nil); r.Status != 404 { // its own budget: the scope check answers
			t.Fatalf("another account after the first spent its budget: %d %.200s", r.Status, r.Body)
		}
	})
}
