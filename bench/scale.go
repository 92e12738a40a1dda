package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// worklistFilters are the staff worklist queries of the issue: every list, every status, and
// the other filters, each a first page of 20 (the village is the first of the officer's town:
// the demo's 孙庄村委会, or bench/gen's hot town's first village).
func worklistFilters(village string) []string {
	var out []string
	for _, l := range []string{"all", "to_accept", "returned", "to_investigate", "to_check", "to_visit", "to_opinion", "to_notice",
		"in_notice", "to_decide", "to_backfill", "refusal_notice", "decided", "closed", "overdue", "due_soon"} {
		out = append(out, "list="+l)
	}
	for _, st := range []string{"submitted", "returned", "accepted", "investigating", "opinion_given", "public_notice", "reviewing",
		"decided", "not_accepted", "withdrawn", "terminated", "urgent_granted"} {
		out = append(out, "status="+st)
	}
	return append(out, "category=temporary_aid", "agent=true", "closeRelative=true", "urgent=true", "village="+village,
		"village="+village+"&status=submitted", "list=due_soon&days=7")
}

// worklistPhases measures every worklist filter for the session's officer.
func worklistPhases(ctx context.Context, s *session, o options, village string) []result {
	var rows []result
	for _, q := range worklistFilters(village) {
		path := "/api/v1/cases?" + q + "&limit=20"
		r := run(ctx, phase{name: "GET /api/v1/cases?" + q, conns: o.conns, ok: func(st int) bool { return st == 200 },
			request: func(w, i int) *http.Request {
				req, _ := http.NewRequest(http.MethodGet, s.base+path, nil)
				req.Header.Set("Authorization", "Bearer "+s.staffToken)
				return req
			}}, o.dur)
		fmt.Printf("  %-60s %7.0f req/s  p50 %-8s p95 %-8s p99 %-8s errors %d\n", r.Name, r.RPS(), ms(r.P50), ms(r.P95), ms(r.P99), r.Errors)
		rows = append(rows, r)
	}
	return rows
}

func printWorklistTable(w io.Writer, backend, staff string, conns int, rows []result) {
	fmt.Fprintf(w, "\nworklists of %s, %d connections: %s; %d CPUs\n\n", staff, conns, backend, numCPU())
	fmt.Fprintf(w, "| %-60s | %8s | %8s | %8s | %8s | %6s |\n", "filter", "req/s", "p50", "p95", "p99", "errors")
	fmt.Fprintf(w, "|%s|%s|%s|%s|%s|%s|\n", strings.Repeat("-", 62), strings.Repeat("-", 10), strings.Repeat("-", 10), strings.Repeat("-", 10), strings.Repeat("-", 10), strings.Repeat("-", 8))
	for _, r := range rows {
		fmt.Fprintf(w, "| %-60s | %8.0f | %8s | %8s | %8s | %6d |\n", r.Name, r.RPS(), ms(r.P50), ms(r.P95), ms(r.P99), r.Errors)
	}
}

// roundRobin is the load balancer of the scale-out mode: each request to the next replica.
type roundRobin struct {
	proxies []*httputil.ReverseProxy
	next    atomic.Uint64
}

func newRoundRobin(bases []string, conns int) (*roundRobin, error) {
	rr := &roundRobin{}
	for _, b := range bases {
		u, err := url.Parse(b)
		if err != nil {
			return nil, err
		}
		p := httputil.NewSingleHostReverseProxy(u)
		p.Transport = &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: time.Minute, DisableCompression: true}
		rr.proxies = append(rr.proxies, p)
	}
	return rr, nil
}

func (rr *roundRobin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rr.proxies[(rr.next.Add(1)-1)%uint64(len(rr.proxies))].ServeHTTP(w, r)
}

