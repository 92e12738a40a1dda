package model

import "testing"

// 民法典 art. 202: a period of months ends on the same day of the month, or on the month's last
// day when the month has no such day — across month ends and leap years.
func TestAddMonthsDateMonthEndsAndLeapYears(t *testing.T) {
	for _, c := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-01-31", 1, "2026-02-28"},
		{"2028-01-31", 1, "2028-02-29"}, // leap year
		{"2027-08-31", 6, "2028-02-29"},
		{"2028-02-29", 12, "2029-02-28"},
		{"2028-02-29", 6, "2028-08-29"},
		{"2026-03-31", 6, "2026-09-30"},
		{"2026-12-15", 12, "2027-12-15"},
		{"2026-11-30", 3, "2027-02-28"},
		{"2026-02-30", 1, ""},
	} {
		if got := AddMonthsDate(c.from, c.n); got != c.want {
			t.Errorf("%s + %d months = %q, want %q", c.from, c.n, got, c.want)
		}
	}
}

// 渐退 pays the schedule's share of the current amount month by month and terminates after its
// last month; without a schedule it pays 100 % each month.
func TestReviewChangesGradualExitMonthByMonth(t *testing.T) {
	approve := BenefitChange{ID: 1, Kind: ChangeApprove, EffectiveMonth: "2027-02", MonthlyCentsAfter: 80000, Persons: 2}
	r := &Review{Outcome: OutcomeGradualExit, GradualMonths: 4, SchedulePct: "100,100,50,50"}
	chs := ReviewChanges(r, 80000, 2, "2027-06")
	all := []BenefitChange{approve}
	for i, c := range chs {
		c.ID = uint64(i + 2)
		all = append(all, c)
	}
	want := map[string]int64{"2027-05": 80000, "2027-06": 80000, "2027-07": 80000, "2027-08": 40000, "2027-09": 40000, "2027-10": 0, "2028-01": 0}
	for m, cents := range want {
		p, ok := PaysIn(all, m)
		if cents == 0 && ok || cents > 0 && (!ok || p.Cents != cents) {
			t.Errorf("%s pays %v %v, want %d", m, p, ok, cents)
		}
	}
	if chs[len(chs)-1].Kind != ChangeTerminate || chs[len(chs)-1].EffectiveMonth != "2027-10" {
		t.Fatalf("the last change: %+v", chs[len(chs)-1])
	}
	plain := ReviewChanges(&Review{Outcome: OutcomeGradualExit, GradualMonths: 2}, 50000, 1, "2027-06")
	if len(plain) != 3 || plain[0].MonthlyCentsAfter != 50000 || plain[1].MonthlyCentsAfter != 50000 || plain[2].Kind != ChangeTerminate || plain[2].EffectiveMonth != "2027-08" {
		t.Fatalf("渐退 without a schedule: %+v", plain)
	}
	if ch := ReviewChanges(&Review{Outcome: OutcomeDecrease, MonthlyCents: 30000, Persons: 1}, 80000, 2, "2027-06"); len(ch) != 1 || ch[0].Kind != ChangeDecrease || ch[0].Persons != 1 {
		t.Fatalf("decrease: %+v", ch)
	}
	if ch := ReviewChanges(&Review{Outcome: OutcomeUnchanged}, 80000, 2, "2027-06"); len(ch) != 0 {
		t.Fatalf("unchanged changes something: %+v", ch)
	}
}

// The cadence is read from the region settings; a region may shorten it.
func TestReviewCadenceFromSettings(t *testing.T) {
	p := PolicyFrom(nil).Review
	if p.CadenceMonths(CatMinimumLiving, false) != 12 || p.CadenceMonths(CatMinimumLiving, true) != 6 || p.CadenceMonths(CatExtremeHardship, true) != 12 ||
		p.LeadDays != 30 || p.DeathMonths != 3 || p.GradualMaxMonths != 6 {
		t.Fatalf("national defaults: %+v", p)
	}
	q := PolicyFrom(map[SettingKey]string{SetReviewStableMonths: "9", SetGradualMaxMonths: "3"}).Review
	if q.CadenceMonths(CatMinimumLiving, false) != 9 || q.GradualMaxMonths != 3 {
		t.Fatalf("region values: %+v", q)
	}
	if _, ok := ParseSchedule("100,0"); ok {
		t.Fatal("a 0 % month accepted")
	}
}
