package eligibility

import (
	"errors"
	"strings"
	"testing"
	"time"

	"palmaid/model"
)

var day = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// policy is the test region: S = 850.00 元, k = 1.5, 24/36 months of deposits, no vehicle for
// 低保 and one for the edge, 特困 1.3 × S with care 100/300/600 元.
func policy(over map[model.SettingKey]string) model.Policy {
	v := map[model.SettingKey]string{
		model.SetStandardCents: "85000", model.SetCareSelfCents: "10000", model.SetCarePartialCents: "30000",
		model.SetCareFullCents: "60000", model.SetDisposableIncome: "3000000",
	}
	for k, x := range over {
		v[k] = x
	}
	return model.PolicyFrom(v)
}

func adult() MemberFacts { return MemberFacts{Relation: model.RelSelf, BirthDate: "1980-05-05"} }

func household(n int, income ...IncomeFacts) Facts {
	f := Facts{Residence: "urban", Income: income}
	for i := 0; i < n; i++ {
		m := adult()
		if i > 0 {
			m.Relation = model.RelSpouse
		}
		f.Members = append(f.Members, m)
	}
	return f
}

func wage(member int, cents int64) IncomeFacts {
	return IncomeFacts{Member: member, Kind: IncWage, MonthlyCents: cents}
}

func eval(t *testing.T, f Facts, p model.Policy) *Report {
	t.Helper()
	r, err := Evaluate(f, p, day)
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	return r
}

func TestMinimumLivingAmount(t *testing.T) {
	tiers := map[model.SettingKey]string{model.SetAmountMethod: "tiers", model.SetAmountTiers: "300:1000,600:700,1000:400"}
	for _, tc := range []struct {
		name   string
		f      Facts
		over   map[model.SettingKey]string
		status Status
		amount int64
		net    int64
	}{
		// 3 × 850.00 = 2550.00; 2550.00 − 1500.00 = 1050.00
		{"difference", household(3, wage(0, 150000)), nil, Eligible, 105000, 150000},
		{"no income: the whole line", household(1), nil, Eligible, 85000, 0},
		// 3000 − 300 employment − 200 social insurance − 100 medical = 2400; 2550 − 2400 = 150
		{"deductions", household(3, wage(0, 300000), IncomeFacts{0, DedEmployment, 30000}, IncomeFacts{0, DedSocialInsurance, 20000},
			IncomeFacts{1, DedMedical, 10000}, IncomeFacts{1, DedEducation, 50000}), nil, Eligible, 15000, 240000},
		// the region does not deduct medical spending: 2500; 2550 − 2500 = 50
		{"deduction not allowed", household(3, wage(0, 300000), IncomeFacts{0, DedEmployment, 30000}, IncomeFacts{0, DedSocialInsurance, 20000},
			IncomeFacts{1, DedMedical, 10000}), map[model.SettingKey]string{model.SetDeductMedical: "false"}, Eligible, 5000, 250000},
		{"education deducted where the region allows", household(3, wage(0, 300000), IncomeFacts{1, DedEducation, 50000}),
			map[model.SettingKey]string{model.SetDeductEducation: "true"}, Eligible, 5000, 250000},
		// assistance, 优抚, awards and the basic residents' pension are not income
		{"money that is not income", household(2, wage(0, 100000), IncomeFacts{0, IncAssistance, 50000}, IncomeFacts{1, IncBasicPension, 15000},
			IncomeFacts{1, IncAward, 20000}, IncomeFacts{1, IncSpecialCare, 30000}), nil, Eligible, 70000, 100000},
		// alimony paid comes off: 1200 − 300 = 900; 1700 − 900 = 800
		{"transfers paid", household(2, wage(0, 120000), IncomeFacts{0, IncTransferOut, 30000}), nil, Eligible, 80000, 90000},
		// 2550 − 2500 = 50 is below the local minimum of 100
		{"minimum amount", household(3, wage(0, 250000)), map[model.SettingKey]string{model.SetMinAmountCents: "10000"}, Eligible, 10000, 250000},
		{"exactly S × n is not below S", household(3, wage(0, 255000)), nil, NotEligible, 0, 255000},
		{"one fen under S × n", household(3, wage(0, 254999)), nil, Eligible, 1, 254999},
		// tiers, 2 persons: per-capita 200 < 30 % of 850 (255) → 100 % of S each: 1700
		{"tier 1", household(2, wage(0, 40000)), tiers, Eligible, 170000, 40000},
		// per-capita exactly 255 is not below 30 %: tier 2, 70 % × 850 = 595 each: 1190
		{"tier 2 at the bound", household(2, wage(0, 51000)), tiers, Eligible, 119000, 51000},
		// per-capita 800: tier 3, 40 % × 850 = 340 each: 680
		{"tier 3", household(2, wage(0, 160000)), tiers, Eligible, 68000, 160000},
		{"tiers: at S no amount", household(2, wage(0, 170000)), tiers, NotEligible, 0, 170000},
		{"tiers that do not parse fall back to the difference", household(2, wage(0, 160000)),
			map[model.SettingKey]string{model.SetAmountMethod: "tiers", model.SetAmountTiers: "600:100,300:900"}, Eligible, 10000, 160000},
		// tiers stopping at 30 % would pay 50 % of S under 30 % and the larger difference above it:
		// refused, the difference applies: 1700 − 500 = 1200
		{"tiers that stop short of S are refused: difference", household(2, wage(0, 50000)),
			map[model.SettingKey]string{model.SetAmountMethod: "tiers", model.SetAmountTiers: "300:500"}, Eligible, 120000, 50000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := eval(t, tc.f, policy(tc.over))
			if r.Income.NetCents != tc.net {
				t.Errorf("net income %d, want %d", r.Income.NetCents, tc.net)
			}
			if r.MinimumLiving.Status != tc.status || r.MinimumLiving.AmountCents != tc.amount {
				t.Fatalf("低保 %s %d, want %s %d; %+v", r.MinimumLiving.Status, r.MinimumLiving.AmountCents, tc.status, tc.amount, r.MinimumLiving.Checks)
			}
		})
	}
}

