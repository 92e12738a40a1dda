package bff

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/service/ratelimit"
)

// 变更申报 after a decision (issue 25): the beneficiary or agent reports a change of members,
// income or assets of a benefit; it opens a review on the town's worklist. Anyone else gets 404.

func (h *Handler) registerReviews(g *httpx.Router) {
	g.POST("/benefits/:id/changes", httpx.AccountClass("change:mp", ratelimit.PerMinute(10)), h.reportChange)
}

// reportChangeRequest is a reported change.
type reportChangeRequest struct {
	Kind      string `json:"kind" docs:"required"`    // members | income | assets
	Summary   string `json:"summary" docs:"required"` // what changed, in the resident's words
	ChangedOn string `json:"changedOn"`               // when it changed (YYYY-MM-DD), if known
}

// reportedChange is the answer: the review the report opened.
type reportedChange struct {
	ReviewID    string `json:"reviewId"`
	Status      string `json:"status"`
	StatusLabel string `json:"statusLabel"`
	DueOn       string `json:"dueOn"` // the town reviews it by then
}

func (h *Handler) reportChange(c *gin.Context) {
	var req reportChangeRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	v, err := h.app.Reviews.ReportChange(c.Request.Context(), residentID(c), c.Param("id"), req.Kind, req.Summary, req.ChangedOn)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusCreated, reportedChange{ReviewID: v.Review.PublicID, Status: v.Review.Status, StatusLabel: "已提交，等待乡镇核查", DueOn: v.Review.DueOn})
}

func reviewDocs() []docs.Route {
	return []docs.Route{
		{Method: http.MethodPost, Path: "/mp/v1/benefits/{id}/changes", OperationID: "mpReportChange", Tag: "mp", Auth: true,
			Summary:    "变更申报：家庭成员、收入或财产发生变化时主动申报（本人或代办人）；乡镇据此开启核查",
			PathParams: []docs.Param{{Name: "id", Description: "保障编号（我的保障 items[].id）"}}, Request: reportChangeRequest{},
			Responses: []docs.Response{{Status: http.StatusCreated, Body: reportedChange{}, Description: "已提交"},
				{Status: http.StatusBadRequest, Description: "`change.invalid_kind`：变更类型不正确\n`change.summary_required`：请说明变化情况\n`review.invalid_event_date`：日期不正确"},
				{Status: http.StatusNotFound, Description: "`benefit.not_found`：保障不存在，或不是本人（或本人代办）的"},
				{Status: http.StatusConflict, Description: "`benefit.terminated`：该保障已停发"}}},
	}
}
