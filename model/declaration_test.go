package model

import "testing"

// The household declaration's vocabularies are declared once: a disability kind and its label,
// an emergency and its labels (the noun the engine shows, the phrase the document list gives
// as the reason), each code valid in one place.
func TestDeclarationVocabularies(t *testing.T) {
	for code, label := range map[string]string{"physical": "肢体", "visual": "视力", "hearing": "听力", "speech": "言语",
		"intellectual": "智力", "mental": "精神", "multiple": "多重", "": ""} {
		if k := DisabilityKind(code); !k.Valid() || k.Label() != label {
			t.Errorf("disability %q: valid %v, label %q", code, k.Valid(), k.Label())
		}
	}
	if DisabilityKind("limb").Valid() {
		t.Error("an unknown disability kind is valid")
	}
	for _, c := range []struct{ code, label, cause string }{
		{"accident", "意外事故", "遭遇意外事故"}, {"serious_illness", "突发重病", "突发重病"}, {"disaster", "自然灾害", "遭受自然灾害"},
	} {
		k := EmergencyKind(c.code)
		if !k.Valid() || k.Label() != c.label || k.Cause() != c.cause {
			t.Errorf("emergency %q: valid %v, label %q, cause %q", c.code, k.Valid(), k.Label(), k.Cause())
		}
	}
	if EmergencyKind("").Valid() || EmergencyKind("flood").Valid() {
		t.Error("no emergency, or an unknown one, is a valid emergency kind")
	}
	if len(EmergencyKinds) != 3 || len(DisabilityKinds) != 7 {
		t.Errorf("vocabularies: %d emergencies, %d disability kinds", len(EmergencyKinds), len(DisabilityKinds))
	}
}

// The declaration is one type in model: screens get it masked, a client may send the masked
// numbers back and they stand for the numbers they hide, and free text is trimmed.
func TestHouseholdFactsMaskAndRestore(t *testing.T) {
	const self, spouse = "990101195001010013", "99010119520202002X"
	f := HouseholdFacts{Members: []MemberFacts{{Relation: RelSelf, Name: " 王五 ", IDNumber: self}, {Relation: RelSpouse, Name: "李四", IDNumber: spouse}}}
	f.Normalise()
	if f.Members[0].Name != "王五" {
		t.Fatalf("normalised name %q", f.Members[0].Name)
	}
	m := f.Masked()
	if m.Members[0].IDNumber == self || m.Members[1].IDNumber != MaskIDNumber(spouse) || f.Members[0].IDNumber != self {
		t.Fatalf("masked %+v (original %+v)", m.Members, f.Members)
	}
	back := *m
	back.RestoreMasked(&f)
	if back.Members[0].IDNumber != self || back.Members[1].IDNumber != spouse {
		t.Fatalf("restored %+v", back.Members)
	}
}