func TestRuralStandard(t *testing.T) {
	p := policy(map[model.SettingKey]string{model.SetStandardRuralCents: "60000"})
	f := household(2, wage(0, 100000))
	if r := eval(t, f, p); r.StandardCents != 85000 || r.MinimumLiving.AmountCents != 70000 {
		t.Fatalf("urban: S %d amount %d", r.StandardCents, r.MinimumLiving.AmountCents)
	}
	f.Residence = "rural" // 2 × 600 = 1200 − 1000 = 200
	if r := eval(t, f, p); r.StandardCents != 60000 || r.MinimumLiving.AmountCents != 20000 {
		t.Fatalf("rural: S %d amount %d", r.StandardCents, r.MinimumLiving.AmountCents)
	}
}

func TestAssetRefusal(t *testing.T) {
	// 3 persons: deposits + securities ≤ 24 × 850 × 3 = 61 200 元
	for _, tc := range []struct {
		name   string
		assets AssetFacts
		ok     bool
	}{
		{"at the limit", AssetFacts{DepositCents: 4000000, SecuritiesCents: 2120000, Housing: 1}, true},
		{"one fen over", AssetFacts{DepositCents: 4000000, SecuritiesCents: 2120001}, false},
		{"a car", AssetFacts{Vehicles: 1}, false},
		{"two dwellings", AssetFacts{Housing: 2}, false},
		{"a company", AssetFacts{Businesses: 1}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := household(3, wage(0, 100000))
			f.Assets = tc.assets
			r := eval(t, f, policy(nil))
			if got := r.MinimumLiving.Status == Eligible; got != tc.ok {
				t.Fatalf("eligible %v, want %v: %+v", got, tc.ok, r.MinimumLiving.Checks)
			}
			if !tc.ok {
				c := r.MinimumLiving.Checks[len(r.MinimumLiving.Checks)-1]
				if c.Rule != "assets.minimum_living" || c.Outcome != Fail || !strings.Contains(c.Resident, "超过") {
					t.Fatalf("the refusal does not say why: %+v", c)
				}
			}
		})
	}
}

