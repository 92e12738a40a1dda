package api

import (
	"bytes"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/model"
	"palmaid/service/benefits"
	"palmaid/service/ratelimit"
)

// registerBenefits mounts the recipients (在保对象) and the monthly payment rosters.
func (h *Handler) registerBenefits(g *httpx.Router) {
	read, write := staffRead(), staffWrite()
	g.GET("/benefits", read, h.listBenefits)
	g.GET("/benefits/:id", read, h.getBenefit)
	g.PUT("/benefits/:id/account", write, h.recordAccount)
	g.POST("/benefits/:id/account-change", write, h.decideAccountChange)
	g.GET("/benefit-stats", read, h.benefitStats)
	g.GET("/rosters", read, h.listRosters)
	g.POST("/rosters", write, h.prepareRoster)
	g.GET("/rosters/:id", read, h.getRoster)
	g.GET("/rosters/:id/lines", read, h.rosterLines)
	for _, a := range rosterActions {
		g.POST("/rosters/:id/"+a.path, write, h.rosterAction(a))
	}
	g.POST("/rosters/:id/feedback", write, h.rosterFeedback)
	g.POST(FeedbackFilePath, httpx.OfficerClass("import:staff", ratelimit.PerMinute(30)), h.rosterFeedbackFile)
	g.POST("/rosters/:id/export", httpx.OfficerClass("export:staff", ratelimit.PerMinute(30)), h.exportRoster)
}

// Parts and views of a benefit.
type amountPart struct {
	Label string `json:"label"`
	Cents int64  `json:"cents"`
}

type benefitChangeView struct {
	Kind           string    `json:"kind"`
	EffectiveMonth string    `json:"effectiveMonth"`
	MonthlyCents   int64     `json:"monthlyCents"`
	Persons        int       `json:"persons"`
	Reason         string    `json:"reason,omitempty"`
	DecidedBy      uint64    `json:"decidedByStaffId"`
	DecidedAt      time.Time `json:"decidedAt"`
	Ref            string    `json:"ref,omitempty"`
}

type paymentView struct {
	Month        string `json:"month"`
	ForMonth     string `json:"forMonth"`
	Kind         string `json:"kind"` // regular | arrears
	Cents        int64  `json:"cents"`
	Status       string `json:"status"` // pending | paid | failed
	StatusLabel  string `json:"statusLabel"`
	AccountTail4 string `json:"accountTail4,omitempty"`
}

// benefitView is a recipient record as staff see it (masked).
type benefitView struct {
	ID            string         `json:"id"`
	Category      model.Category `json:"category"`
	CategoryLabel string         `json:"categoryLabel"`
	PerPerson     bool           `json:"perPerson"`
	PersonMasked  string         `json:"personMasked"`
	AreaCode      string         `json:"areaCode"`
	TownCode      string         `json:"townCode"`
	Status        string         `json:"status"`
	StatusLabel   string         `json:"statusLabel"`
	Persons       int            `json:"persons"`
	MonthlyCents  int64          `json:"monthlyCents"`
	Breakdown     []amountPart   `json:"breakdown"`
	Formula       string         `json:"formula"`
	PolicyRef     string         `json:"policyRef"`
	EngineCents   int64          `json:"engineCents"`
	EffectiveFrom string         `json:"effectiveFrom"`
	EffectiveTo   string         `json:"effectiveTo,omitempty"`
	NextReviewOn  string         `json:"nextReviewOn"`
	AccountKind   string         `json:"accountKind,omitempty"`
	AccountBank   string         `json:"accountBank,omitempty"`
	AccountTail4  string         `json:"accountTail4,omitempty"`
	// Who recorded (verified) the account and when; the custody agreement of a card kept by staff.
	AccountVerifiedBy uint64              `json:"accountVerifiedByStaffId,omitempty"`
	AccountVerifiedAt *time.Time          `json:"accountVerifiedAt,omitempty"`
	CustodyAgreement  string              `json:"custodyAgreement,omitempty"`
	Changes           []benefitChangeView `json:"changes,omitempty"`
	// AccountChange is the resident's pending request for another account (none: absent).
	AccountChange *accountChangeView `json:"accountChange,omitempty"`
	Payments      []paymentView      `json:"payments,omitempty"`
}

