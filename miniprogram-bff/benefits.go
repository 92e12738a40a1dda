package bff

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/model"
	"palmaid/service/benefits"
	"palmaid/service/ratelimit"
)

// 我的保障 and 发放记录 (issue 24): what the beneficiary, or the agent, receives. Anyone else
// gets 404.

func (h *Handler) registerBenefits(g *httpx.Router, read httpx.Class) {
	g.GET("/benefits", read, h.myBenefits)
	g.GET("/benefits/:id/payments", read, h.myPayments)
	g.POST("/benefits/:id/account-change", httpx.AccountClass("payee:mp", ratelimit.PerMinute(10)), h.requestAccountChange)
}

// myAccountChange is the resident's pending request for another account (last four only).
type myAccountChange struct {
	Kind         string    `json:"kind"`
	AccountLabel string    `json:"accountLabel"`
	Bank         string    `json:"bank"`
	AccountTail4 string    `json:"accountTail4"`
	Status       string    `json:"status"` // pending: 待乡镇核实
	RequestedAt  time.Time `json:"requestedAt"`
}

func toMyAccountChange(a *model.AccountChangeRequest) *myAccountChange {
	if a == nil {
		return nil
	}
	return &myAccountChange{Kind: a.Kind, AccountLabel: model.AccountKindLabel(a.Kind), Bank: a.Bank, AccountTail4: a.Tail4, Status: a.Status,
		RequestedAt: a.CreatedAt.In(model.China())}
}

// accountChangeRequest is the account the resident asks to be paid to.
type accountChangeRequest struct {
	Kind       string `json:"kind" docs:"required"` // social_security_card | one_card_passbook | bank_card
	Bank       string `json:"bank" docs:"required"`
	HolderName string `json:"holderName" docs:"required"`
	Number     string `json:"number" docs:"required"`
}

func (h *Handler) requestAccountChange(c *gin.Context) {
	var req accountChangeRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	a, err := h.app.Benefits.RequestAccountChange(c.Request.Context(), residentID(c), c.Param("id"),
		benefits.AccountInput{Kind: req.Kind, Bank: req.Bank, HolderName: req.HolderName, Number: req.Number})
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusCreated, toMyAccountChange(a))
}

type amountPart struct {
	Label string `json:"label"`
	Cents int64  `json:"cents"`
}

// myBenefit is one benefit as its beneficiary or agent sees it.
type myBenefit struct {
	ID            string         `json:"id"`
	Category      model.Category `json:"category"`
	CategoryLabel string         `json:"categoryLabel"`
	PersonMasked  string         `json:"personMasked"`
	Status        string         `json:"status"`
	StatusLabel   string         `json:"statusLabel"`
	Persons       int            `json:"persons"`
	MonthlyCents  int64          `json:"monthlyCents"`
	Breakdown     []amountPart   `json:"breakdown"`
	Formula       string         `json:"formula"`
	Since         string         `json:"since"` // the first month paid (YYYY-MM)
	Until         string         `json:"until,omitempty"`
	AccountKind   string         `json:"accountKind,omitempty"`
	AccountLabel  string         `json:"accountLabel,omitempty"`
	AccountTail4  string         `json:"accountTail4,omitempty"`
	NextReviewOn  string         `json:"nextReviewOn"`
	// AccountChange is the request for another account waiting for the town (none: absent).
	AccountChange *myAccountChange `json:"accountChange,omitempty"`
}

func toMyBenefit(v *benefits.View) myBenefit {
	b := v.Benefit
	out := myBenefit{ID: b.PublicID, Category: b.Category, CategoryLabel: b.Category.Label(), PersonMasked: b.PersonMasked,
		Status: string(b.Status), StatusLabel: b.Status.Label(), Persons: b.Persons, MonthlyCents: b.MonthlyCents, Formula: v.Formula,
		Since: b.EffectiveFrom, Until: b.EffectiveTo, AccountKind: v.AccountKind, AccountLabel: model.AccountKindLabel(v.AccountKind),
		AccountTail4: v.AccountTail4, NextReviewOn: b.NextReviewOn, Breakdown: []amountPart{}, AccountChange: toMyAccountChange(v.AccountChange)}
	for _, p := range v.Breakdown {
		out.Breakdown = append(out.Breakdown, amountPart{Label: p.Label, Cents: p.Cents})
	}
	return out
}