// pushCount reads what each replica's WeChat simulator received (GET /dev/v1/wechat/messages)
// and counts the pushes per message identity (recipient, template, page with the case, data:
// one notification of the outbox): duplicates are identities pushed more than once.
func pushCount(bases []string) (total, distinct, duplicates int, err error) {
	seen := map[string]int{}
	for _, b := range bases {
		res, err := http.Get(b + "/dev/v1/wechat/messages")
		if err != nil {
			return 0, 0, 0, err
		}
		var v struct {
			Items []struct {
				ToOpenID   string            `json:"toOpenId"`
				TemplateID string            `json:"templateId"`
				Page       string            `json:"page"`
				Data       map[string]string `json:"data"`
			} `json:"items"`
		}
		err = json.NewDecoder(res.Body).Decode(&v)
		res.Body.Close()
		if err != nil {
			return 0, 0, 0, err
		}
		for _, m := range v.Items {
			keys := make([]string, 0, len(m.Data))
			for k, val := range m.Data {
				keys = append(keys, k+"="+val)
			}
			sort.Strings(keys)
			seen[m.ToOpenID+"|"+m.TemplateID+"|"+m.Page+"|"+strings.Join(keys, ",")]++
			total++
		}
	}
	for _, n := range seen {
		if n > 1 {
			duplicates++
		}
	}
	return total, len(seen), duplicates, nil
}