func toBenefitView(v *benefits.View) benefitView {
	b := v.Benefit
	out := benefitView{ID: b.PublicID, Category: b.Category, CategoryLabel: b.Category.Label(), PerPerson: b.MemberPosition != model.HouseholdLevel,
		PersonMasked: b.PersonMasked, AreaCode: b.AreaCode, TownCode: b.TownCode, Status: string(b.Status), StatusLabel: b.Status.Label(),
		Persons: b.Persons, MonthlyCents: b.MonthlyCents, Formula: v.Formula, PolicyRef: b.PolicyRef, EngineCents: b.EngineCents,
		EffectiveFrom: b.EffectiveFrom, EffectiveTo: b.EffectiveTo, NextReviewOn: b.NextReviewOn, AccountKind: v.AccountKind,
		AccountBank: v.AccountBank, AccountTail4: v.AccountTail4, Breakdown: []amountPart{}, CustodyAgreement: v.Account.CustodyAgreement,
		AccountVerifiedBy: v.Account.VerifiedByStaff}
	if !v.Account.VerifiedAt.IsZero() {
		at := v.Account.VerifiedAt.In(model.China())
		out.AccountVerifiedAt = &at
	}
	for _, p := range v.Breakdown {
		out.Breakdown = append(out.Breakdown, amountPart{Label: p.Label, Cents: p.Cents})
	}
	if a := v.AccountChange; a != nil {
		out.AccountChange = &accountChangeView{Kind: a.Kind, Bank: a.Bank, HolderMasked: a.HolderMasked, AccountTail4: a.Tail4,
			RequestedAt: a.CreatedAt.In(model.China())}
	}
	for _, c := range v.Changes {
		out.Changes = append(out.Changes, benefitChangeView{Kind: c.Kind, EffectiveMonth: c.EffectiveMonth, MonthlyCents: c.MonthlyCentsAfter,
			Persons: c.Persons, Reason: c.Reason, DecidedBy: c.DecidedByStaffID, DecidedAt: c.DecidedAt.In(model.China()), Ref: c.Ref})
	}
	return out
}

func toPaymentViews(recs []benefits.PaymentRecord) []paymentView {
	out := []paymentView{}
	for _, r := range recs {
		out = append(out, paymentView{Month: r.Month, ForMonth: r.ForMonth, Kind: r.Kind, Cents: r.Cents, Status: r.Status,
			StatusLabel: r.StatusLabel, AccountTail4: r.AccountTail4})
	}
	return out
}

type benefitList struct {
	Items      []benefitView `json:"items"`
	NextCursor string        `json:"nextCursor,omitempty"`
}

var (
	errBenefitCategory = model.Invalid("benefit.invalid_category", "救助类别不正确").WithField("category", "minimum_living 或 extreme_hardship")
)

func (h *Handler) listBenefits(c *gin.Context) {
	p, err := httpx.ParsePage(c, 50, 200)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	cat := model.Category(c.Query("category"))
	if cat != "" && cat != model.CatMinimumLiving && cat != model.CatExtremeHardship {
		httpx.Fail(c, errBenefitCategory)
		return
	}
	vs, err := h.app.Benefits.List(c.Request.Context(), staff(c), cat, p.Cursor, p.Fetch())
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	vs, next := httpx.PageOf(p, vs, func(v benefits.View) uint64 { return v.Benefit.ID })
	out := benefitList{Items: []benefitView{}, NextCursor: next}
	for i := range vs {
		out.Items = append(out.Items, toBenefitView(&vs[i]))
	}
	httpx.OK(c, http.StatusOK, out)
}

