package eligibility

import (
	"fmt"
	"time"

	"palmaid/model"
)

// Status is the classification of one category.
type Status string

const (
	Eligible    Status = "eligible"
	NotEligible Status = "not_eligible"
	NeedsReview Status = "needs_review" // the facts or the region's figures do not settle it
)

// Outcome of one rule.
const (
	Pass   = "pass"
	Fail   = "fail"
	Review = "review"
)

// Check is one rule applied: its outcome, a plain-Chinese line for the resident, the exact
// figures for staff, and the numbers themselves (fen, counts, ‰).
type Check struct {
	Rule     string           `json:"rule"`
	Outcome  string           `json:"outcome"`
	Resident string           `json:"resident"`
	Staff    string           `json:"staff"`
	Figures  map[string]int64 `json:"figures,omitempty"`
}

// Result is the classification for one category (and one person where the unit is a person).
type Result struct {
	Category model.Category `json:"category"`
	Member   *int           `json:"member,omitempty"` // index into Facts.Members for a person result
	Status   Status         `json:"status"`
	// AmountCents is monthly for 低保 and 特困, one-off for 临时救助, zero where no cash applies.
	AmountCents int64   `json:"amountCents"`
	Period      string  `json:"period"` // monthly | once | none
	CareTier    string  `json:"careTier,omitempty"`
	Checks      []Check `json:"checks"`
}

// Income is the household income worked out from the facts (monthly, fen).
type Income struct {
	CountedCents    int64 `json:"countedCents"`    // counted income
	PaidOutCents    int64 `json:"paidOutCents"`    // transfers paid
	DeductionsCents int64 `json:"deductionsCents"` // allowed deductions taken
	ExcludedCents   int64 `json:"excludedCents"`   // money that is not income
	NetCents        int64 `json:"netCents"`        // counted − paid out − deductions, at least 0
}

// Report is the engine's answer for a household.
type Report struct {
	Date          string   `json:"date"`
	Size          int      `json:"size"`
	StandardCents int64    `json:"standardCents"`
	Income        Income   `json:"income"`
	MemberNet     []int64  `json:"memberNetCents"`
	MinimumLiving Result   `json:"minimumLiving"`
	Extreme       []Result `json:"extremeHardship"` // one per member
	Edge          Result   `json:"edgeHousehold"`
	SinglePerson  []Result `json:"singlePerson"` // 单人保: members of an edge household covered alone
	Illness       Result   `json:"illnessPoverty"`
	Temporary     Result   `json:"temporaryAid"`
}

// Evaluate classifies the household on date on under policy p. It validates the facts first
// (a 422 model error names every bad field) and never panics.
func Evaluate(f Facts, p model.Policy, on time.Time) (*Report, error) {
	if err := f.Validate(on); err != nil {
		return nil, err
	}
	e := &engine{f: f, p: p, el: p.Eligibility, on: on, n: int64(len(f.Members))}
	e.s = p.Standard(f.Residence == "rural")
	e.income()
	r := &Report{Date: on.Format(time.DateOnly), Size: len(f.Members), StandardCents: e.s, Income: e.inc, MemberNet: e.memberNet}
	for i := range f.Members {
		r.Extreme = append(r.Extreme, e.extreme(i))
	}
	r.MinimumLiving = e.excludeMinimumLiving(e.minimumLiving(), r.Extreme)
	r.Edge = e.edge(r.MinimumLiving, r.Extreme)
	r.SinglePerson = e.singlePerson(r.Edge, r.Extreme)
	r.Illness = e.illness(r)
	r.Temporary = e.temporary()
	return r, nil
}

type engine struct {
	f         Facts
	p         model.Policy
	el        model.EligibilityPolicy
	on        time.Time
	n         int64 // household size
	s         int64 // S
	inc       Income
	memberNet []int64
	lines     []Check // how income was counted
}

// income sums the household's and each member's net monthly income.
func (e *engine) income() {
	e.memberNet = make([]int64, len(e.f.Members))
	counted := make([]int64, len(e.f.Members))
	allowed := map[string]bool{
		DedEmployment: e.el.DeductEmployment, DedSocialInsurance: e.el.DeductSocialInsurance,
		DedIncomeTax: e.el.DeductIncomeTax, DedMedical: e.el.DeductMedical, DedEducation: e.el.DeductEducation,
	}
	for _, in := range e.f.Income {
		switch in.Kind {
		case IncWage, IncBusiness, IncProperty, IncPension, IncTransferIn, IncOther:
			e.inc.CountedCents += in.MonthlyCents
			counted[in.Member] += in.MonthlyCents
		case IncTransferOut:
			e.inc.PaidOutCents += in.MonthlyCents
			counted[in.Member] -= in.MonthlyCents
		case IncAssistance, IncSpecialCare, IncAward, IncBasicPension:
			e.inc.ExcludedCents += in.MonthlyCents
		default: // a deduction
			if allowed[in.Kind] {
				e.inc.DeductionsCents += in.MonthlyCents
				counted[in.Member] -= in.MonthlyCents
			}
		}
	}
	e.inc.NetCents = max(0, e.inc.CountedCents-e.inc.PaidOutCents-e.inc.DeductionsCents)
	for i, c := range counted {
		e.memberNet[i] = max(0, c)
	}
}

