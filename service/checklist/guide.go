package checklist

import (
	"context"
	"fmt"
	"strings"

	"palmaid/model"
)

// Guide is the policy guide of a village (no login): the five categories and their conditions
// in plain Chinese, with the numbers of the region's settings in force today.
type Guide struct {
	AreaName   string
	Date       string
	Categories []GuideCategory
	Figures    GuideFigures
	Clocks     GuideClocks
}

// GuideCategory is one category as a resident reads it.
type GuideCategory struct {
	Category   model.Category `json:"category"`
	Label      string         `json:"label"`
	Unit       string         `json:"unit"`       // 按户 | 按人
	Conditions []string       `json:"conditions"` // each a plain sentence with the local numbers
	Support    string         `json:"support"`    // what it gives
	Decider    string         `json:"decider"`    // who decides here (县级民政部门 | 乡镇（街道）)
}

// GuideFigures are the region's standards (amounts in fen per month unless named otherwise).
type GuideFigures struct {
	UrbanStandardCents      int64  `json:"urbanStandardCents"`      // 低保标准, urban (0: not set for this region)
	RuralStandardCents      int64  `json:"ruralStandardCents"`      // 低保标准, rural (equal to urban where one standard applies)
	EdgeMultiplier          string `json:"edgeMultiplier"`          // k: edge households below k × 低保标准
	ExtremeBasicUrbanCents  int64  `json:"extremeBasicUrbanCents"`  // 特困 basic standard, urban
	ExtremeBasicRuralCents  int64  `json:"extremeBasicRuralCents"`  // 特困 basic standard, rural
	CareSelfCents           int64  `json:"careSelfCents"`           // 特困 care allowance 全自理
	CarePartialCents        int64  `json:"carePartialCents"`        // 半护理
	CareFullCents           int64  `json:"careFullCents"`           // 全护理
	DepositMonths           int    `json:"depositMonths"`           // 低保: deposits per member ≤ months × 低保标准
	EdgeDepositMonths       int    `json:"edgeDepositMonths"`       // the same for edge households
	TemporaryTierMonths     []int  `json:"temporaryTierMonths"`     // 临时救助: months of 低保标准 per person by severity
	TemporaryCapMonths      int    `json:"temporaryCapMonths"`      // above months × 低保标准 × household size: 一事一议
	TownCapMonths           int    `json:"townCapMonths"`           // the town may grant urgent aid up to months × 低保标准 × household size
	DisposableIncomeCents   int64  `json:"disposableIncomeCents"`   // last year's local per-capita disposable income (annual)
	IllnessSpendingPercent  int    `json:"illnessSpendingPercent"`  // 因病致贫: out-of-pocket medical spending ≥ percent of income
	IllnessIncomeMultiplier string `json:"illnessIncomeMultiplier"` // 因病致贫: income below multiplier × 低保标准
	PaymentDay              int    `json:"paymentDay"`              // monthly payment day
}

// GuideClocks are the time limits the resident can expect.
type GuideClocks struct {
	AcceptanceWorkingDays      int `json:"acceptanceWorkingDays"`      // accepted or told what is missing (once)
	InvestigationWorkingDays   int `json:"investigationWorkingDays"`   // investigation starts after acceptance
	NoticeDays                 int `json:"noticeDays"`                 // public notice, calendar days
	DecisionWorkingDays        int `json:"decisionWorkingDays"`        // 低保 decision after the town's file
	ExtremeDecisionWorkingDays int `json:"extremeDecisionWorkingDays"` // 特困 decision
	OverallWorkingDays         int `json:"overallWorkingDays"`         // 低保 from acceptance to decision
	OverallSpecialWorkingDays  int `json:"overallSpecialWorkingDays"`  // with a special reason
}

var deciderLabels = map[string]string{model.DeciderCounty: "县级民政部门", model.DeciderTown: "乡镇人民政府（街道办事处）"}

// Guide builds the policy guide of a village under the settings in force today.
func (s *Service) Guide(ctx context.Context, villageCode string) (*Guide, error) {
	code, area, err := s.village(ctx, villageCode)
	if err != nil {
		return nil, err
	}
	date := s.today()
	p, err := s.st.RegionPolicy(ctx, code, date)
	if err != nil {
		return nil, err
	}
	el := p.Eligibility
	urban, rural := p.Standard(false), p.Standard(true)
	f := GuideFigures{UrbanStandardCents: urban, RuralStandardCents: rural, EdgeMultiplier: ratio(el.EdgeMultiplierPermille),
		ExtremeBasicUrbanCents: permille(urban, el.ExtremeBasicPermille), ExtremeBasicRuralCents: permille(rural, el.ExtremeBasicPermille),
		CareSelfCents: el.CareSelfCents, CarePartialCents: el.CarePartialCents, CareFullCents: el.CareFullCents,
		DepositMonths: el.DepositMonths, EdgeDepositMonths: el.EdgeDepositMonths,
		TemporaryTierMonths: el.TemporaryTierMonths, TemporaryCapMonths: el.TemporaryCapMonths, TownCapMonths: p.UrgentCapMonths,
		DisposableIncomeCents: el.DisposableIncomeAnnualCents, IllnessSpendingPercent: el.IllnessSpendingPercent,
		IllnessIncomeMultiplier: ratio(el.IllnessMultiplierPermille), PaymentDay: el.PaymentDay}
	clocks := GuideClocks{AcceptanceWorkingDays: p.AcceptanceWD, InvestigationWorkingDays: p.InvestigationWD, NoticeDays: p.NoticeDays,
		DecisionWorkingDays: p.DecisionWD, ExtremeDecisionWorkingDays: p.ExtremeDecisionWD, OverallWorkingDays: p.OverallWD,
		OverallSpecialWorkingDays: p.OverallSpecialWD}
	return &Guide{AreaName: area.Name, Date: date, Categories: guideCategories(p, f), Figures: f, Clocks: clocks}, nil
}

