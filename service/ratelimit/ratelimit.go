// Package ratelimit caps how often one key (a client IP, a user) may do something, with the
// GCRA algorithm run as one Lua script in the shared Redis, so every replica counts together.
// Keys live under the configured PALMAID_REDIS_PREFIX (redis_rate, used before, always put its
// own "rate:" in front of them, so several deployments sharing a Redis shared their budgets).
package ratelimit

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"palmaid/model"
)

// Limit is a rate: Rate events per Period, with bursts up to Burst.
type Limit struct {
	Rate   int
	Burst  int
	Period time.Duration
}

// PerMinute allows n events a minute, bursting to n.
func PerMinute(n int) Limit { return Limit{Rate: n, Burst: n, Period: time.Minute} }

// Limiter checks limits. Safe for concurrent use.
type Limiter struct {
	rdb    redis.Scripter
	prefix string
}

// New builds a limiter on rdb; keys are stored under prefix + "rate:".
func New(rdb redis.Scripter, prefix string) *Limiter {
	return &Limiter{rdb: rdb, prefix: prefix + "rate:"}
}

// Key is the Redis key of a limiter key (for tests and operators).
func (l *Limiter) Key(key string) string { return l.prefix + key }

// Allow spends one event of key's budget. Over the limit it returns model.ErrRateLimited and
// how long to wait; a Redis failure is returned as is (the caller decides to fail open or closed).
func (l *Limiter) Allow(ctx context.Context, key string, lim Limit) (retryAfter time.Duration, err error) {
	v, err := gcra.Run(ctx, l.rdb, []string{l.prefix + key}, lim.Burst, lim.Rate, lim.Period.Seconds(), 1).Slice()
	if err != nil {
		return 0, err
	}
	if len(v) != 2 {
		return 0, fmt.Errorf("ratelimit: unexpected script answer %v", v)
	}
	if allowed, _ := v[0].(int64); allowed == 1 {
		return 0, nil
	}
	s, _ := v[1].(string)
	wait, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("ratelimit: retry-after %q: %w", s, err)
	}
	return time.Duration(wait * float64(time.Second)), model.ErrRateLimited
}

// gcra is the generic cell rate algorithm of redis_rate's allowN (after Pavel Pravosud's
// redis-gcra, MIT), answering {allowed, retry_after_seconds}.
var gcra = redis.NewScript(`
redis.replicate_commands()
local key = KEYS[1]
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local period = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local emission_interval = period / rate
local increment = emission_interval * cost
local burst_offset = emission_interval * burst
local t = redis.call("TIME")
local now = (t[1] - 1483228800) + (t[2] / 1000000)
local tat = redis.call("GET", key)
if not tat then tat = now else tat = tonumber(tat) end
tat = math.max(tat, now)
local new_tat = tat + increment
local allow_at = new_tat - burst_offset
local diff = now - allow_at
if diff < 0 then
  return {0, tostring(-diff)}
end
local reset_after = new_tat - now
if reset_after > 0 then
  redis.call("SET", key, new_tat, "EX", math.ceil(reset_after))
end
return {1, "0"}
`)
