package model

import "testing"

func TestParsePermille(t *testing.T) {
	for in, want := range map[string]int64{"1.5": 1500, "2": 2000, "1.25": 1250, "1.305": 1305, "0.1": 100, " 1.3 ": 1300} {
		if got, ok := ParsePermille(in); !ok || got != want {
			t.Errorf("%q: %d %v, want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", ".5", "1.2345", "-1", "1,5", "1e3", "abc", "9999999"} {
		if got, ok := ParsePermille(in); ok {
			t.Errorf("%q accepted as %d", in, got)
		}
	}
}

func TestParseAmountTiers(t *testing.T) {
	tiers, ok := ParseAmountTiers("300:1000, 600:700,1000:400")
	if !ok || len(tiers) != 3 || tiers[1] != (AmountTier{600, 700}) {
		t.Fatalf("%v %v", tiers, ok)
	}
	// falling ceilings, rising amounts, ceilings above S, garbage, a gap below S (a tier ending at
	// 30 % with 50 % of S would pay less than the difference just above it)
	for _, in := range []string{"", "600:100,300:900", "300:400,600:700", "1200:100", "300", "a:b", "0:100", "300:500", "500:600"} {
		if _, ok := ParseAmountTiers(in); ok {
			t.Errorf("%q accepted", in)
		}
	}
}

func TestPolicyEligibilityDefaultsAndTypos(t *testing.T) {
	p := PolicyFrom(map[SettingKey]string{
		SetEdgeMultiplier: "abc", SetExtremeBasicRatio: "0.5", SetCareFullCents: "-3", SetTemporaryTiers: "3,2,1",
		SetAmountMethod: AmountTiers, SetAmountTiers: "", SetStandardCents: "85000", SetStandardRuralCents: "60000",
	})
	el := p.Eligibility
	if el.EdgeMultiplierPermille != 1500 || el.ExtremeBasicPermille != 1300 || el.CareFullCents != 0 ||
		len(el.TemporaryTierMonths) != 3 || el.TemporaryTierMonths[2] != 3 || el.AmountMethod != AmountDifference {
		t.Fatalf("typos did not fall back to the defaults: %+v", el)
	}
	if p.Standard(false) != 85000 || p.Standard(true) != 60000 {
		t.Fatalf("standards %d %d", p.Standard(false), p.Standard(true))
	}
	if q := PolicyFrom(map[SettingKey]string{SetStandardCents: "85000"}); q.Standard(true) != 85000 {
		t.Fatal("no rural standard: the unified one applies")
	}
	if q := PolicyFrom(map[SettingKey]string{SetAmountMethod: AmountTiers, SetAmountTiers: "500:600,1000:200"}); q.Eligibility.AmountMethod != AmountTiers {
		t.Fatal("valid tiers ignored")
	}
}
