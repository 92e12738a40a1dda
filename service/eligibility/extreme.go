package eligibility

// 特困 (care tiers, one result per member) and 因病致贫重病患者: the engine's person-level categories.

import (
	"fmt"
	"time"

	"palmaid/model"
)

// care tiers by the self-care assessment (six daily activities).
const (
	CareSelf    = "self"    // 全自理
	CarePartial = "partial" // 半护理
	CareFull    = "full"    // 全护理
)

// CareTier is the tier for a number of failed activities: none → self, 1–3 → partial, ≥ 4 → full.
func CareTier(failed int) string {
	switch {
	case failed <= 0:
		return CareSelf
	case failed <= 3:
		return CarePartial
	}
	return CareFull
}

var careLabel = map[string]string{CareSelf: "全自理", CarePartial: "半护理", CareFull: "全护理"}

// extreme is 特困 for member i.
func (e *engine) extreme(i int) Result {
	idx := i
	m := e.f.Members[i]
	if r, ok := e.standardMissing(model.CatExtremeHardship); ok {
		r.Member = &idx
		return r
	}
	r := Result{Category: model.CatExtremeHardship, Member: &idx, Period: "none"}
	birth, _ := time.Parse(time.DateOnly, m.BirthDate)
	age := model.AgeOn(birth, e.on)
	if m.Orphan && age < 18 {
		r.Status = NotEligible
		r.Checks = append(r.Checks, Check{Rule: "extreme.orphan", Outcome: Fail,
			Resident: "符合孤儿条件的未成年人纳入孤儿保障，不按特困办理", Staff: fmt.Sprintf("成员%d：%d 岁，孤儿", i+1, age),
			Figures: map[string]int64{"age": int64(age)}})
		return r
	}
	// 1. no ability to work
	why := noWorkAbility(m, age)
	g := m.DisabilityGrade
	wc := Check{Rule: "extreme.no_work_ability", Outcome: Pass, Figures: map[string]int64{"age": int64(age), "disabilityGrade": int64(g)}}
	status := Eligible
	switch {
	case why != "":
		wc.Resident = "无劳动能力：" + why
		wc.Staff = fmt.Sprintf("%s 时 %d 岁；残疾 %s %d 级", e.on.Format(time.DateOnly), age, m.DisabilityKind, g)
	case m.DisabilityKind == "multiple" || m.WorkAbility == "none" || m.Health == "serious":
		wc.Outcome, status = Review, NeedsReview
		wc.Resident = "是否丧失劳动能力需要工作人员核实（多重残疾、重病或自述无劳动能力）"
		wc.Staff = fmt.Sprintf("%d 岁；残疾 %s %d 级；健康 %s；劳动能力 %s：不在法定情形内，需认定", age, m.DisabilityKind, g, m.Health, m.WorkAbility)
	default:
		wc.Outcome, status = Fail, NotEligible
		wc.Resident = "不属于无劳动能力的情形（年满60周岁、未满16周岁或规定等级的重度残疾）"
		wc.Staff = fmt.Sprintf("%d 岁；残疾 %s %d 级", age, m.DisabilityKind, g)
	}
	r.Checks = append(r.Checks, wc)
	// 2. no means of living: own income < S, household assets within the 低保 limits
	own := e.memberNet[i]
	mc := Check{Rule: "extreme.no_means", Outcome: Pass,
		Resident: fmt.Sprintf("本人月收入%s低于低保标准%s", yuan(own), yuan(e.s)),
		Staff:    fmt.Sprintf("本人月收入 %s < %s", yuan(own), yuan(e.s)),
		Figures:  map[string]int64{"own": own, "standard": e.s}}
	if own >= e.s {
		mc.Outcome, status = Fail, NotEligible
		mc.Resident = fmt.Sprintf("本人月收入%s不低于低保标准%s", yuan(own), yuan(e.s))
		mc.Staff = "不符合：" + fmt.Sprintf("本人月收入 %s ≥ %s", yuan(own), yuan(e.s))
	}
	r.Checks = append(r.Checks, mc)
	ac, ok := e.assets(false)
	r.Checks = append(r.Checks, ac)
	if !ok {
		status = NotEligible
	}
	// 3. no supporter, or every supporter unable: those living elsewhere as declared, and the
	// members of the household who owe support (supporters.go)
	sc := e.supporterCheck(i)
	switch sc.Outcome {
	case Fail:
		status = NotEligible
	case Review:
		if status == Eligible {
			status = NeedsReview
		}
	}
	r.Checks = append(r.Checks, sc)
	r.Status = status
	if status == NotEligible {
		return r
	}
	basic := permille(e.s, e.el.ExtremeBasicPermille)
	tier := CareTier(m.SelfCareFailed)
	care := map[string]int64{CareSelf: e.el.CareSelfCents, CarePartial: e.el.CarePartialCents, CareFull: e.el.CareFullCents}[tier]
	r.CareTier, r.Period, r.AmountCents = tier, "monthly", basic+care
	r.Checks = append(r.Checks, Check{Rule: "extreme.amount", Outcome: Pass,
		Resident: fmt.Sprintf("基本生活标准每月%s，加%s照料护理补贴每月%s，合计每月%s", yuan(basic), careLabel[tier], yuan(care), yuan(basic+care)),
		Staff: fmt.Sprintf("%d‰ × %s = %s；%d 项日常活动不能自理 → %s，护理 %s；合计 %s",
			e.el.ExtremeBasicPermille, yuan(e.s), yuan(basic), m.SelfCareFailed, careLabel[tier], yuan(care), yuan(basic+care)),
		Figures: map[string]int64{"basic": basic, "care": care, "selfCareFailed": int64(m.SelfCareFailed), "amount": basic + care}})
	return r
}

