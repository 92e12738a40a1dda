package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/store"
	"palmaid/service/testenv"
)

// Two caseworkers accept the same case at the same moment with the same version: exactly one
// wins, the others get the version conflict, and history has one acceptance.
func TestConcurrentAcceptOneWins(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		r, err := st.UpsertResident(ctx, "wx", "race", "", t0)
		testenv.Must(t, err)
		c, _, err := st.CreateCase(ctx, newCase(r.ID, "130102001001", nil))
		testenv.Must(t, err)
		scope := store.StaffScope(&model.Staff{AreaCode: "130102001000"})
		const n = 6
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				_, errs[i] = st.UpdateCase(ctx, scope, c.PublicID, c.Version, func(cs *model.Case) (model.Transition, error) {
					return cs.Accept(model.Actor{Type: model.ActorStaff, ID: uint64(i + 1)}, "", t0.Add(time.Hour), "2026-11-25")
				})
			}(i)
		}
		close(start)
		wg.Wait()
		wins := 0
		for _, err := range errs {
			switch {
			case err == nil:
				wins++
			case errors.Is(err, model.ErrStaleVersion), errors.Is(err, model.ErrIllegalStep):
			default:
				t.Fatalf("unexpected error: %v", err)
			}
		}
		if wins != 1 {
			t.Fatalf("%d concurrent accepts succeeded, want 1 (errors %v)", wins, errs)
		}
		got, err := st.GetCase(ctx, scope, c.PublicID)
		testenv.Must(t, err)
		d, err := st.LoadDetail(ctx, got)
		testenv.Must(t, err)
		if got.Version != c.Version+1 || len(d.Events) != 2 || len(d.Deadlines) != 1 {
			t.Fatalf("version %d, %d events, %d deadlines", got.Version, len(d.Events), len(d.Deadlines))
		}
	})
}
