package model

import "strings"

// The vocabularies of the household declaration (家庭经济状况申报), declared once: the case
// workflow validates the declaration with them, the eligibility engine and the document rules
// read them, and their labels are what every screen shows.

// DisabilityKind is a member's disability (残疾类别); "" is none.
type DisabilityKind string

// Disability kinds.
const (
	DisabilityPhysical     DisabilityKind = "physical"
	DisabilityVisual       DisabilityKind = "visual"
	DisabilityHearing      DisabilityKind = "hearing"
	DisabilitySpeech       DisabilityKind = "speech"
	DisabilityIntellectual DisabilityKind = "intellectual"
	DisabilityMental       DisabilityKind = "mental"
	DisabilityMultiple     DisabilityKind = "multiple"
)

// DisabilityKinds lists the kinds in display order (not "": none).
var DisabilityKinds = [...]DisabilityKind{DisabilityPhysical, DisabilityVisual, DisabilityHearing, DisabilitySpeech,
	DisabilityIntellectual, DisabilityMental, DisabilityMultiple}

// Valid reports whether k is a kind, or "" (none).
func (k DisabilityKind) Valid() bool { return k == "" || k.Label() != "" }

// Label is the kind in Chinese ("" for none or an unknown kind).
func (k DisabilityKind) Label() string {
	switch k {
	case DisabilityPhysical:
		return "肢体"
	case DisabilityVisual:
		return "视力"
	case DisabilityHearing:
		return "听力"
	case DisabilitySpeech:
		return "言语"
	case DisabilityIntellectual:
		return "智力"
	case DisabilityMental:
		return "精神"
	case DisabilityMultiple:
		return "多重"
	}
	return ""
}

// EmergencyKind is the sudden event of an emergency (急难型) temporary assistance; "" is none.
type EmergencyKind string

// Emergency kinds.
const (
	EmergencyAccident       EmergencyKind = "accident"
	EmergencySeriousIllness EmergencyKind = "serious_illness"
	EmergencyDisaster       EmergencyKind = "disaster"
)

// EmergencyKinds lists the kinds in display order.
var EmergencyKinds = [...]EmergencyKind{EmergencyAccident, EmergencySeriousIllness, EmergencyDisaster}

// Valid reports whether k is one of the kinds ("" is not: no emergency).
func (k EmergencyKind) Valid() bool { return k.Label() != "" }

// Label is the event as a noun (意外事故): "遭遇突发事件（意外事故）".
func (k EmergencyKind) Label() string {
	switch k {
	case EmergencyAccident:
		return "意外事故"
	case EmergencySeriousIllness:
		return "突发重病"
	case EmergencyDisaster:
		return "自然灾害"
	}
	return ""
}

// Cause is what befell the household (遭遇意外事故): "因遭遇意外事故申请临时救助".
func (k EmergencyKind) Cause() string {
	switch k {
	case EmergencyAccident:
		return "遭遇意外事故"
	case EmergencySeriousIllness:
		return "突发重病"
	case EmergencyDisaster:
		return "遭受自然灾害"
	}
	return ""
}

// HouseholdFacts are what a household declares about itself when applying (家庭经济状况申报): who lives
// together, their circumstances, income, assets and, for 特困, the legal supporters. A draft
// keeps them server-side (encrypted) until submission; the eligibility engine and the document
// rules read them.
type HouseholdFacts struct {
	Residence string          `json:"residence"` // urban | rural: which standard applies
	Members   []MemberFacts   `json:"members"`   // members[0] is the person the application is for
	Income    []IncomeLine    `json:"income"`
	NoIncome  bool            `json:"noIncome"` // declared: no member has any income
	Assets    AssetsDeclared  `json:"assets"`
	Supporter []SupporterDecl `json:"supporters"`
	// NoSupporters: declared that no member applying for 特困 has a legal supporter.
	NoSupporters               bool   `json:"noSupporters"`
	MedicalOutOfPocket12mCents int64  `json:"medicalOutOfPocket12mCents"`
	Emergency                  string `json:"emergency"` // accident | serious_illness | disaster | ""
	EmergencySeverity          int    `json:"emergencySeverity"`
	EssentialSpendingCents     int64  `json:"essentialSpendingCents"`
}