func (e *engine) incomeCheck() Check {
	return Check{Rule: "income.household", Outcome: Pass,
		Resident: fmt.Sprintf("家庭月收入按%s计算（已扣除允许扣除的支出，救助金、优抚金、奖助学金和城乡居民基础养老金不计入）", yuan(e.inc.NetCents)),
		Staff: fmt.Sprintf("计入收入 %s − 支付的赡养费等 %s − 允许扣除 %s = 家庭月收入 %s；不计入 %s；%d 人",
			yuan(e.inc.CountedCents), yuan(e.inc.PaidOutCents), yuan(e.inc.DeductionsCents), yuan(e.inc.NetCents), yuan(e.inc.ExcludedCents), e.n),
		Figures: map[string]int64{"counted": e.inc.CountedCents, "paidOut": e.inc.PaidOutCents, "deductions": e.inc.DeductionsCents,
			"excluded": e.inc.ExcludedCents, "net": e.inc.NetCents, "size": e.n}}
}

func (e *engine) standardMissing(cat model.Category) (Result, bool) {
	if e.s > 0 {
		return Result{}, false
	}
	return Result{Category: cat, Status: NeedsReview, Period: "none", Checks: []Check{{Rule: "policy.standard", Outcome: Review,
		Resident: "本地区尚未公布低保标准，暂时无法测算，请向村（社区）或乡镇（街道）咨询",
		Staff:    "地区设置 minimum_living.standard_monthly_cents 为 0"}}}, true
}

// assets applies the asset limits (edge: the edge household's limits).
func (e *engine) assets(edge bool) (Check, bool) {
	months, vehicles := e.el.DepositMonths, e.el.VehiclesMax
	rule, who := "assets.minimum_living", "低保"
	if edge {
		months, vehicles = e.el.EdgeDepositMonths, e.el.EdgeVehiclesMax
		rule, who = "assets.edge_household", "低保边缘家庭"
	}
	a := e.f.Assets
	money := a.DepositCents + a.SecuritiesCents
	limit := int64(months) * e.s * e.n
	var fails []string
	if money > limit {
		fails = append(fails, fmt.Sprintf("存款和有价证券合计%s，超过%s（每人%d个月低保标准）", yuan(money), yuan(limit), months))
	}
	if a.Vehicles > vehicles {
		fails = append(fails, fmt.Sprintf("有机动车%d辆，本地最多%d辆", a.Vehicles, vehicles))
	}
	if a.Housing > e.el.HousingMax {
		fails = append(fails, fmt.Sprintf("有住房%d套，本地最多%d套", a.Housing, e.el.HousingMax))
	}
	if a.Businesses > e.el.BusinessMax {
		fails = append(fails, fmt.Sprintf("有企业登记%d个，本地最多%d个", a.Businesses, e.el.BusinessMax))
	}
	c := Check{Rule: rule, Outcome: Pass,
		Resident: "家庭财产在" + who + "的本地限额以内",
		Staff: fmt.Sprintf("存款+有价证券 %s ≤ %d 月 × %s × %d 人 = %s；车辆 %d ≤ %d；住房 %d ≤ %d；企业 %d ≤ %d",
			yuan(money), months, yuan(e.s), e.n, yuan(limit), a.Vehicles, vehicles, a.Housing, e.el.HousingMax, a.Businesses, e.el.BusinessMax),
		Figures: map[string]int64{"money": money, "moneyLimit": limit, "vehicles": int64(a.Vehicles), "vehiclesMax": int64(vehicles),
			"housing": int64(a.Housing), "housingMax": int64(e.el.HousingMax), "businesses": int64(a.Businesses), "businessMax": int64(e.el.BusinessMax)}}
	if len(fails) > 0 {
		c.Outcome = Fail
		c.Resident = "家庭财产超过" + who + "的本地限额：" + join(fails)
		c.Staff = "不符合：" + c.Staff
		return c, false
	}
	return c, true
}

