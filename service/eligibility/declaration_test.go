package eligibility_test

import (
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/eligibility"
)

// The engine maps the household's declaration beside itself: a yearly income counts per month,
// birth dates come from the ID numbers, and a lenient read of an incomplete draft fills what is
// unknown.
func TestFromDeclaration(t *testing.T) {
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	f := &model.HouseholdFacts{Residence: "rural", Emergency: string(model.EmergencyAccident), EmergencySeverity: 2,
		Members: []model.MemberFacts{{Relation: model.RelSelf, IDNumber: "990101195001010013", DisabilityKind: string(model.DisabilityVisual), DisabilityGrade: 2},
			{IDNumber: "unknown"}},
		Income: []model.IncomeLine{{Member: 0, Kind: "pension", AmountCents: 120000, Period: "yearly"}, {Member: 0, Kind: "wage", AmountCents: 5000, Period: "monthly"}}}
	got := eligibility.FromDeclaration(f, today, false)
	if got.Members[0].BirthDate != "1950-01-01" || got.Members[1].BirthDate != "" || got.Members[1].Relation != "" {
		t.Fatalf("members: %+v", got.Members)
	}
	if got.Income[0].MonthlyCents != 10000 || got.Income[1].MonthlyCents != 5000 || got.Emergency != "accident" || got.Members[0].DisabilityKind != "visual" {
		t.Fatalf("facts: %+v", got)
	}
	lenient := eligibility.FromDeclaration(f, today, true)
	if lenient.Members[1].BirthDate != "2026-11-23" || lenient.Members[1].Relation != model.RelOther {
		t.Fatalf("lenient: %+v", lenient.Members[1])
	}
}
