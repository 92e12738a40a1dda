package progress_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/cases/casetest"
	"palmaid/service/seed"
	"palmaid/service/testenv"
	"palmaid/service/wechat/wxsim"
)

var sim *wxsim.Simulator

func TestMain(m *testing.M) { casetest.Main(m, &sim) }

var monday = time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)

// The progress read in one call: no token or an unknown one is unauthenticated before anything
// is read; admit hears who asks and may refuse; another resident's case does not exist for
// them; the applicant reads the case as it is now, from the database and then from the cached
// view, and a change is seen at once.
func TestReadOwnsTheSession(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		a := casetest.App(t, be, sim, casetest.NewClock(monday))
		id := casetest.ID("19570101", 81)
		login, err := a.Auth.LoginResident(ctx, "dev:"+testenv.UniqueName("progress-"+be.Name))
		testenv.Must(t, err)
		_, err = a.Residents.SetIdentity(ctx, login.Resident.ID, "孙六", id, "")
		testenv.Must(t, err)
		me := login.Resident.ID
		rec, _, err := a.Application.Create(ctx, me, casetest.SoloApplication(seed.DemoVillageE1, "孙六", id, model.CatMinimumLiving), "")
		testenv.Must(t, err)
		pid := rec.Case().PublicID

		var admitted []uint64
		admit := func(rid uint64) error { admitted = append(admitted, rid); return nil }
		for _, tok := range []string{"", "not-a-session"} {
			if _, err := a.Progress.Read(ctx, tok, pid, admit); casetest.Code(err) != model.ErrUnauthenticated.Code {
				t.Fatalf("token %q: %v", tok, err)
			}
		}
		if len(admitted) != 0 {
			t.Fatalf("admit heard of an unauthenticated read: %v", admitted)
		}
		refused := model.ErrRateLimited
		if _, err := a.Progress.Read(ctx, login.Token, pid, func(uint64) error { return refused }); !errors.Is(err, refused) {
			t.Fatalf("a refused admission: %v", err)
		}
		other := casetest.Resident(t, a, "other-"+be.Name, "赵七", casetest.ID("19800101", 82))
		if _, err := a.Progress.GetMine(ctx, other, pid); casetest.Code(err) != model.ErrCaseNotFound.Code {
			t.Fatalf("another resident's read: %v", err)
		}
		for i := range 2 { // the database, then the cached view
			got, err := a.Progress.Read(ctx, login.Token, pid, admit)
			testenv.Must(t, err)
			if got.Case().PublicID != pid || got.Case().Version != rec.Case().Version || !got.RatingKnown {
				t.Fatalf("read %d: %s version %d (want %d)", i, got.Case().PublicID, got.Case().Version, rec.Case().Version)
			}
		}
		if len(admitted) != 2 || admitted[0] != me {
			t.Fatalf("admit heard %v, want %d twice", admitted, me)
		}
		acc, err := a.Review.Accept(ctx, casetest.Staff(t, a, "town_east"), pid, rec.Case().Version, "")
		testenv.Must(t, err)
		got, err := a.Progress.Read(ctx, login.Token, pid, nil)
		testenv.Must(t, err)
		if got.Case().Version != acc.Case().Version || got.Case().Status != model.StatusAccepted {
			t.Fatalf("after acceptance the resident reads version %d, %s", got.Case().Version, got.Case().Status)
		}
	})
}
