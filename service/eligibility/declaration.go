package eligibility

import (
	"time"

	"palmaid/model"
)

// FromDeclaration maps a household's declaration (model.HouseholdFacts) to the engine's facts:
// yearly amounts per month, birth dates from the ID numbers. lenient fills an unknown birth date
// with today's date, for checks on an incomplete draft.
func FromDeclaration(f *model.HouseholdFacts, today time.Time, lenient bool) *Facts {
	out := &Facts{Residence: f.Residence, MedicalOutOfPocket12mCents: f.MedicalOutOfPocket12mCents,
		Emergency: f.Emergency, EmergencySeverity: f.EmergencySeverity, EssentialSpendingCents: f.EssentialSpendingCents,
		Assets: AssetFacts{DepositCents: f.Assets.DepositCents, SecuritiesCents: f.Assets.SecuritiesCents,
			Vehicles: f.Assets.Vehicles, Housing: f.Assets.Housing, Businesses: f.Assets.Businesses}}
	for _, m := range f.Members {
		birth := ""
		if b, ok := model.BirthDateFromID(m.IDNumber); ok {
			birth = b.Format(time.DateOnly)
		} else if lenient {
			birth = today.Format(time.DateOnly)
		}
		rel := m.Relation
		if rel == "" && lenient {
			rel = model.RelOther
		}
		out.Members = append(out.Members, MemberFacts{Relation: rel, BirthDate: birth,
			DisabilityKind: m.DisabilityKind, DisabilityGrade: m.DisabilityGrade, Health: m.Health, WorkAbility: m.WorkAbility,
			InEducation: m.InEducation, SelfCareFailed: m.SelfCareFailed, Orphan: m.Orphan})
	}
	for _, in := range f.Income {
		amt := in.AmountCents
		if in.Period == "yearly" {
			amt /= 12
		}
		out.Income = append(out.Income, IncomeFacts{Member: in.Member, Kind: in.Kind, MonthlyCents: amt})
	}
	for _, s := range f.Supporter {
		out.Supporters = append(out.Supporters, SupporterFact{ForMember: s.ForMember, Relation: s.Relation, Ability: s.Ability})
	}
	return out
}