// illness is 因病致贫重病患者.
func (e *engine) illness(r *Report) Result {
	if res, ok := e.standardMissing(model.CatIllnessPoverty); ok {
		return res
	}
	res := Result{Category: model.CatIllnessPoverty, Status: Eligible, Period: "none", Checks: []Check{e.incomeCheck()}}
	covered := r.MinimumLiving.Status == Eligible || r.Edge.Status == Eligible
	for _, x := range append(append([]Result{}, r.Extreme...), r.SinglePerson...) {
		covered = covered || x.Status == Eligible
	}
	if covered {
		res.Status = NotEligible
		res.Checks = append(res.Checks, Check{Rule: "illness.not_covered", Outcome: Fail,
			Resident: "已符合低保、特困或低保边缘家庭条件，医疗救助随之享受", Staff: "已被低保、特困或边缘家庭覆盖"})
		return res
	}
	var ill int64
	for _, m := range e.f.Members {
		if m.Health == "serious" {
			ill++
		}
	}
	c := Check{Rule: "illness.serious_member", Outcome: Pass, Resident: "家中有重病患者", Staff: fmt.Sprintf("重病成员 %d 人", ill),
		Figures: map[string]int64{"seriouslyIll": ill}}
	if ill == 0 {
		c.Outcome, res.Status = Fail, NotEligible
		c.Resident = "家中没有重病患者"
	}
	res.Checks = append(res.Checks, c)
	spend, year := e.f.MedicalOutOfPocket12mCents, e.inc.NetCents*12
	pct := int64(e.el.IllnessSpendingPercent)
	sc := Check{Rule: "illness.spending", Outcome: Pass,
		Resident: fmt.Sprintf("近12个月自付医疗费用%s，达到家庭年收入的%d%%", yuan(spend), pct),
		Staff:    fmt.Sprintf("自付 %s × 100 ≥ %d%% × 年收入 %s", yuan(spend), pct, yuan(year)),
		Figures:  map[string]int64{"outOfPocket": spend, "annualIncome": year, "percent": pct}}
	if spend == 0 || spend*100 < pct*year {
		sc.Outcome, res.Status = Fail, NotEligible
		sc.Resident = fmt.Sprintf("近12个月自付医疗费用%s，未达到家庭年收入的%d%%", yuan(spend), pct)
		sc.Staff = "不符合：" + fmt.Sprintf("自付 %s，年收入 %s，比例 %d%%", yuan(spend), yuan(year), pct)
	}
	res.Checks = append(res.Checks, sc)
	k := e.el.IllnessMultiplierPermille
	ic := Check{Rule: "illness.income", Outcome: Pass,
		Resident: fmt.Sprintf("家庭人均月收入低于低保标准的%s倍", ratio(k)),
		Staff:    fmt.Sprintf("%s × 1000 < %d‰ × %s × %d 人", yuan(e.inc.NetCents), k, yuan(e.s), e.n),
		Figures:  map[string]int64{"net": e.inc.NetCents, "multiplierPermille": k}}
	if e.inc.NetCents*1000 >= k*e.s*e.n {
		ic.Outcome, res.Status = Fail, NotEligible
		ic.Resident = fmt.Sprintf("家庭人均月收入不低于低保标准的%s倍", ratio(k))
		ic.Staff = "不符合：" + ic.Staff
	}
	res.Checks = append(res.Checks, ic)
	if d := e.p.Decider[model.CatIllnessPoverty]; d != "" {
		res.Checks = append(res.Checks, Check{Rule: "illness.decider", Outcome: Pass,
			Resident: "认定由" + deciderLabel(d) + "负责", Staff: "认定机关：" + d})
	}
	return res
}