func standardText(f GuideFigures) string {
	switch {
	case f.UrbanStandardCents == 0:
		return "当地低保标准（本地区尚未在系统中公布，请向乡镇（街道）咨询）"
	case f.UrbanStandardCents == f.RuralStandardCents:
		return fmt.Sprintf("当地低保标准（每人每月%s）", yuan(f.UrbanStandardCents))
	}
	return fmt.Sprintf("当地低保标准（城镇每人每月%s，农村每人每月%s）", yuan(f.UrbanStandardCents), yuan(f.RuralStandardCents))
}

func guideCategories(p model.Policy, f GuideFigures) []GuideCategory {
	el := p.Eligibility
	std := standardText(f)
	cats := []GuideCategory{
		{Category: model.CatMinimumLiving, Unit: "按户", Conditions: []string{
			"共同生活的家庭成员人均月收入低于" + std,
			fmt.Sprintf("家庭存款和有价证券人均不超过%d个月的低保标准", el.DepositMonths),
			fmt.Sprintf("住房不超过%d套，机动车不超过%d辆（残疾人功能性补偿代步车不计）", el.HousingMax, el.VehiclesMax),
		}, Support: fmt.Sprintf("按月发放：低保标准×家庭人数−家庭月收入，自批准的次月起，每月%d日前发放", el.PaymentDay)},
		{Category: model.CatExtremeHardship, Unit: "按人", Conditions: []string{
			"无劳动能力：年满60周岁、未满16周岁，或智力、精神残疾1至3级、肢体残疾1至2级、视力残疾1级",
			"无生活来源：本人收入低于" + std + "，家庭财产符合当地规定",
			"无法定赡养（抚养、扶养）义务人，或义务人无赡养能力",
		}, Support: fmt.Sprintf("基本生活费每人每月城镇%s、农村%s，另按生活自理能力发放照料护理补贴（全自理%s、半护理%s、全护理%s）",
			yuan(f.ExtremeBasicUrbanCents), yuan(f.ExtremeBasicRuralCents), yuan(f.CareSelfCents), yuan(f.CarePartialCents), yuan(f.CareFullCents))},
		{Category: model.CatTemporaryAid, Unit: "按户或按人", Conditions: []string{
			"急难型：遭遇意外事故、突发重病、自然灾害等，基本生活暂时出现严重困难，可在事发地申请，乡镇（街道）可先行救助",
			"支出型：医疗、教育等必需支出突然增加超出承受能力，且家庭人均收入低于上年度当地居民人均可支配收入" + disposable(f),
		}, Support: fmt.Sprintf("一次性救助，按困难程度每人%s个月低保标准；超过%d个月的一事一议", months(f.TemporaryTierMonths), f.TemporaryCapMonths)},
		{Category: model.CatEdgeHousehold, Unit: "按户", Conditions: []string{
			"不符合低保条件，家庭人均月收入低于低保标准的" + f.EdgeMultiplier + "倍",
			fmt.Sprintf("家庭存款和有价证券人均不超过%d个月的低保标准", el.EdgeDepositMonths),
		}, Support: "可获得医疗、教育、住房、就业等专项救助；重度残疾人、重病患者可单独纳入低保（单人保）"},
		{Category: model.CatIllnessPoverty, Unit: "按户", Conditions: []string{
			"不属于低保、特困、低保边缘家庭，家中有重病患者",
			fmt.Sprintf("近12个月自付医疗费用达到家庭收入的%d%%，且家庭人均收入低于低保标准的%s倍", f.IllnessSpendingPercent, f.IllnessIncomeMultiplier),
		}, Support: "医疗救助（由医保部门支付）"},
	}
	for i := range cats {
		cats[i].Label = cats[i].Category.Label()
		cats[i].Decider = deciderLabels[p.Decider[cats[i].Category]]
	}
	return cats
}

func disposable(f GuideFigures) string {
	if f.DisposableIncomeCents == 0 {
		return ""
	}
	return "（" + yuan(f.DisposableIncomeCents) + "/年）"
}

func months(m []int) string {
	parts := make([]string, len(m))
	for i, x := range m {
		parts[i] = fmt.Sprint(x)
	}
	return strings.Join(parts, "、")
}

func permille(v, p int64) int64 { return (v*p + 500) / 1000 }

func yuan(c int64) string { return fmt.Sprintf("%d.%02d元", c/100, c%100) }

func ratio(p int64) string {
	s := fmt.Sprintf("%d.%03d", p/1000, p%1000)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}
