package model

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// SettingType is how a regional setting's value is written, stored and checked.
type SettingType string

const (
	TypeInteger SettingType = "integer" // a whole number in [Min, Max] (days, months, counts, percent)
	TypeCents   SettingType = "cents"   // an amount in fen in [Min, Max]
	TypeRatio   SettingType = "ratio"   // a decimal with at most three decimals ("1.5"); Min and Max in thousandths
	TypeBool    SettingType = "boolean" // true or false
	TypeEnum    SettingType = "enum"    // one of Options
	TypeTiers   SettingType = "tiers"   // 分档: ceilings and amounts in ‰ of S ("300:1000,1000:400"; "" none)
	TypeMonths  SettingType = "months"  // months of S by severity, 1–5 entries of 0–24 not falling ("1,2,3")
	TypeColumns SettingType = "columns" // a file's columns in order, each one of Options once ("序号,账号")
)

// SettingSpec declares one regional setting: its key, type, allowed range, national default
// (or an example where the national rules leave the number to the region) and Chinese label.
// Settings() is the one list: PolicyFrom, the administrators' API, its validation and
// docs/POLICY.md all read it.
type SettingSpec struct {
	Key      SettingKey
	Type     SettingType
	Min, Max int64    // integer, cents; ratio in thousandths
	Options  []string // enum
	Default  string   // stored form
	Label    string
	Unit     string // 工作日, 日, 分/人/月…, shown beside the label
	Group    string // the section of the policy it belongs to
}

// Groups of settings, in the order the policy is shown.
const (
	GroupMinimumLiving = "低保"
	GroupEdge          = "低保边缘家庭"
	GroupIncome        = "收入核算"
	GroupExtreme       = "特困供养"
	GroupTemporary     = "临时救助"
	GroupIllness       = "因病致贫重病患者"
	GroupDecider       = "审批权限"
	GroupClock         = "办理时限"
	GroupProcedure     = "程序"
)

var deciders = []string{DeciderCounty, DeciderTown}

