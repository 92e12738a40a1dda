package ratelimit_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"palmaid/model"
	"palmaid/service/ratelimit"
)

// Finding 9: every key the limiter writes lives under PALMAID_REDIS_PREFIX (redis_rate put
// "rate:" first, so deployments sharing a Redis shared their budgets).
func TestLimiterKeysUnderPrefixAndRetryAfter(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	defer rdb.Close()
	l := ratelimit.New(rdb, "tenant-a:", nil)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, err := l.Allow(ctx, "login:staff:10.0.0.1", ratelimit.PerMinute(3)); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	wait, err := l.Allow(ctx, "login:staff:10.0.0.1", ratelimit.PerMinute(3))
	if !errors.Is(err, model.ErrRateLimited) || wait <= 0 || wait > 20*time.Second+time.Millisecond {
		t.Fatalf("4th event in a minute at 3/min: wait %v, %v", wait, err)
	}
	if _, err := l.Allow(ctx, "login:staff:10.0.0.2", ratelimit.PerMinute(3)); err != nil {
		t.Fatalf("another key shares the budget: %v", err)
	}
	keys := mr.Keys()
	if len(keys) != 2 {
		t.Fatalf("keys %v", keys)
	}
	for _, k := range keys {
		if !strings.HasPrefix(k, "tenant-a:rate:") {
			t.Errorf("key %q outside the prefix", k)
		}
	}
}

// Issue 19: with Redis gone the limiter counts in this process (it used to return the error
// and the caller let the request through); the counter's keys stay bounded however many
// clients there are.
func TestLimiterFallsBackInProcess(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr(), MaxRetries: -1})
	defer rdb.Close()
	l := ratelimit.New(rdb, "p:", nil)
	mr.Close()
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, err := l.Allow(ctx, "eligibility:10.0.0.1", ratelimit.PerMinute(3)); err != nil {
			t.Fatalf("event %d with Redis down: %v", i, err)
		}
	}
	if wait, err := l.Allow(ctx, "eligibility:10.0.0.1", ratelimit.PerMinute(3)); !errors.Is(err, model.ErrRateLimited) || wait <= 0 {
		t.Fatalf("4th event at 3/min with Redis down: wait %v, %v (failed open?)", wait, err)
	}
	if _, err := l.Allow(ctx, "eligibility:10.0.0.2", ratelimit.PerMinute(3)); err != nil {
		t.Fatalf("another key with Redis down: %v", err)
	}
	for i := range 150_000 {
		_, _ = l.AllowLocal("k:"+strconv.Itoa(i), ratelimit.PerMinute(3))
	}
	if n := l.LocalKeys(); n > 100_000 {
		t.Fatalf("the in-process counter holds %d keys", n)
	}
}
