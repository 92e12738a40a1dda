package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/model"
	"palmaid/service/reviews"
)

// registerReviews mounts the reviews of benefits (issue 25: dynamic management).
func (h *Handler) registerReviews(g *httpx.Router) {
	read, write := staffRead(), staffWrite()
	g.GET("/reviews", read, h.listReviews)
	g.GET("/reviews/:id", read, h.getReview)
	g.POST("/benefits/:id/reviews", write, h.openReview)
	g.POST("/reviews/:id/investigate", write, h.investigateReview)
	g.POST("/reviews/:id/propose", write, h.proposeReview)
	g.POST("/reviews/:id/decide", write, h.decideReview)
	g.POST("/reviews/:id/return", write, h.returnReview)
	g.POST("/reviews/:id/close", write, h.closeReview)
	g.POST("/reviews/:id/objection", write, h.objectReview)
	g.POST("/reviews/:id/objection-decision", write, h.decideObjection)
}

// reviewView is a review as staff see it.
type reviewView struct {
	ID             string              `json:"id"`
	BenefitID      string              `json:"benefitId"`
	Category       model.Category      `json:"category"`
	PersonMasked   string              `json:"personMasked"`
	CurrentCents   int64               `json:"currentMonthlyCents"`
	Kind           string              `json:"kind"`
	KindLabel      string              `json:"kindLabel"`
	Status         string              `json:"status"`
	StatusLabel    string              `json:"statusLabel"`
	DueOn          string              `json:"dueOn"`
	Overdue        bool                `json:"overdue"`
	OpenedOn       string              `json:"openedOn"`
	EventOn        string              `json:"eventOn,omitempty"`
	Cause          string              `json:"cause"`
	ReportedByUser bool                `json:"reportedByResident"`
	Findings       string              `json:"findings,omitempty"`
	VisitedOn      string              `json:"visitedOn,omitempty"`
	Visitors       []string            `json:"visitors"`
	Outcome        string              `json:"outcome,omitempty"`
	OutcomeLabel   string              `json:"outcomeLabel,omitempty"`
	MonthlyCents   int64               `json:"monthlyCents,omitempty"`
	Persons        int                 `json:"persons,omitempty"`
	GradualMonths  int                 `json:"gradualMonths,omitempty"`
	SchedulePct    []int               `json:"schedulePct"`
	Variable       bool                `json:"variable"`
	Reason         string              `json:"reason,omitempty"`
	ProposedBy     uint64              `json:"proposedByStaffId,omitempty"`
	DecidedBy      uint64              `json:"decidedByStaffId,omitempty"`
	DecidedOn      string              `json:"decidedOn,omitempty"`
	EffectiveMonth string              `json:"effectiveMonth,omitempty"`
	NoticeDueOn    string              `json:"noticeDueOn,omitempty"`
	NoticeProv     bool                `json:"noticeDueProvisional"`
	NoticeServedOn string              `json:"noticeServedOn,omitempty"`
	Remedies       string              `json:"remedies,omitempty"` // the 复议 / 诉讼 routes a written notice names
	Changes        []benefitChangeView `json:"changes"`
	// 特困 termination: the public notice (calendar days, the start day not counted) and an
	// objection received in it, decided within 15 working days.
	NoticeStartOn     string `json:"publicNoticeStartOn,omitempty"`
	NoticeEndOn       string `json:"publicNoticeEndOn,omitempty"`
	Objection         string `json:"objection,omitempty"`
	ObjectionOn       string `json:"objectionOn,omitempty"`
	ObjectionDueOn    string `json:"objectionDueOn,omitempty"`
	ObjectionDecision string `json:"objectionDecision,omitempty"`
	Version           int    `json:"version"`
	// CreditFlags: confirmed or published 失信 records on the benefit's person (a banner; never a
	// reason by itself).
	CreditFlags []creditFlagView `json:"creditFlags"`
}

type creditFlagView struct {
	ID         string `json:"id"`
	Conduct    string `json:"conduct"`
	Level      string `json:"level"`
	LevelLabel string `json:"levelLabel"`
	ValidTo    string `json:"validTo"`
}