// Settings lists every regional setting, in display order. A fresh slice each call.
func Settings() []SettingSpec {
	intg := func(k SettingKey, group, label, unit string, lo, hi int64, def string) SettingSpec {
		return SettingSpec{Key: k, Type: TypeInteger, Min: lo, Max: hi, Default: def, Label: label, Unit: unit, Group: group}
	}
	cents := func(k SettingKey, group, label, unit, def string) SettingSpec {
		return SettingSpec{Key: k, Type: TypeCents, Min: 0, Max: maxCents, Default: def, Label: label, Unit: unit, Group: group}
	}
	ratio := func(k SettingKey, group, label string, lo, hi int64, def string) SettingSpec {
		return SettingSpec{Key: k, Type: TypeRatio, Min: lo, Max: hi, Default: def, Label: label, Group: group}
	}
	flag := func(k SettingKey, group, label, def string) SettingSpec {
		return SettingSpec{Key: k, Type: TypeBool, Default: def, Label: label, Group: group}
	}
	decider := func(k SettingKey, label, def string) SettingSpec {
		return SettingSpec{Key: k, Type: TypeEnum, Options: deciders, Default: def, Label: label, Group: GroupDecider}
	}
	clock := func(k SettingKey, label, unit string, hi int64, def string) SettingSpec {
		return intg(k, GroupClock, label, unit, 1, hi, def)
	}
	const wd, perMonth = "工作日", "分/人/月"
	return append([]SettingSpec{
		cents(SetStandardCents, GroupMinimumLiving, "低保标准（城市，或城乡统一标准）S；0 为未设置", perMonth, "0"),
		cents(SetStandardRuralCents, GroupMinimumLiving, "农村低保标准；0 为城乡统一", perMonth, "0"),
		{Key: SetAmountMethod, Type: TypeEnum, Options: []string{AmountDifference, AmountTiers}, Default: AmountDifference,
			Label: "低保金计算方式：补差（difference）或分档（tiers）", Group: GroupMinimumLiving},
		{Key: SetAmountTiers, Type: TypeTiers, Default: "", Group: GroupMinimumLiving,
			Label: "分档：人均收入低于 S 的千分之 ceilPermille 时，每人发 S 的千分之 amountPermille（上限递增、最后一档为 1000，金额不增）"},
		cents(SetMinAmountCents, GroupMinimumLiving, "低保金最低发放额（每户）", "分/月", "0"),
		intg(SetDepositMonths, GroupMinimumLiving, "存款和有价证券上限：S × 月数 × 家庭人数", "月", 0, 240, "24"),
		intg(SetVehiclesMax, GroupMinimumLiving, "允许的机动车数（残疾人代步车不计）", "辆", 0, 10, "0"),
		intg(SetHousingMax, GroupMinimumLiving, "允许的住房套数", "套", 0, 10, "1"),
		intg(SetBusinessMax, GroupMinimumLiving, "允许的工商登记数", "个", 0, 10, "0"),
		ratio(SetEdgeMultiplier, GroupEdge, "低保边缘倍数 k：人均收入低于 k × S", 1000, 3000, "1.5"),
		intg(SetEdgeDepositMonths, GroupEdge, "低保边缘家庭存款上限：S × 月数 × 家庭人数", "月", 0, 240, "36"),
		intg(SetEdgeVehiclesMax, GroupEdge, "低保边缘家庭允许的机动车数", "辆", 0, 10, "1"),
		flag(SetDeductEmployment, GroupIncome, "扣减就业成本", "true"),
		flag(SetDeductSocialInsurance, GroupIncome, "扣减个人缴纳的社会保险费", "true"),
		flag(SetDeductIncomeTax, GroupIncome, "扣减个人所得税", "true"),
		flag(SetDeductMedical, GroupIncome, "扣减重病、残疾的刚性医疗支出", "true"),
		flag(SetDeductEducation, GroupIncome, "扣减刚性教育支出", "false"),
		ratio(SetExtremeBasicRatio, GroupExtreme, "特困基本生活标准：S 的倍数", 1000, 3000, "1.3"),
		cents(SetCareSelfCents, GroupExtreme, "照料护理标准：全自理", perMonth, "0"),
		cents(SetCarePartialCents, GroupExtreme, "照料护理标准：半护理", perMonth, "0"),
		cents(SetCareFullCents, GroupExtreme, "照料护理标准：全护理", perMonth, "0"),
		intg(SetSpotCheckPercent, GroupExtreme, "县级抽查特困认定的比例", "%", 0, 100, "30"),
		{Key: SetTemporaryTiers, Type: TypeMonths, Default: "1,2,3", Group: GroupTemporary,
			Label: "急难型临时救助：按困难程度每人发 S 的月数（1–5 档，每档 0–24，不递减）"},
		intg(SetUrgentCapMonths, GroupTemporary, "乡镇审批上限：S × 月数 × 家庭人数（以上由县级审批）", "月", 0, 24, "3"),
		intg(SetTemporaryCapMonths, GroupTemporary, "临时救助上限：S × 月数 × 家庭人数（以上一事一议）", "月", 1, 120, "10"),
		cents(SetDisposableIncome, GroupTemporary, "上年当地居民人均可支配收入（支出型；0 为未设置）", "分/人/年", "0"),
		flag(SetUrgentSkipsNotice, GroupTemporary, "急难型临时救助免于公示", "true"),
		ratio(SetIllnessMultiplier, GroupIllness, "因病致贫：人均收入低于 S 的倍数", 1000, 5000, "2"),
		intg(SetIllnessSpendingPct, GroupIllness, "因病致贫：12个月自付医疗费用不低于同期收入的百分比", "%", 0, 100, "50"),
		decider(SetDeciderMinLiving, "低保由谁审批：县级（county）或乡镇（town）", DeciderCounty),
		decider(SetDeciderExtreme, "特困由谁审批", DeciderCounty),
		decider(SetDeciderTemporary, "临时救助由谁审批（超过乡镇上限时县级）", DeciderTown),
		decider(SetDeciderEdge, "低保边缘家庭由谁认定", DeciderCounty),
		decider(SetDeciderIllness, "因病致贫重病患者由谁认定", DeciderCounty),
		clock(SetAcceptanceWD, "受理或退回", wd, 30, "3"),
		clock(SetInvestigationWD, "受理后开始入户调查", wd, 30, "3"),
		clock(SetDataCheckWD, "提出后开始经济状况核对", wd, 30, "3"),
		clock(SetExtremePrelimWD, "特困：受理后初审", wd, 60, "15"),
		clock(SetNoticeDays, "公示期", "日", 30, "7"),
		clock(SetDecisionWD, "低保：乡镇报送后审批", wd, 60, "10"),
		clock(SetExtremeDecisionWD, "特困：审批", wd, 60, "15"),
		clock(SetRefusalNoticeWD, "书面告知不予批准", wd, 30, "3"),
		clock(SetOverallWD, "低保：受理至审批总时限", wd, 90, "30"),
		clock(SetOverallSpecialWD, "特殊情况总时限", wd, 120, "45"),
		clock(SetOverallTownWD, "乡镇审批时的总时限", wd, 90, "20"),
		clock(SetBackfillWD, "先行救助后补齐手续", wd, 60, "10"),
		flag(SetDemocraticEval, GroupProcedure, "公示有异议且查实后开展民主评议", "false"),
		flag(SetCloseRelativeVisit, GroupProcedure, "近亲属备案的申请须县级入户核查", "true"),
		intg(SetPaymentDay, GroupProcedure, "每月发放日", "日", 1, 28, "10"),
		{Key: SetExportColumns, Type: TypeColumns, Options: ExportColumnNames, Default: strings.Join(ExportColumnNames, ","), Group: GroupProcedure,
			Label: "发放文件（导出、回盘导入）的列及顺序；须含“序号”和“反馈状态”"},
		intg(SetTownConfirmWD, GroupProcedure, "乡镇核对花名册截止：发放日前（逾期视为已核对）", "工作日", 0, 15, "3"),
	}, reviewSettings()...)
}

