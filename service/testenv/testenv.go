// Package testenv runs tests against every storage backend: the embedded defaults (SQLite
// file + miniredis) and the real MariaDB/MySQL + Redis. Each test gets its own database
// (created utf8mb4, dropped afterwards) and its own Redis key prefix.
//
// A test's database starts at this binary's schema without running the migrations again: they
// run once into a template (schema.go) — a SQLite file under the system's temp directory, a
// MariaDB database named <prefix>_tpl_<digest> — keyed by the digest of the migration files,
// and each test gets a copy (the file copied; the tables cloned with SHOW CREATE TABLE and their
// rows copied). NewEmpty gives a database with no tables, for tests of the migrations themselves.
//
// Environment:
//
//	PALMAID_TEST_BACKENDS   comma list, default "embedded,mariadb"
//	PALMAID_TEST_MYSQL_DSN  server DSN, default "root@tcp(127.0.0.1:3306)/"; a database name in it
//	                        is used as the prefix of the per-test databases
//	PALMAID_TEST_REDIS_ADDR default "127.0.0.1:6379"
//	PALMAID_TEST_SERIAL     "1": Each runs the backends one after the other, not at the same time
//
// A backend that is listed but unreachable fails the test: it never silently skips.
package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/go-sql-driver/mysql"
	"github.com/redis/go-redis/v9"

	"palmaid/config"
	"palmaid/service/store"
)

// Backend is one storage combination prepared for one test.
type Backend struct {
	Name   string
	Config config.Config // ready for app.New: database and Redis point at this test's own space
}

