package bff

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/model"
	"palmaid/service/cases"
	"palmaid/service/cases/application"
)

var errVersionRequired = cases.ErrVersionRequired.WithField("version", "必填")

type resubmitRequest struct {
	Version *int   `json:"version" docs:"required"`
	Note    string `json:"note"`
}

type withdrawRequest struct {
	Version *int   `json:"version" docs:"required"`
	Reason  string `json:"reason"`
}

type objectionToCheckRequest struct {
	Version  *int   `json:"version" docs:"required"`
	Evidence string `json:"evidence"`
}

func (h *Handler) caseAction(c *gin.Context, version *int, run func(v int) (*cases.Record, error)) {
	if version == nil {
		httpx.Fail(c, errVersionRequired)
		return
	}
	rec, err := run(*version)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toCaseView(rec))
}

func (h *Handler) resubmit(c *gin.Context) {
	var req resubmitRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	h.caseAction(c, req.Version, func(v int) (*cases.Record, error) {
		return h.app.Application.Resubmit(c.Request.Context(), residentID(c), c.Param("id"), v, req.Note)
	})
}

func (h *Handler) withdraw(c *gin.Context) {
	var req withdrawRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	h.caseAction(c, req.Version, func(v int) (*cases.Record, error) {
		return h.app.Application.Withdraw(c.Request.Context(), residentID(c), c.Param("id"), v, req.Reason)
	})
}

func (h *Handler) dataCheckObjection(c *gin.Context) {
	var req objectionToCheckRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	h.caseAction(c, req.Version, func(v int) (*cases.Record, error) {
		return h.app.Application.ObjectToDataCheck(c.Request.Context(), residentID(c), c.Param("id"), v, req.Evidence)
	})
}

// noticeItem is one line of the village notice board: only what the rules allow.
type noticeItem struct {
	ID            string `json:"id"`
	NameMasked    string `json:"nameMasked"`
	HouseholdSize int    `json:"householdSize"`
	Categories    string `json:"categories"`
	MonthlyCents  int64  `json:"monthlyCents"`
	StartsOn      string `json:"startsOn"`
	EndsOn        string `json:"endsOn"`
}

type noticeBoard struct {
	AreaName string `json:"areaName"`
	// ObjectionRule is shown on the objection form: objections are real-name (实名).
	ObjectionRule string       `json:"objectionRule"`
	Items         []noticeItem `json:"items"`
	NextCursor    string       `json:"nextCursor,omitempty"`
	AsOf          time.Time    `json:"asOf"`
}

func (h *Handler) villageNotices(c *gin.Context) {
	p, err := httpx.ParsePage(c, 20, 50)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	list, err := h.app.Application.PublicNotices(c.Request.Context(), c.Param("code"), p.Cursor, p.Limit)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := noticeBoard{AreaName: list.AreaName, ObjectionRule: application.ObjectionRule, Items: []noticeItem{}, AsOf: time.Now().In(model.China())}
	for _, n := range list.Notices {
		out.Items = append(out.Items, noticeItem{ID: n.PublicRef, NameMasked: n.NameMasked, HouseholdSize: n.HouseholdSize,
			Categories: n.Categories, MonthlyCents: n.MonthlyCents, StartsOn: n.StartsOn, EndsOn: n.EndsOn})
	}
	out.NextCursor = httpx.NextCursor(list.NextCursor)
	httpx.OK(c, http.StatusOK, out)
}

// noticeObjectionRequest: the objector's name is the account's verified or desk-verified one
// (实名), never typed here.
type noticeObjectionRequest struct {
	Contact string `json:"contact"`
	Content string `json:"content"`
}

func (h *Handler) objectToNotice(c *gin.Context) {
	var req noticeObjectionRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	err := h.app.Application.PublicObject(c.Request.Context(), residentID(c), c.Param("id"), cases.ObjectionInput{Contact: req.Contact, Content: req.Content})
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
