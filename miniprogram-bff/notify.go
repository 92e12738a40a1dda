package bff

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/model"
	"palmaid/service/notify"
)

type template struct {
	Key        string `json:"key"`
	TemplateID string `json:"templateId"`
	Title      string `json:"title"`
	// Kind is one_time (ask again for each message wanted) or long_term (长期订阅: one accept
	// lasts until the resident turns the messages off).
	Kind string `json:"kind"`
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
		out.Items = append(out.Items, template{Key: t.Key, TemplateID: t.TemplateID, Title: t.Title, Kind: t.Kind})
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
	// CaseID is the public id of the case the message is about (open GET /mp/v1/cases/{id});
	// empty for a message about no case (a complaint's answer without a case).
	CaseID string     `json:"caseId,omitempty"`
	Read   bool       `json:"read"`
	ReadAt *time.Time `json:"readAt,omitempty"`
}

type messageList struct {
	Items      []message `json:"items"`
	NextCursor string    `json:"nextCursor,omitempty"`
	Unread     int64     `json:"unread"` // unread messages in all pages
}

func (h *Handler) messages(c *gin.Context) {
	p, err := httpx.ParsePage(c, 20, 50)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	pg, err := h.app.Notify.MessageCentre(c.Request.Context(), residentID(c), p.Cursor, p.Fetch())
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	ms, next := httpx.PageOf(p, pg.Messages, func(m model.Message) uint64 { return m.ID })
	out := messageList{Items: []message{}, Unread: pg.Unread, NextCursor: next}
	loc := model.China()
	for _, m := range ms {
		v := message{ID: m.ID, Title: m.Title, Body: m.Body, Pushed: m.Pushed, At: m.CreatedAt.In(loc), CaseID: pg.CaseIDs[m.CaseID], Read: m.ReadAt != nil}
		if m.ReadAt != nil {
			at := m.ReadAt.In(loc)
			v.ReadAt = &at
		}
		out.Items = append(out.Items, v)
	}
	httpx.OK(c, http.StatusOK, out)
}
