package bff

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/service/calendar"
	"palmaid/service/notify"
)

type template struct {
	Key        string `json:"key"`
	TemplateID string `json:"templateId"`
	Title      string `json:"title"`
}

type templateList struct {
	Items []template `json:"items"`
}

func (h *Handler) templates(c *gin.Context) {
	ts, err := h.app.Notify.Templates(c.Request.Context())
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := templateList{Items: []template{}}
	for _, t := range ts {
		out.Items = append(out.Items, template{Key: t.Key, TemplateID: t.TemplateID, Title: t.Title})
	}
	httpx.OK(c, http.StatusOK, out)
}

type subscriptionsRequest struct {
	Results []notify.SubscribeResult `json:"results"`
}

func (h *Handler) recordSubscriptions(c *gin.Context) {
	var req subscriptionsRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	if err := h.app.Notify.RecordResults(c.Request.Context(), residentID(c), req.Results); err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type message struct {
	ID     uint64    `json:"id"`
	Title  string    `json:"title"`
	Body   string    `json:"body"`
	Pushed bool      `json:"pushed"`
	At     time.Time `json:"at"`
}

type messageList struct {
	Items      []message `json:"items"`
	NextCursor string    `json:"nextCursor,omitempty"`
}

func (h *Handler) messages(c *gin.Context) {
	p, err := httpx.ParsePage(c, 20, 50)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	ms, err := h.app.Notify.Messages(c.Request.Context(), residentID(c), p.Cursor, p.Limit+1)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := messageList{Items: []message{}}
	if len(ms) > p.Limit {
		ms = ms[:p.Limit]
		out.NextCursor = httpx.EncodeCursor(ms[p.Limit-1].ID)
	}
	for _, m := range ms {
		out.Items = append(out.Items, message{ID: m.ID, Title: m.Title, Body: m.Body, Pushed: m.Pushed, At: m.CreatedAt.In(calendar.Location())})
	}
	httpx.OK(c, http.StatusOK, out)
}
