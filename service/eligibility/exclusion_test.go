package eligibility

import (
	"math/rand"
	"strings"
	"testing"

	"palmaid/model"
)

// The first finding: a 76-year-old whose co-resident spouse (51, able to work) earns
// 8 000 元 a month was told she qualifies for 特困 ("没有法定赡养、抚养、扶养义务人").
func TestExtremeSeesTheSpouseInTheHousehold(t *testing.T) {
	f := Facts{Residence: "urban", Members: []MemberFacts{
		{Relation: model.RelSelf, BirthDate: "1950-01-01"},
		{Relation: model.RelSpouse, BirthDate: "1975-01-01", WorkAbility: "full"},
	}, Income: []IncomeFacts{wage(1, 800000)}}
	r := eval(t, f, policy(nil))
	ex := r.Extreme[0]
	if ex.Status != NotEligible {
		t.Fatalf("特困 with an able spouse at home: %s", ex.Status)
	}
	sc := ex.Checks[len(ex.Checks)-1]
	if sc.Rule != "extreme.supporters" || sc.Outcome != Fail || !strings.Contains(sc.Resident, "共同生活的配偶") ||
		!strings.Contains(sc.Resident, "8000.00元") || sc.Figures["inHousehold"] != 1 {
		t.Fatalf("supporter check: %+v", sc)
	}
}

// The same for a severely disabled adult living with a working father: no 特困, and not 单人保
// and 特困 at once.
func TestExtremeSeesTheParentOfADisabledAdult(t *testing.T) {
	for _, f := range []Facts{
		{Residence: "urban", Members: []MemberFacts{ // the disabled son applies
			{Relation: model.RelSelf, BirthDate: "1996-01-01", DisabilityKind: "intellectual", DisabilityGrade: 2},
			{Relation: model.RelParent, BirthDate: "1968-01-01", WorkAbility: "full"},
		}, Income: []IncomeFacts{wage(1, 200000)}},
		{Residence: "urban", Members: []MemberFacts{ // the father applies for him
			{Relation: model.RelSelf, BirthDate: "1968-01-01", WorkAbility: "full"},
			{Relation: model.RelChild, BirthDate: "1996-01-01", DisabilityKind: "intellectual", DisabilityGrade: 2},
		}, Income: []IncomeFacts{wage(0, 200000)}},
	} {
		r := eval(t, f, policy(nil))
		son := 0
		if f.Members[1].DisabilityGrade > 0 {
			son = 1
		}
		ex := r.Extreme[son]
		if ex.Status != NotEligible || !strings.Contains(ex.Checks[len(ex.Checks)-1].Resident, "共同生活的父母") {
			t.Fatalf("特困 of the disabled son with a working father: %+v", ex)
		}
		// 2 000 元 for two at S 850: an edge household; the son alone is 单人保
		if r.Edge.Status != Eligible || len(r.SinglePerson) != 1 || r.SinglePerson[0].Status != Eligible {
			t.Fatalf("edge %s, 单人保 %+v", r.Edge.Status, r.SinglePerson)
		}
	}
}

// The second finding: a single elderly 特困 candidate was suggested both 低保 and 特困.
func TestSingleElderIsExtremeNotAlsoMinimumLiving(t *testing.T) {
	f := Facts{Residence: "urban", Members: []MemberFacts{{Relation: model.RelSelf, BirthDate: "1950-01-01"}}}
	r := eval(t, f, policy(nil))
	if r.Extreme[0].Status != Eligible || r.MinimumLiving.Status != NotEligible || r.MinimumLiving.AmountCents != 0 ||
		r.Edge.Status != NotEligible || r.Illness.Status != NotEligible {
		t.Fatalf("特困 %s, 低保 %s %d, 边缘 %s", r.Extreme[0].Status, r.MinimumLiving.Status, r.MinimumLiving.AmountCents, r.Edge.Status)
	}
	last := r.MinimumLiving.Checks[len(r.MinimumLiving.Checks)-1]
	if last.Rule != "exclusion.minimum_living_extreme_hardship" || !strings.Contains(last.Resident, "按特困供养") {
		t.Fatalf("低保's last check: %+v", last)
	}
	// a household where only some members are 特困: 低保 for the others is the officer's call
	f.Members = append(f.Members, MemberFacts{Relation: model.RelGrandchild, BirthDate: "2000-01-01", WorkAbility: "full"})
	r = eval(t, f, policy(nil))
	if r.Extreme[0].Status != Eligible || r.MinimumLiving.Status != NeedsReview || r.MinimumLiving.AmountCents != 0 {
		t.Fatalf("mixed household: 特困 %s, 低保 %s", r.Extreme[0].Status, r.MinimumLiving.Status)
	}
}

