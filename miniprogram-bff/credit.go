package bff

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/model"
	"palmaid/service/ratelimit"
)

// My own 失信 records (issue 25): only records on the resident's own assured identity, never
// another household member's; a statement (陈述申辩) while the window runs.

func (h *Handler) registerCredit(g *httpx.Router, read httpx.Class) {
	g.GET("/me/credit-records", read, h.myCredit)
	g.POST("/credit-records/:id/statement", httpx.AccountClass("statement:mp", ratelimit.PerMinute(10)), h.creditStatement)
}

type myCreditRecord struct {
	ID                  string `json:"id"`
	Conduct             string `json:"conduct"`
	Level               string `json:"level"`
	Status              string `json:"status"`
	StatusLabel         string `json:"statusLabel"`
	AmountObtainedCents int64  `json:"amountObtainedCents"` // to be returned
	RecoveredCents      int64  `json:"recoveredCents"`
	StatementDueOn      string `json:"statementDueOn,omitempty"`
	Statement           string `json:"statement,omitempty"`
	ValidFrom           string `json:"validFrom,omitempty"`
	ValidTo             string `json:"validTo,omitempty"`
	Published           bool   `json:"published"`
	Remedies            string `json:"remedies"`
}

type myCreditRecords struct {
	Items []myCreditRecord `json:"items"`
}

func toMyCredit(c *model.CreditRecord) myCreditRecord {
	return myCreditRecord{ID: c.PublicID, Conduct: model.CreditConductLabel(c.Conduct), Level: model.CreditLevelLabel(c.Level), Status: c.Status,
		StatusLabel: model.CreditStatusLabel(c.Status), AmountObtainedCents: c.AmountObtainedCents, RecoveredCents: c.RecoveredCents,
		StatementDueOn: c.StatementDueOn, Statement: c.Statement, ValidFrom: c.ValidFrom, ValidTo: c.ValidTo,
		Published: c.Status == model.CreditPublished, Remedies: model.ReviewRemedies}
}

func (h *Handler) myCredit(c *gin.Context) {
	rows, err := h.app.Credit.Mine(c.Request.Context(), residentID(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := myCreditRecords{Items: []myCreditRecord{}}
	for i := range rows {
		out.Items = append(out.Items, toMyCredit(&rows[i]))
	}
	httpx.OK(c, http.StatusOK, out)
}

type creditStatementRequest struct {
	Statement string `json:"statement" docs:"required"`
}

func (h *Handler) creditStatement(c *gin.Context) {
	var req creditStatementRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	r, err := h.app.Credit.State(c.Request.Context(), residentID(c), c.Param("id"), req.Statement)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toMyCredit(r))
}

func creditDocs() []docs.Route {
	return []docs.Route{
		{Method: http.MethodGet, Path: "/mp/v1/me/credit-records", OperationID: "mpMyCreditRecords", Tag: "mp", Auth: true,
			Summary:   "我的失信记录（只含本人实名身份的记录，不含其他家庭成员的）：行为、等级、应退回金额、陈述申辩期、有效期、救济途径",
			Responses: []docs.Response{{Status: http.StatusOK, Body: myCreditRecords{}, Description: "记录（没有时为空列表）"}}},
		{Method: http.MethodPost, Path: "/mp/v1/credit-records/{id}/statement", OperationID: "mpCreditStatement", Tag: "mp", Auth: true,
			Summary:    "陈述申辩：在告知后的陈述申辩期内提交（本人）",
			PathParams: []docs.Param{{Name: "id", Description: "记录编号"}}, Request: creditStatementRequest{},
			Responses: []docs.Response{{Status: http.StatusOK, Body: myCreditRecord{}, Description: "已提交"},
				{Status: http.StatusBadRequest, Description: "`credit.statement_required`：请填写陈述申辩内容"},
				{Status: http.StatusNotFound, Description: "`credit.not_found`：记录不存在，或不是本人的"},
				{Status: http.StatusConflict, Description: "`credit.statement_closed`：陈述申辩期已过或记录不在告知阶段\n`credit.version_conflict`：记录已被更新"}}},
	}
}