func (h *Handler) getBenefit(c *gin.Context) {
	v, recs, err := h.app.Benefits.Get(c.Request.Context(), staff(c), c.Param("id"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := toBenefitView(v)
	out.Payments = toPaymentViews(recs)
	httpx.OK(c, http.StatusOK, out)
}

// accountChangeView is a resident's pending request for another account, masked.
type accountChangeView struct {
	Kind         string    `json:"kind"`
	Bank         string    `json:"bank"`
	HolderMasked string    `json:"holderMasked"`
	AccountTail4 string    `json:"accountTail4"`
	RequestedAt  time.Time `json:"requestedAt"`
}

// accountChangeDecision is the town's answer to the resident's request.
type accountChangeDecision struct {
	Decision string `json:"decision" docs:"required"` // verify | reject
	Reason   string `json:"reason"`                   // why it is refused (required for reject)
}

func (h *Handler) decideAccountChange(c *gin.Context) {
	var req accountChangeDecision
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	v, err := h.app.Benefits.DecideAccountChange(c.Request.Context(), staff(c), c.Param("id"), req.Decision, req.Reason)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toBenefitView(v))
}

// accountRequest is the payee's account as the town records it.
type accountRequest struct {
	Kind             string `json:"kind" docs:"required"` // social_security_card | one_card_passbook | bank_card
	Bank             string `json:"bank" docs:"required"`
	HolderName       string `json:"holderName" docs:"required"`
	Number           string `json:"number" docs:"required"`
	CustodyAgreement string `json:"custodyAgreement"` // a card held by staff: the filed agreement's reference
	HeldByStaff      bool   `json:"heldByStaff"`      // the card is kept by staff (S1 art. 26: needs custodyAgreement)
}

func (h *Handler) recordAccount(c *gin.Context) {
	var req accountRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	v, err := h.app.Benefits.RecordAccount(c.Request.Context(), staff(c), c.Param("id"), benefits.AccountInput{Kind: req.Kind, Bank: req.Bank,
		HolderName: req.HolderName, Number: req.Number, CustodyAgreement: req.CustodyAgreement, HeldByStaff: req.HeldByStaff})
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toBenefitView(v))
}

// Rosters.

type rosterDiffView struct {
	PrevMonth  string `json:"prevMonth"`
	PrevExists bool   `json:"prevExists"`
	PrevTotal  int64  `json:"prevTotalCents"`
	New        int    `json:"new"`
	Stopped    int    `json:"stopped"`
	Changed    int    `json:"changed"`
}

type rosterLineView struct {
	ID           uint64 `json:"id"`
	BenefitID    string `json:"benefitId"`
	TownCode     string `json:"townCode"`
	AreaCode     string `json:"areaCode"`
	Kind         string `json:"kind"`
	ForMonth     string `json:"forMonth"`
	Persons      int    `json:"persons"`
	Cents        int64  `json:"cents"`
	PayeeMasked  string `json:"payeeMasked"`
	AccountTail4 string `json:"accountTail4,omitempty"`
	Status       string `json:"status"`
	StatusLabel  string `json:"statusLabel"`
	FailReason   string `json:"failReason,omitempty"`
}

type rosterView struct {
	ID               string         `json:"id"`
	CountyCode       string         `json:"countyCode"`
	Month            string         `json:"month"`
	Category         model.Category `json:"category"`
	CategoryLabel    string         `json:"categoryLabel"`
	Status           string         `json:"status"`
	StatusLabel      string         `json:"statusLabel"`
	PayByOn          string         `json:"payByOn"`
	PayByProvisional bool           `json:"payByProvisional"`
	ConfirmByOn      string         `json:"confirmByOn,omitempty"` // the towns confirm by this day; after it the roster is checked all the same
	TownsPending     []string       `json:"townsPending"`
	Households       int            `json:"households"`
	Persons          int            `json:"persons"`
	TotalCents       int64          `json:"totalCents"`
	Partial          bool           `json:"partial"` // only the viewer's own area's lines and totals
	FileSHA256       string         `json:"fileSha256,omitempty"`
	Version          int            `json:"version"`
	Diff             rosterDiffView `json:"diff"`
}

