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
	"context"
	"database/sql"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
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
