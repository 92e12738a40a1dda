package wechat_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"palmaid/service/wechat"
	"palmaid/service/wechat/wxsim"
)

const (
	tmplCase   = "tmpl-case-status"
	tmplReview = "tmpl-review"
	// defaultRedis is the real Redis; PALMAID_TEST_REDIS_ADDR overrides it.
	defaultRedis = "127.0.0.1:6379"
)

// sim is the one simulator the process-wide SDK HTTP client points at. The
// hook is process-wide, so it is installed once here and tests that count
// simulator calls do not run in parallel.
var sim *wxsim.Simulator

func TestMain(m *testing.M) {
	sim = wxsim.New(wxsim.Options{Templates: []string{tmplCase, tmplReview}})
	base, stop, err := sim.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "start simulator:", err)
		os.Exit(1)
	}
	target, err := url.Parse(base)
	if err != nil {
		fmt.Fprintln(os.Stderr, "parse simulator URL:", err)
		os.Exit(1)
	}
	wechat.InstallHTTPClient(wechat.NewHTTPClient(5*time.Second, wechat.NewRewritingTransport(target, nil)))
	code := m.Run()
	if err := stop(); err != nil {
		fmt.Fprintln(os.Stderr, "stop simulator:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

func uniqueID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// backend is one Redis to run cache tests against.
type backend struct {
	name    string
	rdb     redis.UniversalClient
	advance func(time.Duration) // lets TTLs run out
	prefix  string              // unique per test; keys under it are removed at cleanup
}

func miniBackend(t *testing.T) backend {
	t.Helper()
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { _ = rdb.Close() })
	return backend{name: "miniredis", rdb: rdb, advance: mr.FastForward, prefix: "palmaid:test:" + uniqueID() + ":"}
}

// realBackend connects to the real Redis. Unreachable Redis fails the test
// unless PALMAID_TEST_BACKENDS=embedded, which skips real backends.
func realBackend(t *testing.T) backend {
	t.Helper()
	if os.Getenv("PALMAID_TEST_BACKENDS") == "embedded" {
		t.Skip("PALMAID_TEST_BACKENDS=embedded: skipping real Redis")
	}
	addr := os.Getenv("PALMAID_TEST_REDIS_ADDR")
	if addr == "" {
		addr = defaultRedis
	}
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		_ = rdb.Close()
		t.Fatalf("real Redis at %s is unreachable (%v); start it or set PALMAID_TEST_BACKENDS=embedded to skip real backends", addr, err)
	}
	prefix := "palmaid:test:" + uniqueID() + ":"
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		keys, err := rdb.Keys(ctx, prefix+"*").Result()
		if err == nil && len(keys) > 0 {
			_ = rdb.Del(ctx, keys...).Err()
		}
		_ = rdb.Close()
	})
	return backend{name: "redis", rdb: rdb, advance: time.Sleep, prefix: prefix}
}

// eachBackend runs f as a subtest per backend.
func eachBackend(t *testing.T, f func(t *testing.T, b backend)) {
	t.Run("miniredis", func(t *testing.T) { f(t, miniBackend(t)) })
	t.Run("redis", func(t *testing.T) { f(t, realBackend(t)) })
}

func testConfig(prefix string) wechat.Config {
	return wechat.Config{
		AppID:            wxsim.DefaultAppID,
		AppSecret:        wxsim.DefaultAppSecret,
		CacheKeyPrefix:   prefix + "wx",
		MiniprogramState: "trial",
	}
}

// newClient returns a client on a fresh miniredis, and the backend.
func newClient(t *testing.T) (wechat.Client, backend) {
	t.Helper()
	b := miniBackend(t)
	c, err := wechat.New(testConfig(b.prefix), b.rdb)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, b
}

// tokenKey is where the SDK's stable token lands in Redis for testConfig(prefix).
func tokenKey(prefix string) string {
	return prefix + "wx:gowechat_miniprogram__stable_access_token_" + wxsim.DefaultAppID
}

func login(t *testing.T, c wechat.Client, name string) wechat.Session {
	t.Helper()
	s, err := c.Code2Session(context.Background(), "dev:"+name)
	if err != nil {
		t.Fatalf("login %s: %v", name, err)
	}
	return s
}

func wantAPIError(t *testing.T, err error, op string, code int) {
	t.Helper()
	var api *wechat.APIError
	if !errors.As(err, &api) {
		t.Fatalf("error %v (%T) is not *APIError; want %s errcode %d", err, err, op, code)
	}
	if api.Code != code || api.Op != op {
		t.Fatalf("APIError = {Op:%s Code:%d}; want {Op:%s Code:%d}", api.Op, api.Code, op, code)
	}
	if got, ok := wechat.ErrCode(err); !ok || got != code {
		t.Fatalf("ErrCode = %d,%v; want %d,true", got, ok, code)
	}
}
