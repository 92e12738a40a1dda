package review_test

import (
	"context"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/cases/casetest"
	"palmaid/service/cases/review"
	"palmaid/service/seed"
	"palmaid/service/testenv"
	"palmaid/service/wechat/wxsim"
)

var sim *wxsim.Simulator

func TestMain(m *testing.M) { casetest.Main(m, &sim) }

var monday = time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)

// The rules of a staff action, below HTTP: the role's permission, a version, the case in the
// officer's area (another town's case does not exist for them), the current version, the step
// the case is at; a return lists what is missing; each accepted action moves the case on and
// is recorded in its history.
func TestReviewActionRules(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		a := casetest.App(t, be, sim, casetest.NewClock(monday))
		id := casetest.ID("19550101", 71)
		r := casetest.Resident(t, a, "applicant-"+be.Name, "孙四", id)
		rec, _, err := a.Application.Create(ctx, r, casetest.SoloApplication(seed.DemoVillageE1, "孙四", id, model.CatMinimumLiving), "")
		testenv.Must(t, err)
		c := rec.Case()
		east, west, village := casetest.Staff(t, a, "town_east"), casetest.Staff(t, a, "town_west"), casetest.Staff(t, a, "village_e1")

		if _, err := a.Review.Accept(ctx, village, c.PublicID, c.Version, ""); casetest.Code(err) != "case.role_forbidden" {
			t.Fatalf("a village assistant accepts: %v", err)
		}
		if _, err := a.Review.Accept(ctx, east, c.PublicID, 0, ""); casetest.Code(err) != "case.version_required" {
			t.Fatalf("accept without a version: %v", err)
		}
		if _, err := a.Review.Accept(ctx, west, c.PublicID, c.Version, ""); casetest.Code(err) != model.ErrCaseNotFound.Code {
			t.Fatalf("another town accepts: %v", err)
		}
		if _, err := a.Review.Accept(ctx, east, c.PublicID, c.Version+1, ""); casetest.Code(err) != model.ErrStaleVersion.Code {
			t.Fatalf("accept a version that is not the case's: %v", err)
		}
		if _, err := a.Review.StartInvestigation(ctx, east, c.PublicID, c.Version, ""); casetest.Code(err) != model.ErrIllegalStep.Code {
			t.Fatalf("investigate before acceptance: %v", err)
		}
		if _, err := a.Review.Return(ctx, east, c.PublicID, c.Version, "材料不全", nil); casetest.Code(err) != "case.missing_items_required" {
			t.Fatalf("a return listing nothing: %v", err)
		}

		acc, err := a.Review.Accept(ctx, east, c.PublicID, c.Version, "材料齐全")
		testenv.Must(t, err)
		if acc.Case().Status != model.StatusAccepted || acc.Case().Version != c.Version+1 || acc.Case().OwnerStaffID == nil || *acc.Case().OwnerStaffID != east.ID {
			t.Fatalf("accepted: status %s, version %d, owner %v", acc.Case().Status, acc.Case().Version, acc.Case().OwnerStaffID)
		}
		if last := acc.Events[len(acc.Events)-1]; last.Action != string(model.ActAccept) {
			t.Fatalf("the history's last step: %s", last.Action)
		}
		if _, err := a.Review.Accept(ctx, east, c.PublicID, acc.Case().Version, ""); casetest.Code(err) != model.ErrIllegalStep.Code {
			t.Fatalf("accepted twice: %v", err)
		}
		inv, err := a.Review.StartInvestigation(ctx, east, c.PublicID, acc.Case().Version, "")
		testenv.Must(t, err)
		if inv.Case().Stage == acc.Case().Stage {
			t.Fatalf("the investigation did not move the case on: %s", inv.Case().Stage)
		}
		// The resident's view follows (the progress read model is told of every change).
		mine, err := a.Progress.GetMine(ctx, r, c.PublicID)
		testenv.Must(t, err)
		if mine.Case().Version != inv.Case().Version {
			t.Fatalf("the resident reads version %d, the case is at %d", mine.Case().Version, inv.Case().Version)
		}
	})
}

// A return asks only for what the one-time list (一次性告知) left missing at submission, and never
// for what data sharing supplies (免证明); a refused return leaves the case as it was.
func TestReturnAsksOnlyForListedItems(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		a := casetest.App(t, be, sim, casetest.NewClock(monday))
		id := casetest.ID("19560101", 72)
		r := casetest.Resident(t, a, "returned-"+be.Name, "孙五", id)
		rec, _, err := a.Application.Create(ctx, r, casetest.SoloApplication(seed.DemoVillageE1, "孙五", id, model.CatMinimumLiving), "")
		testenv.Must(t, err)
		east := casetest.Staff(t, a, "town_east")
		if _, err := a.Review.Return(ctx, east, rec.Case().PublicID, rec.Case().Version, "请补充材料",
			[]review.MissingItemInput{{Name: "医院诊断证明", Note: "近半年内"}}); casetest.Code(err) != "case.item_not_in_first_notice" {
			t.Fatalf("a return asking for an item off the list: %v", err)
		}
		shared := ""
		for _, it := range rec.File.Checklist {
			if it.Source != "" {
				shared = it.Name
			}
		}
		if shared == "" {
			t.Fatalf("no item of the list comes from data sharing: %+v", rec.File.Checklist)
		}
		if _, err := a.Review.Return(ctx, east, rec.Case().PublicID, rec.Case().Version, "请补充材料",
			[]review.MissingItemInput{{Name: shared}}); casetest.Code(err) != "case.item_shared" {
			t.Fatalf("a return asking for %s, which data sharing supplies: %v", shared, err)
		}
		cur, err := a.Worklist.Get(ctx, east, rec.Case().PublicID)
		testenv.Must(t, err)
		if cur.Case().Version != rec.Case().Version || cur.Case().Status != model.StatusSubmitted {
			t.Fatalf("a refused return changed the case: version %d, status %s", cur.Case().Version, cur.Case().Status)
		}
	})
}
