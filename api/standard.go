package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/model"
	"palmaid/service/reviews"
)

// registerStandard mounts the 调标 batches (issue 25).
func (h *Handler) registerStandard(g *httpx.Router) {
	g.POST("/standard-changes", staffWrite(), h.prepareStandard)
	g.GET("/standard-changes/:id", staffRead(), h.getStandard)
	g.POST("/standard-changes/:id/approve", staffWrite(), h.approveStandard)
}

type standardLineView struct {
	BenefitID    string `json:"benefitId"`
	TownCode     string `json:"townCode"`
	PersonMasked string `json:"personMasked"`
	Persons      int    `json:"persons"`
	IncomeCents  int64  `json:"incomeCents"`
	OldCents     int64  `json:"oldCents"`
	NewCents     int64  `json:"newCents"`
	Skipped      string `json:"skipped,omitempty"` // no_standard | no_amount: unchanged, needs a review
}

type standardBatchView struct {
	ID             string             `json:"id"`
	CountyCode     string             `json:"countyCode"`
	StandardCents  int64              `json:"standardCents"`
	EffectiveMonth string             `json:"effectiveMonth"`
	Status         string             `json:"status"` // prepared | applied
	Households     int                `json:"households"`
	OldTotalCents  int64              `json:"oldTotalCents"`
	NewTotalCents  int64              `json:"newTotalCents"`
	PreparedBy     uint64             `json:"preparedByStaffId"`
	ApprovedBy     uint64             `json:"approvedByStaffId,omitempty"`
	ApprovedAt     *time.Time         `json:"approvedAt,omitempty"`
	Version        int                `json:"version"`
	Lines          []standardLineView `json:"lines"`
}

func toStandardView(b *reviews.Batch) standardBatchView {
	x := b.Batch
	v := standardBatchView{ID: x.PublicID, CountyCode: x.CountyCode, StandardCents: x.StandardCents, EffectiveMonth: x.EffectiveMonth,
		Status: x.Status, Households: x.Households, OldTotalCents: x.OldTotalCents, NewTotalCents: x.NewTotalCents,
		PreparedBy: x.PreparedBy, ApprovedBy: x.ApprovedBy, Version: x.Version, Lines: []standardLineView{}}
	if x.ApprovedAt != nil {
		at := x.ApprovedAt.In(model.China())
		v.ApprovedAt = &at
	}
	for _, l := range b.Lines {
		v.Lines = append(v.Lines, standardLineView{BenefitID: l.BenefitPub, TownCode: l.TownCode, PersonMasked: l.PersonMasked, Persons: l.Persons,
			IncomeCents: l.IncomeCents, OldCents: l.OldCents, NewCents: l.NewCents, Skipped: l.Skipped})
	}
	return v
}

type prepareStandardRequest struct {
	StandardCents  int64  `json:"standardCents" docs:"required"`  // the new 低保 standard S, fen per person per month
	EffectiveMonth string `json:"effectiveMonth" docs:"required"` // YYYY-MM, next month or later
}

func (h *Handler) prepareStandard(c *gin.Context) {
	var req prepareStandardRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	b, err := h.app.Reviews.PrepareStandard(c.Request.Context(), staff(c), req.StandardCents, req.EffectiveMonth)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusCreated, toStandardView(b))
}

func (h *Handler) getStandard(c *gin.Context) {
	b, err := h.app.Reviews.GetStandard(c.Request.Context(), staff(c), c.Param("id"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toStandardView(b))
}

func (h *Handler) approveStandard(c *gin.Context) {
	var req reviewVersion
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	b, err := h.app.Reviews.ApproveStandard(c.Request.Context(), staff(c), c.Param("id"), req.Version)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toStandardView(b))
}

func standardDocs() []docs.Route {
	const tag = "staff"
	id := []docs.Param{{Name: "id", Description: "调标批次编号"}}
	return []docs.Route{
		{Method: http.MethodPost, Path: "/api/v1/standard-changes", OperationID: "staffPrepareStandardChange", Tag: tag, Auth: true,
			Summary: "县级编制调标批次：按新低保标准 S 和生效月份，重算本县每户在保低保家庭的保障金（S × 保障人数 − 在保记录的家庭收入），列出新旧金额；不能重算的列为跳过（保持原金额，另行核查）；留痕",
			Request: prepareStandardRequest{},
			Responses: []docs.Response{{Status: http.StatusCreated, Body: standardBatchView{}, Description: "待审批的批次"},
				{Status: http.StatusBadRequest, Description: "`standard.invalid_standard`：标准不正确\n`standard.invalid_month`：月份格式不正确"},
				{Status: http.StatusForbidden, Description: "`auth.forbidden`：岗位不能调整标准\n`standard.county_only`：由县级民政部门办理"},
				{Status: http.StatusUnprocessableEntity, Description: "`standard.month_too_early`：新标准只能自下月起生效"}}},
		{Method: http.MethodGet, Path: "/api/v1/standard-changes/{id}", OperationID: "staffGetStandardChange", Tag: tag, Auth: true,
			Summary: "调标批次：每户新旧金额（姓名加掩码）", PathParams: id,
			Responses: []docs.Response{{Status: http.StatusOK, Body: standardBatchView{}, Description: "批次"},
				{Status: http.StatusNotFound, Description: "`standard.not_found`：批次不存在，或不在本人辖区"}}},
		{Method: http.MethodPost, Path: "/api/v1/standard-changes/{id}/approve", OperationID: "staffApproveStandardChange", Tag: tag, Auth: true,
			Summary:    "另一名县级审核人审批调标批次（编制人不能审批）：每户写入自生效月份起的调标变更，当月花名册按新金额发放；编制后金额已变的，整批退回重编；留痕",
			PathParams: id, Request: reviewVersion{},
			Responses: []docs.Response{{Status: http.StatusOK, Body: standardBatchView{}, Description: "已执行"},
				{Status: http.StatusForbidden, Description: "`auth.forbidden`：岗位不能审批\n`standard.four_eyes`：编制人不能审批自己编制的批次\n`standard.county_only`：由县级民政部门办理"},
				{Status: http.StatusNotFound, Description: "`standard.not_found`：批次不存在，或不在本人辖区"},
				{Status: http.StatusConflict, Description: "`standard.wrong_state`：批次已处理\n`standard.stale`：编制后有家庭的保障金已变化\n`standard.version_conflict`：批次已被他人更新"},
				{Status: http.StatusUnprocessableEntity, Description: "`standard.month_too_early`：生效月份已到，请重新编制"}}},
	}
}
