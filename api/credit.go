package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/model"
	"palmaid/service/credit"
)

// registerCredit mounts the 失信 register (issue 25).
func (h *Handler) registerCredit(g *httpx.Router) {
	read, write := staffRead(), staffWrite()
	g.GET("/credit-records", read, h.listCredit)
	g.GET("/credit-records/:id", read, h.getCredit)
	g.POST("/benefits/:id/credit-records", write, h.draftCredit)
	g.POST("/credit-records/:id/notify", write, h.creditAction(func(h *Handler, c *gin.Context, st *model.Staff, id string, v int) (*model.CreditRecord, error) {
		return h.app.Credit.Notify(c.Request.Context(), st, id, v)
	}))
	g.POST("/credit-records/:id/confirm", write, h.creditAction(func(h *Handler, c *gin.Context, st *model.Staff, id string, v int) (*model.CreditRecord, error) {
		return h.app.Credit.Confirm(c.Request.Context(), st, id, v)
	}))
	g.POST("/credit-records/:id/publish", write, h.creditAction(func(h *Handler, c *gin.Context, st *model.Staff, id string, v int) (*model.CreditRecord, error) {
		return h.app.Credit.Publish(c.Request.Context(), st, id, v)
	}))
	g.POST("/credit-records/:id/end", write, h.endCredit)
}

// creditView is a record as staff see it (the person's name masked).
type creditView struct {
	ID                  string `json:"id"`
	PersonMasked        string `json:"personMasked"`
	TownCode            string `json:"townCode"`
	Conduct             string `json:"conduct"`
	ConductLabel        string `json:"conductLabel"`
	Level               string `json:"level"`
	LevelLabel          string `json:"levelLabel"`
	AmountObtainedCents int64  `json:"amountObtainedCents"`
	RecoveredCents      int64  `json:"recoveredCents"`
	Facts               string `json:"facts"`
	Status              string `json:"status"`
	StatusLabel         string `json:"statusLabel"`
	StatementDueOn      string `json:"statementDueOn,omitempty"`
	Statement           string `json:"statement,omitempty"`
	DraftedBy           uint64 `json:"draftedByStaffId"`
	ConfirmedBy         uint64 `json:"confirmedByStaffId,omitempty"`
	ValidFrom           string `json:"validFrom,omitempty"`
	ValidTo             string `json:"validTo,omitempty"`
	PublishedUntil      string `json:"publishedUntil,omitempty"`
	EndReason           string `json:"endReason,omitempty"`
	Version             int    `json:"version"`
}

func toCreditView(c *model.CreditRecord) creditView {
	return creditView{ID: c.PublicID, PersonMasked: c.PersonMasked, TownCode: c.TownCode, Conduct: c.Conduct, ConductLabel: model.CreditConductLabel(c.Conduct),
		Level: c.Level, LevelLabel: model.CreditLevelLabel(c.Level), AmountObtainedCents: c.AmountObtainedCents, RecoveredCents: c.RecoveredCents,
		Facts: c.Facts, Status: c.Status, StatusLabel: model.CreditStatusLabel(c.Status), StatementDueOn: c.StatementDueOn, Statement: c.Statement,
		DraftedBy: c.DraftedBy, ConfirmedBy: c.ConfirmedBy, ValidFrom: c.ValidFrom, ValidTo: c.ValidTo, PublishedUntil: c.PublishedUntil,
		EndReason: c.EndReason, Version: c.Version}
}

type creditList struct {
	Items []creditView `json:"items"`
}