func toReviewView(v *reviews.View) reviewView {
	r := v.Review
	out := reviewView{ID: r.PublicID, BenefitID: v.BenefitPublicID, Category: v.Category, PersonMasked: v.PersonMasked, CurrentCents: v.CurrentCents,
		Kind: r.Kind, KindLabel: model.ReviewKindLabel(r.Kind), Status: r.Status, StatusLabel: model.ReviewStatusLabel(r.Status), DueOn: r.DueOn,
		Overdue: v.Overdue, OpenedOn: r.OpenedOn, EventOn: r.EventOn, Cause: r.Cause, ReportedByUser: r.ReportedByResident != 0,
		Findings: r.Findings, VisitedOn: r.VisitedOn, Visitors: []string{}, Outcome: r.Outcome, OutcomeLabel: model.ReviewOutcomeLabel(r.Outcome),
		MonthlyCents: r.MonthlyCents, Persons: r.Persons, GradualMonths: r.GradualMonths, SchedulePct: []int{}, Variable: r.Variable,
		Reason: r.Reason, ProposedBy: r.ProposedBy, DecidedBy: r.DecidedBy, DecidedOn: r.DecidedOn, EffectiveMonth: r.EffectiveMonth,
		NoticeDueOn: r.NoticeDueOn, NoticeProv: r.NoticeProv, NoticeServedOn: r.NoticeServedOn, Changes: []benefitChangeView{}, Version: r.Version,
		NoticeStartOn: r.NoticeStartOn, NoticeEndOn: r.NoticeEndOn, Objection: r.Objection, ObjectionOn: r.ObjectionOn,
		ObjectionDueOn: r.ObjectionDueOn, ObjectionDecision: r.ObjectionDecision}
	out.CreditFlags = []creditFlagView{}
	for _, c := range v.Credit {
		out.CreditFlags = append(out.CreditFlags, creditFlagView{ID: c.PublicID, Conduct: model.CreditConductLabel(c.Conduct), Level: c.Level,
			LevelLabel: model.CreditLevelLabel(c.Level), ValidTo: c.ValidTo})
	}
	if r.Visitors != "" {
		out.Visitors = strings.Split(r.Visitors, ",")
	}
	if pct, ok := model.ParseSchedule(r.SchedulePct); ok && pct != nil {
		out.SchedulePct = pct
	}
	if r.NoticeDueOn != "" {
		out.Remedies = model.ReviewRemedies
	}
	for _, c := range v.Changes {
		out.Changes = append(out.Changes, benefitChangeView{Kind: c.Kind, EffectiveMonth: c.EffectiveMonth, MonthlyCents: c.MonthlyCentsAfter,
			Persons: c.Persons, Reason: c.Reason, DecidedBy: c.DecidedByStaffID, DecidedAt: c.DecidedAt.In(model.China()), Ref: c.Ref})
	}
	return out
}

type reviewList struct {
	Items []reviewView `json:"items"`
}

var errReviewOverdue = model.Invalid("request.invalid_query", "overdue 只能是 true 或 false").WithField("overdue", "true 或 false")