// minimumLiving is 低保: income < S × n and assets within limits; the amount by the local method.
func (e *engine) minimumLiving() Result {
	if r, ok := e.standardMissing(model.CatMinimumLiving); ok {
		return r
	}
	r := Result{Category: model.CatMinimumLiving, Status: Eligible, Period: "monthly", Checks: []Check{e.incomeCheck()}}
	line := e.s * e.n
	ic := Check{Rule: "income.below_standard", Outcome: Pass,
		Resident: fmt.Sprintf("家庭人均月收入低于本地低保标准%s", yuan(e.s)),
		Staff:    fmt.Sprintf("家庭月收入 %s < 低保标准 %s × %d 人 = %s", yuan(e.inc.NetCents), yuan(e.s), e.n, yuan(line)),
		Figures:  map[string]int64{"net": e.inc.NetCents, "standard": e.s, "size": e.n, "line": line}}
	if e.inc.NetCents >= line {
		ic.Outcome, r.Status = Fail, NotEligible
		ic.Resident = fmt.Sprintf("家庭人均月收入不低于本地低保标准%s", yuan(e.s))
		ic.Staff = fmt.Sprintf("家庭月收入 %s ≥ 低保标准 %s × %d 人 = %s", yuan(e.inc.NetCents), yuan(e.s), e.n, yuan(line))
	}
	r.Checks = append(r.Checks, ic)
	ac, ok := e.assets(false)
	r.Checks = append(r.Checks, ac)
	if !ok {
		r.Status = NotEligible
	}
	if r.Status != Eligible {
		r.Period = "none"
		return r
	}
	r.AmountCents, r.Checks = e.amount(r.Checks)
	return r
}

// amount is the monthly 低保 amount of an eligible household.
func (e *engine) amount(checks []Check) (int64, []Check) {
	var amt int64
	var c Check
	tier := -1
	if e.el.AmountMethod == model.AmountTiers {
		for i, t := range e.el.Tiers {
			if e.inc.NetCents*1000 < t.CeilPermille*e.s*e.n {
				tier = i
				break
			}
		}
	}
	if tier >= 0 {
		t := e.el.Tiers[tier]
		per := permille(e.s, t.AmountPermille)
		amt = per * e.n
		c = Check{Rule: "amount.tiers", Outcome: Pass,
			Resident: fmt.Sprintf("按分档发放：每人每月%s，全家每月%s", yuan(per), yuan(amt)),
			Staff: fmt.Sprintf("分档第%d档：家庭月收入 %s < %d‰ × %s × %d 人；每人 %d‰ × %s = %s，× %d 人 = %s",
				tier+1, yuan(e.inc.NetCents), t.CeilPermille, yuan(e.s), e.n, t.AmountPermille, yuan(e.s), yuan(per), e.n, yuan(amt)),
			Figures: map[string]int64{"tier": int64(tier + 1), "ceilPermille": t.CeilPermille, "amountPermille": t.AmountPermille, "perPerson": per, "amount": amt}}
	} else {
		// the difference method (the tiers always reach S, see model.ParseAmountTiers)
		line := e.s * e.n
		amt = line - e.inc.NetCents
		c = Check{Rule: "amount.difference", Outcome: Pass,
			Resident: fmt.Sprintf("按差额发放：低保标准%s × %d人 − 家庭月收入%s = 每月%s", yuan(e.s), e.n, yuan(e.inc.NetCents), yuan(amt)),
			Staff:    fmt.Sprintf("%s × %d − %s = %s", yuan(e.s), e.n, yuan(e.inc.NetCents), yuan(amt)),
			Figures:  map[string]int64{"line": line, "net": e.inc.NetCents, "amount": amt}}
	}
	checks = append(checks, c)
	if amt < e.el.MinAmountCents {
		checks = append(checks, Check{Rule: "amount.minimum", Outcome: Pass,
			Resident: fmt.Sprintf("低于本地最低发放金额，按每月%s发放", yuan(e.el.MinAmountCents)),
			Staff:    fmt.Sprintf("%s < 最低发放金额 %s，取 %s", yuan(amt), yuan(e.el.MinAmountCents), yuan(e.el.MinAmountCents)),
			Figures:  map[string]int64{"computed": amt, "minimum": e.el.MinAmountCents}})
		amt = e.el.MinAmountCents
	}
	return amt, checks
}