// Names lists the backends selected for this run.
func Names() []string {
	v := os.Getenv("PALMAID_TEST_BACKENDS")
	if v == "" {
		v = "embedded,mariadb"
	}
	var out []string
	for _, n := range strings.Split(v, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// Each runs fn once per selected backend as a subtest. The backends' subtests run at the same
// time (t.Run from one goroutine each; Each returns when all have ended): they share nothing —
// each has its own database, Redis prefix, data directory and clock — and one waits on MariaDB
// while the other uses the CPU. PALMAID_TEST_SERIAL=1 runs them one after the other.
func Each(t *testing.T, fn func(t *testing.T, b *Backend)) {
	t.Helper()
	each(t, func(t *testing.T, name string) { fn(t, New(t, name)) })
}

// EachEmpty is Each with databases that have no tables (NewEmpty).
func EachEmpty(t *testing.T, fn func(t *testing.T, b *Backend)) {
	t.Helper()
	each(t, func(t *testing.T, name string) { fn(t, NewEmpty(t, name)) })
}

func each(t *testing.T, run func(t *testing.T, name string)) {
	t.Helper()
	if os.Getenv("PALMAID_TEST_SERIAL") == "1" {
		for _, name := range Names() {
			t.Run(name, func(t *testing.T) { run(t, name) })
		}
		return
	}
	var wg sync.WaitGroup
	for _, name := range Names() {
		wg.Go(func() { t.Run(name, func(t *testing.T) { run(t, name) }) })
	}
	wg.Wait()
}

// New prepares one backend for t, its database already at this binary's schema (copied from
// the template); resources are released in t.Cleanup.
func New(t testing.TB, name string) *Backend {
	t.Helper()
	return newBackend(t, name, true)
}

// NewEmpty is New with a database that has no tables at all: for tests of migrating, and of
// what a server does on a database nobody migrated.
func NewEmpty(t testing.TB, name string) *Backend {
	t.Helper()
	return newBackend(t, name, false)
}

func newBackend(t testing.TB, name string, migrated bool) *Backend {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.DemoSeed = false
	cfg.Notify.Interval = time.Hour // tests drive the worker by hand
	// bcrypt's minimum cost: a hash or compare takes well under a millisecond instead of
	// ~70 ms (seconds under -race); what the tests check does not depend on the cost.
	cfg.Session.PasswordCost = config.MinPasswordCost
	cfg.Redis.KeyPrefix = "palmaid-test:" + randHex(6) + ":"
	switch name {
	case "embedded":
		cfg.Database.Driver = "sqlite"
		cfg.Database.DSN = filepath.Join(cfg.DataDir, "palmaid.db")
		if migrated {
			copySQLiteTemplate(t, cfg.Database.DSN)
		}
	case "mariadb", "mysql":
		cfg.Database.Driver = "mysql"
		cfg.Database.DSN = createDatabase(t, migrated)
		cfg.Redis.Addr = redisAddr()
		checkRedis(t, cfg.Redis.Addr, cfg.Redis.KeyPrefix)
	default:
		t.Fatalf("testenv: unknown backend %q in PALMAID_TEST_BACKENDS", name)
	}
	return &Backend{Name: name, Config: cfg}
}

// Store opens and migrates this backend's database.
func (b *Backend) Store(t testing.TB) *store.Store {
	t.Helper()
	return b.StoreWith(t, 8)
}

// StoreWith opens the backend's database with a pool of n connections.
func (b *Backend) StoreWith(t testing.TB, n int) *store.Store {
	t.Helper()
	open := func(n int) *store.Store {
		st, err := store.Open(store.Options{Driver: b.Config.Database.Driver, DSN: b.Config.Database.DSN, MaxOpenConns: n})
		if err != nil {
			t.Fatalf("open store: %v", err)
		}
		return st
	}
	// goose's MySQL table locker holds a connection of its own while it migrates, so a pool of
	// one would wait on itself: migrate through a pool of two, then open the pool asked for.
	mig := open(max(n, 2))
	if _, err := mig.MigrateUp(context.Background()); err != nil {
		_ = mig.Close()
		t.Fatalf("migrate: %v", err)
	}
	if n >= 2 {
		t.Cleanup(func() { _ = mig.Close() })
		return mig
	}
	_ = mig.Close()
	st := open(n)
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// Redis returns a client for this backend: a fresh miniredis for embedded, the real server
// otherwise (keys live under Config.Redis.KeyPrefix).
func (b *Backend) Redis(t testing.TB) redis.UniversalClient {
	t.Helper()
	addr := b.Config.Redis.Addr
	if addr == "" {
		mr := miniredis.RunT(t)
		addr = mr.Addr()
	}
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

func redisAddr() string {
	if v := os.Getenv("PALMAID_TEST_REDIS_ADDR"); v != "" {
		return v
	}
	return "127.0.0.1:6379"
}

func checkRedis(t testing.TB, addr, prefix string) {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		_ = rdb.Close()
		t.Fatalf("testenv: Redis at %s unreachable (%v); start it, or set PALMAID_TEST_BACKENDS=embedded", addr, err)
	}
	t.Cleanup(func() {
		defer rdb.Close()
		ctx := context.Background()
		iter := rdb.Scan(ctx, 0, prefix+"*", 500).Iterator()
		for iter.Next(ctx) {
			rdb.Del(ctx, iter.Val())
		}
	})
}

// createDatabase returns the DSN of a database of t's own: a database of the pool at this
// binary's schema when migrated (schema.go), else a fresh utf8mb4 database dropped afterwards.
func createDatabase(t testing.TB, migrated bool) string {
	t.Helper()
	dsn := os.Getenv("PALMAID_TEST_MYSQL_DSN")
	if dsn == "" {
		dsn = "root@tcp(127.0.0.1:3306)/"
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("testenv: PALMAID_TEST_MYSQL_DSN: %v", err)
	}
	prefix := cfg.DBName
	if prefix == "" {
		prefix = "palmaid_test"
	}
	cfg.DBName = ""
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		t.Fatalf("testenv: MariaDB/MySQL at %s unusable (%v); start it, or set PALMAID_TEST_BACKENDS=embedded", cfg.Addr, err)
	}
	var name string
	if migrated {
		name = pooledDatabase(t, ctx, admin, cfg, prefix)
	} else {
		name = prefix + "_" + randHex(6)
		if _, err := admin.ExecContext(ctx, "CREATE DATABASE `"+name+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
			t.Fatalf("testenv: MariaDB/MySQL at %s unusable (%v); start it, or set PALMAID_TEST_BACKENDS=embedded", cfg.Addr, err)
		}
		t.Cleanup(func() {
			db, err := sql.Open("mysql", cfg.FormatDSN())
			if err == nil {
				_, _ = db.Exec("DROP DATABASE IF EXISTS `" + name + "`")
				_ = db.Close()
			}
		})
	}
	cfg.DBName = name
	return cfg.FormatDSN()
}

func randHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// Fatalf-style helper for setup steps.
func Must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Require skips t unless backend name was selected in PALMAID_TEST_BACKENDS (an explicit
// choice of the person running the tests, so the skip is never silent about a broken server).
func Require(t testing.TB, name string) {
	t.Helper()
	for _, n := range Names() {
		if n == name {
			return
		}
	}
	t.Skipf("backend %s not selected in PALMAID_TEST_BACKENDS", name)
}

// UniqueName returns prefix-<8 hex digits>, different at every call: for simulator users and
// other names that live as long as the test process (the WeChat simulator is shared), so a
// test run twice in one process (-count=2) does not see its first run's messages.
func UniqueName(prefix string) string { return prefix + "-" + randHex(4) }
