package store_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"palmaid/model"
	"palmaid/service/store"
	"palmaid/service/testenv"
)

// recordingWatch is a CaseWatch that records what it is told, and fails when asked to.
type recordingWatch struct {
	mu     sync.Mutex
	fail   error
	told   [][]string
	after  int
	onDone func() // runs in after, once the transaction ended
}

func (w *recordingWatch) Changing(ctx context.Context, ids []string) (func(), error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.told = append(w.told, slices.Clone(ids))
	if w.fail != nil {
		return nil, w.fail
	}
	return func() {
		w.mu.Lock()
		w.after++
		w.mu.Unlock()
		if w.onDone != nil {
			w.onDone()
		}
	}, nil
}

func (w *recordingWatch) reset() { w.told, w.after, w.fail, w.onDone = nil, 0, nil, nil }

// The store tells its CaseWatch of every transaction that changes a case, with exactly the
// cases changed, before the commit: a Changing error rolls the transaction back, and after runs
// once the change is visible to other connections. A transaction that changes no case is not
// told at all. (The progress read cache relies on it: service/cases readcache.)
func TestCaseWatchToldOfEveryCaseWrite(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		w := &recordingWatch{}
		st.WatchCases(w)
		r, err := st.UpsertResident(ctx, "wx", "watched", "", t0)
		testenv.Must(t, err)
		other, err := st.UpsertResident(ctx, "wx", "watched-other", "", t0)
		testenv.Must(t, err)
		a, _, err := st.CreateCase(ctx, newCase(r.ID, "130102001001", nil))
		testenv.Must(t, err)
		nb := newCase(r.ID, "130102001001", nil)
		nb.Case.BeneficiaryIDBidx = "bidx-watched"
		b, _, err := st.CreateCase(ctx, nb)
		testenv.Must(t, err)
		if len(w.told) != 0 {
			t.Fatalf("creating cases told the watch %v: a new case has no view to supersede", w.told)
		}
		scope := store.StaffScope(&model.Staff{AreaCode: "130102001000"})
		version := func(pub string) int {
			t.Helper()
			f, err := st.LoadCaseFile(ctx, scope, pub)
			testenv.Must(t, err)
			return f.Case.Version
		}

		// A failing watch: the action is rolled back, and after is not run.
		boom := errors.New("redis down")
		w.fail = boom
		_, err = st.UpdateCaseFile(ctx, scope, a.Case.PublicID, 1, t0, acceptAs(1))
		if !errors.Is(err, boom) {
			t.Fatalf("an action whose watch failed: %v, want the watch's error", err)
		}
		if v := version(a.Case.PublicID); v != 1 || w.after != 0 {
			t.Fatalf("after a failed watch: version %d (want 1), after ran %d times", v, w.after)
		}
		w.reset()

		// A successful action: told its case once, after runs once the commit is visible.
		seen := -1
		w.onDone = func() { seen = version(a.Case.PublicID) }
		_, err = st.UpdateCaseFile(ctx, scope, a.Case.PublicID, 1, t0, acceptAs(1))
		testenv.Must(t, err)
		if !slices.Equal(flat(w.told), []string{a.Case.PublicID}) || w.after != 1 || seen != 2 {
			t.Fatalf("an action: told %v, after ran %d times and saw version %d (want [%s], 1, 2)", w.told, w.after, seen, a.Case.PublicID)
		}
		w.reset()

		// The direct writers, each told exactly the cases it changed.
		for _, bidx := range []string{"bidx-watched", "bidx-nobody"} {
			_, err := st.LinkBeneficiary(ctx, other.ID, bidx)
			testenv.Must(t, err)
		}
		if !slices.Equal(flat(w.told), []string{b.Case.PublicID}) || w.after != 1 || version(b.Case.PublicID) != 2 {
			t.Fatalf("beneficiary link: told %v, after %d, version %d", w.told, w.after, version(b.Case.PublicID))
		}
		w.reset()
		n, err := st.RelinkBeneficiaryForTest(ctx, other.ID, r.ID, "bidx-watched")
		testenv.Must(t, err)
		if n != 1 || !slices.Equal(flat(w.told), []string{b.Case.PublicID}) || version(b.Case.PublicID) != 3 {
			t.Fatalf("relink: %d moved, told %v, version %d", n, w.told, version(b.Case.PublicID))
		}
		w.reset()
		testenv.Must(t, st.InsertRating(ctx, &model.Rating{CaseID: a.Case.ID, ResidentID: r.ID, Stars: 5, CreatedAt: t0}))
		if !slices.Equal(flat(w.told), []string{a.Case.PublicID}) || version(a.Case.PublicID) != 3 {
			t.Fatalf("rating: told %v, version %d", w.told, version(a.Case.PublicID))
		}
		w.reset()
		// Relinked: r is the beneficiary of b and the applicant of both.
		testenv.Must(t, st.EraseResident(ctx, r.ID, testenv.UniqueName("erased"), t0))
		got := flat(w.told)
		slices.Sort(got)
		want := []string{a.Case.PublicID, b.Case.PublicID}
		slices.Sort(want)
		if !slices.Equal(got, want) || w.after != 1 {
			t.Fatalf("erasure: told %v (want %v), after %d", got, want, w.after)
		}
		w.reset()

		// A transaction that changes no case: not told.
		_, err = st.UpsertResident(ctx, "wx", "watched-third", "", t0)
		testenv.Must(t, err)
		if len(w.told) != 0 || w.after != 0 {
			t.Fatalf("a resident upsert told the watch %v", w.told)
		}
	})
}

func flat(told [][]string) []string {
	var out []string
	for _, ids := range told {
		out = append(out, ids...)
	}
	return out
}