// edge is 低保边缘家庭: not 低保, income < k × S × n, assets within the edge limits.
func (e *engine) edge(ml Result, extreme []Result) Result {
	if r, ok := e.standardMissing(model.CatEdgeHousehold); ok {
		return r
	}
	r := Result{Category: model.CatEdgeHousehold, Status: Eligible, Period: "none", Checks: []Check{e.incomeCheck()}}
	if who := eligibleMembers(extreme); len(who) > 0 {
		// the exclusion table: a household with a 特困 member is not an edge household
		r.Status = NotEligible
		r.Checks = append(r.Checks, Check{Rule: "exclusion.extreme_hardship_edge_household", Outcome: Fail,
			Resident: "家中有成员符合特困条件，低保边缘家庭是不符合低保、特困条件的家庭，不再认定",
			Staff:    "符合特困的成员：" + positions(who) + "；特困与低保边缘家庭互斥"})
		return r
	}
	if ml.Status == Eligible {
		r.Status = NotEligible
		r.Checks = append(r.Checks, Check{Rule: "edge.not_minimum_living", Outcome: Fail,
			Resident: "已符合低保条件，按低保办理", Staff: "低保测算为符合，边缘家庭不再认定"})
		return r
	}
	r.Checks = append(r.Checks, Check{Rule: "edge.not_minimum_living", Outcome: Pass,
		Resident: "不符合低保条件", Staff: "低保测算为不符合"})
	k := e.el.EdgeMultiplierPermille
	band := permille(e.s*e.n, k)
	ic := Check{Rule: "income.edge_band", Outcome: Pass,
		Resident: fmt.Sprintf("家庭人均月收入低于本地低保标准的%s倍（%s）", ratio(k), yuan(permille(e.s, k))),
		Staff:    fmt.Sprintf("家庭月收入 %s × 1000 < %d‰ × %s × %d 人（= %s）", yuan(e.inc.NetCents), k, yuan(e.s), e.n, yuan(band)),
		Figures:  map[string]int64{"net": e.inc.NetCents, "multiplierPermille": k, "standard": e.s, "size": e.n}}
	if e.inc.NetCents*1000 >= k*e.s*e.n {
		ic.Outcome, r.Status = Fail, NotEligible
		ic.Resident = fmt.Sprintf("家庭人均月收入不低于本地低保标准的%s倍（%s）", ratio(k), yuan(permille(e.s, k)))
		ic.Staff = fmt.Sprintf("不符合：家庭月收入 %s × 1000 ≥ %d‰ × %s × %d 人", yuan(e.inc.NetCents), k, yuan(e.s), e.n)
	}
	r.Checks = append(r.Checks, ic)
	ac, ok := e.assets(true)
	r.Checks = append(r.Checks, ac)
	if !ok {
		r.Status = NotEligible
	}
	return r
}

// severe reports whether a member is severely disabled (grade 1–2, or grade 3 intellectual or
// mental) or seriously ill: the 单人保 condition.
func severe(m MemberFacts) bool {
	g := m.DisabilityGrade
	return (g >= 1 && g <= 2) || (g == 3 && (m.DisabilityKind == "intellectual" || m.DisabilityKind == "mental")) || m.Health == "serious"
}

// singlePerson is 单人保: in an edge household, a severely disabled or seriously ill member may
// be covered by 低保 alone, as a household of one with their own income.
func (e *engine) singlePerson(edge Result, extreme []Result) []Result {
	out := []Result{}
	if edge.Status != Eligible {
		return out
	}
	for i, m := range e.f.Members {
		if !severe(m) || extreme[i].Status == Eligible { // 特困 and 单人保 exclude each other
			continue
		}
		idx := i
		r := Result{Category: model.CatMinimumLiving, Member: &idx, Status: Eligible, Period: "monthly"}
		r.Checks = append(r.Checks, Check{Rule: "single.condition", Outcome: Pass,
			Resident: "家庭为低保边缘家庭，该成员为重度残疾人或重病患者，可单独申请低保（单人保）",
			Staff:    fmt.Sprintf("成员%d：残疾 %s %d 级，健康 %s；家庭为边缘家庭", i+1, m.DisabilityKind, m.DisabilityGrade, m.Health)})
		own := e.memberNet[i]
		c := Check{Rule: "single.income", Outcome: Pass,
			Resident: fmt.Sprintf("本人月收入%s低于低保标准%s", yuan(own), yuan(e.s)),
			Staff:    fmt.Sprintf("本人月收入 %s < %s", yuan(own), yuan(e.s)),
			Figures:  map[string]int64{"own": own, "standard": e.s}}
		if own >= e.s {
			c.Outcome, r.Status, r.Period = Fail, NotEligible, "none"
			c.Resident = fmt.Sprintf("本人月收入%s不低于低保标准%s", yuan(own), yuan(e.s))
			c.Staff = fmt.Sprintf("不符合：本人月收入 %s ≥ %s", yuan(own), yuan(e.s))
			r.Checks = append(r.Checks, c)
		} else {
			r.AmountCents = max(e.s-own, e.el.MinAmountCents)
			c.Resident += fmt.Sprintf("，按差额每月%s", yuan(r.AmountCents))
			c.Staff += fmt.Sprintf("；%s − %s = %s（最低发放 %s）", yuan(e.s), yuan(own), yuan(e.s-own), yuan(e.el.MinAmountCents))
			r.Checks = append(r.Checks, c)
		}
		out = append(out, r)
	}
	return out
}
