package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/cases"
)

type category struct {
	Code      model.Category `json:"code"`
	Label     string         `json:"label"`
	Requested bool           `json:"requested"`
}

func toCategories(cc []model.CaseCategory) []category {
	out := make([]category, 0, len(cc))
	for _, c := range cc {
		out = append(out, category{Code: c.Category, Label: c.Category.Label(), Requested: c.Requested})
	}
	return out
}

type queueItem struct {
	ID                  string       `json:"id"`
	CaseNo              string       `json:"caseNo"`
	Status              model.Status `json:"status"`
	StatusLabel         string       `json:"statusLabel"`
	Categories          []category   `json:"categories"`
	AreaCode            string       `json:"areaCode"`
	AreaName            string       `json:"areaName"`
	ApplicantNameMasked string       `json:"applicantNameMasked"`
	SubmittedAt         time.Time    `json:"submittedAt"`
	Version             int          `json:"version"`
}

type queue struct {
	Items      []queueItem `json:"items"`
	NextCursor string      `json:"nextCursor,omitempty"`
}

func (h *Handler) listCases(c *gin.Context) {
	p, err := httpx.ParsePage(c, 20, 100)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	page, err := h.app.Cases.Queue(c.Request.Context(), staff(c), cases.QueueFilter{
		Status: model.Status(c.Query("status")), Category: model.Category(c.Query("category")), Before: p.Cursor, Limit: p.Limit,
	})
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := queue{Items: []queueItem{}}
	for _, cs := range page.Cases {
		out.Items = append(out.Items, queueItem{ID: cs.PublicID, CaseNo: cs.CaseNo, Status: cs.Status, StatusLabel: cs.Status.Label(),
			Categories: toCategories(cs.Categories), AreaCode: cs.AreaCode, AreaName: page.AreaNames[cs.AreaCode],
			ApplicantNameMasked: model.MaskName(page.Names[cs.ID]), SubmittedAt: cs.SubmittedAt.In(calendar.Location()), Version: cs.Version})
	}
	if page.NextCursor > 0 {
		out.NextCursor = httpx.EncodeCursor(page.NextCursor)
	}
	httpx.OK(c, http.StatusOK, out)
}

type member struct {
	Position       int            `json:"position"`
	Relation       model.Relation `json:"relation"`
	RelationLabel  string         `json:"relationLabel"`
	Name           string         `json:"name"`
	IDNumberMasked string         `json:"idNumberMasked"`
	Gender         string         `json:"gender"`
	BirthDate      string         `json:"birthDate"`
}

type event struct {
	Step       string       `json:"step"`
	Action     string       `json:"action"`
	FromStatus model.Status `json:"fromStatus,omitempty"`
	ToStatus   model.Status `json:"toStatus"`
	ActorType  string       `json:"actorType"`
	AreaCode   string       `json:"areaCode,omitempty"`
	Opinion    string       `json:"opinion,omitempty"`
	At         time.Time    `json:"at"`
}

type checklistItem struct {
	Name   string `json:"name"`
	Note   string `json:"note,omitempty"`
	Status string `json:"status"`
	Round  int    `json:"round"`
}

type deadline struct {
	Step  string     `json:"step"`
	DueOn string     `json:"dueOn"`
	Basis string     `json:"basis"`
	MetAt *time.Time `json:"metAt,omitempty"`
}

// caseDetail is the caseworker's view. ID numbers are masked; names are shown in full to the
// staff of the case's own area (they need them to work the case) and every read is audited.
type caseDetail struct {
	ID          string          `json:"id"`
	CaseNo      string          `json:"caseNo"`
	Status      model.Status    `json:"status"`
	StatusLabel string          `json:"statusLabel"`
	Version     int             `json:"version"`
	Categories  []category      `json:"categories"`
	AreaCode    string          `json:"areaCode"`
	AreaName    string          `json:"areaName"`
	Reason      string          `json:"reason"`
	SubmittedAt time.Time       `json:"submittedAt"`
	AcceptedAt  *time.Time      `json:"acceptedAt,omitempty"`
	Members     []member        `json:"members"`
	History     []event         `json:"history"`
	Checklist   []checklistItem `json:"checklist"`
	Deadlines   []deadline      `json:"deadlines"`
}

