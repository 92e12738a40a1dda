// Command bench is palmaid's load harness (`make bench`, or `go run ./bench`).
//
// It builds palmaid, starts it on loopback (embedded: SQLite and in-process Redis in a fresh
// data directory; or MariaDB + Redis when PALMAID_BENCH_MYSQL_DSN is set, in a database of
// its own that is dropped afterwards), starts a FLOOR process (a bare Gin handler doing one
// primary-key SELECT on the same database and driver settings, and one doing one Redis GET),
// and measures, in the same run and with the same client:
//
//   - the floor (SQL, Redis);
//   - GET /mp/v1/cases/{id}: the resident's progress screen (household of four);
//   - GET /mp/v1/me;
//   - POST /mp/v1/cases: a household of four, each with its own Idempotency-Key; afterwards
//     every key is replayed and must answer the same case (exactly one case per key);
//   - GET /api/v1/cases?list=to_accept: a town officer's worklist page;
//   - the server's RSS while holding many idle keep-alive connections.
//
// It prints one table: req/s, p50, p99, errors, and throughput as a fraction of the SQL floor.
// Every phase is bounded in time (-d, default 10 s; -short: 1 s and fewer connections, for CI).
//
//	go run ./bench                  # embedded
//	PALMAID_BENCH_MYSQL_DSN='root@tcp(127.0.0.1:3306)/' PALMAID_BENCH_REDIS_ADDR=127.0.0.1:6379 go run ./bench
//	go run ./bench -short           # a few seconds: checks that everything runs
package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/redis/go-redis/v9"
)

type options struct {
	short     bool
	dur       time.Duration
	conns     int
	submits   int
	drafts    int
	idle      int
	mysqlDSN  string // server DSN (no database, or one that is replaced)
	redisAddr string
	binary    string
	keep      bool
	existing  bool   // use the DSN's database as it is (e.g. filled by bench/gen)
	staff     string // the officer whose worklist is read
	worklists bool   // measure every worklist filter instead of the standard phases
	village   string // the village of the village filters (-worklists)
	replicas  int    // > 1: the scale-out mode (MariaDB + Redis only)
}

