package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/model"
)

// registerNotify mounts the administrators' dead-letter routes: notifications the worker gave
// up on after its retries, of the administrator's area, and a requeue.
func (h *Handler) registerNotify(g *httpx.Router) {
	g.GET("/admin/notifications/dead", staffRead(), h.deadLetters)
	g.POST("/admin/notifications/:id/requeue", staffAdmin(), h.requeue)
}

type deadLetter struct {
	ID        uint64    `json:"id"`
	Title     string    `json:"title"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"lastError"`
	CreatedAt time.Time `json:"createdAt"`
}

type deadLetterList struct {
	Items      []deadLetter `json:"items"`
	NextCursor string       `json:"nextCursor,omitempty"`
}

func (h *Handler) deadLetters(c *gin.Context) {
	p, err := httpx.ParsePage(c, 20, 100)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	rows, err := h.app.Notify.DeadLetters(c.Request.Context(), staff(c), p.Cursor, p.Fetch())
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	rows, next := httpx.PageOf(p, rows, func(r model.Outbox) uint64 { return r.ID })
	out := deadLetterList{Items: []deadLetter{}, NextCursor: next}
	for _, r := range rows {
		out.Items = append(out.Items, deadLetter{ID: r.ID, Title: r.Title, Attempts: r.Attempts, LastError: r.LastError,
			CreatedAt: r.CreatedAt.In(model.China())})
	}
	httpx.OK(c, http.StatusOK, out)
}

func (h *Handler) requeue(c *gin.Context) {
	id, ok := httpx.PathID(c, "id")
	if !ok {
		return
	}
	if err := h.app.Notify.Requeue(c.Request.Context(), staff(c), id); err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func notifyDocs() []docs.Route {
	const tag = "staff"
	forbidden := docs.Response{Status: http.StatusForbidden, Description: "`auth.forbidden`：只有系统管理员可以处理失败的通知"}
	return []docs.Route{
		{Method: http.MethodGet, Path: "/api/v1/admin/notifications/dead", OperationID: "adminDeadLetters", Tag: tag, Auth: true,
			Summary: "发送失败的通知（重试 8 次后放弃）：本人辖区的申请，新的在前",
			Query: []docs.Param{
				{Name: "cursor", Description: "翻页游标：上一页响应的 nextCursor；首页不传"},
				{Name: "limit", Type: "integer", Description: "每页条数，默认 20，最多 100"},
			},
			Responses: []docs.Response{{Status: http.StatusOK, Body: deadLetterList{}, Description: "一页失败的通知"}, forbidden}},
		{Method: http.MethodPost, Path: "/api/v1/admin/notifications/{id}/requeue", OperationID: "adminRequeueNotification", Tag: tag, Auth: true,
			Summary:    "重新发送一条失败的通知（留痕）",
			PathParams: []docs.Param{{Name: "id", Type: "integer", Description: "失败通知的编号"}},
			Responses: []docs.Response{{Status: http.StatusNoContent, Description: "已重新排队"}, forbidden,
				{Status: http.StatusNotFound, Description: "`notify.not_found`：没有这条失败的通知（或不在本人辖区）"}}},
	}
}
