package worklist_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/cases/casetest"
	"palmaid/service/cases/worklist"
	"palmaid/service/seed"
	"palmaid/service/testenv"
	"palmaid/service/wechat/wxsim"
)

var sim *wxsim.Simulator

func TestMain(m *testing.M) { casetest.Main(m, &sim) }

var monday = time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)

// The staff reads of a case, below HTTP: a submitted case is on its town's to_accept list and
// counted there, and on no other town's; opening it shows ID numbers masked; unmasking takes
// the permission, a reason of at least five characters and a member that exists, and answers
// the datum in clear; the deadline sweep puts an overdue acceptance on the town's reminders.
func TestStaffReads(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		clk := casetest.NewClock(monday)
		a := casetest.App(t, be, sim, clk)
		id := casetest.ID("19580101", 91)
		r := casetest.Resident(t, a, "listed-"+be.Name, "孙七", id)
		rec, _, err := a.Application.Create(ctx, r, casetest.SoloApplication(seed.DemoVillageE1, "孙七", id, model.CatMinimumLiving), "")
		testenv.Must(t, err)
		pid := rec.Case().PublicID
		east, west, auditor := casetest.Staff(t, a, "town_east"), casetest.Staff(t, a, "town_west"), casetest.Staff(t, a, "auditor")

		listed := func(st *model.Staff) bool {
			page, err := a.Worklist.Queue(ctx, st, worklist.QueueFilter{List: worklist.WLToAccept, Limit: 50})
			testenv.Must(t, err)
			for _, c := range page.Cases {
				if c.PublicID == pid {
					return true
				}
			}
			return false
		}
		if !listed(east) || listed(west) {
			t.Fatalf("to_accept: east %v, west %v", listed(east), listed(west))
		}
		counts, err := a.Worklist.Counts(ctx, east)
		testenv.Must(t, err)
		if counts[worklist.WLToAccept] < 1 {
			t.Fatalf("counts: %v", counts)
		}
		if _, err := a.Worklist.Get(ctx, west, pid); casetest.Code(err) != model.ErrCaseNotFound.Code {
			t.Fatalf("another town opens the case: %v", err)
		}
		got, err := a.Worklist.Get(ctx, east, pid)
		testenv.Must(t, err)
		if got.Facts == nil || got.Facts.Members[0].IDNumber == id || !strings.Contains(got.Facts.Members[0].IDNumber, "*") {
			t.Fatalf("the staff read shows the ID number %v", got.Facts)
		}

		if _, err := a.Worklist.Unmask(ctx, auditor, pid, worklist.UnmaskIDNumber, 0, "核对户籍信息"); casetest.Code(err) != "case.role_forbidden" {
			t.Fatalf("an auditor unmasks: %v", err)
		}
		if _, err := a.Worklist.Unmask(ctx, east, pid, worklist.UnmaskIDNumber, 0, "看看"); casetest.Code(err) != "unmask.reason_too_short" {
			t.Fatalf("a token reason: %v", err)
		}
		if _, err := a.Worklist.Unmask(ctx, east, pid, worklist.UnmaskIDNumber, 5, "核对户籍信息"); casetest.Code(err) != "case.invalid_unmask" {
			t.Fatalf("a member that does not exist: %v", err)
		}
		clear, err := a.Worklist.Unmask(ctx, east, pid, worklist.UnmaskIDNumber, 0, "核对户籍信息")
		testenv.Must(t, err)
		if clear != id {
			t.Fatalf("unmasked %q, want %q", clear, id)
		}

		clk.Add(10 * 24 * time.Hour) // the acceptance clock has run out
		_, err = a.Deadlines.SweepDeadlines(ctx)
		testenv.Must(t, err)
		rs, err := a.Worklist.Reminders(ctx, east, 0, 50)
		testenv.Must(t, err)
		var reminded bool
		for _, rm := range rs {
			reminded = reminded || rm.PublicID == pid
		}
		if !reminded {
			t.Fatalf("no reminder of the overdue acceptance: %+v", rs)
		}
	})
}