func TestEdgeBand(t *testing.T) {
	// 2 persons: S × n = 1700, k × S × n = 2550
	for _, tc := range []struct {
		name     string
		net      int64
		deposits int64
		low      Status
		edge     Status
	}{
		{"under S: 低保, not edge", 169999, 0, Eligible, NotEligible},
		{"exactly S: edge", 170000, 0, NotEligible, Eligible},
		{"one fen under k × S", 254999, 0, NotEligible, Eligible},
		{"exactly k × S: neither", 255000, 0, NotEligible, NotEligible},
		// under S but deposits 50 000 元 > 24 × 1700 = 40 800 and ≤ 36 × 1700 = 61 200: edge
		{"fails only the 低保 asset test", 100000, 5000000, NotEligible, Eligible},
		{"fails the edge asset test too", 100000, 6120001, NotEligible, NotEligible},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := household(2, wage(0, tc.net))
			f.Assets.DepositCents = tc.deposits
			r := eval(t, f, policy(nil))
			if r.MinimumLiving.Status != tc.low || r.Edge.Status != tc.edge {
				t.Fatalf("低保 %s edge %s, want %s %s: %+v", r.MinimumLiving.Status, r.Edge.Status, tc.low, tc.edge, r.Edge.Checks)
			}
			if r.Edge.AmountCents != 0 {
				t.Fatal("an edge household gets no monthly cash")
			}
		})
	}
	// k = 2 where the region says so: 3399.99 is still in the band
	r := eval(t, household(2, wage(0, 339999)), policy(map[model.SettingKey]string{model.SetEdgeMultiplier: "2"}))
	if r.Edge.Status != Eligible {
		t.Fatalf("k = 2: %s", r.Edge.Status)
	}
}

func TestSinglePersonCover(t *testing.T) {
	// edge household of 3: S × n = 2550 ≤ 3200 < k × S × n = 3825
	f := household(3, wage(0, 300000), wage(2, 20000)) // 3000 + 200 = 3200
	f.Members[1].DisabilityKind, f.Members[1].DisabilityGrade = "physical", 2
	f.Members[2].Health = "serious"
	r := eval(t, f, policy(nil))
	if r.Edge.Status != Eligible {
		t.Fatalf("edge: %s", r.Edge.Status)
	}
	if len(r.SinglePerson) != 2 {
		t.Fatalf("单人保 for %d members, want 2", len(r.SinglePerson))
	}
	// member 2: no own income → 850; member 3: 200 own income → 650
	if a, b := r.SinglePerson[0], r.SinglePerson[1]; *a.Member != 1 || a.AmountCents != 85000 || *b.Member != 2 || b.AmountCents != 65000 {
		t.Fatalf("单人保: %+v", r.SinglePerson)
	}
	// grade 3 physical is not severe; grade 3 intellectual is
	f.Members[1].DisabilityGrade = 3
	f.Members[2].Health = ""
	if r := eval(t, f, policy(nil)); len(r.SinglePerson) != 0 {
		t.Fatalf("physical grade 3 covered alone: %+v", r.SinglePerson)
	}
	f.Members[1].DisabilityKind = "mental"
	if r := eval(t, f, policy(nil)); len(r.SinglePerson) != 1 {
		t.Fatalf("mental grade 3 not covered: %+v", r.SinglePerson)
	}
	// not an edge household: no 单人保
	f = household(3, wage(0, 100000))
	f.Members[0].Health = "serious"
	if r := eval(t, f, policy(nil)); len(r.SinglePerson) != 0 {
		t.Fatal("单人保 outside an edge household")
	}
}

func extremeOf(t *testing.T, m MemberFacts, supporters []SupporterFact, p model.Policy) Result {
	t.Helper()
	f := Facts{Residence: "rural", Members: []MemberFacts{m}, Supporters: supporters}
	return eval(t, f, p).Extreme[0]
}

