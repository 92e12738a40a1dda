package api

import (
	"encoding/base64"
	"encoding/binary"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/model"
	"palmaid/service/cases"
	"palmaid/service/feedback"
	"palmaid/service/store"
)

// registerComplaints mounts the county's complaint worklist (投诉) and its answer.
func (h *Handler) registerComplaints(g *httpx.Router) {
	g.GET("/complaints", staffRead(), h.complaints)
	g.POST("/complaints/:id/answer", staffWrite(), h.answerComplaint)
}

// complaintItem is one complaint on the county's worklist. The text is shown in full to the
// county that handles it (each list read is audited).
type complaintItem struct {
	ID          string     `json:"id"`
	CaseID      string     `json:"caseId,omitempty"`
	VillageCode string     `json:"villageCode"`
	VillageName string     `json:"villageName"`
	Text        string     `json:"text"`
	ContentFlag string     `json:"contentFlag,omitempty"` // review | unchecked: WeChat's content check (see the case history)
	Status      string     `json:"status"`                // open | answered
	Answer      string     `json:"answer,omitempty"`
	AnsweredAt  *time.Time `json:"answeredAt,omitempty"`
	At          time.Time  `json:"at"`
}

type complaintWorklist struct {
	Items      []complaintItem `json:"items"`
	NextCursor string          `json:"nextCursor,omitempty"`
}

func toComplaintItem(r *feedback.ComplaintRecord) complaintItem {
	loc := model.China()
	v := complaintItem{ID: r.PublicID, CaseID: r.CasePublicID, VillageCode: r.VillageCode, VillageName: r.VillageName, Text: r.Text,
		ContentFlag: r.ContentFlag, Status: "open", Answer: r.Answer, At: r.CreatedAt.In(loc)}
	if r.Answered {
		v.Status = "answered"
		at := r.AnsweredAt.In(loc)
		v.AnsweredAt = &at
	}
	return v
}

var (
	errComplaintFilter = model.Invalid("complaint.invalid_filter", "筛选条件不正确").WithField("status", "open 或 answered")
	errComplaintLimit  = model.ErrInvalidPage.WithField("limit", "请填写1到100之间的整数")
	errComplaintCursor = model.ErrInvalidPage.WithField("cursor", "上一页响应的 nextCursor")
)

// The worklist's cursor carries its keyset position: (answered, id) in 9 bytes.
func encodeComplaintCursor(k store.ComplaintKey) string {
	var b [9]byte
	if k.Answered {
		b[0] = 1
	}
	binary.BigEndian.PutUint64(b[1:], k.ID)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func decodeComplaintCursor(s string) (store.ComplaintKey, error) {
	if s == "" {
		return store.ComplaintKey{}, nil
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != 9 || b[0] > 1 {
		return store.ComplaintKey{}, errComplaintCursor
	}
	k := store.ComplaintKey{Answered: b[0] == 1, ID: binary.BigEndian.Uint64(b[1:])}
	if k.ID == 0 {
		return store.ComplaintKey{}, errComplaintCursor
	}
	return k, nil
}

func (h *Handler) complaints(c *gin.Context) {
	limit := 20
	if q := c.Query("limit"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 {
			httpx.Fail(c, errComplaintLimit)
			return
		}
		limit = min(n, 100)
	}
	after, err := decodeComplaintCursor(c.Query("cursor"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	var answered *bool
	switch c.Query("status") {
	case "":
	case "open", "answered":
		v := c.Query("status") == "answered"
		answered = &v
	default:
		httpx.Fail(c, errComplaintFilter)
		return
	}
	rows, next, err := h.app.Feedback.CountyList(c.Request.Context(), staff(c), answered, after, limit)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := complaintWorklist{Items: []complaintItem{}}
	for i := range rows {
		out.Items = append(out.Items, toComplaintItem(&rows[i]))
	}
	if next != nil {
		out.NextCursor = encodeComplaintCursor(*next)
	}
	httpx.OK(c, http.StatusOK, out)
}

type answerRequest struct {
	Answer string `json:"answer"`
}

func (h *Handler) answerComplaint(c *gin.Context) {
	var req answerRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	r, err := h.app.Feedback.Answer(c.Request.Context(), staff(c), c.Param("id"), req.Answer)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toComplaintItem(r))
}

// ratingView is the applicant's rating of the case (好差评); 1 and 2 stars are bad ratings,
// each followed up.
type ratingView struct {
	Stars       int       `json:"stars"`
	Label       string    `json:"label"`
	Bad         bool      `json:"bad"`
	Comment     string    `json:"comment,omitempty"`
	ContentFlag string    `json:"contentFlag,omitempty"`
	At          time.Time `json:"at"`
}

// detailWithRating is the case detail with the rating (an additive field).
func (h *Handler) detailWithRating(c *gin.Context, rec *cases.StaffRecord) (caseDetail, error) {
	v := toDetail(rec)
	r, err := h.app.Feedback.CaseRating(c.Request.Context(), rec.Case().ID)
	if err != nil || r == nil {
		return v, err
	}
	v.Rating = &ratingView{Stars: r.Stars, Label: model.RatingLabel(r.Stars), Bad: model.BadRating(r.Stars), Comment: r.Comment,
		ContentFlag: r.ContentFlag, At: r.CreatedAt.In(model.China())}
	return v, nil
}

func complaintDocs() []docs.Route {
	const tag = "staff"
	return []docs.Route{
		{Method: http.MethodGet, Path: "/api/v1/complaints", OperationID: "staffListComplaints", Tag: tag, Auth: true,
			Summary: "投诉工作清单（县级民政经办人、分管领导）：本县的投诉，未答复的在前，同类中先到先列；每次查询留痕",
			Query: []docs.Param{
				{Name: "status", Description: "只看未答复（open）或已答复（answered）", Enum: []string{"open", "answered"}},
				{Name: "cursor", Description: "翻页游标：上一页响应的 nextCursor；首页不传"},
				{Name: "limit", Type: "integer", Description: "每页条数，默认 20，最多 100"},
			},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: complaintWorklist{}, Description: "一页投诉；nextCursor 为空表示没有更多"},
				{Status: http.StatusBadRequest, Description: "`complaint.invalid_filter`：status 不是 open 或 answered\n`request.invalid_page`：分页参数不正确"},
				{Status: http.StatusForbidden, Description: "`auth.forbidden`：投诉由县级民政部门经办人或分管领导处理"},
			}},
		{Method: http.MethodPost, Path: "/api/v1/complaints/{id}/answer", OperationID: "staffAnswerComplaint", Tag: tag, Auth: true,
			Summary:    "答复投诉（留痕）：投诉人收到站内消息，可在“我的投诉”中查看答复",
			PathParams: []docs.Param{{Name: "id", Description: "投诉编号"}},
			Request:    answerRequest{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: complaintItem{}, Description: "已答复"},
				{Status: http.StatusBadRequest, Description: "`complaint.answer_too_long`：超过1000字\n`request.invalid_text`：含不可见字符"},
				{Status: http.StatusNotFound, Description: "`complaint.not_found`：投诉不存在，或不属于本县"},
				{Status: http.StatusConflict, Description: "`complaint.answered`：该投诉已经答复"},
				{Status: http.StatusUnprocessableEntity, Description: "`complaint.answer_required`：请填写答复内容"},
			}},
	}
}
