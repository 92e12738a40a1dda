package ratelimit

import (
	"sync"
	"time"
)

// localMax bounds the keys the in-process counter holds (a key is ~100 bytes with its entry:
// ~10 MB at most). When it is full, spent entries are swept; if none are, it starts afresh,
// which at worst grants each key one new burst.
const localMax = 100_000

// local is the same GCRA as the Redis script, counted in this process: the fallback while
// Redis fails (each replica then counts its own share, which still bounds one client), and
// the counter of the limits spent with AllowLocal. It belongs to its Limiter: no state is
// shared between limiters.
type local struct {
	mu  sync.Mutex
	max int
	now func() time.Time
	tat map[string]time.Time // theoretical arrival time by key; spent once it is in the past
}

func newLocal(size int, now func() time.Time) *local {
	return &local{max: size, now: now, tat: map[string]time.Time{}}
}

// allow spends one event of key's budget: ok, or how long to wait.
func (l *local) allow(key string, lim Limit) (wait time.Duration, ok bool) {
	interval := lim.Period / time.Duration(max(lim.Rate, 1))
	burstOffset := interval * time.Duration(max(lim.Burst, 1))
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	tat, known := l.tat[key]
	if tat.Before(now) {
		tat = now
	}
	next := tat.Add(interval)
	if allowAt := next.Add(-burstOffset); now.Before(allowAt) {
		return allowAt.Sub(now), false
	}
	if !known && len(l.tat) >= l.max {
		l.sweep(now)
	}
	l.tat[key] = next
	return 0, true
}

// sweep drops the keys whose budget is whole again; if none is, it drops them all.
func (l *local) sweep(now time.Time) {
	for k, t := range l.tat {
		if !t.After(now) {
			delete(l.tat, k)
		}
	}
	if len(l.tat) >= l.max {
		clear(l.tat)
	}
}

func (l *local) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.tat)
}