func (h *Handler) listReviews(c *gin.Context) {
	overdue := c.Query("overdue")
	if overdue != "" && overdue != "true" && overdue != "false" {
		httpx.Fail(c, errReviewOverdue)
		return
	}
	vs, err := h.app.Reviews.List(c.Request.Context(), staff(c), c.Query("status"), overdue == "true", c.Query("kind"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := reviewList{Items: []reviewView{}}
	for i := range vs {
		out.Items = append(out.Items, toReviewView(&vs[i]))
	}
	httpx.OK(c, http.StatusOK, out)
}

func (h *Handler) getReview(c *gin.Context) {
	v, err := h.app.Reviews.Get(c.Request.Context(), staff(c), c.Param("id"))
	h.reviewAnswer(c, v, err, http.StatusOK)
}

func (h *Handler) reviewAnswer(c *gin.Context, v *reviews.View, err error, status int) {
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, status, toReviewView(v))
}

// openReviewRequest opens a review of a benefit.
type openReviewRequest struct {
	Kind    string `json:"kind" docs:"required"` // periodic | change_report | death | warning | age_out
	EventOn string `json:"eventOn"`              // death: date of death (required); age_out: the 18th birthday (required); change_report: date of the change
	Cause   string `json:"cause" docs:"required"`
}

func (h *Handler) openReview(c *gin.Context) {
	var req openReviewRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	v, err := h.app.Reviews.Open(c.Request.Context(), staff(c), c.Param("id"), reviews.OpenInput{Kind: req.Kind, EventOn: req.EventOn, Cause: req.Cause})
	h.reviewAnswer(c, v, err, http.StatusCreated)
}

type investigateRequest struct {
	Version   int      `json:"version" docs:"required"`
	Findings  string   `json:"findings" docs:"required"`
	VisitedOn string   `json:"visitedOn"` // a home visit: its date and two staff
	Visitors  []string `json:"visitors"`
}

func (h *Handler) investigateReview(c *gin.Context) {
	var req investigateRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	v, err := h.app.Reviews.Investigate(c.Request.Context(), staff(c), c.Param("id"), reviews.InvestigateInput{Version: req.Version,
		Findings: req.Findings, VisitedOn: req.VisitedOn, Visitors: req.Visitors})
	h.reviewAnswer(c, v, err, http.StatusOK)
}

type proposeRequest struct {
	Version       int    `json:"version" docs:"required"`
	Outcome       string `json:"outcome" docs:"required"` // unchanged | increase | decrease | gradual_exit | suspend | terminate
	MonthlyCents  int64  `json:"monthlyCents"`            // increase / decrease: the new monthly amount
	Persons       int    `json:"persons"`                 // increase / decrease: persons covered after (0: unchanged)
	GradualMonths int    `json:"gradualMonths"`           // 渐退: months (1 … gradual_exit.max_months)
	SchedulePct   []int  `json:"schedulePct"`             // 渐退: percent of the current amount per month (empty: 100 %)
	Variable      bool   `json:"variable"`                // 低保: income irregular or a member able to work (next review in review.minimum_living_variable_months)
	Reason        string `json:"reason" docs:"required"`
}

func (h *Handler) proposeReview(c *gin.Context) {
	var req proposeRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	v, err := h.app.Reviews.Propose(c.Request.Context(), staff(c), c.Param("id"), reviews.ProposeInput{Version: req.Version, Outcome: req.Outcome,
		MonthlyCents: req.MonthlyCents, Persons: req.Persons, GradualMonths: req.GradualMonths, SchedulePct: req.SchedulePct,
		Variable: req.Variable, Reason: req.Reason})
	h.reviewAnswer(c, v, err, http.StatusOK)
}

type reviewVersion struct {
	Version int `json:"version" docs:"required"`
}

func (h *Handler) decideReview(c *gin.Context) {
	var req reviewVersion
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	v, err := h.app.Reviews.Decide(c.Request.Context(), staff(c), c.Param("id"), req.Version)
	h.reviewAnswer(c, v, err, http.StatusOK)
}

type returnReviewRequest struct {
	Version int    `json:"version" docs:"required"`
	Reason  string `json:"reason" docs:"required"`
}

func (h *Handler) returnReview(c *gin.Context) {
	var req returnReviewRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	v, err := h.app.Reviews.Return(c.Request.Context(), staff(c), c.Param("id"), req.Version, req.Reason)
	h.reviewAnswer(c, v, err, http.StatusOK)
}

type closeReviewRequest struct {
	Version        int    `json:"version" docs:"required"`
	NoticeServedOn string `json:"noticeServedOn"` // decrease, 渐退, suspension, termination: the date the written notice was served
}

func (h *Handler) closeReview(c *gin.Context) {
	var req closeReviewRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	v, err := h.app.Reviews.Close(c.Request.Context(), staff(c), c.Param("id"), req.Version, req.NoticeServedOn)
	h.reviewAnswer(c, v, err, http.StatusOK)
}

type reviewObjectionRequest struct {
	Version   int    `json:"version" docs:"required"`
	Objection string `json:"objection" docs:"required"`
}

func (h *Handler) objectReview(c *gin.Context) {
	var req reviewObjectionRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	v, err := h.app.Reviews.Object(c.Request.Context(), staff(c), c.Param("id"), req.Version, req.Objection)
	h.reviewAnswer(c, v, err, http.StatusOK)
}

type reviewObjectionDecisionRequest struct {
	Version int    `json:"version" docs:"required"`
	Upheld  bool   `json:"upheld"` // true: the support continues; false: a new public notice starts
	Reason  string `json:"reason" docs:"required"`
}

func (h *Handler) decideObjection(c *gin.Context) {
	var req reviewObjectionDecisionRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	v, err := h.app.Reviews.DecideObjection(c.Request.Context(), staff(c), c.Param("id"), req.Version, req.Upheld, req.Reason)
	h.reviewAnswer(c, v, err, http.StatusOK)
}

func reviewDocs() []docs.Route {
	const tag = "staff"
	id := []docs.Param{{Name: "id", Description: "核查编号"}}
	notFound := docs.Response{Status: http.StatusNotFound, Description: "`review.not_found`：核查不存在，或不在本人辖区"}
	forbidden := docs.Response{Status: http.StatusForbidden, Description: "`auth.forbidden`：岗位不能办理此事项"}
	conflict := func(extra string) docs.Response {
		return docs.Response{Status: http.StatusConflict, Description: "`review.illegal_transition`：该核查当前状态不能进行此操作\n`review.version_conflict`：核查已被他人更新" + extra}
	}
	ok := docs.Response{Status: http.StatusOK, Body: reviewView{}, Description: "核查"}
	return []docs.Route{
		{Method: http.MethodGet, Path: "/api/v1/reviews", OperationID: "staffListReviews", Tag: tag, Auth: true,
			Summary: "在保对象核查工作清单（本人辖区），按到期日排列：定期核查、变更申报、死亡核查、预警、年满18周岁；默认不含已办结",
			Query: []docs.Param{{Name: "status", Description: "只看一个状态", Enum: []string{"open", "investigating", "proposed", "noticed", "decided", "closed"}},
				{Name: "overdue", Description: "true：只看已超期未决定的", Enum: []string{"true", "false"}},
				{Name: "kind", Description: "只看一种核查", Enum: []string{"periodic", "change_report", "death", "warning", "age_out", "standard_change"}}},
			Responses: []docs.Response{{Status: http.StatusOK, Body: reviewList{}, Description: "至多200条"},
				{Status: http.StatusBadRequest, Description: "`review.invalid_status`：状态不正确\n`review.invalid_kind`：核查类型不正确\n`request.invalid_query`：overdue 只能是 true 或 false"},
				{Status: http.StatusForbidden, Description: "`auth.forbidden`：岗位不能查看在保对象"}}},
		{Method: http.MethodGet, Path: "/api/v1/reviews/{id}", OperationID: "staffGetReview", Tag: tag, Auth: true,
			Summary: "核查详情：事由、核查情况、乡镇意见、县级决定及其产生的保障变更、书面告知期限和救济途径", PathParams: id,
			Responses: []docs.Response{ok, notFound}},
		{Method: http.MethodPost, Path: "/api/v1/benefits/{id}/reviews", OperationID: "staffOpenReview", Tag: tag, Auth: true,
			Summary:    "开启在保对象核查（乡镇；县级可开启预警核查）：变更申报（柜台登记）、成员死亡（自死亡之日起按地区规定月数内完成）、年满18周岁、预警、提前定期核查；留痕",
			PathParams: []docs.Param{{Name: "id", Description: "在保对象编号"}}, Request: openReviewRequest{},
			Responses: []docs.Response{{Status: http.StatusCreated, Body: reviewView{}, Description: "已开启，待核查"},
				{Status: http.StatusBadRequest, Description: "`review.invalid_kind`：核查类型不正确\n`review.invalid_event_date`：事件日期不正确\n`review.cause_required`：请填写核查事由"},
				forbidden,
				{Status: http.StatusNotFound, Description: "`benefit.not_found`：在保对象不存在，或不在本人辖区"},
				{Status: http.StatusConflict, Description: "`benefit.terminated`：该保障已停发"},
				{Status: http.StatusUnprocessableEntity, Description: "`review.standard_change_batch`：调整标准由县级批量办理"}}},
		{Method: http.MethodPost, Path: "/api/v1/reviews/{id}/investigate", OperationID: "staffInvestigateReview", Tag: tag, Auth: true,
			Summary: "乡镇记录核查情况（核对；入户的须两名工作人员）；留痕", PathParams: id, Request: investigateRequest{},
			Responses: []docs.Response{ok, {Status: http.StatusBadRequest, Description: "`review.findings_required`：请填写核查情况\n`review.invalid_visit_date`：入户日期不正确"},
				forbidden, notFound, conflict(""), {Status: http.StatusUnprocessableEntity, Description: "`review.visit_two_staff`：入户核查须由两名工作人员进行"}}},
		{Method: http.MethodPost, Path: "/api/v1/reviews/{id}/propose", OperationID: "staffProposeReview", Tag: tag, Auth: true,
			Summary: "乡镇提出核查意见：维持、增发、减发、渐退（不超过地区规定月数，可按月设比例）、暂停、停发；留痕", PathParams: id, Request: proposeRequest{},
			Responses: []docs.Response{ok, {Status: http.StatusBadRequest, Description: "`review.invalid_outcome`：结论不正确\n`review.reason_required`：请填写理由\n`review.invalid_schedule`：渐退比例不正确"},
				forbidden, notFound, conflict(""),
				{Status: http.StatusUnprocessableEntity, Description: "`review.invalid_amount`：增发须高于、减发须低于现发金额\n`review.gradual_months`：渐退期超出本地规定的最长月数"}}},
		{Method: http.MethodPost, Path: "/api/v1/reviews/{id}/decide", OperationID: "staffDecideReview", Tag: tag, Auth: true,
			Summary:    "县级决定（按乡镇意见）：保障变更自决定日（北京时间）次月起生效；减发、渐退、暂停、停发须在规定工作日内书面告知理由和复议、诉讼途径；下次核查日期按地区周期重算；留痕",
			PathParams: id, Request: reviewVersion{},
			Responses: []docs.Response{ok, forbidden, notFound, conflict("\n`review.notice_running`：终止公示期未满，或有异议尚未处理\n`review.four_eyes`：提出意见的人员不能作出决定\n`benefit.terminated`：该保障已停发\n`benefit.stale`：在保对象已被他人修改"),
				{Status: http.StatusUnprocessableEntity, Description: "`review.invalid_amount`：现发金额已变，请乡镇重新提出意见"}}},
		{Method: http.MethodPost, Path: "/api/v1/reviews/{id}/return", OperationID: "staffReturnReview", Tag: tag, Auth: true,
			Summary: "县级退回乡镇重新核查（写明理由）；留痕", PathParams: id, Request: returnReviewRequest{},
			Responses: []docs.Response{ok, {Status: http.StatusBadRequest, Description: "`review.reason_required`：请填写理由"}, forbidden, notFound, conflict("")}},
		{Method: http.MethodPost, Path: "/api/v1/reviews/{id}/close", OperationID: "staffCloseReview", Tag: tag, Auth: true,
			Summary: "办结核查：减发、渐退、暂停、停发须登记书面告知送达日期；留痕", PathParams: id, Request: closeReviewRequest{},
			Responses: []docs.Response{ok, {Status: http.StatusBadRequest, Description: "`review.invalid_notice_date`：请填写书面告知送达日期"}, forbidden, notFound, conflict("")}},
		{Method: http.MethodPost, Path: "/api/v1/reviews/{id}/objection", OperationID: "staffReviewObjection", Tag: tag, Auth: true,
			Summary: "登记终止特困供养公示期间收到的异议（公示期内）：县级须在15个工作日内作出决定；留痕", PathParams: id, Request: reviewObjectionRequest{},
			Responses: []docs.Response{ok, {Status: http.StatusBadRequest, Description: "`review.objection_required`：请填写异议内容"}, forbidden, notFound, conflict("")}},
		{Method: http.MethodPost, Path: "/api/v1/reviews/{id}/objection-decision", OperationID: "staffReviewObjectionDecision", Tag: tag, Auth: true,
			Summary: "县级对异议作出决定：成立的继续供养（核查以维持不变办结）；不成立的重新公示；留痕", PathParams: id, Request: reviewObjectionDecisionRequest{},
			Responses: []docs.Response{ok, {Status: http.StatusBadRequest, Description: "`review.reason_required`：请填写理由"}, forbidden, notFound, conflict("")}},
	}
}
