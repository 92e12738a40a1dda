// Package eligibility classifies a household for the five aid categories reviewed together
// (低保, 特困, 低保边缘家庭, 因病致贫重病患者, 临时救助) from the facts of the household and the
// region's policy on a date, and explains every result rule by rule.
//
// Evaluate is a pure function: no database, no clock; the caller passes the date. Service wraps
// it for the resident's self-check, loading the region's policy through an interface.
//
// The rules, in short (amounts are monthly, in fen, S is the local 低保 standard per person):
//
//   - Household income is the sum of the members' counted income (wages, business net income,
//     property income, pensions other than the basic residents' pension, transfers received)
//     minus transfers paid (e.g. alimony) and minus the deductions the region allows
//     (employment costs, social-insurance contributions, income tax, rigid medical and
//     education spending). Social-assistance money, 优抚 payments, awards and scholarships and
//     the basic residents' pension are not income. A negative total counts as zero.
//   - 低保 (household): income < S × n (compared on the household total, never a rounded
//     per-capita figure) and the assets within the local limits. Amount: S × n − income
//     (difference method) or a per-person amount by tier (分档), never below the local minimum.
//   - 低保边缘家庭 (household): not 低保, income < k × S × n, assets within the edge limits (a
//     household under S that fails only the 低保 asset test can still be an edge household).
//     No monthly cash; a severely disabled (grade 1–2, or grade 3 intellectual/mental) or
//     seriously ill member may be covered by 低保 alone (单人保).
//   - 特困 (person): unable to work (60 or older on the date, the birthday itself counting;
//     under 16; intellectual or mental disability grade 1–3, physical grade 1–2, visual grade 1),
//     own income < S with the household's assets within limits, and no legal supporter or every
//     supporter unable to support — supporters living elsewhere as declared, and the members of
//     the household who owe support (spouse, parents of a minor or dependent adult, adult
//     children; supporters.go). Amount: the local basic standard (ratio × S) plus the care
//     allowance of the self-care tier (six daily activities: none failed → 全自理, 1–3 → 半护理,
//     4 or more → 全护理). Orphans under 18 are covered by 孤儿保障 instead.
//   - 因病致贫重病患者 (household): none of the above, a seriously ill member, 12-month out-of-pocket
//     medical spending at least a local share of 12-month income, and income < a local multiple
//     of S × n.
//   - 临时救助: 急难型 for a sudden accident, serious illness or disaster (months of S per person by
//     severity); 支出型 when essential spending exceeds what the household can spare above S and
//     its per-capita income is below last year's local per-capita disposable income. Above the
//     local cap the case is decided one by one (一事一议).
//
// Categories that exclude each other (model.Exclusions) are never both eligible: 特困 comes
// first, then 低保 (not beside a 特困 member), the edge household (not 低保, no 特困 member),
// 单人保 (not for a 特困 member) and 因病致贫 (none of the others).
//
// Nothing else is a condition: an able-bodied member, for instance, does not disqualify.
package eligibility

import (
	"fmt"
	"time"

	"palmaid/model"
)

// Facts are what a household tells about itself (or what the investigation found).
type Facts struct {
	Residence  string          `json:"residence"` // urban | rural: which standard applies
	Members    []MemberFacts   `json:"members"`
	Income     []IncomeFacts   `json:"income"`
	Assets     AssetFacts      `json:"assets"`
	Supporters []SupporterFact `json:"supporters"`
	// MedicalOutOfPocket12mCents is what the household paid itself for medical care in the past
	// 12 months (after insurance).
	MedicalOutOfPocket12mCents int64 `json:"medicalOutOfPocket12mCents"`
	// Emergency is a sudden event (急难型): accident, serious_illness, disaster or "" for none;
	// EmergencySeverity 1 (least) to 5 picks the local tier.
	Emergency         string `json:"emergency"`
	EmergencySeverity int    `json:"emergencySeverity"`
	// EssentialSpendingCents is sudden essential spending (medical, education) the household
	// faces now (支出型).
	EssentialSpendingCents int64 `json:"essentialSpendingCents"`
}

