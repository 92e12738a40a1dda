package bff

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/cases"
)

type member struct {
	Relation       model.Relation `json:"relation"`
	RelationLabel  string         `json:"relationLabel"`
	Name           string         `json:"name"`
	IDNumberMasked string         `json:"idNumberMasked"`
}

type category struct {
	Code  model.Category `json:"code"`
	Label string         `json:"label"`
}

type timelineEntry struct {
	Step   string    `json:"step"`
	Action string    `json:"action"`
	Label  string    `json:"label"`
	At     time.Time `json:"at"`
	Note   string    `json:"note,omitempty"`
}

type missingItem struct {
	Name   string `json:"name"`
	Note   string `json:"note,omitempty"`
	Status string `json:"status"`
}

type nextStep struct {
	Step  string `json:"step"`
	Label string `json:"label"`
	DueOn string `json:"dueOn,omitempty"`
}

// caseView is the progress screen.
type caseView struct {
	ID           string          `json:"id"`
	CaseNo       string          `json:"caseNo"`
	Status       model.Status    `json:"status"`
	StatusLabel  string          `json:"statusLabel"`
	Categories   []category      `json:"categories"`
	AreaName     string          `json:"areaName"`
	SubmittedAt  time.Time       `json:"submittedAt"`
	Members      []member        `json:"members"`
	Timeline     []timelineEntry `json:"timeline"`
	MissingItems []missingItem   `json:"missingItems"`
	NextStep     *nextStep       `json:"nextStep"`
}

type caseSummary struct {
	ID          string       `json:"id"`
	CaseNo      string       `json:"caseNo"`
	Status      model.Status `json:"status"`
	StatusLabel string       `json:"statusLabel"`
	Categories  []category   `json:"categories"`
	AreaName    string       `json:"areaName"`
	SubmittedAt time.Time    `json:"submittedAt"`
}

type caseList struct {
	Items      []caseSummary `json:"items"`
	NextCursor string        `json:"nextCursor,omitempty"`
}

func requested(cc []model.CaseCategory) []category {
	out := []category{}
	for _, c := range cc {
		if c.Requested {
			out = append(out, category{Code: c.Category, Label: c.Category.Label()})
		}
	}
	return out
}

func actionLabel(ev model.CaseEvent) string {
	switch ev.Action {
	case model.ActionSubmit:
		return "提交申请"
	case model.ActionAccept:
		return "乡镇（街道）已受理"
	case model.ActionReturn:
		return "退回补充材料"
	}
	return ev.ToStatus.Label()
}

func toCaseView(r *cases.Record) caseView {
	c, d := r.Case, r.Detail
	loc := calendar.Location()
	v := caseView{ID: c.PublicID, CaseNo: c.CaseNo, Status: c.Status, StatusLabel: c.Status.Label(), Categories: requested(c.Categories),
		AreaName: d.AreaName, SubmittedAt: c.SubmittedAt.In(loc), Members: []member{}, Timeline: []timelineEntry{}, MissingItems: []missingItem{}}
	for _, m := range d.Members {
		v.Members = append(v.Members, member{Relation: m.Relation, RelationLabel: m.Relation.Label(), Name: model.MaskName(m.Name), IDNumberMasked: m.IDMasked})
	}
	for _, ev := range d.Events {
		v.Timeline = append(v.Timeline, timelineEntry{Step: ev.Step, Action: ev.Action, Label: actionLabel(ev), At: ev.CreatedAt.In(loc), Note: ev.Opinion})
	}
	for _, it := range d.Checklist {
		v.MissingItems = append(v.MissingItems, missingItem{Name: it.Name, Note: it.Note, Status: it.Status})
	}
	if r.NextStep.Step != "" {
		v.NextStep = &nextStep{Step: r.NextStep.Step, Label: r.NextStep.Label, DueOn: r.NextStep.DueOn}
	}
	return v
}

func (h *Handler) createCase(c *gin.Context) {
	var in cases.CreateInput
	if err := httpx.BindJSON(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	rec, created, err := h.app.Cases.Create(c.Request.Context(), residentID(c), in, c.GetHeader("Idempotency-Key"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK // a repeated Idempotency-Key: the first case, unchanged
	}
	c.Header("Location", "/mp/v1/cases/"+rec.Case.PublicID)
	httpx.OK(c, status, toCaseView(rec))
}

func (h *Handler) listCases(c *gin.Context) {
	p, err := httpx.ParsePage(c, 20, 50)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	page, err := h.app.Cases.ListMine(c.Request.Context(), residentID(c), p.Cursor, p.Limit)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := caseList{Items: []caseSummary{}}
	for _, cs := range page.Cases {
		out.Items = append(out.Items, caseSummary{ID: cs.PublicID, CaseNo: cs.CaseNo, Status: cs.Status, StatusLabel: cs.Status.Label(),
			Categories: requested(cs.Categories), AreaName: page.AreaNames[cs.AreaCode], SubmittedAt: cs.SubmittedAt.In(calendar.Location())})
	}
	if page.NextCursor > 0 {
		out.NextCursor = httpx.EncodeCursor(page.NextCursor)
	}
	httpx.OK(c, http.StatusOK, out)
}

func (h *Handler) getCase(c *gin.Context) {
	rec, err := h.app.Cases.GetMine(c.Request.Context(), residentID(c), c.Param("id"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toCaseView(rec))
}
