package bff

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/model"
	"palmaid/service/cases"
	"palmaid/service/feedback"
	"palmaid/service/privacy"
	"palmaid/service/ratelimit"
)

// The message centre, ratings, complaints and personal-data rights (issue 8, items 7, 8, 10).

func (h *Handler) registerCentre(g *httpx.Router, read, write httpx.Class) {
	g.GET("/messages/unread-count", read, h.unreadCount)
	g.POST("/messages/read-all", write, h.markAllRead)
	g.POST("/messages/:id/read", write, h.markRead)
	g.POST("/cases/:id/rating", write, h.rate)
	g.POST("/complaints", httpx.AccountClass("complaint:mp", ratelimit.Limit{Rate: 10, Burst: 10, Period: time.Hour}), h.fileComplaint)
	g.GET("/complaints", read, h.myComplaints)
	g.GET("/me/export", httpx.AccountClass("export:mp", ratelimit.Limit{Rate: 5, Burst: 5, Period: time.Hour}), h.exportMe)
	g.POST("/me/deletion", write, h.deleteMe)
}

type unreadCount struct {
	Unread int64 `json:"unread"`
}

func (h *Handler) unreadCount(c *gin.Context) {
	n, err := h.app.Notify.UnreadCount(c.Request.Context(), residentID(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, unreadCount{Unread: n})
}

func (h *Handler) markRead(c *gin.Context) {
	id, ok := httpx.PathID(c, "id")
	if !ok {
		return
	}
	if err := h.app.Notify.MarkRead(c.Request.Context(), residentID(c), id); err != nil {
		httpx.Fail(c, err)
		return
	}
	h.unreadCount(c)
}

type markAllResult struct {
	Marked int64 `json:"marked"` // how many were unread
	Unread int64 `json:"unread"` // always 0 after the call, unless a message arrived meanwhile
}

func (h *Handler) markAllRead(c *gin.Context) {
	n, err := h.app.Notify.MarkAllRead(c.Request.Context(), residentID(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	left, err := h.app.Notify.UnreadCount(c.Request.Context(), residentID(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, markAllResult{Marked: n, Unread: left})
}

// ratingView is the rating shown in the resident's case view.
type ratingView struct {
	Stars   int       `json:"stars"`
	Label   string    `json:"label"` // 非常满意 … 非常不满意
	Comment string    `json:"comment,omitempty"`
	At      time.Time `json:"at"`
}

func toRatingView(r *model.Rating) *ratingView {
	if r == nil {
		return nil
	}
	return &ratingView{Stars: r.Stars, Label: model.RatingLabel(r.Stars), Comment: r.Comment, At: r.CreatedAt.In(model.China())}
}

func (h *Handler) rate(c *gin.Context) {
	var in feedback.RatingInput
	if err := httpx.BindJSON(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	r, err := h.app.Feedback.Rate(c.Request.Context(), residentID(c), c.Param("id"), in)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusCreated, toRatingView(r))
}

// withRating adds the case's rating to the resident's case view, and whether it may be rated.
func (h *Handler) withRating(c *gin.Context, rec *cases.Record, v *caseView) error {
	r := rec.Rating
	if !rec.RatingKnown {
		var err error
		if r, err = h.app.Feedback.CaseRating(c.Request.Context(), rec.Case().ID); err != nil {
			return err
		}
	}
	v.Rating = toRatingView(r)
	cs, me := rec.Case(), residentID(c)
	v.CanRate = r == nil && cs.Status.Closed() && (cs.ApplicantResidentID == me || cs.AgentResidentID != nil && *cs.AgentResidentID == me)
	return nil
}

// complaintView is one of the resident's complaints with the county's answer.
type complaintView struct {
	ID          string     `json:"id"`
	CaseID      string     `json:"caseId,omitempty"`
	VillageCode string     `json:"villageCode"`
	VillageName string     `json:"villageName"`
	Text        string     `json:"text"`
	Status      string     `json:"status"` // open | answered
	Answer      string     `json:"answer,omitempty"`
	AnsweredAt  *time.Time `json:"answeredAt,omitempty"`
	At          time.Time  `json:"at"`
}

type complaintList struct {
	Items      []complaintView `json:"items"`
	NextCursor string          `json:"nextCursor,omitempty"`
}

func toComplaintView(r *feedback.ComplaintRecord) complaintView {
	loc := model.China()
	v := complaintView{ID: r.PublicID, CaseID: r.CasePublicID, VillageCode: r.VillageCode, VillageName: r.VillageName, Text: r.Text,
		Status: "open", Answer: r.Answer, At: r.CreatedAt.In(loc)}
	if r.Answered {
		v.Status = "answered"
		at := r.AnsweredAt.In(loc)
		v.AnsweredAt = &at
	}
	return v
}

func (h *Handler) fileComplaint(c *gin.Context) {
	var in feedback.ComplaintInput
	if err := httpx.BindJSON(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	r, err := h.app.Feedback.File(c.Request.Context(), residentID(c), in)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusCreated, toComplaintView(r))
}

func (h *Handler) myComplaints(c *gin.Context) {
	p, err := httpx.ParsePage(c, 20, 50)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	rows, next, err := h.app.Feedback.Mine(c.Request.Context(), residentID(c), p.Cursor, p.Limit)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := complaintList{Items: []complaintView{}}
	for i := range rows {
		out.Items = append(out.Items, toComplaintView(&rows[i]))
	}
	out.NextCursor = httpx.NextCursor(next)
	httpx.OK(c, http.StatusOK, out)
}

func (h *Handler) exportMe(c *gin.Context) {
	out, err := h.app.Privacy.Export(c.Request.Context(), residentID(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="palmaid-my-data.json"`)
	httpx.OK(c, http.StatusOK, out)
}

type deletionRequest struct {
	Confirm bool `json:"confirm"`
}

func (h *Handler) deleteMe(c *gin.Context) {
	var req deletionRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	if err := h.app.Privacy.Delete(c.Request.Context(), residentID(c), req.Confirm); err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func centreDocs() []docs.Route {
	const tag = "mp"
	page := []docs.Param{
		{Name: "cursor", Description: "翻页游标：上一页响应的 nextCursor；首页不传"},
		{Name: "limit", Type: "integer", Description: "每页条数，默认 20，最多 50"},
	}
	risky := "`content.risky`：内容未通过微信内容安全检测，请修改后再提交（fields 指明哪一项）"
	return []docs.Route{
		{Method: http.MethodGet, Path: "/mp/v1/messages/unread-count", OperationID: "mpUnreadCount", Tag: tag, Auth: true,
			Summary:   "未读消息数（消息中心角标）",
			Responses: []docs.Response{{Status: http.StatusOK, Body: unreadCount{}, Description: "未读消息数"}}},
		{Method: http.MethodPost, Path: "/mp/v1/messages/read-all", OperationID: "mpMarkAllRead", Tag: tag, Auth: true,
			Summary:   "全部标为已读",
			Responses: []docs.Response{{Status: http.StatusOK, Body: markAllResult{}, Description: "本次标为已读的条数和剩余未读数"}}},
		{Method: http.MethodPost, Path: "/mp/v1/messages/{id}/read", OperationID: "mpMarkRead", Tag: tag, Auth: true,
			Summary:    "将一条消息标为已读（重复标记无影响）",
			PathParams: []docs.Param{{Name: "id", Type: "integer", Description: "消息编号（消息列表的 id）"}},
			Responses: []docs.Response{{Status: http.StatusOK, Body: unreadCount{}, Description: "已读；返回剩余未读数"},
				{Status: http.StatusNotFound, Description: "`message.not_found`：消息不存在，或不是本人的消息"}}},
		{Method: http.MethodPost, Path: "/mp/v1/cases/{id}/rating", OperationID: "mpRateCase", Tag: tag, Auth: true,
			Summary: "评价办理服务（好差评）：办结的申请由申请人或代办人评价一次，1至5星（5 非常满意，1 非常不满意），评价内容不超过200字",
			Request: feedback.RatingInput{},
			Responses: []docs.Response{
				{Status: http.StatusCreated, Body: ratingView{}, Description: "已评价"},
				{Status: http.StatusBadRequest, Description: "`rating.invalid_stars`：星级不是1至5\n`rating.comment_too_long`：评价内容超过200字\n`request.invalid_text`：含不可见字符"},
				{Status: http.StatusForbidden, Description: "`rating.applicant_only`：只有申请人或代办人可以评价"},
				{Status: http.StatusNotFound, Description: "`case.not_found`：申请不存在，或与本人无关"},
				{Status: http.StatusConflict, Description: "`rating.not_finished`：申请尚未办结（fields.status 为当前状态）\n`rating.exists`：该申请已经评价过了"},
				{Status: http.StatusUnprocessableEntity, Description: risky},
			}},
		{Method: http.MethodPost, Path: "/mp/v1/complaints", OperationID: "mpFileComplaint", Tag: tag, Auth: true,
			Summary: "投诉：关于本人的某件申请（caseId），或关于某村（社区）的救助服务（villageCode）；由所在县级民政部门处理答复，内容加密保存",
			Request: feedback.ComplaintInput{},
			Responses: []docs.Response{
				{Status: http.StatusCreated, Body: complaintView{}, Description: "已收到，县级民政部门将核实答复"},
				{Status: http.StatusBadRequest, Description: "`complaint.text_too_long`：超过1000字\n`complaint.village_required`：不关联申请时须选择村（社区）\n`area.invalid_code`：villageCode 不是12位代码\n`area.not_village`：不是村（社区）\n`request.invalid_text`：含不可见字符"},
				{Status: http.StatusNotFound, Description: "`case.not_found`：caseId 不是本人的申请"},
				{Status: http.StatusUnprocessableEntity, Description: "`complaint.text_required`：请填写投诉内容\n`area.unknown`：不在服务范围内\n" + risky},
				{Status: http.StatusTooManyRequests, Description: "`request.rate_limited`：提交过于频繁（每小时10次）"},
			}},
		{Method: http.MethodGet, Path: "/mp/v1/complaints", OperationID: "mpListComplaints", Tag: tag, Auth: true,
			Summary: "我的投诉和答复，新的在前", Query: page,
			Responses: []docs.Response{{Status: http.StatusOK, Body: complaintList{}, Description: "一页投诉；nextCursor 为空表示没有更多"}}},
		{Method: http.MethodGet, Path: "/mp/v1/me/export", OperationID: "mpExportMyData", Tag: tag, Auth: true,
			Summary: "下载本人数据副本（个人信息保护法第45条）：本人资料（身份证号、手机号不脱敏）、本人申请或代办的申请及办理记录（他人信息脱敏）、消息、评价、投诉；留痕",
			Responses: []docs.Response{{Status: http.StatusOK, Body: privacy.Export{}, Description: "JSON 副本（Content-Disposition: attachment）"},
				{Status: http.StatusTooManyRequests, Description: "`request.rate_limited`：每小时最多5次"}}},
		{Method: http.MethodPost, Path: "/mp/v1/me/deletion", OperationID: "mpDeleteAccount", Tag: tag, Auth: true,
			Summary: "注销账号：清除姓名、身份证号、手机号和微信标识，删除消息和订阅额度，所有会话失效；依法须保存的申请和审核记录保留（见 README“个人信息保护”）",
			Request: deletionRequest{},
			Responses: []docs.Response{{Status: http.StatusNoContent, Description: "已注销；再次用微信登录将是一个新账号"},
				{Status: http.StatusConflict, Description: "`account.open_case`：有正在办理的申请，请先撤回或等待办结（fields.caseId）"},
				{Status: http.StatusUnprocessableEntity, Description: "`account.confirm_required`：confirm 须为 true"},
				{Status: http.StatusServiceUnavailable, Description: "`service.unavailable`：会话存储暂不可用，未作任何更改"}}},
	}
}
