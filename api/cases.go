package api

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/model"
	"palmaid/service/cases"
	"palmaid/service/cases/application"
	"palmaid/service/cases/worklist"
	"palmaid/service/store"
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
	Stage               model.Stage  `json:"stage"`
	Categories          []category   `json:"categories"`
	AreaCode            string       `json:"areaCode"`
	AreaName            string       `json:"areaName"`
	ApplicantNameMasked string       `json:"applicantNameMasked"`
	Urgent              bool         `json:"urgent"`
	CloseRelative       bool         `json:"closeRelative"`
	AgentCase           bool         `json:"agentCase"`
	NextDueOn           string       `json:"nextDueOn,omitempty"`
	NextDueStep         string       `json:"nextDueStep,omitempty"`
	NextDueProvisional  bool         `json:"nextDueProvisional"`
	Overdue             bool         `json:"overdue"`
	SubmittedAt         time.Time    `json:"submittedAt"`
	Version             int          `json:"version"`
	// DaysLeft: working days (the server's calendar, holidays and 调休 included) from today to
	// nextDueOn — 0 due today, negative working days past it; absent without an open clock.
	// DueLabel says the same in words: 还剩 N 个工作日 / 今天到期 / 已超期 N 个工作日.
	DaysLeft *int   `json:"daysLeft,omitempty"`
	DueLabel string `json:"dueLabel,omitempty"`
}

func dueLabel(n int, overdue, provisional bool) string {
	var s string
	switch {
	case overdue && n < 0:
		s = fmt.Sprintf("已超期 %d 个工作日", -n)
	case overdue:
		s = "已超期"
	case n == 0:
		s = "今天到期"
	default:
		s = fmt.Sprintf("还剩 %d 个工作日", n)
	}
	if provisional {
		s += "（暂定）"
	}
	return s
}

func toQueueItem(cs *model.Case, page *cases.Page) queueItem {
	it := queueItem{ID: cs.PublicID, CaseNo: cs.CaseNo, Status: cs.Status, StatusLabel: cs.StatusLabel(),
		Stage: cs.Stage, Categories: toCategories(cs.Categories), AreaCode: cs.AreaCode, AreaName: page.AreaNames[cs.AreaCode],
		ApplicantNameMasked: model.MaskName(page.Names[cs.ID]), Urgent: cs.Urgent, CloseRelative: cs.CloseRelative,
		AgentCase: cs.AgentResidentID != nil, NextDueOn: cs.NextDueOn, NextDueStep: cs.NextDueStep,
		NextDueProvisional: cs.NextDueProvisional, Overdue: cs.NextDueOn != "" && cs.NextDueOn < page.Today,
		SubmittedAt: cs.SubmittedAt.In(model.China()), Version: cs.Version}
	if n, ok := page.DaysLeft[cs.ID]; ok {
		it.DaysLeft, it.DueLabel = &n, dueLabel(n, it.Overdue, cs.NextDueProvisional)
	}
	return it
}

// searchItem is a case found by a search, with what matched.
type searchItem struct {
	queueItem
	MatchedBy string `json:"matchedBy"` // case_no | id_number | name | village
}

type searchResult struct {
	Items []searchItem `json:"items"` // newest first, at most 50
}

