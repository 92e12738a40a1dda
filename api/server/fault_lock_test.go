package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"palmaid/service/seed"
	"palmaid/service/store"
	"palmaid/service/testenv"
)

// What a tired caseworker sees when another session holds the case row: 20 concurrent accepts
// (MariaDB) while a raw SQL transaction holds the row FOR UPDATE.
//
//   - Held past the lock-wait budget (PALMAID_DB_LOCK_WAIT, innodb_lock_wait_timeout): every
//     accept answers 503 service.unavailable with Retry-After ("try again shortly"), none 500,
//     nothing changes; no request waits beyond the budget (else it would run into the request
//     deadline: the statuses say which happened, not a timer).
//   - Released within the budget: exactly one accept wins, the others answer 409
//     case.version_conflict ("someone else updated it, refresh") or, when they queued past the
//     budget, 503 service.unavailable.
//
// Meanwhile another case's progress read (resident) and the worklist (staff) answer 200.
func TestConcurrentAcceptsWhileRowHeld(t *testing.T) {
	testenv.Require(t, "mariadb")
	be := testenv.New(t, "mariadb")
	be.Config.Database.LockWait = time.Second
	h := newHarness(t, be, monday)
	r := newReviewer(t, h)
	_, a := r.apply(testenv.UniqueName("lock-a"), seed.DemoVillageE1, []string{"minimum_living"},
		map[string]string{"relation": "self", "name": "锁甲", "idNumber": makeID("990101", "19710101", 401)})
	tokB, b := r.apply(testenv.UniqueName("lock-b"), seed.DemoVillageE1, []string{"minimum_living"},
		map[string]string{"relation": "self", "name": "锁乙", "idNumber": makeID("990101", "19720202", 402)})
	east := r.staff("town_east")
	v := r.version(a)

	raw, err := sql.Open("mysql", store.MySQLDSN(be.Config.Database.DSN))
	testenv.Must(t, err)
	t.Cleanup(func() { _ = raw.Close() })
	ctx := context.Background()
	hold := func() *sql.Tx {
		tx, err := raw.BeginTx(ctx, nil)
		testenv.Must(t, err)
		var id uint64
		testenv.Must(t, tx.QueryRowContext(ctx, "SELECT id FROM cases WHERE public_id = ? FOR UPDATE", a).Scan(&id))
		return tx
	}

	type tally struct {
		accepts, others map[string]int // "status code" → count
		wall            time.Duration
	}
	// round fires 20 accepts and 10 unrelated requests at once; release (if not nil) runs
	// meanwhile, in the test's goroutine.
	round := func(release func()) tally {
		const n = 20
		acc, oth := make([]resp, n), make([]resp, 10)
		var wg sync.WaitGroup
		start := time.Now()
		for i := range n {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				acc[i] = h.do("POST", "/api/v1/cases/"+a+"/accept", east, map[string]any{"version": v})
			}(i)
		}
		for i := range oth {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				if i%2 == 0 {
					oth[i] = h.do("GET", "/mp/v1/cases/"+b, tokB, nil)
				} else {
					oth[i] = h.do("GET", "/api/v1/cases", east, nil)
				}
			}(i)
		}
		if release != nil {
			release()
		}
		wg.Wait()
		out := tally{accepts: map[string]int{}, others: map[string]int{}, wall: time.Since(start)}
		key := func(x resp) string {
			if x.Status >= 400 {
				if x.Status == 503 && x.Header.Get("Retry-After") == "" {
					t.Errorf("503 without Retry-After: %s", x.Body)
				}
				return fmt.Sprintf("%d %s", x.Status, x.errCode(t))
			}
			return fmt.Sprint(x.Status)
		}
		for _, x := range acc {
			out.accepts[key(x)]++
		}
		for _, x := range oth {
			out.others[key(x)]++
		}
		return out
	}

	// 1. Held past the budget: every accept gives up with 503, nothing changes.
	tx := hold()
	held := round(nil)
	testenv.Must(t, tx.Rollback())
	t.Logf("row held past the %s lock-wait budget: 20 accepts %v, 10 unrelated requests %v, %.2f s wall",
		be.Config.Database.LockWait, held.accepts, held.others, held.wall.Seconds())
	if held.accepts["503 service.unavailable"] != 20 {
		t.Errorf("accepts while the row is held: %v, want 20 × 503 service.unavailable", held.accepts)
	}
	if held.others["200"] != 10 {
		t.Errorf("unrelated requests while the row is held: %v, want 10 × 200", held.others)
	}
	if r.version(a) != v || r.status(a) != "submitted" {
		t.Fatalf("the case changed while held: version %d status %s", r.version(a), r.status(a))
	}

	// 2. Released within the budget: one wins, the rest are told why.
	tx = hold()
	released := round(func() {
		time.Sleep(300 * time.Millisecond) // let the accepts queue on the lock (not an assertion)
		testenv.Must(t, tx.Rollback())
	})
	t.Logf("row released after 0.3 s: 20 accepts %v, 10 unrelated requests %v, %.2f s wall",
		released.accepts, released.others, released.wall.Seconds())
	if released.accepts["200"] != 1 || released.accepts["200"]+released.accepts["409 case.version_conflict"]+released.accepts["503 service.unavailable"] != 20 {
		t.Errorf("accepts after release: %v, want one 200 and the rest 409 case.version_conflict or 503 service.unavailable", released.accepts)
	}
	if released.others["200"] != 10 {
		t.Errorf("unrelated requests: %v, want 10 × 200", released.others)
	}
	if r.version(a) != v+1 || r.status(a) != "accepted" {
		t.Fatalf("after the round: version %d status %s, want %d accepted", r.version(a), r.status(a), v+1)
	}
}