// MemberFacts is one member of the household (共同生活的家庭成员).
type MemberFacts struct {
	Relation        model.Relation `json:"relation"`
	BirthDate       string         `json:"birthDate"`       // YYYY-MM-DD (from the ID number where known)
	DisabilityKind  string         `json:"disabilityKind"`  // physical, visual, hearing, speech, intellectual, mental, multiple, "" none
	DisabilityGrade int            `json:"disabilityGrade"` // 1–4, 0 none
	Health          string         `json:"health"`          // healthy, chronic, serious, "" unknown
	WorkAbility     string         `json:"workAbility"`     // full, partial, none, "" unknown
	InEducation     bool           `json:"inEducation"`     // full-time student: recorded for the investigation, changes no result
	SelfCareFailed  int            `json:"selfCareFailed"`  // how many of the six daily activities the person cannot do
	Orphan          bool           `json:"orphan"`          // meets the orphan criteria
}

// IncomeFacts is one monthly income (or deduction) line of a member, in fen.
type IncomeFacts struct {
	Member       int    `json:"member"` // index into Members
	Kind         string `json:"kind"`
	MonthlyCents int64  `json:"monthlyCents"`
}

// Income kinds: counted, paid out, not income, and deductions.
const (
	IncWage            = "wage"
	IncBusiness        = "business"
	IncProperty        = "property"
	IncPension         = "pension"
	IncTransferIn      = "transfer_in"
	IncOther           = "other"
	IncTransferOut     = "transfer_out"
	IncAssistance      = "assistance"   // social-assistance money: not income
	IncSpecialCare     = "special_care" // 优抚: not income
	IncAward           = "award"        // awards, scholarships: not income
	IncBasicPension    = "basic_pension"
	DedEmployment      = "employment_cost"
	DedSocialInsurance = "social_insurance"
	DedIncomeTax       = "income_tax"
	DedMedical         = "medical_spending"
	DedEducation       = "education_spending"
)

var incomeKinds = map[string]string{
	IncWage: "工资", IncBusiness: "经营净收入", IncProperty: "财产收入", IncPension: "养老金（城乡居民基础养老金除外）",
	IncTransferIn: "转移性收入（赡养费、赔偿等）", IncOther: "其他收入", IncTransferOut: "支付的赡养费、抚养费等",
	IncAssistance: "社会救助金", IncSpecialCare: "优抚金", IncAward: "奖励、助学金", IncBasicPension: "城乡居民基础养老金",
	DedEmployment: "就业成本", DedSocialInsurance: "个人缴纳的社会保险费", DedIncomeTax: "个人所得税",
	DedMedical: "重病、残疾的刚性医疗支出", DedEducation: "刚性教育支出",
}

// AssetFacts are the household's assets.
type AssetFacts struct {
	DepositCents    int64 `json:"depositCents"`
	SecuritiesCents int64 `json:"securitiesCents"`
	Vehicles        int   `json:"vehicles"`   // motor vehicles, mobility aids for the disabled not counted
	Housing         int   `json:"housing"`    // dwellings owned
	Businesses      int   `json:"businesses"` // company registrations of members
}

// SupporterFact is a legal supporter living elsewhere (matters for 特困 only).
type SupporterFact struct {
	ForMember int    `json:"forMember"` // index into Members
	Relation  string `json:"relation"`  // free text, e.g. 子女
	Ability   string `json:"ability"`   // able, unable_tekun, unable_dibao_60, unable_70_low_income, unable_disabled, missing, imprisoned, "" unknown
}

var supporterAbility = map[string]string{
	"able": "有赡养（抚养、扶养）能力", "unable_tekun": "本人是特困人员", "unable_dibao_60": "享受低保且年满60周岁",
	"unable_70_low_income": "年满70周岁且收入较低", "unable_disabled": "重度残疾", "missing": "下落不明", "imprisoned": "正在服刑",
	"": "情况不明",
}

// Limits of the input (a household, not a data set).
const (
	MaxMembers    = 20
	MaxIncome     = 100
	MaxSupporters = 40
	maxAmount     = 100_000_000_00 // one hundred million yuan in fen
	maxCount      = 100
)

var errInvalidFacts = model.E(model.KindUnprocessable, "eligibility.invalid_facts", "填写的家庭情况有误，请按提示修改")