var relations = []model.Relation{model.RelSpouse, model.RelChild, model.RelParent, model.RelSibling, model.RelGrandchild, model.RelOther}

// randomFamily draws a household with relations, ages from 5 to 90, disabilities, work
// abilities and wages (only wages, so a member's own income is the sum of their wages).
func randomFamily(rng *rand.Rand) Facts {
	n := 1 + rng.Intn(5)
	f := Facts{Residence: "urban"}
	for i := 0; i < n; i++ {
		m := MemberFacts{Relation: model.RelSelf, BirthDate: []string{"1936-02-01", "1950-07-01", "1963-03-01", "1975-01-01", "1999-09-09", "2010-01-01", "2020-05-05"}[rng.Intn(7)],
			WorkAbility: []string{"", "full", "partial", "none"}[rng.Intn(4)], SelfCareFailed: rng.Intn(7)}
		if i > 0 {
			m.Relation = relations[rng.Intn(len(relations))]
		}
		switch rng.Intn(6) {
		case 0:
			m.DisabilityKind, m.DisabilityGrade = "intellectual", 1+rng.Intn(4)
		case 1:
			m.DisabilityKind, m.DisabilityGrade = "physical", 1+rng.Intn(4)
		}
		if rng.Intn(6) == 0 {
			m.Health = "serious"
		}
		f.Members = append(f.Members, m)
	}
	for j := rng.Intn(4); j > 0; j-- {
		f.Income = append(f.Income, wage(rng.Intn(n), rng.Int63n(300000)))
	}
	if rng.Intn(3) == 0 {
		f.Supporters = append(f.Supporters, SupporterFact{ForMember: rng.Intn(n), Relation: "子女",
			Ability: []string{"", "able", "unable_70_low_income", "missing"}[rng.Intn(4)]})
	}
	if rng.Intn(4) == 0 {
		f.Income = append(f.Income, IncomeFacts{Member: rng.Intn(n), Kind: IncAssistance, MonthlyCents: 50000})
		f.MedicalOutOfPocket12mCents = rng.Int63n(10_000_000)
	}
	f.Assets = AssetFacts{DepositCents: rng.Int63n(4_000_000), Housing: rng.Intn(2)}
	return f
}