func toRosterView(r *benefits.RosterRecord) rosterView {
	ro := r.Roster
	v := rosterView{ID: ro.PublicID, CountyCode: ro.CountyCode, Month: ro.Month, Category: ro.Category, CategoryLabel: ro.Category.Label(),
		Status: string(ro.Status), StatusLabel: ro.Status.Label(), PayByOn: ro.PayByOn, PayByProvisional: ro.PayByProvisional, ConfirmByOn: ro.ConfirmByOn,
		TownsPending: []string{}, Households: r.Households, Persons: r.Persons, TotalCents: r.TotalCents, Partial: r.Partial,
		FileSHA256: ro.FileSHA256, Version: ro.Version, Diff: rosterDiffView(r.Diff)}
	if ro.TownsPending != "" {
		v.TownsPending = splitComma(ro.TownsPending)
	}
	return v
}

func splitComma(s string) []string {
	var out []string
	for _, p := range bytes.Split([]byte(s), []byte(",")) {
		out = append(out, string(p))
	}
	return out
}

type rosterList struct {
	Items []rosterView `json:"items"`
}

func (h *Handler) listRosters(c *gin.Context) {
	rs, err := h.app.Benefits.Rosters(c.Request.Context(), staff(c), c.Query("month"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := rosterList{Items: []rosterView{}}
	for i := range rs {
		out.Items = append(out.Items, toRosterView(&rs[i]))
	}
	httpx.OK(c, http.StatusOK, out)
}

type prepareRosterRequest struct {
	Month    string         `json:"month" docs:"required"`    // YYYY-MM
	Category model.Category `json:"category" docs:"required"` // minimum_living | extreme_hardship
}

func (h *Handler) prepareRoster(c *gin.Context) {
	var req prepareRosterRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	r, err := h.app.Benefits.Prepare(c.Request.Context(), staff(c), req.Month, req.Category)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusCreated, toRosterView(r))
}

func (h *Handler) getRoster(c *gin.Context) {
	r, err := h.app.Benefits.Roster(c.Request.Context(), staff(c), c.Param("id"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toRosterView(r))
}

type rosterLinePage struct {
	Items      []rosterLineView `json:"items"`
	NextCursor string           `json:"nextCursor,omitempty"`
}

var errLineCursor = benefits.ErrLineQuery.WithField("cursor", "上一页响应的 nextCursor")

func (h *Handler) rosterLines(c *gin.Context) {
	f := benefits.LineFilter{Area: c.Query("area"), Query: c.Query("q"), Status: c.Query("status"), Limit: 100}
	if q := c.Query("cursor"); q != "" {
		n, err := strconv.ParseUint(q, 10, 64)
		if err != nil || n == 0 {
			httpx.Fail(c, errLineCursor)
			return
		}
		f.After = n
	}
	if q, ok := c.GetQuery("limit"); ok {
		n, err := strconv.Atoi(q)
		if err != nil {
			n = -1
		}
		f.Limit = n
	}
	p, err := h.app.Benefits.Lines(c.Request.Context(), staff(c), c.Param("id"), f)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := rosterLinePage{Items: []rosterLineView{}}
	for _, l := range p.Lines {
		out.Items = append(out.Items, rosterLineView{ID: l.ID, BenefitID: p.Benefits[l.BenefitID], TownCode: l.TownCode, AreaCode: l.AreaCode,
			Kind: l.Kind, ForMonth: l.ForMonth, Persons: l.Persons, Cents: l.TotalCents, PayeeMasked: l.PayeeMasked,
			AccountTail4: l.AccountTail4, Status: l.Status, StatusLabel: benefits.StatusLabel(l.Status), FailReason: l.FailReason})
	}
	if p.Next != 0 {
		out.NextCursor = strconv.FormatUint(p.Next, 10)
	}
	httpx.OK(c, http.StatusOK, out)
}

// rosterVersion is the body of a roster step: the version read.
type rosterVersion struct {
	Version int `json:"version" docs:"required"`
}

type rosterAction struct {
	path, op, summary, errs string
	run                     func(s *benefits.Service) func(c *gin.Context, st *model.Staff, id string, version int) (*benefits.RosterRecord, error)
}

var rosterActions = []rosterAction{
	{path: "rebuild", op: "staffRebuildRoster", summary: "重新生成待核对的花名册（审批前；乡镇须重新核对）。审批后名单不可更改，更正进入以后月份的花名册",
		errs: "`roster.wrong_state`：花名册已审批，名单不可更改",
		run: func(s *benefits.Service) func(*gin.Context, *model.Staff, string, int) (*benefits.RosterRecord, error) {
			return func(c *gin.Context, st *model.Staff, id string, v int) (*benefits.RosterRecord, error) {
				return s.Rebuild(c.Request.Context(), st, id, v)
			}
		}},
	{path: "confirm", op: "staffConfirmRoster", summary: "乡镇核对确认本乡镇的发放名单；各乡镇均确认后花名册为“乡镇已核对”。核对截止日（confirmByOn，发放日前若干工作日，地区设置 payment.town_confirm_working_days）过后，未核对的乡镇视为已核对（定时任务或下次读取时，只一次，留痕）",
		errs: "`roster.wrong_state`：花名册不在待核对状态（或核对截止日已过）\n`roster.nothing_to_confirm`：本乡镇没有待核对的名单，或已经核对",
		run: func(s *benefits.Service) func(*gin.Context, *model.Staff, string, int) (*benefits.RosterRecord, error) {
			return func(c *gin.Context, st *model.Staff, id string, v int) (*benefits.RosterRecord, error) {
				return s.Confirm(c.Request.Context(), st, id, v)
			}
		}},
	{path: "approve", op: "staffApproveRoster", summary: "县级审批花名册（编制人以外的人员审批）；审批后名单不可更改",
		errs: "`roster.wrong_state`：花名册尚未经乡镇核对，或已审批",
		run: func(s *benefits.Service) func(*gin.Context, *model.Staff, string, int) (*benefits.RosterRecord, error) {
			return func(c *gin.Context, st *model.Staff, id string, v int) (*benefits.RosterRecord, error) {
				return s.Approve(c.Request.Context(), st, id, v)
			}
		}},
	{path: "close", op: "staffCloseRoster", summary: "回盘完成后结束花名册",
		errs: "`roster.wrong_state`：花名册尚未回盘",
		run: func(s *benefits.Service) func(*gin.Context, *model.Staff, string, int) (*benefits.RosterRecord, error) {
			return func(c *gin.Context, st *model.Staff, id string, v int) (*benefits.RosterRecord, error) {
				return s.Close(c.Request.Context(), st, id, v)
			}
		}},
}

func (h *Handler) rosterAction(a rosterAction) gin.HandlerFunc {
	run := a.run(h.app.Benefits)
	return func(c *gin.Context) {
		var req rosterVersion
		if err := httpx.BindJSON(c, &req); err != nil {
			httpx.Fail(c, err)
			return
		}
		r, err := run(c, staff(c), c.Param("id"), req.Version)
		if err != nil {
			httpx.Fail(c, err)
			return
		}
		httpx.OK(c, http.StatusOK, toRosterView(r))
	}
}

type feedbackLine struct {
	LineID uint64 `json:"lineId" docs:"required"`
	Status string `json:"status" docs:"required"` // paid | failed
	Reason string `json:"reason"`                 // why it failed (required for failed)
}

type rosterFeedbackRequest struct {
	Version int            `json:"version" docs:"required"`
	Lines   []feedbackLine `json:"lines" docs:"required"`
}

func (h *Handler) rosterFeedback(c *gin.Context) {
	var req rosterFeedbackRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	items := make([]benefits.FeedbackItem, len(req.Lines))
	for i, l := range req.Lines {
		items[i] = benefits.FeedbackItem{LineID: l.LineID, Status: l.Status, Reason: l.Reason}
	}
	r, err := h.app.Benefits.Feedback(c.Request.Context(), staff(c), c.Param("id"), req.Version, items)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toRosterView(r))
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

var errExportQuery = benefits.ErrExportQuery.WithField("unmasked", "true 或 false")

func (h *Handler) exportRoster(c *gin.Context) {
	unmasked := false
	switch c.Query("unmasked") {
	case "", "false":
	case "true":
		unmasked = true
	default:
		httpx.Fail(c, errExportQuery)
		return
	}
	format := c.DefaultQuery("format", benefits.FormatCSV)
	file, name, sum, err := h.app.Benefits.Export(c.Request.Context(), staff(c), c.Param("id"), format, unmasked)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Header("X-File-SHA256", sum)
	mime := "text/csv; charset=utf-8"
	if format == benefits.FormatXLSX {
		mime = xlsxType
	}
	httpx.Attachment(c, name, mime, int64(len(file)), bytes.NewReader(file))
}

func benefitDocs() []docs.Route {
	const tag = "staff"
	id := []docs.Param{{Name: "id", Description: "在保对象编号"}}
	rid := []docs.Param{{Name: "id", Description: "花名册编号"}}
	routes := []docs.Route{
		{Method: http.MethodGet, Path: "/api/v1/benefits", OperationID: "staffListBenefits", Tag: tag, Auth: true,
			Summary: "在保对象（本人辖区）：类别、保障人数、月保障金及其构成、起始月份、下次核查日期、账户尾号",
			Query: []docs.Param{{Name: "category", Description: "只看一个类别", Enum: []string{"minimum_living", "extreme_hardship"}},
				{Name: "limit", Type: "integer", Description: "每页条数，1–200，默认50"},
				{Name: "cursor", Description: "翻页游标：上一页响应的 nextCursor；首页不传"}},
			Responses: []docs.Response{{Status: http.StatusOK, Body: benefitList{}, Description: "一页（默认50条）；nextCursor 为空表示没有更多"},
				{Status: http.StatusBadRequest, Description: "`benefit.invalid_category`：类别不正确\n`request.invalid_page`：分页参数不正确"},
				{Status: http.StatusForbidden, Description: "`auth.forbidden`：岗位不能查看在保对象"}}},
		{Method: http.MethodGet, Path: "/api/v1/benefits/{id}", OperationID: "staffGetBenefit", Tag: tag, Auth: true,
			Summary: "在保对象详情：变更记录（只增不改，每条有生效月份、决定人、原因和来源申请）和发放记录", PathParams: id,
			Responses: []docs.Response{{Status: http.StatusOK, Body: benefitView{}, Description: "在保对象"},
				{Status: http.StatusNotFound, Description: "`benefit.not_found`：在保对象不存在，或不在本人辖区"}}},
		{Method: http.MethodPut, Path: "/api/v1/benefits/{id}/account", OperationID: "staffRecordPayeeAccount", Tag: tag, Auth: true,
			Summary:    "乡镇登记领取账户（社会保障卡、一卡通、银行卡）：账号和户名加密保存，只显示尾号后四位；由工作人员代管的须填写备案的代管协议编号；留痕",
			PathParams: id, Request: accountRequest{},
			Responses: []docs.Response{{Status: http.StatusOK, Body: benefitView{}, Description: "已登记；以后生成的花名册使用此账户"},
				{Status: http.StatusBadRequest, Description: "`payee.invalid_kind`：账户类型不正确\n`payee.invalid_number`：账号应为8至30位数字\n`payee.invalid_bank`：请填写开户银行\n`payee.invalid_holder`：请填写账户名称\n`payee.invalid_custody`：代管协议编号过长"},
				{Status: http.StatusForbidden, Description: "`auth.forbidden`：领取账户由乡镇经办人登记"},
				{Status: http.StatusNotFound, Description: "`benefit.not_found`：在保对象不存在，或不在本人辖区"},
				{Status: http.StatusConflict, Description: "`benefit.stale`：数据已被他人修改"},
				{Status: http.StatusUnprocessableEntity, Description: "`payee.custody_required`：由工作人员代管的账户须登记已备案的书面代管协议"}}},
		{Method: http.MethodPost, Path: "/api/v1/benefits/{id}/account-change", OperationID: "staffDecideAccountChange", Tag: tag, Auth: true,
			Summary:    "乡镇核实居民申请变更的领取账户：verify 启用新账户（以后生成的花名册使用），reject 须写明原因；留痕",
			PathParams: id, Request: accountChangeDecision{},
			Responses: []docs.Response{{Status: http.StatusOK, Body: benefitView{}, Description: "已核实或已退回"},
				{Status: http.StatusBadRequest, Description: "`payee.invalid_decision`：核实结果不正确"},
				{Status: http.StatusForbidden, Description: "`auth.forbidden`：领取账户由乡镇经办人核实"},
				{Status: http.StatusNotFound, Description: "`benefit.not_found`：在保对象不存在，或不在本人辖区"},
				{Status: http.StatusConflict, Description: "`payee.no_change_pending`：没有待核实的账户变更申请\n`benefit.stale`：数据已被他人修改"}}},
		{Method: http.MethodGet, Path: "/api/v1/rosters", OperationID: "staffListRosters", Tag: tag, Auth: true,
			Summary: "发放花名册（本县；乡镇只看本乡镇的户数、人数和金额）", Query: []docs.Param{{Name: "month", Description: "月份 YYYY-MM；不传为最近的"}},
			Responses: []docs.Response{{Status: http.StatusOK, Body: rosterList{}, Description: "花名册"},
				{Status: http.StatusBadRequest, Description: "`roster.invalid_month`：月份格式不正确"},
				{Status: http.StatusForbidden, Description: "`auth.forbidden`：岗位不能查看花名册"}}},
		{Method: http.MethodPost, Path: "/api/v1/rosters", OperationID: "staffPrepareRoster", Tag: tag, Auth: true,
			Summary: "县级编制某月某类别的发放花名册：由当月在保对象生成（失败的上月发放作为补发行），发放日为当地每月发放日，遇节假日提前到此前最后一个工作日",
			Request: prepareRosterRequest{},
			Responses: []docs.Response{{Status: http.StatusCreated, Body: rosterView{}, Description: "待核对的花名册，含与上月的对比（新增、停发、变更）"},
				{Status: http.StatusBadRequest, Description: "`roster.invalid_month`：月份格式不正确\n`roster.invalid_category`：救助类别不正确"},
				{Status: http.StatusForbidden, Description: "`auth.forbidden`：岗位不能编制花名册\n`roster.county_only`：花名册由县级民政部门编制"},
				{Status: http.StatusConflict, Description: "`roster.exists`：该月该类别的花名册已经编制"},
				{Status: http.StatusUnprocessableEntity, Description: "`roster.month_too_early`：只能编制本月及以后月份的花名册"}}},
		{Method: http.MethodGet, Path: "/api/v1/rosters/{id}", OperationID: "staffGetRoster", Tag: tag, Auth: true,
			Summary: "花名册详情和名单（乡镇、村只看本辖区的名单）", PathParams: rid,
			Responses: []docs.Response{{Status: http.StatusOK, Body: rosterView{}, Description: "花名册"},
				{Status: http.StatusNotFound, Description: "`roster.not_found`：花名册不存在，或不在本人辖区"}}},
		{Method: http.MethodGet, Path: "/api/v1/rosters/{id}/lines", OperationID: "staffRosterLines", Tag: tag, Auth: true,
			Summary: "花名册名单（分页；乡镇、村只看本辖区的名单）：按乡镇或村、姓名开头或身份证号、发放状态查找", PathParams: rid,
			Query: []docs.Param{{Name: "area", Description: "乡镇或村（社区）代码：只看其名单"},
				{Name: "q", Description: "家庭成员姓名的开头，或身份证号（不保存、不记录）"},
				{Name: "status", Description: "发放状态", Enum: []string{model.LinePending, model.LinePaid, model.LineFailed}},
				{Name: "limit", Type: "integer", Description: "每页条数，1–500，默认100"},
				{Name: "cursor", Description: "翻页游标：上一页响应的 nextCursor；首页不传"}},
			Responses: []docs.Response{{Status: http.StatusOK, Body: rosterLinePage{}, Description: "一页名单（按行号）；nextCursor 为空表示没有更多"},
				{Status: http.StatusBadRequest, Description: "`roster.invalid_line_query`：查询条件不正确"},
				{Status: http.StatusNotFound, Description: "`roster.not_found`：花名册不存在，或不在本人辖区"}}},
		{Method: http.MethodPost, Path: "/api/v1/rosters/{id}/feedback", OperationID: "staffRosterFeedback", Tag: tag, Auth: true,
			Summary:    "导入银行（财政）回盘结果：逐行发放成功或失败（写明原因）；全部回盘后花名册为“已回盘”；失败的在下月花名册中补发；留痕",
			PathParams: rid, Request: rosterFeedbackRequest{},
			Responses: []docs.Response{{Status: http.StatusOK, Body: rosterView{}, Description: "已记录"},
				{Status: http.StatusBadRequest, Description: "`roster.invalid_feedback`：回盘结果不正确"},
				{Status: http.StatusForbidden, Description: "`auth.forbidden`：岗位不能导入回盘结果"},
				{Status: http.StatusNotFound, Description: "`roster.not_found`：花名册不存在，或不在本人辖区"},
				{Status: http.StatusConflict, Description: "`roster.wrong_state`：花名册尚未导出\n`roster.version_mismatch`：花名册已被他人更新"},
				{Status: http.StatusUnprocessableEntity, Description: "`roster.line_not_pending`：该行不在本花名册中，或已有回盘结果"}}},
		{Method: http.MethodPost, Path: "/api/v1/rosters/{id}/export", OperationID: "staffExportRoster", Tag: tag, Auth: true,
			Summary:    "导出报送银行（财政）的发放文件（CSV 或 Excel，列：序号、发放月份、救助类别、保障人口数、救助金额、分类救助金额、发放合计、开户银行、账户名称、账号、反馈状态、备注）：首次导出后花名册为“已导出”；文件的 SHA-256 保存在花名册上；每次导出留痕。不加掩码的文件须有专门权限",
			PathParams: rid, Query: []docs.Param{{Name: "unmasked", Description: "true：户名、账号不加掩码（须有 roster.export_unmasked 权限）", Enum: []string{"true", "false"}},
				{Name: "format", Description: "csv（默认，UTF-8 带 BOM）或 xlsx（Excel，单元格均为文本）", Enum: []string{"csv", "xlsx"}}},
			Responses: []docs.Response{{Status: http.StatusOK, Binary: []string{"text/csv; charset=utf-8", xlsxType}, Description: "发放文件（附件）",
				Headers: []docs.Param{{Name: "Content-Disposition", Description: "attachment; filename=…"}, {Name: "X-File-SHA256", Description: "文件的 SHA-256（十六进制）"},
					{Name: "Content-Length", Type: "integer", Description: "字节数"}}},
				{Status: http.StatusBadRequest, Description: "`roster.invalid_export`：unmasked 只能是 true 或 false，format 只能是 csv 或 xlsx"},
				{Status: http.StatusForbidden, Description: "`auth.forbidden`：岗位不能导出，或无权导出不加掩码的文件"},
				{Status: http.StatusNotFound, Description: "`roster.not_found`：花名册不存在，或不在本人辖区"},
				{Status: http.StatusConflict, Description: "`roster.wrong_state`：花名册尚未审批"}}},
	}
	routes = append(routes, feedbackFileDocs(), benefitStatsDocs())
	for _, a := range rosterActions {
		resp := []docs.Response{{Status: http.StatusOK, Body: rosterView{}, Description: "花名册"},
			{Status: http.StatusForbidden, Description: "`auth.forbidden`：岗位不能办理此事项\n`roster.four_eyes`：编制人不能审批自己编制的花名册"},
			{Status: http.StatusNotFound, Description: "`roster.not_found`：花名册不存在，或不在本人辖区"},
			{Status: http.StatusConflict, Description: a.errs + "\n`roster.version_mismatch`：花名册已被他人更新"}}
		routes = append(routes, docs.Route{Method: http.MethodPost, Path: "/api/v1/rosters/{id}/" + a.path, OperationID: a.op, Tag: tag, Auth: true,
			Summary: a.summary, PathParams: rid, Request: rosterVersion{}, Responses: resp})
	}
	return routes
}