// Validate checks the facts on a date and returns one 422 error naming every bad field, or nil.
func (f *Facts) Validate(on time.Time) error {
	fields := map[string]string{}
	bad := func(path, hint string) {
		if len(fields) < 50 {
			fields[path] = hint
		}
	}
	if f.Residence != "urban" && f.Residence != "rural" {
		bad("residence", "请选择城镇（urban）或农村（rural）")
	}
	if len(f.Members) == 0 || len(f.Members) > MaxMembers {
		bad("members", fmt.Sprintf("家庭成员为1至%d人", MaxMembers))
	}
	for i, m := range f.Members {
		if i >= MaxMembers {
			break
		}
		p := fmt.Sprintf("members[%d].", i)
		if !m.Relation.Valid() {
			bad(p+"relation", "与申请人的关系不正确")
		}
		if b, err := time.Parse(time.DateOnly, m.BirthDate); err != nil || b.Year() < 1900 || b.After(on) {
			bad(p+"birthDate", "出生日期格式为YYYY-MM-DD，且不晚于今天")
		}
		if !model.DisabilityKind(m.DisabilityKind).Valid() {
			bad(p+"disabilityKind", "残疾类别不正确")
		}
		if m.DisabilityGrade < 0 || m.DisabilityGrade > 4 || (m.DisabilityGrade == 0) != (m.DisabilityKind == "") {
			bad(p+"disabilityGrade", "残疾等级为1至4级，并与残疾类别一同填写")
		}
		if m.Health != "" && m.Health != "healthy" && m.Health != "chronic" && m.Health != "serious" {
			bad(p+"health", "健康状况不正确")
		}
		if m.WorkAbility != "" && m.WorkAbility != "full" && m.WorkAbility != "partial" && m.WorkAbility != "none" {
			bad(p+"workAbility", "劳动能力不正确")
		}
		if m.SelfCareFailed < 0 || m.SelfCareFailed > 6 {
			bad(p+"selfCareFailed", "不能自理的日常活动为0至6项")
		}
	}
	if len(f.Income) > MaxIncome {
		bad("income", fmt.Sprintf("收入项目最多%d项", MaxIncome))
	}
	for i, in := range f.Income {
		if i >= MaxIncome {
			break
		}
		p := fmt.Sprintf("income[%d].", i)
		if in.Member < 0 || in.Member >= len(f.Members) {
			bad(p+"member", "不是所列的家庭成员")
		}
		if _, ok := incomeKinds[in.Kind]; !ok {
			bad(p+"kind", "收入类别不正确")
		}
		if in.MonthlyCents < 0 || in.MonthlyCents > maxAmount {
			bad(p+"monthlyCents", "金额不正确")
		}
	}
	a := f.Assets
	for _, c := range []struct {
		path string
		v    int64
		max  int64
	}{
		{"assets.depositCents", a.DepositCents, maxAmount}, {"assets.securitiesCents", a.SecuritiesCents, maxAmount},
		{"assets.vehicles", int64(a.Vehicles), maxCount}, {"assets.housing", int64(a.Housing), maxCount},
		{"assets.businesses", int64(a.Businesses), maxCount},
		{"medicalOutOfPocket12mCents", f.MedicalOutOfPocket12mCents, maxAmount},
		{"essentialSpendingCents", f.EssentialSpendingCents, maxAmount},
	} {
		if c.v < 0 || c.v > c.max {
			bad(c.path, "数值不正确")
		}
	}
	if len(f.Supporters) > MaxSupporters {
		bad("supporters", fmt.Sprintf("赡养（抚养、扶养）人最多%d人", MaxSupporters))
	}
	for i, s := range f.Supporters {
		if i >= MaxSupporters {
			break
		}
		p := fmt.Sprintf("supporters[%d].", i)
		if s.ForMember < 0 || s.ForMember >= len(f.Members) {
			bad(p+"forMember", "不是所列的家庭成员")
		}
		if _, ok := supporterAbility[s.Ability]; !ok {
			bad(p+"ability", "赡养能力情况不正确")
		}
		if len([]rune(s.Relation)) > 16 {
			bad(p+"relation", "关系最多16个字")
		}
	}
	switch f.Emergency {
	case "":
		if f.EmergencySeverity != 0 {
			bad("emergencySeverity", "没有突发事件时不填")
		}
	case string(model.EmergencyAccident), string(model.EmergencySeriousIllness), string(model.EmergencyDisaster):
		if f.EmergencySeverity < 1 || f.EmergencySeverity > 5 {
			bad("emergencySeverity", "严重程度为1至5")
		}
	default:
		bad("emergency", "突发事件类别为 accident、serious_illness、disaster 之一")
	}
	if len(fields) == 0 {
		return nil
	}
	e := *errInvalidFacts
	e.Fields = fields
	return &e
}
