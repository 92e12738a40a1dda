package eligibility

// 临时救助 (急难型 and 支出型) and the words and figures the reasons are written with.

import (
	"fmt"

	"palmaid/model"
)

// temporary is 临时救助: 急难型 by severity tier, else 支出型.
func (e *engine) temporary() Result {
	if r, ok := e.standardMissing(model.CatTemporaryAid); ok {
		return r
	}
	r := Result{Category: model.CatTemporaryAid, Status: Eligible, Period: "once"}
	capAmt := int64(e.el.TemporaryCapMonths) * e.s * e.n
	townCap := int64(e.p.UrgentCapMonths) * e.s * e.n
	var want int64
	switch {
	case e.f.Emergency != "":
		tiers := e.el.TemporaryTierMonths
		t := min(e.f.EmergencySeverity, len(tiers)) - 1
		months := int64(0)
		if t >= 0 {
			months = int64(tiers[t])
		}
		want = months * e.s * e.n
		r.Checks = append(r.Checks, Check{Rule: "temporary.urgent", Outcome: Pass,
			Resident: fmt.Sprintf("遭遇突发事件（%s），可申请急难型临时救助，参考金额%s", model.EmergencyKind(e.f.Emergency).Label(), yuan(want)),
			Staff:    fmt.Sprintf("急难型，严重程度 %d → 第 %d 档 %d 个月 × %s × %d 人 = %s", e.f.EmergencySeverity, t+1, months, yuan(e.s), e.n, yuan(want)),
			Figures:  map[string]int64{"severity": int64(e.f.EmergencySeverity), "months": months, "amount": want}})
	case e.f.EssentialSpendingCents > 0:
		spend := e.f.EssentialSpendingCents
		disp := e.el.DisposableIncomeAnnualCents
		ic := Check{Rule: "temporary.income", Outcome: Pass,
			Resident: fmt.Sprintf("家庭人均年收入低于本地上年人均可支配收入%s", yuan(disp)),
			Staff:    fmt.Sprintf("月收入 %s × 12 < %s × %d 人", yuan(e.inc.NetCents), yuan(disp), e.n),
			Figures:  map[string]int64{"annualIncome": e.inc.NetCents * 12, "disposable": disp, "size": e.n}}
		switch {
		case disp == 0:
			ic.Outcome, r.Status = Review, NeedsReview
			ic.Resident, ic.Staff = "本地区尚未设置上年人均可支配收入，需工作人员核实", "temporary_aid.disposable_income_annual_cents 为 0"
		case e.inc.NetCents*12 >= disp*e.n:
			ic.Outcome, r.Status = Fail, NotEligible
			ic.Resident = fmt.Sprintf("家庭人均年收入不低于本地上年人均可支配收入%s", yuan(disp))
			ic.Staff = "不符合：" + ic.Staff
		}
		r.Checks = append(r.Checks, ic)
		spare := max(0, e.inc.NetCents-e.s*e.n) * 12
		want = spend - spare
		sc := Check{Rule: "temporary.spending", Outcome: Pass,
			Resident: fmt.Sprintf("突发的必需支出%s超出家庭承受能力", yuan(spend)),
			Staff:    fmt.Sprintf("支出 %s − 可承受部分（月收入超出低保标准的部分 × 12）%s = %s", yuan(spend), yuan(spare), yuan(want)),
			Figures:  map[string]int64{"spending": spend, "capacity": spare}}
		if want <= 0 {
			sc.Outcome, r.Status, want = Fail, NotEligible, 0
			sc.Resident = fmt.Sprintf("必需支出%s未超出家庭承受能力", yuan(spend))
			sc.Staff = "不符合：" + sc.Staff
		}
		r.Checks = append(r.Checks, sc)
	default:
		r.Status, r.Period = NotEligible, "none"
		r.Checks = append(r.Checks, Check{Rule: "temporary.need", Outcome: Fail,
			Resident: "没有填写突发事件或突发的必需支出", Staff: "无急难事件，无支出型支出"})
		return r
	}
	if r.Status == NotEligible {
		r.Period = "none"
		return r
	}
	r.AmountCents = want
	if want > capAmt {
		r.AmountCents, r.Status = capAmt, NeedsReview
		r.Checks = append(r.Checks, Check{Rule: "temporary.cap", Outcome: Review,
			Resident: fmt.Sprintf("所需金额超过本地上限%s，需要个案研究（一事一议）", yuan(capAmt)),
			Staff:    fmt.Sprintf("%s > %d 个月 × %s × %d 人 = %s：一事一议", yuan(want), e.el.TemporaryCapMonths, yuan(e.s), e.n, yuan(capAmt)),
			Figures:  map[string]int64{"wanted": want, "cap": capAmt}})
	} else if r.AmountCents > townCap {
		r.Checks = append(r.Checks, Check{Rule: "temporary.town_cap", Outcome: Pass,
			Resident: "金额超过乡镇（街道）审批额度，由县级民政部门审批",
			Staff:    fmt.Sprintf("%s > 乡镇额度 %d 个月 × %s × %d 人 = %s", yuan(r.AmountCents), e.p.UrgentCapMonths, yuan(e.s), e.n, yuan(townCap)),
			Figures:  map[string]int64{"amount": r.AmountCents, "townCap": townCap}})
	}
	return r
}

func deciderLabel(d string) string {
	switch d {
	case model.DeciderTown:
		return "乡镇（街道）"
	case "medical_insurance":
		return "医疗保障部门"
	}
	return "县级民政部门"
}

// permille is v × p / 1000 rounded half up (v, p ≥ 0).
func permille(v, p int64) int64 { return (v*p + 500) / 1000 }

// yuan formats fen as 元 with two decimals.
func yuan(c int64) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d.%02d元", sign, c/100, c%100)
}

// ratio formats ‰ as a decimal multiplier (1500 → 1.5).
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

func join(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += "；"
		}
		out += x
	}
	return out
}