// SettingByKey finds a setting's declaration.
func SettingByKey(k SettingKey) (SettingSpec, bool) {
	for _, s := range Settings() {
		if s.Key == k {
			return s, true
		}
	}
	return SettingSpec{}, false
}

// SettingDefaults are the national defaults, or examples where the national rules leave the
// number to the region; a region's row overrides them.
func SettingDefaults() map[SettingKey]string {
	out := map[SettingKey]string{}
	for _, s := range Settings() {
		out[s.Key] = s.Default
	}
	return out
}

// Valid reports whether raw (the stored form, spaces trimmed) is an acceptable value.
func (s SettingSpec) Valid(raw string) bool {
	raw = strings.TrimSpace(raw)
	switch s.Type {
	case TypeInteger, TypeCents:
		n, err := strconv.ParseInt(raw, 10, 64)
		return err == nil && n >= s.Min && n <= s.Max
	case TypeRatio:
		n, ok := ParsePermille(raw)
		return ok && n >= s.Min && n <= s.Max
	case TypeBool:
		_, err := strconv.ParseBool(raw)
		return err == nil
	case TypeEnum:
		for _, o := range s.Options {
			if raw == o {
				return true
			}
		}
		return false
	case TypeTiers:
		if raw == "" {
			return true
		}
		_, ok := ParseAmountTiers(raw)
		return ok
	case TypeMonths:
		_, ok := parseMonthsList(raw)
		return ok
	case TypeColumns:
		return validColumns(raw, s.Options)
	}
	return false
}

// ExportColumnNames are the columns a roster's bank file may have (the CAMS ledger's, with the
// line number, the month and a note); the default layout is all of them in this order.
var ExportColumnNames = []string{"序号", "发放月份", "救助类别", "保障人口数", "救助金额", "分类救助金额", "发放合计", "开户银行", "账户名称", "账号", "反馈状态", "备注"}

// ParseColumns splits a stored column list ("序号,账号"); nil for "".
func ParseColumns(raw string) []string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil
	}
	out := strings.Split(raw, ",")
	for i := range out {
		out[i] = strings.TrimSpace(out[i])
	}
	return out
}

// validColumns: each column one of options, once, 序号 and 反馈状态 among them (the feedback
// import finds a line by its 序号 and reads its 反馈状态).
func validColumns(raw string, options []string) bool {
	cols := ParseColumns(raw)
	seen := map[string]bool{}
	for _, c := range cols {
		if seen[c] || !slices.Contains(options, c) {
			return false
		}
		seen[c] = true
	}
	return seen["序号"] && seen["反馈状态"]
}

// Range describes the allowed values in Chinese (for the docs and validation messages).
func (s SettingSpec) Range() string {
	switch s.Type {
	case TypeInteger, TypeCents:
		return fmt.Sprintf("%d–%d", s.Min, s.Max)
	case TypeRatio:
		return FormatPermille(s.Min) + "–" + FormatPermille(s.Max) + "，最多三位小数"
	case TypeBool:
		return "true 或 false"
	case TypeEnum:
		return strings.Join(s.Options, " 或 ")
	case TypeTiers:
		return "最多10档，上限递增且最后一档为 1000，金额 0–10000 且不递增；空为不分档"
	case TypeMonths:
		return "1–5 个整数，每个 0–24，不递减"
	case TypeColumns:
		return "列名数组，每列至多一次，须含“序号”和“反馈状态”；可选：" + strings.Join(s.Options, "、")
	}
	return ""
}

// FormatPermille writes thousandths as a decimal (1500 → "1.5").
func FormatPermille(n int64) string {
	s := strconv.FormatInt(n/1000, 10)
	if f := n % 1000; f != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%03d", f), "0")
	}
	return s
}

// FormatAmountTiers writes tiers in their stored form ("300:1000,1000:400").
func FormatAmountTiers(tiers []AmountTier) string {
	parts := make([]string, len(tiers))
	for i, t := range tiers {
		parts[i] = fmt.Sprintf("%d:%d", t.CeilPermille, t.AmountPermille)
	}
	return strings.Join(parts, ",")
}

// FormatMonths writes a months list in its stored form ("1,2,3").
func FormatMonths(months []int) string {
	parts := make([]string, len(months))
	for i, m := range months {
		parts[i] = strconv.Itoa(m)
	}
	return strings.Join(parts, ",")
}

// ParseMonths reads a months list ("1,2,3").
func ParseMonths(s string) ([]int, bool) { return parseMonthsList(s) }
