package eligibility

import (
	"encoding/json"
	"math/rand"
	"testing"

	"palmaid/model"
)

// randomHousehold draws a household whose income sits around S × n.
func randomHousehold(rng *rand.Rand) Facts {
	n := 1 + rng.Intn(6)
	f := Facts{Residence: [...]string{"urban", "rural"}[rng.Intn(2)]}
	for i := 0; i < n; i++ {
		m := MemberFacts{Relation: model.RelChild, BirthDate: "1990-01-01"}
		if rng.Intn(5) == 0 {
			m.DisabilityKind, m.DisabilityGrade = "intellectual", 1+rng.Intn(4)
		}
		if rng.Intn(6) == 0 {
			m.Health = "serious"
		}
		f.Members = append(f.Members, m)
	}
	kinds := []string{IncWage, IncBusiness, IncPension, IncTransferOut, IncAssistance, DedEmployment, DedMedical, DedEducation}
	for j := rng.Intn(5); j > 0; j-- {
		f.Income = append(f.Income, IncomeFacts{Member: rng.Intn(n), Kind: kinds[rng.Intn(len(kinds))], MonthlyCents: rng.Int63n(int64(n) * 120000)})
	}
	f.Assets = AssetFacts{DepositCents: rng.Int63n(8_000_000), Vehicles: rng.Intn(2), Housing: rng.Intn(2)}
	return f
}

func randomPolicy(rng *rand.Rand) model.Policy {
	v := map[model.SettingKey]string{
		model.SetStandardCents: []string{"85000", "60000", "123456"}[rng.Intn(3)], model.SetStandardRuralCents: "70000",
		model.SetMinAmountCents:  []string{"0", "5000", "20000"}[rng.Intn(3)],
		model.SetEdgeMultiplier:  []string{"1.5", "2", "1.25"}[rng.Intn(3)],
		model.SetDeductEducation: []string{"true", "false"}[rng.Intn(2)],
	}
	if rng.Intn(2) == 0 {
		v[model.SetAmountMethod] = model.AmountTiers
		v[model.SetAmountTiers] = []string{"300:1000,600:700,1000:400", "500:800,1000:300", "1000:250", "300:500"}[rng.Intn(3)]
	}
	return model.PolicyFrom(v)
}

// TestMinimumLivingProperties: the amount is never negative, is zero at or above S × n, and
// never rises when income rises; no household is both 低保 and 低保边缘.
func TestMinimumLivingProperties(t *testing.T) {
	rng := rand.New(rand.NewSource(20261129))
	for i := 0; i < 3000; i++ {
		f, p := randomHousehold(rng), randomPolicy(rng)
		r := eval(t, f, p)
		ml := r.MinimumLiving
		if ml.AmountCents < 0 {
			t.Fatalf("negative amount %d for %+v", ml.AmountCents, f)
		}
		if r.Income.NetCents >= r.StandardCents*int64(r.Size) && (ml.AmountCents != 0 || ml.Status == Eligible) {
			t.Fatalf("income %d ≥ S × n %d but 低保 %s %d", r.Income.NetCents, r.StandardCents*int64(r.Size), ml.Status, ml.AmountCents)
		}
		if ml.Status == Eligible && r.Edge.Status == Eligible {
			t.Fatalf("both 低保 and 边缘: %+v", f)
		}
		// raise a member's wage: the amount never goes up
		g := f
		g.Income = append(append([]IncomeFacts{}, f.Income...), wage(rng.Intn(len(f.Members)), 1+rng.Int63n(100000)))
		r2 := eval(t, g, p)
		if r2.Income.NetCents < r.Income.NetCents {
			t.Fatalf("more wage, less income: %d < %d", r2.Income.NetCents, r.Income.NetCents)
		}
		// (the formula's monotony: a 特困 member takes 低保 away by the exclusion table)
		if len(eligibleMembers(r.Extreme))+len(eligibleMembers(r2.Extreme)) == 0 && r2.MinimumLiving.AmountCents > ml.AmountCents {
			t.Fatalf("income %d → %d raised the amount %d → %d (%s)", r.Income.NetCents, r2.Income.NetCents,
				ml.AmountCents, r2.MinimumLiving.AmountCents, p.Eligibility.AmountMethod)
		}
		for _, x := range r.Extreme {
			if x.AmountCents < 0 {
				t.Fatalf("negative 特困 amount %d", x.AmountCents)
			}
		}
		if r.Temporary.AmountCents < 0 {
			t.Fatalf("negative temporary amount %d", r.Temporary.AmountCents)
		}
	}
}

