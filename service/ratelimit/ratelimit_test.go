package ratelimit_test

import (
	"context"
	"errors"
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
	l := ratelimit.New(rdb, "tenant-a:")
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