func main() {
	var o options
	serve := flag.String("serve-floor", "", "internal: serve the floor on this address")
	floorDriver := flag.String("floor-driver", "sqlite", "internal: floor database driver")
	floorDSN := flag.String("floor-dsn", "", "internal: floor database DSN")
	floorRedis := flag.String("floor-redis", "", "internal: floor Redis address (empty: in-process)")
	flag.BoolVar(&o.short, "short", os.Getenv("PALMAID_BENCH_SHORT") != "", "short mode for CI: 1 s phases, 16 connections, few submits (also PALMAID_BENCH_SHORT=1)")
	flag.DurationVar(&o.dur, "d", 10*time.Second, "measured duration of each phase (after a warm-up of a fifth of it)")
	flag.IntVar(&o.conns, "c", 64, "concurrent connections of the read phases (submits use half)")
	flag.IntVar(&o.submits, "submits", 3000, "households prepared for the submit phase (each a resident with a bound identity)")
	flag.IntVar(&o.drafts, "drafts", 1000, "complete drafts prepared for the draft-submit phase (household of 4, income items, paper consents, one document); 0: no such phase")
	flag.IntVar(&o.idle, "idle", 1000, "idle keep-alive connections held open while the server's RSS is read")
	flag.StringVar(&o.binary, "palmaid", "", "palmaid binary (default: built from this module)")
	flag.BoolVar(&o.keep, "keep", false, "keep the data directory / database afterwards")
	flag.BoolVar(&o.existing, "existing", false, "MariaDB: use the database named in PALMAID_BENCH_MYSQL_DSN as it is (filled by bench/gen) instead of a fresh one")
	flag.StringVar(&o.staff, "staff", "town_east", "the officer whose worklist is read (gen_town on a bench/gen database)")
	flag.BoolVar(&o.worklists, "worklists", false, "measure every worklist filter of -staff (p50/p95/p99) instead of the standard phases")
	flag.StringVar(&o.village, "village", demoVillage, "village of the village filters of -worklists (980101001001 on a bench/gen database)")
	flag.IntVar(&o.replicas, "replicas", 1, "scale-out mode (MariaDB + Redis): this many palmaid replicas behind a round-robin proxy, measured beside one replica; counts duplicate notification pushes and scheduled job runs")
	flag.Parse()
	if *serve != "" {
		serveFloor(*serve, *floorDriver, *floorDSN, *floorRedis)
		return
	}
	o.mysqlDSN = os.Getenv("PALMAID_BENCH_MYSQL_DSN")
	o.redisAddr = os.Getenv("PALMAID_BENCH_REDIS_ADDR")
	if o.short {
		o.dur, o.conns, o.submits, o.idle, o.drafts = time.Second, 16, 60, 200, 20
	}
	if o.worklists || o.replicas > 1 {
		o.drafts = 0 // no draft-submit phase
	}
	if o.worklists && o.submits == 3000 {
		o.submits = 0 // no submit phase
	}
	if o.mysqlDSN != "" && o.redisAddr == "" {
		o.redisAddr = "127.0.0.1:6379"
	}
	if err := bench(o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// proc is a child process on a loopback port.
type proc struct {
	cmd  *exec.Cmd
	base string
}

func (p *proc) stop() {
	if p == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// start runs the command with env on a free port (addrEnv names the variable that gets it, or
// the flag when it starts with '-') and waits for /readyz; it returns how long that took.
func start(name string, logTo io.Writer, env []string, addrArg string, args ...string) (*proc, time.Duration, error) {
	addr, err := freePort()
	if err != nil {
		return nil, 0, err
	}
	if strings.HasPrefix(addrArg, "-") {
		args = append(args, addrArg, addr)
	} else {
		env = append(env, addrArg+"="+addr)
	}
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logTo, logTo
	t := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	p := &proc{cmd: cmd, base: "http://" + addr}
	exited := make(chan struct{})
	go func() { _, _ = cmd.Process.Wait(); close(exited) }()
	for {
		select {
		case <-exited:
			return nil, 0, fmt.Errorf("%s exited before answering /readyz", name)
		default:
		}
		if res, err := http.Get(p.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return p, time.Since(t), nil
			}
		}
		if time.Since(t) > 60*time.Second {
			p.stop()
			return nil, 0, fmt.Errorf("%s: no /readyz within 60 s", name)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func bench(o options) error {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	work, err := os.MkdirTemp("", "palmaid-bench-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Println("work directory:", work)
	} else {
		defer os.RemoveAll(work)
	}
	bin := o.binary
	if bin == "" {
		bin = filepath.Join(work, "palmaid")
		t := time.Now()
		build := exec.Command("go", "build", "-o", bin, "palmaid")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("go build palmaid: %w", err)
		}
		fmt.Printf("built palmaid in %s\n", time.Since(t).Round(time.Millisecond))
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}

	// The backend.
	runID := strconv.FormatInt(time.Now().Unix(), 36) + strconv.Itoa(os.Getpid())
	env := []string{"PALMAID_MODE=embedded", "PALMAID_DATA_DIR=" + filepath.Join(work, "data"), "PALMAID_LOG_LEVEL=info",
		"PALMAID_TRUSTED_PROXIES=127.0.0.1", "PALMAID_NOTIFY_INTERVAL=2s",
		// The phases read one case from one account, and accept cases with one officer, thousands
		// of times a second: the routes' per-account and per-officer limits are lifted for them.
		"PALMAID_RATE_LIMIT_SCALE=100000"}
	floorArgs := []string{"-floor-driver", "sqlite", "-floor-dsn", filepath.Join(work, "floor.db")}
	backend := "embedded (SQLite, in-process Redis)"
	if o.mysqlDSN != "" {
		cfg, err := mysql.ParseDSN(o.mysqlDSN)
		if err != nil {
			return fmt.Errorf("PALMAID_BENCH_MYSQL_DSN: %w", err)
		}
		if o.existing {
			if cfg.DBName == "" {
				return fmt.Errorf("-existing: PALMAID_BENCH_MYSQL_DSN names no database")
			}
		} else {
			cfg.DBName = ""
			admin, err := sql.Open("mysql", cfg.FormatDSN())
			if err != nil {
				return err
			}
			defer admin.Close()
			cfg.DBName = "palmaid_bench_" + runID
			if _, err := admin.ExecContext(ctx, "CREATE DATABASE `"+cfg.DBName+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
				return fmt.Errorf("create database: %w", err)
			}
			if o.keep {
				fmt.Println("database:", cfg.DBName)
			} else {
				defer admin.Exec("DROP DATABASE `" + cfg.DBName + "`")
			}
		}
		prefix := "palmaid-bench:" + runID + ":"
		rdb := redis.NewClient(&redis.Options{Addr: o.redisAddr})
		defer rdb.Close()
		if err := rdb.Ping(ctx).Err(); err != nil {
			return fmt.Errorf("redis %s: %w", o.redisAddr, err)
		}
		defer func() {
			iter := rdb.Scan(context.Background(), 0, prefix+"*", 1000).Iterator()
			for iter.Next(context.Background()) {
				rdb.Del(context.Background(), iter.Val())
			}
		}()
		dsn := cfg.FormatDSN()
		env = append(env, "PALMAID_DB_DRIVER=mysql", "PALMAID_DB_DSN="+dsn, "PALMAID_REDIS_ADDR="+o.redisAddr, "PALMAID_REDIS_PREFIX="+prefix)
		floorArgs = []string{"-floor-driver", "mysql", "-floor-dsn", dsn, "-floor-redis", o.redisAddr}
		backend = fmt.Sprintf("MariaDB/MySQL (%s) + Redis %s", cfg.Addr, o.redisAddr)
	}

	logFile, err := os.Create(filepath.Join(work, "palmaid.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	if o.replicas > 1 && o.mysqlDSN == "" {
		return fmt.Errorf("-replicas needs MariaDB + Redis (PALMAID_BENCH_MYSQL_DSN): replicas share them")
	}
	t0 := time.Now()
	firstMetrics, err := freePort()
	if err != nil {
		return err
	}
	srv, ready, err := start(bin, logFile, append(append([]string{}, env...), "PALMAID_METRICS_ADDR="+firstMetrics), "PALMAID_HTTP_ADDR", "serve")
	if err != nil {
		return fmt.Errorf("%w (log: %s)", err, tail(logFile.Name()))
	}
	defer srv.stop()
	fmt.Printf("palmaid on %s (%s): /readyz after %s\n", srv.base, backend, ready.Round(time.Millisecond))
	floor, _, err := start(self, os.Stderr, nil, "-serve-floor", floorArgs...)
	if err != nil {
		return err
	}
	defer floor.stop()

	s := &session{base: srv.base, c: client(8), staff: o.staff}
	if err := s.setup(ctx, o.submits); err != nil {
		return fmt.Errorf("setup: %w (log: %s)", err, tail(logFile.Name()))
	}
	var drafts []draft
	if o.drafts > 0 {
		if drafts, err = s.prepareDrafts(ctx, s.run, 1000+o.submits, o.drafts); err != nil {
			return fmt.Errorf("setup: %w (log: %s)", err, tail(logFile.Name()))
		}
	}

	if o.worklists {
		rows := worklistPhases(ctx, s, o, o.village)
		printWorklistTable(os.Stdout, backend, o.staff, o.conns, rows)
		fmt.Printf("load average at the end: %s\n", loadAvg())
		for _, r := range rows {
			if r.Errors > 0 || r.Requests == 0 {
				return fmt.Errorf("%s: %d errors, %d answered requests (log: %s)", r.Name, r.Errors, r.Requests, filepath.Join(work, "palmaid.log"))
			}
		}
		return nil
	}
	if o.replicas > 1 {
		return scaleOut(ctx, o, s, bin, env, backend, srv, firstMetrics, logFile, t0)
	}
	var rows []result
	add := func(r result) {
		rows = append(rows, r)
		fmt.Printf("  %-34s %8.0f req/s  p50 %-8s p99 %-8s errors %d\n", r.Name, r.RPS(), ms(r.P50), ms(r.P99), r.Errors)
	}
	get := func(base, path, token string) func(w, i int) *http.Request {
		return func(w, i int) *http.Request {
			req, _ := http.NewRequest(http.MethodGet, base+strings.ReplaceAll(path, "{i}", strconv.Itoa(w*7919+i)), nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			return req
		}
	}
	is200 := func(st int) bool { return st == 200 }
	fmt.Printf("phases: %s each (+%s warm-up), %d connections\n", o.dur, o.dur/5, o.conns)
	add(run(ctx, phase{name: "floor: Gin + 1 PK SELECT", conns: o.conns, request: get(floor.base, "/floor/sql?id={i}", ""), ok: is200}, o.dur))
	add(run(ctx, phase{name: "floor: Gin + 1 Redis GET", conns: o.conns, request: get(floor.base, "/floor/redis", ""), ok: is200}, o.dur))
	add(run(ctx, phase{name: "GET /mp/v1/cases/{id} (progress)", conns: o.conns, request: get(srv.base, "/mp/v1/cases/"+s.progressCase, s.progressToken), ok: is200}, o.dur))
	add(run(ctx, phase{name: "GET /mp/v1/me", conns: o.conns, request: get(srv.base, "/mp/v1/me", s.progressToken), ok: is200}, o.dur))
	var statusDB *sql.DB
	if o.mysqlDSN != "" {
		if statusDB, err = sql.Open("mysql", o.mysqlDSN); err != nil {
			return err
		}
		defer statusDB.Close()
	}
	var bgFrom, bgTo, stBefore map[string]float64
	bgDur := 2 * time.Second
	if statusDB != nil {
		bgFrom, _ = serverStatus(ctx, statusDB)
		time.Sleep(bgDur)
		bgTo, _ = serverStatus(ctx, statusDB)
		stBefore = bgTo
	}
	subStart := time.Now()
	var stAfter map[string]float64
	var subDur time.Duration
	s.afterSubmits = func() {
		if statusDB != nil && bgFrom != nil {
			subDur = time.Since(subStart)
			stAfter, _ = serverStatus(ctx, statusDB)
		}
	}
	sub, err := s.submitPhase(ctx, max(o.conns/2, 1), o.dur)
	if err != nil {
		return err
	}
	if stAfter != nil {
		sub.Note += "\n" + statusDelta(stBefore, stAfter, bgFrom, bgTo, subDur, bgDur, sub.Requests)
	}
	add(sub)
	if len(drafts) > 0 {
		add(s.draftSubmitPhase(ctx, drafts, max(o.conns/2, 1), o.dur))
	}
	add(run(ctx, phase{name: "GET /api/v1/cases?list=to_accept", conns: o.conns, request: get(srv.base, "/api/v1/cases?list=to_accept&limit=20", s.staffToken), ok: is200}, o.dur))
	add(run(ctx, phase{name: "GET /api/v1/cases?status=submitted", conns: o.conns, request: get(srv.base, "/api/v1/cases?status=submitted&limit=20", s.staffToken), ok: is200}, o.dur))
	rss, err := s.idleRSS(srv, o.idle)
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	printTable(os.Stdout, backend, ready, rows, rss, o.idle)
	fmt.Printf("load average at the end: %s\n", loadAvg())
	for _, r := range rows {
		if r.Errors > 0 || r.Requests == 0 {
			return fmt.Errorf("%s: %d errors, %d answered requests (log: %s)", r.Name, r.Errors, r.Requests, filepath.Join(work, "palmaid.log"))
		}
	}
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }

func printTable(w io.Writer, backend string, ready time.Duration, rows []result, rss int64, idle int) {
	var sqlFloor, redisFloor float64
	for _, r := range rows {
		switch {
		case strings.Contains(r.Name, "PK SELECT"):
			sqlFloor = r.RPS()
		case strings.Contains(r.Name, "Redis GET"):
			redisFloor = r.RPS()
		}
	}
	fmt.Fprintf(w, "\npalmaid bench: %s; %d CPUs; /readyz after %s\n\n", backend, numCPU(), ready.Round(time.Millisecond))
	fmt.Fprintf(w, "| %-34s | %5s | %8s | %8s | %8s | %6s | %9s | %11s |\n", "endpoint", "conns", "req/s", "p50", "p99", "errors", "vs SQL floor", "vs Redis floor")
	fmt.Fprintf(w, "|%s|%s|%s|%s|%s|%s|%s|%s|\n", strings.Repeat("-", 36), strings.Repeat("-", 7), strings.Repeat("-", 10), strings.Repeat("-", 10), strings.Repeat("-", 10), strings.Repeat("-", 8), strings.Repeat("-", 14), strings.Repeat("-", 16))
	for _, r := range rows {
		ratio := func(f float64) string {
			if f == 0 {
				return "-"
			}
			return fmt.Sprintf("%.2f", r.RPS()/f)
		}
		name := r.Name
		fmt.Fprintf(w, "| %-34s | %5d | %8.0f | %8s | %8s | %6d | %12s | %14s |\n", name, r.Conns, r.RPS(), ms(r.P50), ms(r.P99), r.Errors, ratio(sqlFloor), ratio(redisFloor))
	}
	for _, r := range rows {
		if r.Note != "" {
			fmt.Fprintf(w, "\n%s: %s", r.Name, r.Note)
		}
	}
	fmt.Fprintf(w, "\nRSS of palmaid holding %d idle keep-alive connections: %.1f MB\n", idle, float64(rss)/(1<<20))
}

func numCPU() int {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return 0
	}
	return strings.Count(string(b), "\nprocessor") + boolInt(strings.HasPrefix(string(b), "processor"))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// session holds what setup prepared.
type session struct {
	base          string
	c             *http.Client
	staff         string
	dayOffset     int // added to every generated birth date: ID numbers differ between runs
	staffToken    string
	progressToken string
	progressCase  string
	households    []household
	run           string   // this run's tag in resident names and idempotency keys
	afterSubmits  func()   // optional: called when the submits (not yet the replays) are done
	created       []string // the cases the last submit phase created
	ip            atomic.Int64
}

// household is one prepared submit: a resident (identity bound) and its household of four.
type household struct {
	token string
	body  []byte
	key   string
}

func (s *session) call(ctx context.Context, method, path, token string, body any, want int, out any, headers ...string) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	// Every prepared resident logs in from its own (forwarded) address: the login limit is
	// per client IP, and a real town's residents do not share one.
	req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", s.ip.Add(1)>>16&255, s.ip.Load()>>8&255, s.ip.Load()&255))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := s.c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: status %d, want %d: %.300s", method, path, res.StatusCode, want, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// idNumber is a valid 18-digit ID number with the invented region prefix 990101xxxxxxxxxxxx (validation
// checks length, birth date and checksum, not the region, so it can never be a real person's).
func idNumber(birth time.Time, seq int) string {
	body := fmt.Sprintf("990101%s%03d", birth.Format("20060102"), seq%1000)
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(body[i]-'0') * w[i]
	}
	return body + string("10X98765432"[sum%11])
}

const demoVillage = "371522106200" // 孙庄村委会, in 古云镇 (town_east)

// resident logs a simulated resident in and binds the identity of its household's first
// member; it returns the token and the household of four — an adult and three minors, the
// household that files in one request (POST /mp/v1/cases: a draft created and submitted through
// the draft path's code; another adult would have to confirm from their own WeChat) — as a
// submit body with its complete declaration.
func (s *session) resident(ctx context.Context, run string, n int) (household, error) {
	name := fmt.Sprintf("b%s-%d", run, n)
	var login struct {
		Token string `json:"token"`
	}
	if err := s.call(ctx, "POST", "/mp/v1/auth/login", "", map[string]string{"code": "dev:" + name}, 200, &login); err != nil {
		return household{}, err
	}
	// Birth dates move with the run (an -existing database keeps earlier runs' residents).
	days := n/1000 + s.dayOffset
	minor := func(k int) time.Time { // born 2009–2025: a minor whatever the offset
		return time.Date(2009, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration((days+k*2000)%6200) * 24 * time.Hour)
	}
	births := []time.Time{time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(days) * 24 * time.Hour), minor(0), minor(1), minor(2)}
	rels := []string{"self", "child", "child", "child"}
	names := []string{"赵大", "赵二", "赵三", "赵四"}
	members := make([]map[string]any, 4)
	for i := range members {
		members[i] = map[string]any{"relation": rels[i], "name": names[i], "idNumber": idNumber(births[i], n), "hukouType": "local",
			"health": "healthy", "workAbility": "none", "employment": "student"}
	}
	members[0]["health"], members[0]["workAbility"], members[0]["employment"] = "chronic", "partial", "farming"
	if err := s.call(ctx, "PUT", "/mp/v1/me/identity", login.Token, map[string]string{"name": names[0], "idNumber": members[0]["idNumber"].(string)}, 200, nil); err != nil {
		return household{}, err
	}
	body, _ := json.Marshal(map[string]any{"villageCode": demoVillage, "address": fmt.Sprintf("孙庄村委会%d组%d号", 1+n%9, 1+n%97),
		"categories": []string{"minimum_living"}, "reason": "家庭成员患病，收入低于当地低保标准",
		"facts": map[string]any{"residence": "rural", "members": members, "assets": map[string]any{"declared": true, "depositCents": 100000},
			"income": []map[string]any{{"member": 0, "kind": "pension", "amountCents": 15000, "period": "monthly", "source": "城乡居民养老保险"}}},
		"pledgeAccepted": true, "authorizationAccepted": true})
	return household{token: login.Token, body: body, key: fmt.Sprintf("bench-%s-%06d", run, n)}, nil
}

// residentOfFour logs a simulated resident in with the identity of the first of a household of
// four adults (spouse and two grown children: their consents come through the draft path).
func (s *session) residentOfFour(ctx context.Context, run string, n int) (household, []map[string]string, error) {
	name := fmt.Sprintf("b%s-%d", run, n)
	var login struct {
		Token string `json:"token"`
	}
	if err := s.call(ctx, "POST", "/mp/v1/auth/login", "", map[string]string{"code": "dev:" + name}, 200, &login); err != nil {
		return household{}, nil, err
	}
	day := time.Duration(n/1000+s.dayOffset) * 24 * time.Hour
	births := []time.Time{time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1962, 3, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1990, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(1995, 7, 1, 0, 0, 0, 0, time.UTC)}
	rels := []string{"self", "spouse", "child", "child"}
	names := []string{"赵大", "钱二", "赵三", "赵四"}
	members := make([]map[string]string, 4)
	for i := range members {
		members[i] = map[string]string{"relation": rels[i], "name": names[i], "idNumber": idNumber(births[i].Add(day), n)}
	}
	if err := s.call(ctx, "PUT", "/mp/v1/me/identity", login.Token, map[string]string{"name": names[0], "idNumber": members[0]["idNumber"]}, 200, nil); err != nil {
		return household{}, nil, err
	}
	return household{token: login.Token}, members, nil
}

// setup logs the town officer in, prepares the resident whose case the progress phase reads
// (a household of four, submitted), and n households for the submit phase.
func (s *session) setup(ctx context.Context, n int) error {
	t := time.Now()
	var staff struct {
		Token string `json:"token"`
	}
	if err := s.call(ctx, "POST", "/api/v1/auth/login", "", map[string]string{"username": s.staff, "password": "palmaid-demo-2026"}, 200, &staff); err != nil {
		return err
	}
	s.staffToken = staff.Token
	run := strconv.FormatInt(time.Now().UnixNano()%1e9, 36)
	s.run = run
	s.dayOffset = int(time.Now().UnixNano()/1000) % 9000
	first, err := s.resident(ctx, run, 999)
	if err != nil {
		return err
	}
	var created struct {
		ID string `json:"id"`
	}
	if err := s.call(ctx, "POST", "/mp/v1/cases", first.token, json.RawMessage(first.body), 201, &created); err != nil {
		return err
	}
	s.progressToken, s.progressCase = first.token, created.ID
	s.households = make([]household, n)
	if err := prepare(n, func(i int) (err error) {
		s.households[i], err = s.resident(ctx, run, 1000+i)
		return err
	}); err != nil {
		return err
	}
	fmt.Printf("setup: town officer, the progress case, %d residents with identities in %s\n", n, time.Since(t).Round(time.Millisecond))
	return nil
}

// prepare runs one(i) for i in [0, n) on 8 workers and returns the first error (the workers
// stop taking new i once one failed).
func prepare(n int, one func(i int) error) error {
	var wg sync.WaitGroup
	var firstErr atomic.Value
	next := atomic.Int64{}
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || firstErr.Load() != nil {
					return
				}
				if err := one(i); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	err, _ := firstErr.Load().(error)
	return err
}

// submitPhase posts the prepared households (each once, with its key) for at most d, then
// replays every key that answered: each must return 200 with the same case id — exactly one
// case per idempotency key.
func (s *session) submitPhase(ctx context.Context, conns int, d time.Duration) (result, error) {
	next := atomic.Int64{}
	ids := make([]string, len(s.households))
	idx := make([][]int, conns) // per worker: which household its i-th request was
	for w := range idx {
		idx[w] = []int{}
	}
	var mu sync.Mutex
	p := phase{name: "POST /mp/v1/cases (household of 4, declared: draft + submit in one request)", conns: conns, ok: func(st int) bool { return st == 201 }}
	p.request = func(w, i int) *http.Request {
		k := int(next.Add(1)) - 1
		if k >= len(s.households) {
			return nil
		}
		h := s.households[k]
		mu.Lock()
		idx[w] = append(idx[w], k)
		mu.Unlock()
		req, _ := http.NewRequest(http.MethodPost, s.base+"/mp/v1/cases", bytes.NewReader(h.body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+h.token)
		req.Header.Set("Idempotency-Key", h.key)
		return req
	}
	p.after = func(w, i, status int, body []byte) {
		if status != 201 {
			return
		}
		var v struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(body, &v) == nil {
			mu.Lock()
			ids[idx[w][i]] = v.ID
			mu.Unlock()
		}
	}
	r := run(ctx, p, d)
	if s.afterSubmits != nil {
		s.afterSubmits()
	}
	// Replays: the same key answers the first case, 200, and no second case exists.
	distinct := map[string]bool{}
	replayed := 0
	for k, id := range ids {
		if id == "" {
			continue
		}
		distinct[id] = true
		h := s.households[k]
		var again struct {
			ID string `json:"id"`
		}
		if err := s.call(ctx, "POST", "/mp/v1/cases", h.token, json.RawMessage(h.body), 200, &again, "Idempotency-Key", h.key); err != nil {
			return r, fmt.Errorf("idempotency replay: %w", err)
		}
		if again.ID != id {
			return r, fmt.Errorf("idempotency key %s answered case %s, then %s", h.key, id, again.ID)
		}
		replayed++
	}
	if len(distinct) != r.Requests {
		return r, fmt.Errorf("%d created answers but %d distinct cases", r.Requests, len(distinct))
	}
	var list struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	// Each resident sees exactly its one case.
	for k, id := range ids {
		if id == "" || k%max(1, len(ids)/20) != 0 {
			continue
		}
		if err := s.call(ctx, "GET", "/mp/v1/cases", s.households[k].token, nil, 200, &list); err != nil {
			return r, err
		}
		if len(list.Items) != 1 || list.Items[0].ID != id {
			return r, fmt.Errorf("resident %d sees %d cases after a replay, want exactly %s", k, len(list.Items), id)
		}
	}
	s.created = s.created[:0]
	for _, id := range ids {
		if id != "" {
			s.created = append(s.created, id)
		}
	}
	r.Note = fmt.Sprintf("%d idempotency keys replayed, %d distinct cases (exactly one case per key)", replayed, len(distinct))
	return r, nil
}

// idleRSS opens n keep-alive connections, makes one request on each and leaves them open, then
// reads the server's resident set size.
func (s *session) idleRSS(srv *proc, n int) (int64, error) {
	host := strings.TrimPrefix(s.base, "http://")
	conns := make([]net.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	buf := make([]byte, 4096)
	for i := 0; i < n; i++ {
		c, err := net.Dial("tcp", host)
		if err != nil {
			return 0, fmt.Errorf("idle connection %d: %w", i, err)
		}
		conns = append(conns, c)
		if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n"); err != nil {
			return 0, err
		}
		if _, err := c.Read(buf); err != nil {
			return 0, err
		}
	}
	time.Sleep(500 * time.Millisecond)
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", srv.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("no VmRSS for pid %d", srv.cmd.Process.Pid)
}
