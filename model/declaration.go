package model

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