func TestExtremeAgeOnTheBirthday(t *testing.T) {
	for _, tc := range []struct {
		birth string
		want  Status
	}{
		{"1966-03-01", Eligible},    // 60 on 2026-03-01, the birthday itself
		{"1966-03-02", NotEligible}, // 59 until tomorrow
		{"2010-03-02", Eligible},    // 15: under 16
		{"2010-03-01", NotEligible}, // 16 today
	} {
		m := adult()
		m.BirthDate = tc.birth
		if r := extremeOf(t, m, nil, policy(nil)); r.Status != tc.want {
			t.Errorf("born %s: %s, want %s: %+v", tc.birth, r.Status, tc.want, r.Checks[0])
		}
	}
}

func TestExtremeDisability(t *testing.T) {
	for _, tc := range []struct {
		kind  string
		grade int
		want  Status
	}{
		{"intellectual", 3, Eligible}, {"mental", 1, Eligible}, {"intellectual", 4, NotEligible},
		{"physical", 2, Eligible}, {"physical", 3, NotEligible}, {"visual", 1, Eligible}, {"visual", 2, NotEligible},
		{"hearing", 1, NotEligible}, {"multiple", 2, NeedsReview},
	} {
		m := adult()
		m.DisabilityKind, m.DisabilityGrade = tc.kind, tc.grade
		if r := extremeOf(t, m, nil, policy(nil)); r.Status != tc.want {
			t.Errorf("%s %d: %s, want %s", tc.kind, tc.grade, r.Status, tc.want)
		}
	}
	m := adult()
	m.WorkAbility = "none"
	if r := extremeOf(t, m, nil, policy(nil)); r.Status != NeedsReview {
		t.Errorf("declared unable to work: %s, want review", r.Status)
	}
}

func TestExtremeCareTiers(t *testing.T) {
	// basic 1.3 × 850 = 1105; care 100 / 300 / 600
	for _, tc := range []struct {
		failed int
		tier   string
		amount int64
	}{{0, CareSelf, 120500}, {1, CarePartial, 140500}, {3, CarePartial, 140500}, {4, CareFull, 170500}, {6, CareFull, 170500}} {
		m := adult()
		m.BirthDate, m.SelfCareFailed = "1950-01-01", tc.failed
		r := extremeOf(t, m, nil, policy(nil))
		if r.Status != Eligible || r.CareTier != tc.tier || r.AmountCents != tc.amount {
			t.Errorf("%d failed: %s %s %d, want %s %d", tc.failed, r.Status, r.CareTier, r.AmountCents, tc.tier, tc.amount)
		}
	}
	// 1.3 × 851.11 = 1106.443 → 1106.44 (half up in fen)
	m := adult()
	m.BirthDate = "1950-01-01"
	if r := extremeOf(t, m, nil, policy(map[model.SettingKey]string{model.SetStandardCents: "85111", model.SetCareSelfCents: "0"})); r.AmountCents != 110644 {
		t.Errorf("rounding: %d", r.AmountCents)
	}
}

func TestExtremeSupporters(t *testing.T) {
	old := adult()
	old.BirthDate = "1950-01-01"
	for _, tc := range []struct {
		name string
		s    []SupporterFact
		want Status
	}{
		{"none", nil, Eligible},
		{"one able child", []SupporterFact{{Relation: "子女", Ability: "able"}}, NotEligible},
		{"all unable", []SupporterFact{{Relation: "子女", Ability: "unable_tekun"}, {Relation: "子女", Ability: "missing"},
			{Relation: "子女", Ability: "unable_dibao_60"}, {Relation: "子女", Ability: "imprisoned"}}, Eligible},
		{"one unable, one able", []SupporterFact{{Ability: "unable_disabled"}, {Ability: "able"}}, NotEligible},
		{"unknown", []SupporterFact{{Ability: ""}}, NeedsReview},
	} {
		if r := extremeOf(t, old, tc.s, policy(nil)); r.Status != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, r.Status, tc.want)
		}
	}
	// supporters of another member do not count
	f := Facts{Residence: "urban", Members: []MemberFacts{old, old}, Supporters: []SupporterFact{{ForMember: 1, Ability: "able"}}}
	r := eval(t, f, policy(nil))
	if r.Extreme[0].Status != Eligible || r.Extreme[1].Status != NotEligible {
		t.Fatalf("per person: %s %s", r.Extreme[0].Status, r.Extreme[1].Status)
	}
}