type myBenefits struct {
	Items []myBenefit `json:"items"`
}

func (h *Handler) myBenefits(c *gin.Context) {
	vs, err := h.app.Benefits.Mine(c.Request.Context(), residentID(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := myBenefits{Items: []myBenefit{}}
	for i := range vs {
		out.Items = append(out.Items, toMyBenefit(&vs[i]))
	}
	httpx.OK(c, http.StatusOK, out)
}

type myPayment struct {
	Month        string `json:"month"`    // the roster's month
	ForMonth     string `json:"forMonth"` // the month paid for (补发: an earlier month)
	Kind         string `json:"kind"`     // regular | arrears
	Cents        int64  `json:"cents"`
	Status       string `json:"status"`      // pending | paid | failed
	StatusLabel  string `json:"statusLabel"` // 待发放 | 已发放 | 发放失败，将于下月补发
	AccountTail4 string `json:"accountTail4,omitempty"`
}

type myPayments struct {
	Benefit  myBenefit   `json:"benefit"`
	Payments []myPayment `json:"payments"`
}

func (h *Handler) myPayments(c *gin.Context) {
	v, recs, err := h.app.Benefits.Payments(c.Request.Context(), residentID(c), c.Param("id"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := myPayments{Benefit: toMyBenefit(v), Payments: []myPayment{}}
	for _, r := range recs {
		out.Payments = append(out.Payments, myPayment{Month: r.Month, ForMonth: r.ForMonth, Kind: r.Kind, Cents: r.Cents, Status: r.Status,
			StatusLabel: r.StatusLabel, AccountTail4: r.AccountTail4})
	}
	httpx.OK(c, http.StatusOK, out)
}

func benefitDocs() []docs.Route {
	const tag = "mp"
	return []docs.Route{
		{Method: http.MethodGet, Path: "/mp/v1/benefits", OperationID: "mpMyBenefits", Tag: tag, Auth: true,
			Summary:   "我的保障：本人（或本人代办的）在保的低保、特困供养：类别、月保障金及其构成、起始月份、领取账户尾号、下次核查日期",
			Responses: []docs.Response{{Status: http.StatusOK, Body: myBenefits{}, Description: "保障（没有时为空列表）"}}},
		{Method: http.MethodGet, Path: "/mp/v1/benefits/{id}/payments", OperationID: "mpMyPayments", Tag: tag, Auth: true,
			Summary:    "发放记录：每月发放金额和状态（待发放、已发放、发放失败，将于下月补发），最新的在前",
			PathParams: []docs.Param{{Name: "id", Description: "保障编号（我的保障 items[].id）"}},
			Responses: []docs.Response{{Status: http.StatusOK, Body: myPayments{}, Description: "发放记录"},
				{Status: http.StatusNotFound, Description: "`benefit.not_found`：保障不存在，或不是本人（或本人代办）的"}}},
		{Method: http.MethodPost, Path: "/mp/v1/benefits/{id}/account-change", OperationID: "mpRequestAccountChange", Tag: tag, Auth: true,
			Summary:    "申请变更领取账户：账号和户名加密保存，只显示尾号后四位；乡镇核实后启用；同时只能有一份待核实的申请；留痕",
			PathParams: []docs.Param{{Name: "id", Description: "保障编号（我的保障 items[].id）"}}, Request: accountChangeRequest{},
			Responses: []docs.Response{{Status: http.StatusCreated, Body: myAccountChange{}, Description: "已提交，待乡镇核实"},
				{Status: http.StatusBadRequest, Description: "`payee.invalid_kind`：账户类型不正确\n`payee.invalid_number`：账号应为8至30位数字\n`payee.invalid_bank`：请填写开户银行\n`payee.invalid_holder`：请填写账户名称"},
				{Status: http.StatusNotFound, Description: "`benefit.not_found`：保障不存在，或不是本人（或本人代办）的"},
				{Status: http.StatusConflict, Description: "`payee.change_pending`：已有一份待乡镇核实的账户变更申请"}}},
	}
}