func (h *Handler) listCredit(c *gin.Context) {
	rows, err := h.app.Credit.List(c.Request.Context(), staff(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := creditList{Items: []creditView{}}
	for i := range rows {
		out.Items = append(out.Items, toCreditView(&rows[i]))
	}
	httpx.OK(c, http.StatusOK, out)
}

func (h *Handler) getCredit(c *gin.Context) {
	r, err := h.app.Credit.Get(c.Request.Context(), staff(c), c.Param("id"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toCreditView(r))
}

type draftCreditRequest struct {
	Conduct             string `json:"conduct" docs:"required"` // false_declaration | concealment | forgery | unreported_change
	Level               string `json:"level" docs:"required"`   // general | serious | grave
	AmountObtainedCents int64  `json:"amountObtainedCents"`
	Facts               string `json:"facts" docs:"required"`
	CivilCapacity       string `json:"civilCapacity" docs:"required"` // full | limited | none (only full is recorded)
}

func (h *Handler) draftCredit(c *gin.Context) {
	var req draftCreditRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	r, err := h.app.Credit.Draft(c.Request.Context(), staff(c), c.Param("id"), credit.DraftInput{Conduct: req.Conduct, Level: req.Level,
		AmountObtainedCents: req.AmountObtainedCents, Facts: req.Facts, CivilCapacity: req.CivilCapacity})
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusCreated, toCreditView(r))
}

func (h *Handler) creditAction(fn func(h *Handler, c *gin.Context, st *model.Staff, id string, v int) (*model.CreditRecord, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req reviewVersion
		if err := httpx.BindJSON(c, &req); err != nil {
			httpx.Fail(c, err)
			return
		}
		r, err := fn(h, c, staff(c), c.Param("id"), req.Version)
		if err != nil {
			httpx.Fail(c, err)
			return
		}
		httpx.OK(c, http.StatusOK, toCreditView(r))
	}
}

type endCreditRequest struct {
	Version int    `json:"version" docs:"required"`
	End     string `json:"end" docs:"required"` // revoked | repaired
	Reason  string `json:"reason" docs:"required"`
}

func (h *Handler) endCredit(c *gin.Context) {
	var req endCreditRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	r, err := h.app.Credit.End(c.Request.Context(), staff(c), c.Param("id"), req.Version, req.End, req.Reason)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toCreditView(r))
}

func creditDocs() []docs.Route {
	const tag = "staff"
	id := []docs.Param{{Name: "id", Description: "失信记录编号"}}
	nf := docs.Response{Status: http.StatusNotFound, Description: "`credit.not_found`：记录不存在，或不在本人辖区"}
	conflict := docs.Response{Status: http.StatusConflict, Description: "`credit.illegal_transition`：该记录当前状态不能进行此操作\n`credit.version_conflict`：记录已被他人更新"}
	ok := docs.Response{Status: http.StatusOK, Body: creditView{}, Description: "记录"}
	return []docs.Route{
		{Method: http.MethodGet, Path: "/api/v1/credit-records", OperationID: "staffListCreditRecords", Tag: tag, Auth: true,
			Summary:   "失信记录登记簿（本人辖区，最新的在前，姓名加掩码）",
			Responses: []docs.Response{{Status: http.StatusOK, Body: creditList{}, Description: "至多200条"}, {Status: http.StatusForbidden, Description: "`auth.forbidden`：岗位不能查看"}}},
		{Method: http.MethodGet, Path: "/api/v1/credit-records/{id}", OperationID: "staffGetCreditRecord", Tag: tag, Auth: true,
			Summary: "失信记录详情", PathParams: id, Responses: []docs.Response{ok, nf}},
		{Method: http.MethodPost, Path: "/api/v1/benefits/{id}/credit-records", OperationID: "staffDraftCreditRecord", Tag: tag, Auth: true,
			Summary:    "乡镇草拟失信记录（虚报、隐瞒、伪造、情况变化未告知；等级一般、较重、严重）：对在保对象本人；无民事行为能力或限制民事行为能力人不予记录；记录不影响其今后申请，仅在其后的核查中向工作人员提示；留痕",
			PathParams: []docs.Param{{Name: "id", Description: "在保对象编号"}}, Request: draftCreditRequest{},
			Responses: []docs.Response{{Status: http.StatusCreated, Body: creditView{}, Description: "草拟"},
				{Status: http.StatusBadRequest, Description: "`credit.invalid_conduct`：失信行为不正确\n`credit.invalid_level`：等级不正确\n`credit.invalid_amount`：金额不正确\n`credit.facts_required`：请填写认定事实\n`credit.invalid_capacity`：请确认民事行为能力"},
				{Status: http.StatusForbidden, Description: "`auth.forbidden`：岗位不能草拟"},
				{Status: http.StatusNotFound, Description: "`benefit.not_found`：在保对象不存在，或不在本人辖区"},
				{Status: http.StatusUnprocessableEntity, Description: "`credit.no_civil_capacity`：无民事行为能力或限制民事行为能力人不记入"}}},
		{Method: http.MethodPost, Path: "/api/v1/credit-records/{id}/notify", OperationID: "staffNotifyCreditRecord", Tag: tag, Auth: true,
			Summary: "乡镇已约谈并告知当事人：进入陈述申辩期（地区规定的工作日数）；当事人可在小程序中陈述申辩；留痕", PathParams: id, Request: reviewVersion{},
			Responses: []docs.Response{ok, {Status: http.StatusForbidden, Description: "`auth.forbidden`：岗位不能办理"}, nf, conflict}},
		{Method: http.MethodPost, Path: "/api/v1/credit-records/{id}/confirm", OperationID: "staffConfirmCreditRecord", Tag: tag, Auth: true,
			Summary: "县级认定（草拟人不能认定）：当事人已陈述或陈述申辩期已满；有效期按地区规定；留痕", PathParams: id, Request: reviewVersion{},
			Responses: []docs.Response{ok, {Status: http.StatusForbidden, Description: "`auth.forbidden`：岗位不能认定\n`credit.four_eyes`：草拟人员不能认定"}, nf,
				{Status: http.StatusConflict, Description: "`credit.illegal_transition`：状态不允许\n`credit.statement_window`：陈述申辩期未满且当事人尚未陈述\n`credit.version_conflict`：记录已被他人更新"}}},
		{Method: http.MethodPost, Path: "/api/v1/credit-records/{id}/publish", OperationID: "staffPublishCreditRecord", Tag: tag, Auth: true,
			Summary: "县级分管领导公示（仅严重等级且本地规定公示；姓名、身份证号加掩码，至有效期满）；留痕", PathParams: id, Request: reviewVersion{},
			Responses: []docs.Response{ok, {Status: http.StatusForbidden, Description: "`auth.forbidden`：岗位不能公示"}, nf, conflict,
				{Status: http.StatusUnprocessableEntity, Description: "`credit.publish_not_allowed`：只有严重等级且本地规定公示的记录才能公示"}}},
		{Method: http.MethodPost, Path: "/api/v1/credit-records/{id}/end", OperationID: "staffEndCreditRecord", Tag: tag, Auth: true,
			Summary: "县级撤销（异议或复议成立）或修复（信用修复）记录，写明理由；公示随之结束；留痕", PathParams: id, Request: endCreditRequest{},
			Responses: []docs.Response{ok, {Status: http.StatusBadRequest, Description: "`credit.invalid_end`：结束方式不正确\n`credit.reason_required`：请填写理由"},
				{Status: http.StatusForbidden, Description: "`auth.forbidden`：岗位不能办理"}, nf, conflict}},
	}
}