// TestAmountSweep walks income from 0 to beyond S × n in steps for each method: the amount
// never rises and is zero from S × n on.
func TestAmountSweep(t *testing.T) {
	for _, over := range []map[model.SettingKey]string{
		nil,
		{model.SetMinAmountCents: "30000"},
		{model.SetAmountMethod: model.AmountTiers, model.SetAmountTiers: "300:1000,600:700,1000:400"},
		{model.SetAmountMethod: model.AmountTiers, model.SetAmountTiers: "500:600,1000:100", model.SetMinAmountCents: "1000"},
		{model.SetAmountMethod: model.AmountTiers, model.SetAmountTiers: "300:500"}, // refused: it would leave a gap below S
	} {
		p := policy(over)
		prev := int64(1 << 62)
		for inc := int64(0); inc <= 300000; inc += 137 {
			r := eval(t, household(3, wage(0, inc)), p)
			a := r.MinimumLiving.AmountCents
			if a > prev || a < 0 || (inc >= 255000 && a != 0) {
				t.Fatalf("%v: income %d amount %d after %d", over, inc, a, prev)
			}
			prev = a
		}
	}
}

// FuzzEvaluate feeds arbitrary JSON as facts: Evaluate never panics, and whatever it accepts
// yields non-negative amounts and a result for every member.
func FuzzEvaluate(f *testing.F) {
	for _, seed := range []string{
		`{"residence":"urban","members":[{"relation":"self","birthDate":"1950-01-01"}]}`,
		`{"residence":"rural","members":[{"relation":"self","birthDate":"1980-02-29","disabilityKind":"physical","disabilityGrade":2,"health":"serious"},{"relation":"child","birthDate":"2012-06-01","inEducation":true}],"income":[{"member":0,"kind":"wage","monthlyCents":150000},{"member":1,"kind":"education_spending","monthlyCents":20000}],"assets":{"depositCents":1000000,"vehicles":1},"supporters":[{"forMember":0,"relation":"子女","ability":"able"}]}`,
		`{"residence":"urban","members":[{"relation":"self","birthDate":"1966-03-01","selfCareFailed":4}],"emergency":"disaster","emergencySeverity":3,"essentialSpendingCents":500000,"medicalOutOfPocket12mCents":900000}`,
		`{"residence":"urban","members":[{"relation":"self","birthDate":"2027-01-01","disabilityGrade":9}],"income":[{"member":7,"kind":"x","monthlyCents":-5}]}`,
		`{}`, `[]`, `{"members":null}`,
	} {
		f.Add([]byte(seed))
	}
	p := policy(map[model.SettingKey]string{model.SetAmountMethod: model.AmountTiers, model.SetAmountTiers: "300:1000,1000:400", model.SetMinAmountCents: "5000"})
	f.Fuzz(func(t *testing.T, data []byte) {
		var facts Facts
		if json.Unmarshal(data, &facts) != nil {
			return
		}
		r, err := Evaluate(facts, p, day)
		if err != nil {
			me, ok := err.(*model.Error)
			if !ok || me.Kind != model.KindUnprocessable || len(me.Fields) == 0 {
				t.Fatalf("error %v is not a 422 with fields", err)
			}
			return
		}
		if len(r.Extreme) != len(facts.Members) || r.MinimumLiving.AmountCents < 0 || r.Temporary.AmountCents < 0 {
			t.Fatalf("report %+v", r)
		}
		if r.MinimumLiving.Status == Eligible && r.Edge.Status == Eligible {
			t.Fatal("both 低保 and 边缘")
		}
	})
}
