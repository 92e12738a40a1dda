// Package ratelimit caps how often one key (a client IP, a user) may do something, with the
// GCRA limiter of redis_rate over the shared Redis, so every replica counts together.
package ratelimit

import (
	"context"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"palmaid/model"
)

// Limit is a rate: Rate events per Period, with bursts up to Burst.
type Limit = redis_rate.Limit

// PerMinute allows n events a minute, bursting to n.
func PerMinute(n int) Limit { return redis_rate.PerMinute(n) }

// Limiter checks limits. Safe for concurrent use.
type Limiter struct {
	l      *redis_rate.Limiter
	prefix string
}

// New builds a limiter on rdb; keys are stored under prefix.
func New(rdb *redis.Client, prefix string) *Limiter {
	return &Limiter{l: redis_rate.NewLimiter(rdb), prefix: prefix + "rate:"}
}

// Allow spends one event of key's budget. Over the limit it returns model.ErrRateLimited and
// how long to wait; a Redis failure lets the request through (logged by the caller) rather
// than locking every resident out.
func (l *Limiter) Allow(ctx context.Context, key string, lim Limit) (retryAfter time.Duration, err error) {
	res, err := l.l.Allow(ctx, l.prefix+key, lim)
	if err != nil {
		return 0, err
	}
	if res.Allowed == 0 {
		return res.RetryAfter, model.ErrRateLimited
	}
	return 0, nil
}
