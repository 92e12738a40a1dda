package checklist

import (
	"fmt"
	"strings"

	"palmaid/model"
)

// ConditionKind is one kind of condition a rule applies on: a closed set. A rule's AppliesWhen
// lists one or more conditions "kind" or "kind:arg"; the rule applies when any holds.
type ConditionKind string

// Household conditions: read the application as a whole.
const (
	CondAlways                ConditionKind = "always"                  // every application
	CondCategory              ConditionKind = "category"                // arg: a category (minimum_living …) is requested
	CondEmergency             ConditionKind = "emergency"               // arg: accident | serious_illness | disaster; none: any emergency
	CondByAgent               ConditionKind = "by_agent"                // applied for by an agent (代办)
	CondExtremeWithSupporters ConditionKind = "extreme_with_supporters" // 特困 requested and legal supporters declared
)

// Member conditions: select the members they hold for.
const (
	CondMemberAdult          ConditionKind = "member_adult"           // 18 or older
	CondMemberDisabled       ConditionKind = "member_disabled"        // a disability of any kind and grade
	CondMemberSeriouslyIll   ConditionKind = "member_seriously_ill"   // health = serious
	CondMemberInEducation    ConditionKind = "member_in_education"    // a full-time student
	CondMemberHukouElsewhere ConditionKind = "member_hukou_elsewhere" // 户籍 elsewhere (applies where they live)
	CondMemberEmployed       ConditionKind = "member_employed"        // employed or with wage income
	CondMemberRelation       ConditionKind = "member_relation"        // arg: a relation (spouse …)
)

// conditionKinds describes every kind: whether it reads members and what its argument is.
var conditionKinds = map[ConditionKind]struct {
	member bool
	arg    string // "" none, "category", "emergency" (optional), "relation"
	label  string // for the administrators' documentation
}{
	CondAlways:                {false, "", "所有申请"},
	CondCategory:              {false, "category", "申请了某一救助类别"},
	CondEmergency:             {false, "emergency", "因突发事件申请临时救助（可限定事故、重病、灾害）"},
	CondByAgent:               {false, "", "由他人代为申请"},
	CondExtremeWithSupporters: {false, "", "申请特困且有法定赡养（抚养、扶养）义务人"},
	CondMemberAdult:           {true, "", "已成年的家庭成员"},
	CondMemberDisabled:        {true, "", "有残疾的家庭成员"},
	CondMemberSeriouslyIll:    {true, "", "患重病的家庭成员"},
	CondMemberInEducation:     {true, "", "在读的家庭成员"},
	CondMemberHukouElsewhere:  {true, "", "户籍不在本地的家庭成员"},
	CondMemberEmployed:        {true, "", "有工作收入的家庭成员"},
	CondMemberRelation:        {true, "relation", "与申请人为某种关系的家庭成员"},
}

// Emergency kinds (急难型临时救助), as in the eligibility facts.
const (
	EmergencyAccident       = "accident"
	EmergencySeriousIllness = "serious_illness"
	EmergencyDisaster       = "disaster"
)

var emergencyLabels = map[string]string{
	EmergencyAccident: "遭遇意外事故", EmergencySeriousIllness: "突发重病", EmergencyDisaster: "遭受自然灾害",
}

// EmergencyKinds lists the 急难 kinds in order, for the label catalogue (GET /api/v1/labels).
var EmergencyKinds = [...]string{EmergencyAccident, EmergencySeriousIllness, EmergencyDisaster}

// EmergencyLabel is the Chinese name of an emergency kind ("" if unknown).
func EmergencyLabel(kind string) string { return emergencyLabels[kind] }

// Condition is one parsed condition.
type Condition struct {
	Kind ConditionKind
	Arg  string
}

func (c Condition) String() string {
	if c.Arg == "" {
		return string(c.Kind)
	}
	return string(c.Kind) + ":" + c.Arg
}

// member reports whether the condition selects members.
func (c Condition) member() bool { return conditionKinds[c.Kind].member }

