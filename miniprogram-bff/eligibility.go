package bff

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/model"
	"palmaid/service/eligibility"
)

// referenceNotice heads every self-check answer.
const referenceNotice = "仅供参考：以上结果按您填写的情况和本地区现行标准测算，不是审核结论，也不会保存。是否符合条件、救助金额以入户调查、家庭经济状况核对和审核确认为准。"

type selfCheckReason struct {
	Outcome string `json:"outcome"` // pass | fail | review
	Text    string `json:"text"`
}

type selfCheckResult struct {
	Category     model.Category    `json:"category"`
	Label        string            `json:"label"`
	Member       *int              `json:"member,omitempty"` // 0-based index into household.members, for a person
	SinglePerson bool              `json:"singlePerson"`     // 单人保: this member covered by 低保 alone
	Status       string            `json:"status"`           // eligible | not_eligible | needs_review
	StatusLabel  string            `json:"statusLabel"`
	AmountCents  int64             `json:"amountCents"`
	Period       string            `json:"period"` // monthly | once | none
	CareTier     string            `json:"careTier,omitempty"`
	Reasons      []selfCheckReason `json:"reasons"`
}

type selfCheckView struct {
	ReferenceOnly bool                `json:"referenceOnly"`
	Notice        string              `json:"notice"`
	AreaName      string              `json:"areaName"`
	Date          string              `json:"date"`
	HouseholdSize int                 `json:"householdSize"`
	MonthlyIncome int64               `json:"monthlyIncomeCents"` // household income after allowed deductions
	Figures       eligibility.Figures `json:"figures"`
	Results       []selfCheckResult   `json:"results"`
}

var statusLabel = map[eligibility.Status]string{
	eligibility.Eligible: "可能符合", eligibility.NotEligible: "可能不符合", eligibility.NeedsReview: "需要工作人员核实",
}

func residentResult(r eligibility.Result, single bool) selfCheckResult {
	out := selfCheckResult{Category: r.Category, Label: r.Category.Label(), Member: r.Member, SinglePerson: single,
		Status: string(r.Status), StatusLabel: statusLabel[r.Status], AmountCents: r.AmountCents, Period: r.Period,
		CareTier: r.CareTier, Reasons: []selfCheckReason{}}
	if single {
		out.Label = "低保（单人保）"
	}
	for _, c := range r.Checks {
		out.Reasons = append(out.Reasons, selfCheckReason{Outcome: c.Outcome, Text: c.Resident})
	}
	return out
}

func (h *Handler) eligibilityCheck(c *gin.Context) {
	var req eligibility.CheckInput
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	res, err := h.app.Eligibility.Check(c.Request.Context(), req)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	r := res.Report
	out := selfCheckView{ReferenceOnly: true, Notice: referenceNotice, AreaName: res.AreaName, Date: res.Date,
		HouseholdSize: r.Size, MonthlyIncome: r.Income.NetCents, Figures: res.Figures}
	out.Results = append(out.Results, residentResult(r.MinimumLiving, false))
	for _, x := range r.SinglePerson {
		out.Results = append(out.Results, residentResult(x, true))
	}
	for _, x := range r.Extreme {
		out.Results = append(out.Results, residentResult(x, false))
	}
	for _, x := range []eligibility.Result{r.Edge, r.Illness, r.Temporary} {
		out.Results = append(out.Results, residentResult(x, false))
	}
	c.Header("Cache-Control", "no-store")
	httpx.OK(c, http.StatusOK, out)
}
