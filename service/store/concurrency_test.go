package store_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/store"
	"palmaid/service/testenv"
)

type testClock struct{}

func (testClock) AddWorkingDays(from time.Time, n int) (string, bool) {
	return from.AddDate(0, 0, n).Format("2006-01-02"), false
}
func (testClock) AddDays(from time.Time, n int) (string, bool) {
	return from.AddDate(0, 0, n).Format("2006-01-02"), false
}
func (testClock) Date(t time.Time) string { return t.Format("2006-01-02") }

func acceptAs(id uint64) func(ctx context.Context, f *model.CaseFile) error {
	return func(ctx context.Context, f *model.CaseFile) error {
		env := model.Env{Now: t0.Add(time.Hour), By: model.Actor{Type: model.ActorStaff, ID: id}, Policy: model.PolicyFrom(nil), Clock: testClock{}}
		if err := f.Accept(env, ""); err != nil {
			return err
		}
		f.Audit = append(f.Audit, model.AuditLog{ActorType: model.ActorStaff, ActorID: id, Action: "case.accept", CreatedAt: env.Now})
		return nil
	}
}

// Two caseworkers accept the same case at the same moment with the same version: exactly one
// wins, the others get the version conflict, and history has one acceptance.
func TestConcurrentAcceptOneWins(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		r, err := st.UpsertResident(ctx, "wx", "race", "", t0)
		testenv.Must(t, err)
		cf, _, err := st.CreateCase(ctx, newCase(r.ID, "130102001001", nil))
		testenv.Must(t, err)
		c := &cf.Case
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
				_, errs[i] = st.UpdateCaseFile(ctx, scope, c.PublicID, c.Version, t0.Add(time.Hour), acceptAs(uint64(i+1)))
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
		f, err := st.LoadCaseFile(ctx, scope, c.PublicID)
		testenv.Must(t, err)
		ev, err := st.CaseEvents(ctx, f.Case.ID)
		testenv.Must(t, err)
		audit, err := testenv.OpenRows(t, be.Config).AuditForCase(ctx, f.Case.ID)
		testenv.Must(t, err)
		if f.Case.Version != c.Version+1 || len(ev) != 2 || len(f.Deadlines) != 3 || len(audit) != 1 {
			t.Fatalf("version %d, %d events, %d deadlines, %d audit rows", f.Case.Version, len(ev), len(f.Deadlines), len(audit))
		}
	})
}

// With a pool of one connection, an action completes: nothing inside it reads through a
// second connection while the first holds the row lock.
func TestUpdateCaseFileWithOneConnection(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		st := be.StoreWith(t, 1)
		r, err := st.UpsertResident(ctx, "wx", "one", "", t0)
		testenv.Must(t, err)
		cf, _, err := st.CreateCase(ctx, newCase(r.ID, "130102001001", nil))
		testenv.Must(t, err)
		c := &cf.Case
		scope := store.StaffScope(&model.Staff{AreaCode: "130102001000"})
		f, err := st.UpdateCaseFile(ctx, scope, c.PublicID, c.Version, t0, func(ctx context.Context, f *model.CaseFile) error {
			// what the cases service does inside an action: read the region's policy and staff
			if _, err := st.RegionPolicy(ctx, model.AreaCode(f.Case.AreaCode), "2026-11-20"); err != nil {
				return err
			}
			if _, err := st.StaffByUsernames(ctx, []string{"nobody"}); err != nil {
				return err
			}
			return acceptAs(1)(ctx, f)
		})
		testenv.Must(t, err)
		if f.Case.Status != model.StatusAccepted || f.Case.Stage != model.StageToInvestigate {
			t.Fatalf("status %s stage %s", f.Case.Status, f.Case.Stage)
		}
	})
}

// Any write of an action failing rolls the whole action back: the audit row is part of it.
func TestActionRollsBackWhenAnyWriteFails(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		r, err := st.UpsertResident(ctx, "wx", "rb", "", t0)
		testenv.Must(t, err)
		cf, _, err := st.CreateCase(ctx, newCase(r.ID, "130102001001", nil))
		testenv.Must(t, err)
		c := &cf.Case
		scope := store.StaffScope(&model.Staff{AreaCode: "130102001000"})
		breakers := map[string]func(f *model.CaseFile){
			"audit":  func(f *model.CaseFile) { f.Audit[0].Action = strings.Repeat("x", 300) },                        // VARCHAR(64)
			"outbox": func(f *model.CaseFile) { f.Outbox = []model.Outbox{{CaseID: f.Case.ID}, {CaseID: f.Case.ID}} }, // duplicate idempotency key ""
			"child":  func(f *model.CaseFile) { f.Deadlines[len(f.Deadlines)-1].Step = strings.Repeat("s", 300) },
		}
		for name, breakIt := range breakers {
			if st.DialectForTest() == "sqlite" && name != "outbox" {
				continue // SQLite does not enforce VARCHAR lengths; the outbox case covers it
			}
			_, err := st.UpdateCaseFile(ctx, scope, c.PublicID, c.Version, t0, func(ctx context.Context, f *model.CaseFile) error {
				if err := acceptAs(1)(ctx, f); err != nil {
					return err
				}
				breakIt(f)
				return nil
			})
			if err == nil {
				t.Fatalf("%s: the broken write was accepted", name)
			}
			f, err := st.LoadCaseFile(ctx, scope, c.PublicID)
			testenv.Must(t, err)
			ev, _ := st.CaseEvents(ctx, f.Case.ID)
			audit, _ := testenv.OpenRows(t, be.Config).AuditForCase(ctx, f.Case.ID)
			if f.Case.Status != model.StatusSubmitted || f.Case.Version != c.Version || len(ev) != 1 || len(audit) != 0 || len(f.Deadlines) != 1 {
				t.Fatalf("%s: half-written action: status %s version %d events %d audit %d deadlines %d", name, f.Case.Status, f.Case.Version, len(ev), len(audit), len(f.Deadlines))
			}
		}
	})
}