func toDetail(r *cases.Record) caseDetail {
	c, d := r.Case, r.Detail
	loc := calendar.Location()
	v := caseDetail{ID: c.PublicID, CaseNo: c.CaseNo, Status: c.Status, StatusLabel: c.Status.Label(), Version: c.Version,
		Categories: toCategories(c.Categories), AreaCode: c.AreaCode, AreaName: d.AreaName, Reason: c.Reason,
		SubmittedAt: c.SubmittedAt.In(loc), Members: []member{}, History: []event{}, Checklist: []checklistItem{}, Deadlines: []deadline{}}
	if c.AcceptedAt != nil {
		t := c.AcceptedAt.In(loc)
		v.AcceptedAt = &t
	}
	for _, m := range d.Members {
		v.Members = append(v.Members, member{Position: m.Position, Relation: m.Relation, RelationLabel: m.Relation.Label(), Name: m.Name,
			IDNumberMasked: m.IDMasked, Gender: m.Gender, BirthDate: m.BirthDate})
	}
	for _, e := range d.Events {
		v.History = append(v.History, event{Step: e.Step, Action: e.Action, FromStatus: e.FromStatus, ToStatus: e.ToStatus,
			ActorType: e.ActorType, AreaCode: e.AreaCode, Opinion: e.Opinion, At: e.CreatedAt.In(loc)})
	}
	for _, it := range d.Checklist {
		v.Checklist = append(v.Checklist, checklistItem{Name: it.Name, Note: it.Note, Status: it.Status, Round: it.Round})
	}
	for _, dl := range d.Deadlines {
		v.Deadlines = append(v.Deadlines, deadline{Step: dl.Step, DueOn: dl.DueOn, Basis: dl.Basis, MetAt: dl.MetAt})
	}
	return v
}

func (h *Handler) getCase(c *gin.Context) {
	rec, err := h.app.Cases.Get(c.Request.Context(), staff(c), c.Param("id"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toDetail(rec))
}

// versioned is the part of every case action: the version the caseworker saw, and an opinion.
type versioned struct {
	Version *int   `json:"version"`
	Opinion string `json:"opinion"`
}

func (v *versioned) action() *versioned { return v }

type acceptRequest struct {
	versioned
}

type returnRequest struct {
	versioned
	MissingItems []cases.MissingItemInput `json:"missingItems"`
}

var errVersionRequired = model.Invalid("case.version_required", "缺少版本号，请刷新后重试").WithField("version", "必填")

// bindAction decodes a case action strictly and requires the version; false means the error
// response is already set.
func bindAction(c *gin.Context, req interface{ action() *versioned }) bool {
	if err := httpx.BindJSON(c, req); err != nil {
		httpx.Fail(c, err)
		return false
	}
	if req.action().Version == nil {
		httpx.Fail(c, errVersionRequired)
		return false
	}
	return true
}

// respond answers with the case detail after an action.
func respond(c *gin.Context, rec *cases.Record, err error) {
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toDetail(rec))
}

func (h *Handler) accept(c *gin.Context) {
	var req acceptRequest
	if !bindAction(c, &req) {
		return
	}
	rec, err := h.app.Cases.Accept(c.Request.Context(), staff(c), c.Param("id"), *req.Version, req.Opinion)
	respond(c, rec, err)
}

func (h *Handler) returnCase(c *gin.Context) {
	var req returnRequest
	if !bindAction(c, &req) {
		return
	}
	rec, err := h.app.Cases.Return(c.Request.Context(), staff(c), c.Param("id"), *req.Version, req.Opinion, req.MissingItems)
	respond(c, rec, err)
}
