package model

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func change(id uint64, kind, month string, cents int64) BenefitChange {
	return BenefitChange{ID: id, Kind: kind, EffectiveMonth: month, MonthlyCentsAfter: cents, Persons: 2}
}

// What a benefit pays in a month is the last change effective in or before it: nothing before
// the approval, the new amount from an increase's month, nothing while suspended, again after
// the resumption, and through the month before a termination.
func TestPaysIn(t *testing.T) {
	cs := []BenefitChange{
		change(5, ChangeTerminate, "2027-09", 0),
		change(1, ChangeApprove, "2027-02", 120000),
		change(2, ChangeIncrease, "2027-04", 130000),
		change(3, ChangeSuspend, "2027-06", 0),
		change(4, ChangeResume, "2027-07", 130000),
	}
	for month, want := range map[string]int64{"2027-01": 0, "2027-02": 120000, "2027-03": 120000, "2027-04": 130000, "2027-05": 130000,
		"2027-06": 0, "2027-07": 130000, "2027-08": 130000, "2027-09": 0, "2028-01": 0} {
		p, ok := PaysIn(cs, month)
		if p.Cents != want || ok != (want > 0) {
			t.Errorf("%s: %+v %v, want %d", month, p, ok, want)
		}
	}
	// Two changes of the same month: the later row decides.
	same := []BenefitChange{change(9, ChangeDecrease, "2027-03", 90000), change(8, ChangeApprove, "2027-03", 100000)}
	if p, _ := PaysIn(same, "2027-03"); p.Cents != 90000 {
		t.Fatalf("same month: %+v", p)
	}
}

// Property: PaysIn depends on the changes only, not on their order in the slice; it never
// pays a month before the first change or after a terminate that nothing follows; and the
// amount it pays is always the amount of some change.
func TestPaysInProperties(t *testing.T) {
	kinds := []string{ChangeApprove, ChangeIncrease, ChangeDecrease, ChangeStandardChange, ChangeGradualExit, ChangeSuspend, ChangeResume, ChangeTerminate}
	rng := rand.New(rand.NewPCG(24, 24))
	for round := 0; round < 2000; round++ {
		n := 1 + rng.IntN(8)
		cs := make([]BenefitChange, n)
		first := "9999-99"
		for i := range cs {
			m := AddMonths("2027-01", rng.IntN(24))
			cs[i] = change(uint64(i+1), kinds[rng.IntN(len(kinds))], m, int64(rng.IntN(5)+1)*10000)
			if cs[i].Kind == ChangeSuspend || cs[i].Kind == ChangeTerminate {
				cs[i].MonthlyCentsAfter = 0
			}
			first = min(first, m)
		}
		shuffled := append([]BenefitChange(nil), cs...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		for k := -2; k < 30; k++ {
			month := AddMonths("2027-01", k)
			p, ok := PaysIn(cs, month)
			q, ok2 := PaysIn(shuffled, month)
			if p != q || ok != ok2 {
				t.Fatalf("order matters: %v vs %v in %s for %+v", p, q, month, cs)
			}
			if month < first && ok {
				t.Fatalf("paid %s before the first change %s", month, first)
			}
			if ok {
				found := false
				for _, c := range cs {
					found = found || (c.MonthlyCentsAfter == p.Cents && c.EffectiveMonth <= month && c.Kind != ChangeSuspend && c.Kind != ChangeTerminate)
				}
				if !found {
					t.Fatalf("paid %d in %s, the amount of no change: %+v", p.Cents, month, cs)
				}
			}
		}
		// After a terminate with nothing later, nothing is paid.
		last := cs[0]
		for _, c := range cs {
			if c.EffectiveMonth > last.EffectiveMonth || c.EffectiveMonth == last.EffectiveMonth && c.ID > last.ID {
				last = c
			}
		}
		if last.Kind == ChangeTerminate {
			if _, ok := PaysIn(cs, AddMonths(last.EffectiveMonth, 3)); ok {
				t.Fatalf("paid after termination: %s", fmt.Sprint(cs))
			}
		}
	}
}

// Four eyes and the one way forward of a roster.
func TestRosterAdvance(t *testing.T) {
	r := &Roster{Status: RosterDraft, PreparedBy: 1}
	if err := r.Advance(RosterApproved, 2); err != ErrRosterState {
		t.Fatalf("draft → approved: %v", err)
	}
	if err := r.Advance(RosterChecked, 1); err != nil {
		t.Fatal(err)
	}
	if err := r.Advance(RosterApproved, 1); err != ErrRosterFourEyes || r.Status != RosterChecked {
		t.Fatalf("the preparer approves: %v %s", err, r.Status)
	}
	for _, s := range []RosterStatus{RosterApproved, RosterExported, RosterFedBack, RosterClosed} {
		if err := r.Advance(s, 2); err != nil {
			t.Fatalf("→ %s: %v", s, err)
		}
		if r.LinesEditable() {
			t.Fatalf("lines editable when %s", s)
		}
	}
	if r.ApprovedBy != 2 {
		t.Fatalf("approver %d", r.ApprovedBy)
	}
}