var errUnknownCondition = model.E(model.KindUnprocessable, "checklist.unknown_condition", "适用条件不正确：只能使用规定的条件种类")

// ParseConditions reads an AppliesWhen list. The error names the first bad condition.
func ParseConditions(s string) ([]Condition, error) {
	var out []Condition
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		kind, arg, _ := strings.Cut(part, ":")
		c := Condition{Kind: ConditionKind(strings.TrimSpace(kind)), Arg: strings.TrimSpace(arg)}
		def, ok := conditionKinds[c.Kind]
		if !ok {
			return nil, fmt.Errorf("未知的条件种类“%s”", c.Kind)
		}
		switch def.arg {
		case "":
			if c.Arg != "" {
				return nil, fmt.Errorf("条件“%s”不带参数", c.Kind)
			}
		case "category":
			if !model.Category(c.Arg).Valid() {
				return nil, fmt.Errorf("条件“%s”的救助类别“%s”不正确", c.Kind, c.Arg)
			}
		case "emergency":
			if _, ok := emergencyLabels[c.Arg]; c.Arg != "" && !ok {
				return nil, fmt.Errorf("条件“%s”的突发事件“%s”不正确（accident、serious_illness、disaster）", c.Kind, c.Arg)
			}
		case "relation":
			if !model.Relation(c.Arg).Valid() {
				return nil, fmt.Errorf("条件“%s”的关系“%s”不正确", c.Kind, c.Arg)
			}
		}
		if !seen[c.String()] {
			seen[c.String()] = true
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("至少一个适用条件")
	}
	return out, nil
}

// ConditionKinds lists the kinds in a fixed order (documentation, the admin API's answer).
func ConditionKinds() []ConditionKind {
	return []ConditionKind{CondAlways, CondCategory, CondEmergency, CondByAgent, CondExtremeWithSupporters,
		CondMemberAdult, CondMemberDisabled, CondMemberSeriouslyIll, CondMemberInEducation, CondMemberHukouElsewhere,
		CondMemberEmployed, CondMemberRelation}
}

// ConditionLabel is the Chinese description of a kind.
func ConditionLabel(k ConditionKind) string { return conditionKinds[k].label }

// holds evaluates a household condition; why is the resident's reason.
func (c Condition) holds(in *Input) (ok bool, why string) {
	switch c.Kind {
	case CondAlways:
		return true, "所有申请均需"
	case CondCategory:
		for _, x := range in.Categories {
			if string(x) == c.Arg {
				return true, "因申请" + x.Label()
			}
		}
	case CondEmergency:
		if in.Emergency != "" && (c.Arg == "" || c.Arg == in.Emergency) {
			return true, "因" + emergencyLabels[in.Emergency] + "申请临时救助"
		}
	case CondByAgent:
		if in.ByAgent {
			return true, "因由他人代为申请"
		}
	case CondExtremeWithSupporters:
		if in.Supporters > 0 && in.requested(model.CatExtremeHardship) {
			return true, "因申请特困且有法定赡养（抚养、扶养）义务人"
		}
	}
	return false, ""
}

// selects evaluates a member condition on one member; what is the reason's predicate
// ("有残疾").
func (c Condition) selects(m *MemberInput) (ok bool, what string) {
	switch c.Kind {
	case CondMemberAdult:
		return m.Adult, "已成年"
	case CondMemberDisabled:
		return m.disabled(), "有残疾"
	case CondMemberSeriouslyIll:
		return m.Health == HealthSerious, "患重病"
	case CondMemberInEducation:
		return m.InEducation, "在读"
	case CondMemberHukouElsewhere:
		return m.HukouElsewhere, "户籍不在本地"
	case CondMemberEmployed:
		return m.Employed, "有工作收入"
	case CondMemberRelation:
		return string(m.Relation) == c.Arg, "是" + model.Relation(c.Arg).Label()
	}
	return false, ""
}