// jobRuns reads palmaid_scheduler_runs_total of each replica's metrics endpoint: runs per job
// per replica.
func jobRuns(metricsAddrs []string) (map[string][]int, error) {
	out := map[string][]int{}
	for i, a := range metricsAddrs {
		res, err := http.Get("http://" + a + "/metrics")
		if err != nil {
			return nil, err
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		for _, l := range strings.Split(string(b), "\n") {
			if !strings.HasPrefix(l, "palmaid_scheduler_runs_total{") {
				continue
			}
			job := l[strings.Index(l, `job="`)+5:]
			job = job[:strings.Index(job, `"`)]
			n, _ := strconv.ParseFloat(l[strings.LastIndex(l, " ")+1:], 64)
			if out[job] == nil {
				out[job] = make([]int, len(metricsAddrs))
			}
			out[job][i] += int(n)
		}
	}
	return out, nil
}

// jobEvery is how often each scheduled job is due (service/app Jobs): at most elapsed/every+1
// runs in all replicas together.
var jobEvery = map[string]time.Duration{"deadline-sweep": 10 * time.Minute, "retention": 24 * time.Hour,
	"audit-seal": time.Minute, "calendar-coverage": 24 * time.Hour}

// subscribe accepts the one-time subscribe popup of every notification template for the
// resident (the scale-out mode needs pushes to count).
func (s *session) subscribe(ctx context.Context, token string) error {
	var tl struct {
		Items []struct {
			TemplateID string `json:"templateId"`
		} `json:"items"`
	}
	if err := s.call(ctx, "GET", "/mp/v1/subscriptions/templates", token, nil, 200, &tl); err != nil {
		return err
	}
	for i := 0; i < len(tl.Items); i += 3 {
		var res []map[string]string
		for _, t := range tl.Items[i:min(i+3, len(tl.Items))] {
			res = append(res, map[string]string{"templateId": t.TemplateID, "result": "accept"})
		}
		if err := s.call(ctx, "POST", "/mp/v1/subscriptions", token, map[string]any{"results": res}, 204, nil); err != nil {
			return err
		}
	}
	return nil
}

func printScaleTable(w io.Writer, backend string, n int, single, many []result) {
	fmt.Fprintf(w, "\nscale-out: 1 replica vs %d replicas behind a round-robin proxy; %s; %d CPUs\n\n", n, backend, numCPU())
	fmt.Fprintf(w, "| %-34s | %5s | %10s | %10s | %10s | %10s | %10s | %10s | %6s |\n", "endpoint", "conns", "1: req/s", "1: p50", "1: p99",
		fmt.Sprintf("%d: req/s", n), fmt.Sprintf("%d: p50", n), fmt.Sprintf("%d: p99", n), fmt.Sprintf("%d / 1", n))
	fmt.Fprintf(w, "|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", strings.Repeat("-", 36), strings.Repeat("-", 7), strings.Repeat("-", 12), strings.Repeat("-", 12),
		strings.Repeat("-", 12), strings.Repeat("-", 12), strings.Repeat("-", 12), strings.Repeat("-", 12), strings.Repeat("-", 8))
	for i := range single {
		a, b := single[i], many[i]
		ratio := "-"
		if a.RPS() > 0 {
			ratio = fmt.Sprintf("%.2f", b.RPS()/a.RPS())
		}
		fmt.Fprintf(w, "| %-34s | %5d | %10.0f | %10s | %10s | %10.0f | %10s | %10s | %6s |\n", a.Name, a.Conns, a.RPS(), ms(a.P50), ms(a.P99), b.RPS(), ms(b.P50), ms(b.P99), ratio)
	}
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// scaleOut runs the scale-out mode: replicas 2..n next to the running one (same database, Redis
// and key prefix), a round-robin proxy in front, the same phases against one replica and
// against the proxy, then counts the notification pushes per identity and the scheduled job
// runs of all replicas.
func scaleOut(ctx context.Context, o options, s *session, bin string, env []string, backend string, first *proc, firstMetrics string, logTo io.Writer, t0 time.Time) error {
	bases, metrics := []string{first.base}, []string{firstMetrics}
	for i := 2; i <= o.replicas; i++ {
		m, err := freePort()
		if err != nil {
			return err
		}
		p, ready, err := start(bin, logTo, append(append([]string{}, env...), "PALMAID_METRICS_ADDR="+m), "PALMAID_HTTP_ADDR", "serve")
		if err != nil {
			return err
		}
		defer p.stop()
		fmt.Printf("replica %d on %s: /readyz after %s\n", i, p.base, ready.Round(time.Millisecond))
		bases, metrics = append(bases, p.base), append(metrics, m)
	}
	rr, err := newRoundRobin(bases, o.conns)
	if err != nil {
		return err
	}
	paddr, err := freePort()
	if err != nil {
		return err
	}
	psrv := &http.Server{Addr: paddr, Handler: rr, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = psrv.ListenAndServe() }()
	defer psrv.Close()
	proxyBase := "http://" + paddr
	for i := 0; ; i++ {
		if res, err := http.Get(proxyBase + "/readyz"); err == nil {
			res.Body.Close()
			break
		}
		if i > 200 {
			return fmt.Errorf("proxy did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Every prepared resident accepts the subscribe popup: the submits' notifications are pushed.
	for i, h := range s.households {
		if err := s.subscribe(ctx, h.token); err != nil {
			return fmt.Errorf("subscribe %d: %w", i, err)
		}
	}
	if err := s.subscribe(ctx, s.progressToken); err != nil {
		return err
	}
	all := s.households
	half := len(all) / 2
	is200 := func(st int) bool { return st == 200 }
	get := func(base, path, token string) func(w, i int) *http.Request {
		return func(w, i int) *http.Request {
			req, _ := http.NewRequest(http.MethodGet, base+path, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			return req
		}
	}
	measure := func(base string, households []household) ([]result, error) {
		var rows []result
		add := func(r result) {
			fmt.Printf("  %-34s %8.0f req/s  p50 %-8s p99 %-8s errors %d (load %s)\n", r.Name, r.RPS(), ms(r.P50), ms(r.P99), r.Errors, loadAvg())
			rows = append(rows, r)
		}
		add(run(ctx, phase{name: "GET /mp/v1/cases/{id} (progress)", conns: o.conns, request: get(base, "/mp/v1/cases/"+s.progressCase, s.progressToken), ok: is200}, o.dur))
		add(run(ctx, phase{name: "GET /mp/v1/me", conns: o.conns, request: get(base, "/mp/v1/me", s.progressToken), ok: is200}, o.dur))
		s.base, s.households = base, households
		sub, err := s.submitPhase(ctx, max(o.conns/2, 1), o.dur)
		if err != nil {
			return nil, err
		}
		add(sub)
		// The town officer accepts what was submitted: each acceptance notifies the resident.
		created := append([]string(nil), s.created...)
		next := atomic.Int64{}
		add(run(ctx, phase{name: "POST /api/v1/cases/{id}/accept", conns: max(o.conns/2, 1), ok: func(st int) bool { return st == 200 },
			request: func(w, i int) *http.Request {
				k := int(next.Add(1)) - 1
				if k >= len(created) {
					return nil
				}
				req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/cases/"+created[k]+"/accept", strings.NewReader(`{"version":1,"opinion":"材料齐全，予以受理"}`))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+s.staffToken)
				return req
			}, after: func(w, i, status int, body []byte) {}}, o.dur))
		add(run(ctx, phase{name: "GET /api/v1/cases?list=to_accept", conns: o.conns, request: get(base, "/api/v1/cases?list=to_accept&limit=20", s.staffToken), ok: is200}, o.dur))
		return rows, nil
	}
	fmt.Println("one replica:")
	single, err := measure(first.base, all[:half])
	if err != nil {
		return err
	}
	fmt.Printf("%d replicas behind the proxy:\n", o.replicas)
	many, err := measure(proxyBase, all[half:])
	if err != nil {
		return err
	}
	// Let the notification workers of every replica drain the outbox.
	var total, distinct, dups int
	for i, stable := 0, 0; i < 30 && stable < 3; i++ {
		time.Sleep(2 * time.Second)
		t, d, du, err := pushCount(bases)
		if err != nil {
			return err
		}
		if t == total {
			stable++
		} else {
			stable = 0
		}
		total, distinct, dups = t, d, du
	}
	runs, err := jobRuns(metrics)
	if err != nil {
		return err
	}
	elapsed := time.Since(t0)
	printScaleTable(os.Stdout, backend, o.replicas, single, many)
	accepted := 0
	for _, r := range append(single, many...) {
		if strings.Contains(r.Name, "accept\u0020") || strings.HasSuffix(r.Name, "/accept") {
			accepted += r.Requests
		}
	}
	fmt.Printf("\nnotifications: %d cases accepted (each notifies its resident); %d pushes received by the %d replicas' WeChat simulators, %d distinct, %d pushed more than once\n", accepted, total, o.replicas, distinct, dups)
	fmt.Printf("scheduled jobs in %s (runs per replica):", elapsed.Round(time.Second))
	var over []string
	names := make([]string, 0, len(runs))
	for j := range runs {
		names = append(names, j)
	}
	sort.Strings(names)
	for _, j := range names {
		sum := 0
		for _, n := range runs[j] {
			sum += n
		}
		fmt.Printf(" %s %v;", j, runs[j])
		if every, ok := jobEvery[j]; ok && sum > int(elapsed/every)+1 {
			over = append(over, fmt.Sprintf("%s ran %d times in %s (due every %s)", j, sum, elapsed.Round(time.Second), every))
		}
	}
	fmt.Printf("\nload average at the end: %s\n", loadAvg())
	for _, r := range append(single, many...) {
		if r.Errors > 0 || r.Requests == 0 {
			return fmt.Errorf("%s: %d errors, %d answered requests", r.Name, r.Errors, r.Requests)
		}
	}
	if dups > 0 {
		return fmt.Errorf("%d notifications pushed more than once", dups)
	}
	if total == 0 {
		return fmt.Errorf("no notification was pushed: the duplicate check proved nothing")
	}
	if len(over) > 0 {
		return fmt.Errorf("scheduled jobs ran too often: %s", strings.Join(over, "; "))
	}
	return nil
}

// serverStatus reads MariaDB's global counters the submit diagnosis needs. They are
// server-wide: whatever else runs on the server counts too (the bench subtracts the rate
// measured just before the phase).
var statusNames = []string{"Questions", "Com_commit", "Com_insert", "Com_select", "Com_update", "Innodb_os_log_fsyncs", "Innodb_data_fsyncs",
	"Innodb_row_lock_waits", "Innodb_row_lock_time", "Innodb_log_waits"}

func serverStatus(ctx context.Context, db *sql.DB) (map[string]float64, error) {
	rows, err := db.QueryContext(ctx, "SHOW GLOBAL STATUS WHERE Variable_name IN ('"+strings.Join(statusNames, "','")+"')")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]float64{}
	for rows.Next() {
		var k string
		var v float64
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// statusDelta describes the counters' growth during a phase of d that made n requests, minus
// the background rate (bg over bgDur) measured before it.
func statusDelta(before, after, bgFrom, bgTo map[string]float64, d, bgDur time.Duration, n int) string {
	if n == 0 {
		return ""
	}
	var parts []string
	for _, k := range statusNames {
		bg := (bgTo[k] - bgFrom[k]) / bgDur.Seconds() * d.Seconds()
		parts = append(parts, fmt.Sprintf("%s %.1f", k, (after[k]-before[k]-bg)/float64(n)))
	}
	return "MariaDB global counters per created case (background rate subtracted): " + strings.Join(parts, ", ")
}
