// Package ratelimit caps how often one key (a client IP, a user) may do something, with the
// GCRA algorithm run as one Lua script in the shared Redis, so every replica counts together.
// Keys live under the configured PALMAID_REDIS_PREFIX (redis_rate, used before, always put its
// own "rate:" in front of them, so several deployments sharing a Redis shared their budgets).
package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
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
	log    *slog.Logger
	// local counts in this process: while Redis fails (so a limit never fails open), and the
	// limits spent with AllowLocal.
	local *local
	// lastWarn is when the last "Redis failed, counting locally" line was logged (Unix ns):
	// one line per warnEvery, not one per request of an outage.
	lastWarn atomic.Int64
}

const warnEvery = 10 * time.Second

// New builds a limiter on rdb; keys are stored under prefix + "rate:". log receives the
// warnings of a Redis outage (nil: none).
func New(rdb redis.Scripter, prefix string, log *slog.Logger) *Limiter {
	return &Limiter{rdb: rdb, prefix: prefix + "rate:", log: log, local: newLocal(localMax, time.Now)}
}

// Key is the Redis key of a limiter key (for tests and operators).
func (l *Limiter) Key(key string) string { return l.prefix + key }

// Allow spends one event of key's budget. Over the limit it returns model.ErrRateLimited and
// how long to wait. While Redis fails, the event is counted in this process instead (each
// replica counting its own share), so a limit never fails open (issue 19: anonymous per-IP
// limits let everything through while Redis was down).
func (l *Limiter) Allow(ctx context.Context, key string, lim Limit) (retryAfter time.Duration, err error) {
	wait, err := l.allowRedis(ctx, key, lim)
	if err == nil || errors.Is(err, model.ErrRateLimited) {
		return wait, err
	}
	if now := time.Now().UnixNano(); l.log != nil && now-l.lastWarn.Load() >= int64(warnEvery) {
		l.lastWarn.Store(now)
		l.log.WarnContext(ctx, "rate limiter: Redis failed, limits are counted in this process", "err", err)
	}
	return l.AllowLocal(key, lim)
}

// AllowLocal spends one event of key's budget in this process only (no Redis round trip):
// for hot reads, where each replica allowing the rate is acceptable.
func (l *Limiter) AllowLocal(key string, lim Limit) (retryAfter time.Duration, err error) {
	if wait, ok := l.local.allow(key, lim); !ok {
		return wait, model.ErrRateLimited
	}
	return 0, nil
}

// LocalKeys is how many keys the in-process counter holds (bounded; for tests).
func (l *Limiter) LocalKeys() int { return l.local.size() }

func (l *Limiter) allowRedis(ctx context.Context, key string, lim Limit) (time.Duration, error) {
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