func TestExtremeMeansAndOrphan(t *testing.T) {
	old := adult()
	old.BirthDate = "1950-01-01"
	f := Facts{Residence: "urban", Members: []MemberFacts{old}, Income: []IncomeFacts{{0, IncPension, 85000}}}
	if r := eval(t, f, policy(nil)); r.Extreme[0].Status != NotEligible {
		t.Fatal("own income at S passes")
	}
	f.Income[0].MonthlyCents = 84999
	if r := eval(t, f, policy(nil)); r.Extreme[0].Status != Eligible {
		t.Fatal("own income under S fails")
	}
	f.Assets.Vehicles = 1
	if r := eval(t, f, policy(nil)); r.Extreme[0].Status != NotEligible {
		t.Fatal("asset limits ignored")
	}
	child := MemberFacts{Relation: model.RelSelf, BirthDate: "2015-01-01", Orphan: true}
	if r := extremeOf(t, child, nil, policy(nil)); r.Status != NotEligible || r.Checks[0].Rule != "extreme.orphan" {
		t.Fatalf("orphan: %+v", r)
	}
}

func TestIllnessPoverty(t *testing.T) {
	// 3 persons: edge band ends at 3825; 2 × S × n = 5100. Income 4000 a month = 48 000 a year.
	f := household(3, wage(0, 400000))
	f.Members[2].Health = "serious"
	f.MedicalOutOfPocket12mCents = 2400000 // exactly 50 %
	r := eval(t, f, policy(nil))
	if r.Edge.Status != NotEligible || r.Illness.Status != Eligible {
		t.Fatalf("edge %s illness %s: %+v", r.Edge.Status, r.Illness.Status, r.Illness.Checks)
	}
	f.MedicalOutOfPocket12mCents = 2399999
	if r := eval(t, f, policy(nil)); r.Illness.Status != NotEligible {
		t.Fatal("spending under the share passes")
	}
	f.MedicalOutOfPocket12mCents = 9000000
	f.Income[0].MonthlyCents = 510000
	if r := eval(t, f, policy(nil)); r.Illness.Status != NotEligible {
		t.Fatal("income at 2 × S passes")
	}
	f.Members[2].Health = "chronic"
	f.Income[0].MonthlyCents = 400000
	if r := eval(t, f, policy(nil)); r.Illness.Status != NotEligible {
		t.Fatal("no seriously ill member passes")
	}
	// covered by 低保: not this category
	f = household(3, wage(0, 100000))
	f.Members[0].Health, f.MedicalOutOfPocket12mCents = "serious", 2000000
	if r := eval(t, f, policy(nil)); r.Illness.Status != NotEligible || r.Illness.Checks[1].Rule != "illness.not_covered" {
		t.Fatalf("illness beside 低保: %+v", r.Illness)
	}
}