// MemberFacts is one member as declared. Birth date and sex come from the ID number.
type MemberFacts struct {
	Relation        Relation `json:"relation"` // to members[0]; members[0] is "self"
	Name            string   `json:"name"`
	IDNumber        string   `json:"idNumber"`
	HukouType       string   `json:"hukouType"`       // local | elsewhere
	HukouPlace      string   `json:"hukouPlace"`      // where, when elsewhere
	ResidencePermit bool     `json:"residencePermit"` // holds a local residence permit (居住证)
	DisabilityKind  string   `json:"disabilityKind"`
	DisabilityGrade int      `json:"disabilityGrade"`
	Health          string   `json:"health"`         // healthy | chronic | serious
	SeriousIllness  string   `json:"seriousIllness"` // the illness, when health is serious
	WorkAbility     string   `json:"workAbility"`    // full | partial | none
	InEducation     bool     `json:"inEducation"`
	Employment      string   `json:"employment"` // employed | self_employed | farming | unemployed | retired | student | none
	SelfCareFailed  int      `json:"selfCareFailed"`
	Orphan          bool     `json:"orphan"`
}

// IncomeLine is one income (or deduction) of a member.
type IncomeLine struct {
	Member      int    `json:"member"`
	Kind        string `json:"kind"` // the eligibility engine's income kinds
	AmountCents int64  `json:"amountCents"`
	Period      string `json:"period"` // monthly | yearly
	Source      string `json:"source"` // who pays (employer, …)
}

// AssetsDeclared are the household's assets; Declared must be true at submission (an empty
// declaration is a statement too).
type AssetsDeclared struct {
	Declared        bool  `json:"declared"`
	DepositCents    int64 `json:"depositCents"`
	SecuritiesCents int64 `json:"securitiesCents"`
	Vehicles        int   `json:"vehicles"`
	Housing         int   `json:"housing"`
	Businesses      int   `json:"businesses"`
}

// SupporterDecl is a legal supporter living outside the household (特困).
type SupporterDecl struct {
	ForMember int    `json:"forMember"`
	Relation  string `json:"relation"`
	Name      string `json:"name"`
	IDNumber  string `json:"idNumber"`
	Ability   string `json:"ability"`
}

// Normalise trims the free text and normalises ID numbers in place.
func (f *HouseholdFacts) Normalise() {
	for i := range f.Members {
		m := &f.Members[i]
		m.Name = strings.TrimSpace(m.Name)
		m.IDNumber = NormalizeIDNumber(m.IDNumber)
		m.HukouPlace = strings.TrimSpace(m.HukouPlace)
		m.SeriousIllness = strings.TrimSpace(m.SeriousIllness)
	}
	for i := range f.Supporter {
		s := &f.Supporter[i]
		s.Name = strings.TrimSpace(s.Name)
		s.IDNumber = NormalizeIDNumber(s.IDNumber)
		s.Relation = strings.TrimSpace(s.Relation)
	}
	for i := range f.Income {
		f.Income[i].Source = strings.TrimSpace(f.Income[i].Source)
	}
}

// Masked is a copy with every ID number masked (what the screens show).
func (f *HouseholdFacts) Masked() *HouseholdFacts {
	cp := *f
	cp.Members = append([]MemberFacts(nil), f.Members...)
	for i := range cp.Members {
		if cp.Members[i].IDNumber != "" {
			cp.Members[i].IDNumber = MaskIDNumber(cp.Members[i].IDNumber)
		}
	}
	cp.Supporter = append([]SupporterDecl(nil), f.Supporter...)
	for i := range cp.Supporter {
		if cp.Supporter[i].IDNumber != "" {
			cp.Supporter[i].IDNumber = MaskIDNumber(cp.Supporter[i].IDNumber)
		}
	}
	cp.Income = append([]IncomeLine(nil), f.Income...)
	return &cp
}

// RestoreMasked lets a client send back the masked ID numbers it was shown: a masked value that
// matches exactly one number of the earlier declaration stands for it.
func (f *HouseholdFacts) RestoreMasked(old *HouseholdFacts) {
	known := map[string][]string{}
	for _, m := range old.Members {
		known[MaskIDNumber(m.IDNumber)] = append(known[MaskIDNumber(m.IDNumber)], m.IDNumber)
	}
	for _, sp := range old.Supporter {
		if sp.IDNumber != "" {
			known[MaskIDNumber(sp.IDNumber)] = append(known[MaskIDNumber(sp.IDNumber)], sp.IDNumber)
		}
	}
	fix := func(v *string) {
		if strings.Contains(*v, "*") {
			if ids := known[strings.TrimSpace(*v)]; len(ids) == 1 {
				*v = ids[0]
			}
		}
	}
	for i := range f.Members {
		fix(&f.Members[i].IDNumber)
	}
	for i := range f.Supporter {
		fix(&f.Supporter[i].IDNumber)
	}
}
