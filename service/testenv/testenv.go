// Package testenv runs tests against every storage backend: the embedded defaults (SQLite
// file + miniredis) and the real MariaDB/MySQL + Redis. Each test gets its own database
// (created utf8mb4, dropped afterwards) and its own Redis key prefix.
//
// Environment:
//
//	PALMAID_TEST_BACKENDS   comma list, default "embedded,mariadb"
//	PALMAID_TEST_MYSQL_DSN  server DSN, default "root@tcp(127.0.0.1:3306)/"; a database name in it
//	                        is used as the prefix of the per-test databases
//	PALMAID_TEST_REDIS_ADDR default "127.0.0.1:6379"
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

// Each runs fn once per selected backend as a subtest.
func Each(t *testing.T, fn func(t *testing.T, b *Backend)) {
	t.Helper()
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) { fn(t, New(t, name)) })
	}
}

// New prepares one backend for t; resources are released in t.Cleanup.
func New(t testing.TB, name string) *Backend {
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
	case "mariadb", "mysql":
		cfg.Database.Driver = "mysql"
		cfg.Database.DSN = createDatabase(t)
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

// createDatabase makes a fresh utf8mb4 database and returns its DSN.
func createDatabase(t testing.TB) string {
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
	name := prefix + "_" + randHex(6)
	cfg.DBName = ""
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
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