func TestTemporaryAid(t *testing.T) {
	f := household(3, wage(0, 300000))
	f.Emergency, f.EmergencySeverity = "accident", 2 // 2 months × 850 × 3 = 5100
	r := eval(t, f, policy(nil))
	if r.Temporary.Status != Eligible || r.Temporary.AmountCents != 510000 || r.Temporary.Period != "once" {
		t.Fatalf("urgent: %+v", r.Temporary)
	}
	// severity beyond the tiers takes the last; 6 months = 15 300 > the town's 3 months = 7 650
	f.EmergencySeverity = 5
	r = eval(t, f, policy(map[model.SettingKey]string{model.SetTemporaryTiers: "1,2,6"}))
	if r.Temporary.AmountCents != 1530000 || r.Temporary.Checks[len(r.Temporary.Checks)-1].Rule != "temporary.town_cap" {
		t.Fatalf("above the town cap: %+v", r.Temporary)
	}
	// 12 months > the 10-month cap: 一事一议, capped figure shown
	r = eval(t, f, policy(map[model.SettingKey]string{model.SetTemporaryTiers: "4,8,12"}))
	if r.Temporary.Status != NeedsReview || r.Temporary.AmountCents != 2550000 {
		t.Fatalf("above the cap: %+v", r.Temporary)
	}
	// 支出型, 2 persons, income 2000 a month: 24 000 a year < 2 × 30 000; spare (2000 − 1700) × 12 = 3600
	f = household(2, wage(0, 200000))
	f.EssentialSpendingCents = 1000000
	r = eval(t, f, policy(nil))
	if r.Temporary.Status != Eligible || r.Temporary.AmountCents != 640000 {
		t.Fatalf("spending: %+v", r.Temporary)
	}
	f.EssentialSpendingCents = 360000
	if r := eval(t, f, policy(nil)); r.Temporary.Status != NotEligible {
		t.Fatal("spending within capacity passes")
	}
	f.EssentialSpendingCents = 1000000
	f.Income[0].MonthlyCents = 500000 // 60 000 a year = 2 × 30 000
	if r := eval(t, f, policy(nil)); r.Temporary.Status != NotEligible {
		t.Fatal("income at the disposable income passes")
	}
	f.EssentialSpendingCents = 5000000 // above what 5000 a month spares (39 600)
	if r := eval(t, f, policy(map[model.SettingKey]string{model.SetDisposableIncome: "0"})); r.Temporary.Status != NeedsReview {
		t.Fatal("no disposable income figure is not a review")
	}
	if r := eval(t, household(1), policy(nil)); r.Temporary.Status != NotEligible {
		t.Fatal("no need, still eligible")
	}
}

func TestNoStandardMeansReview(t *testing.T) {
	r := eval(t, household(2), model.PolicyFrom(nil))
	for _, res := range []Result{r.MinimumLiving, r.Edge, r.Illness, r.Temporary, r.Extreme[0]} {
		if res.Status != NeedsReview || res.AmountCents != 0 {
			t.Errorf("%s: %s %d", res.Category, res.Status, res.AmountCents)
		}
	}
}

func TestReasonsCarryFigures(t *testing.T) {
	r := eval(t, household(3, wage(0, 150000)), policy(nil))
	var diff *Check
	for i := range r.MinimumLiving.Checks {
		if r.MinimumLiving.Checks[i].Rule == "amount.difference" {
			diff = &r.MinimumLiving.Checks[i]
		}
	}
	if diff == nil || diff.Figures["amount"] != 105000 || !strings.Contains(diff.Staff, "850.00元 × 3 − 1500.00元 = 1050.00元") ||
		!strings.Contains(diff.Resident, "每月1050.00元") {
		t.Fatalf("difference reason: %+v", diff)
	}
}

func TestValidation(t *testing.T) {
	f := Facts{Residence: "suburb", Members: []MemberFacts{{Relation: "boss", BirthDate: "2027-01-01", DisabilityGrade: 2, SelfCareFailed: 7}},
		Income:     []IncomeFacts{{Member: 3, Kind: "bribe", MonthlyCents: -1}},
		Supporters: []SupporterFact{{ForMember: -1, Ability: "rich"}}, Emergency: "war", Assets: AssetFacts{Vehicles: -1}}
	_, err := Evaluate(f, policy(nil), day)
	var me *model.Error
	if !errors.As(err, &me) || me.Kind != model.KindUnprocessable || me.Code != "eligibility.invalid_facts" {
		t.Fatalf("error %v", err)
	}
	for _, field := range []string{"residence", "members[0].relation", "members[0].birthDate", "members[0].disabilityGrade",
		"members[0].selfCareFailed", "income[0].member", "income[0].kind", "income[0].monthlyCents", "supporters[0].forMember",
		"supporters[0].ability", "emergency", "assets.vehicles"} {
		if me.Fields[field] == "" {
			t.Errorf("no hint for %s: %v", field, me.Fields)
		}
	}
	if _, err := Evaluate(Facts{Residence: "urban"}, policy(nil), day); err == nil {
		t.Fatal("no members accepted")
	}
	if errInvalidFacts.Fields != nil {
		t.Fatal("the shared error was modified")
	}
}