func (h *Handler) searchCases(c *gin.Context) {
	page, err := h.app.Worklist.Search(c.Request.Context(), staff(c), c.Query("q"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := searchResult{Items: []searchItem{}}
	for _, cs := range page.Cases {
		out.Items = append(out.Items, searchItem{queueItem: toQueueItem(cs, page.Page), MatchedBy: page.MatchedBy[cs.ID]})
	}
	httpx.OK(c, http.StatusOK, out)
}

type villageItem struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	TownName string `json:"townName"`
}

type villageList struct {
	Items []villageItem `json:"items"` // by code
}

func (h *Handler) villages(c *gin.Context) {
	vs, err := h.app.Worklist.Villages(c.Request.Context(), staff(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := villageList{Items: make([]villageItem, len(vs))}
	for i, v := range vs {
		out.Items[i] = villageItem{Code: v.Code, Name: v.Name, TownName: v.TownName}
	}
	httpx.OK(c, http.StatusOK, out)
}

type queue struct {
	Items      []queueItem `json:"items"`
	NextCursor string      `json:"nextCursor,omitempty"`
}

func boolQuery(c *gin.Context, name string) (*bool, error) {
	v, ok := c.GetQuery(name)
	if !ok || v == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return nil, cases.ErrInvalidFilter.WithField(name, "true 或 false")
	}
	return &b, nil
}

func (h *Handler) listCases(c *gin.Context) {
	list := worklist.Worklist(c.Query("list"))
	// the due-date lists are in (due date, id) order, and so are their cursors
	p, err := httpx.ParseDatedPage(c, 20, 100, list.ByDueDate())
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	f := worklist.QueueFilter{List: list, Status: model.Status(c.Query("status")), Category: model.Category(c.Query("category")),
		Village: c.Query("village"), Before: p.Cursor, CursorDueOn: p.CursorDate, Limit: p.Limit}
	if d := c.Query("days"); d != "" {
		if f.DueSoonDays, err = strconv.Atoi(d); err != nil || f.DueSoonDays < 1 {
			httpx.Fail(c, cases.ErrInvalidFilter.WithField("days", "1至30"))
			return
		}
	}
	for name, dst := range map[string]**bool{"agent": &f.AgentCase, "closeRelative": &f.CloseRelative, "urgent": &f.Urgent} {
		if *dst, err = boolQuery(c, name); err != nil {
			httpx.Fail(c, err)
			return
		}
	}
	page, err := h.app.Worklist.Queue(c.Request.Context(), staff(c), f)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := queue{Items: []queueItem{}}
	for _, cs := range page.Cases {
		out.Items = append(out.Items, toQueueItem(cs, page))
	}
	if page.NextDueOn != "" {
		out.NextCursor = httpx.EncodeDatedCursor(page.NextDueOn, page.NextCursor)
	} else {
		out.NextCursor = httpx.NextCursor(page.NextCursor)
	}
	httpx.OK(c, http.StatusOK, out)
}

type worklistCount struct {
	List  worklist.Worklist `json:"list"`
	Count int64             `json:"count"`
}

type worklistCounts struct {
	Items []worklistCount `json:"items"`
}

func (h *Handler) worklists(c *gin.Context) {
	counts, err := h.app.Worklist.Counts(c.Request.Context(), staff(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := worklistCounts{Items: []worklistCount{}}
	for _, wl := range worklist.AllWorklists {
		out.Items = append(out.Items, worklistCount{List: wl, Count: counts[wl]})
	}
	httpx.OK(c, http.StatusOK, out)
}

func (h *Handler) getCase(c *gin.Context) {
	rec, err := h.app.Worklist.Get(c.Request.Context(), staff(c), c.Param("id"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	v, err := h.detailWithRating(c, rec)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, v)
}

type unmaskRequest struct {
	Field          worklist.UnmaskField `json:"field"`
	MemberPosition int                  `json:"memberPosition"`
	Reason         string               `json:"reason"`
}

type unmaskResponse struct {
	Field worklist.UnmaskField `json:"field"`
	Value string               `json:"value"`
}

func (h *Handler) unmask(c *gin.Context) {
	var req unmaskRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	v, err := h.app.Worklist.Unmask(c.Request.Context(), staff(c), c.Param("id"), req.Field, req.MemberPosition, req.Reason)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, unmaskResponse{Field: req.Field, Value: v})
}

type reminder struct {
	CaseID    string    `json:"caseId"`
	CaseNo    string    `json:"caseNo"`
	Kind      string    `json:"kind"` // due_soon | overdue | retimed (a calendar correction moved the clock; dueOn is the new date)
	Step      string    `json:"step"`
	DueOn     string    `json:"dueOn"`
	CreatedAt time.Time `json:"createdAt"`
}

type reminderList struct {
	Items      []reminder `json:"items"`
	NextCursor string     `json:"nextCursor,omitempty"`
}

func (h *Handler) reminders(c *gin.Context) {
	p, err := httpx.ParsePage(c, 20, 100)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	list, err := h.app.Worklist.Reminders(c.Request.Context(), staff(c), p.Cursor, p.Fetch())
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	list, next := httpx.PageOf(p, list, func(r store.Reminder) uint64 { return r.ID })
	out := reminderList{Items: []reminder{}, NextCursor: next}
	for _, r := range list {
		out.Items = append(out.Items, reminder{CaseID: r.PublicID, CaseNo: r.CaseNo, Kind: r.Kind, Step: r.Step, DueOn: r.DueOn,
			CreatedAt: r.CreatedAt.In(model.China())})
	}
	httpx.OK(c, http.StatusOK, out)
}

type assistedRequest = application.AssistedInput

// createAssisted: 帮办代办 — a village assistant or town caseworker files an application for a
// resident, with the household's signed paper forms.
func (h *Handler) createAssisted(c *gin.Context) {
	var in assistedRequest
	if err := httpx.BindJSON(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	rec, err := h.app.Application.CreateAssisted(c.Request.Context(), staff(c), in)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/cases/"+rec.Case().PublicID)
	httpx.OK(c, http.StatusCreated, toDetail(rec))
}