// ableHomeSupporter reports whether member i has, in the household, a legal supporter whose
// own wages reach S: the spouse, an adult child, or a parent of a minor or of a severely
// disabled or seriously ill (or unable to work) adult. Written out here from the relations,
// independently of the engine.
func ableHomeSupporter(f Facts, i int, s int64) bool {
	own := make([]int64, len(f.Members))
	for _, in := range f.Income {
		if in.Kind == IncWage {
			own[in.Member] += in.MonthlyCents
		}
	}
	year := func(m MemberFacts) int { return day.Year() - atoi(m.BirthDate[:4]) } // the drawn birth dates are never on the 18 boundary
	self := func(r model.Relation) bool { return r == model.RelSelf }
	ri := f.Members[i].Relation
	for j, mj := range f.Members {
		if j == i || own[j] < s {
			continue
		}
		rj := mj.Relation
		mi := f.Members[i]
		spouse := (self(ri) && rj == model.RelSpouse) || (ri == model.RelSpouse && self(rj))
		parent := (ri == model.RelChild && (self(rj) || rj == model.RelSpouse)) || ((self(ri) || ri == model.RelSibling) && rj == model.RelParent)
		child := (rj == model.RelChild && (self(ri) || ri == model.RelSpouse)) || ((self(rj) || rj == model.RelSibling) && ri == model.RelParent)
		needy := year(mi) < 18 || mi.WorkAbility == "none" || mi.Health == "serious" || (mi.DisabilityGrade >= 1 && mi.DisabilityGrade <= 2) ||
			(mi.DisabilityGrade == 3 && mi.DisabilityKind == "intellectual")
		if spouse || (parent && needy) || (child && year(mj) >= 18) {
			return true
		}
	}
	return false
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// grants are the eligible results of a report as grants (the suggestions the engine makes).
func grants(r *Report) []model.Grant {
	var out []model.Grant
	add := func(x Result) {
		if x.Status != Eligible {
			return
		}
		pos := model.HouseholdLevel
		if x.Member != nil {
			pos = *x.Member
		}
		out = append(out, model.Grant{Category: x.Category, MemberPosition: pos})
	}
	add(r.MinimumLiving)
	add(r.Edge)
	add(r.Illness)
	add(r.Temporary)
	for _, x := range r.Extreme {
		add(x)
	}
	for _, x := range r.SinglePerson {
		add(x)
	}
	return out
}

// TestNoExcludedPairProperty: for random households and policies, the engine never finds two
// categories eligible that the exclusion table forbids together, and never finds 特困 for a
// member with an able co-resident legal supporter whose income reaches S.
func TestNoExcludedPairProperty(t *testing.T) {
	rng := rand.New(rand.NewSource(20261207))
	seenExtreme, seenRefusedAtHome := 0, 0
	for n := 0; n < 5000; n++ {
		f, p := randomFamily(rng), randomPolicy(rng)
		r := eval(t, f, p)
		g := grants(r)
		for a := range g {
			for b := a + 1; b < len(g); b++ {
				if x := model.Excludes(g[a], g[b]); x != nil {
					t.Fatalf("%s: %+v and %+v both eligible for %+v", x.Err.Code, g[a], g[b], f)
				}
			}
		}
		for i, x := range r.Extreme {
			if x.Status == Eligible {
				seenExtreme++
			}
			if ableHomeSupporter(f, i, r.StandardCents) {
				seenRefusedAtHome++
				if x.Status != NotEligible {
					t.Fatalf("member %d has an able supporter at home but 特困 is %s: %+v", i, x.Status, f)
				}
			}
		}
	}
	if seenExtreme < 100 || seenRefusedAtHome < 100 {
		t.Fatalf("the draw is too narrow: %d 特困, %d with an able supporter at home", seenExtreme, seenRefusedAtHome)
	}
}

// TestExclusionTableIsSymmetric: the table answers the same in either order and leaves
// 临时救助 free.
func TestExclusionTableIsSymmetric(t *testing.T) {
	var all []model.Grant
	for _, c := range model.AllCategories {
		for _, pos := range []int{model.HouseholdLevel, 0, 1} {
			all = append(all, model.Grant{Category: c, MemberPosition: pos})
		}
	}
	for _, a := range all {
		for _, b := range all {
			if (model.Excludes(a, b) == nil) != (model.Excludes(b, a) == nil) {
				t.Fatalf("asymmetric: %+v %+v", a, b)
			}
			if (a.Category == model.CatTemporaryAid || b.Category == model.CatTemporaryAid) && model.Excludes(a, b) != nil {
				t.Fatalf("临时救助 excluded: %+v %+v", a, b)
			}
		}
	}
	if model.Excludes(model.Grant{Category: model.CatExtremeHardship, MemberPosition: 0}, model.Grant{Category: model.CatMinimumLiving, MemberPosition: 1}) != nil {
		t.Fatal("特困 of one member and 单人保 of another are not the same person")
	}
}
