package reviews

import (
	"testing"

	"palmaid/model"
)

// A 渐退 ended early by a later review: its remaining steps no longer pay; a decrease decided
// over a standard change written for a later month keeps the decrease in force.
func TestSupersedeLaterChanges(t *testing.T) {
	existing := []model.BenefitChange{
		{ID: 1, Kind: model.ChangeApprove, EffectiveMonth: "2027-02", MonthlyCentsAfter: 80000, Persons: 2},
	}
	gx := model.ReviewChanges(&model.Review{Outcome: model.OutcomeGradualExit, GradualMonths: 3, SchedulePct: "100,50,50"}, 80000, 2, "2027-06")
	for i := range gx {
		gx[i].ID = uint64(10 + i)
	}
	existing = append(existing, gx...)
	term := supersede(existing, model.ReviewChanges(&model.Review{Outcome: model.OutcomeTerminate}, 80000, 2, "2027-07"))
	all := append([]model.BenefitChange(nil), existing...)
	for i, c := range term {
		c.ID = uint64(100 + i)
		all = append(all, c)
	}
	for m, want := range map[string]int64{"2027-06": 80000, "2027-07": 0, "2027-08": 0, "2027-09": 0, "2028-01": 0} {
		p, ok := model.PaysIn(all, m)
		if want == 0 && ok || want > 0 && p.Cents != want {
			t.Errorf("%s pays %v %v, want %d", m, p, ok, want)
		}
	}
	// without supersede, August would still pay the 渐退 step
	plain := append(append([]model.BenefitChange(nil), existing...), model.BenefitChange{ID: 200, Kind: model.ChangeTerminate, EffectiveMonth: "2027-07"})
	if _, ok := model.PaysIn(plain, "2027-08"); !ok {
		t.Fatal("the test does not show the problem it guards against")
	}
}
