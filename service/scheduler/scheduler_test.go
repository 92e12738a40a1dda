package scheduler

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/jonboulle/clockwork"
	"github.com/redis/go-redis/v9"
)

// Three replicas schedule the same job on one Redis: each period it runs exactly once, always
// on the lease holder; when the holder stops, another takes over after the lease expires.
func TestThreeInstancesRunEachJobOncePerPeriod(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { _ = rdb.Close() })
	clk := clockwork.NewFakeClockAt(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	var mu sync.Mutex
	runs := map[string]int{}
	total := func() int {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, v := range runs {
			n += v
		}
		return n
	}
	var scheds []*Scheduler
	for _, id := range []string{"a", "b", "c"} {
		id := id
		s, err := New(Options{Redis: rdb, KeyPrefix: "t:", InstanceID: id, Lease: time.Minute, Clock: clk, Log: log},
			Job{Name: "sweep", Every: 10 * time.Minute, Run: func(context.Context) error {
				mu.Lock()
				runs[id]++
				mu.Unlock()
				return nil
			}})
		if err != nil {
			t.Fatal(err)
		}
		s.Start()
		scheds = append(scheds, s)
	}
	t.Cleanup(func() {
		for _, s := range scheds {
			_ = s.Stop()
		}
	})
	// Move fake time on a minute at a time (letting the timers fire between steps) for five
	// periods: every period's run happens once, on one instance.
	const periods = 5
	for m := 0; m < periods*10; m++ {
		clk.Advance(time.Minute)
		time.Sleep(3 * time.Millisecond)
	}
	deadline := time.Now().Add(10 * time.Second)
	for total() < periods-1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // a duplicate run would land right after its period
	if n := total(); n < periods-1 || n > periods {
		t.Fatalf("%d runs in %d periods: %v", n, periods, runs)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(runs) != 1 {
		t.Fatalf("runs spread over instances: %v", runs)
	}
}

func TestElectorLease(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	ctx := context.Background()
	a := &Elector{rdb: rdb, key: "k", id: "a", lease: time.Minute}
	b := &Elector{rdb: rdb, key: "k", id: "b", lease: time.Minute}
	if a.IsLeader(ctx) != nil || b.IsLeader(ctx) == nil || a.IsLeader(ctx) != nil {
		t.Fatal("a must take and keep the lease, b must not")
	}
	mr.FastForward(2 * time.Minute) // a stopped renewing
	if b.IsLeader(ctx) != nil || a.IsLeader(ctx) == nil {
		t.Fatal("b must take over an expired lease")
	}
	mr.Close()
	if b.IsLeader(ctx) == nil {
		t.Fatal("with Redis down nobody may lead")
	}
}
