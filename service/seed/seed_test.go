package seed

import (
	"testing"

	"palmaid/model"
)

// Every demo setting is a declared key whose value parses (a typo would silently fall back to
// the default).
func TestDemoSettingsAreTypedAndParse(t *testing.T) {
	values := map[model.SettingKey]string{}
	for _, s := range DemoSettings() {
		k := model.SettingKey(s.Key)
		if spec, ok := model.SettingByKey(k); !ok {
			t.Errorf("undeclared setting key %q", s.Key)
		} else if !spec.Valid(s.Value) {
			t.Errorf("%s = %q outside its range %s", s.Key, s.Value, spec.Range())
		}
		if _, dup := values[k]; dup {
			t.Errorf("key %q seeded twice", s.Key)
		}
		values[k] = s.Value
	}
	p := model.PolicyFrom(values)
	el := p.Eligibility
	if p.StandardCents != 85000 || el.StandardRuralCents != 70000 || el.MinAmountCents != 3000 || !el.DeductEducation ||
		el.CareSelfCents != 20000 || el.CarePartialCents != 50000 || el.CareFullCents != 100000 ||
		el.EdgeMultiplierPermille != 1500 || el.ExtremeBasicPermille != 1300 || el.DisposableIncomeAnnualCents != 3600000 ||
		el.PaymentDay != 10 || len(el.TemporaryTierMonths) != 3 {
		t.Fatalf("demo policy %+v", p)
	}
}
