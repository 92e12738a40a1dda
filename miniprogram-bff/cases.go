package bff

import (
	"net/http"
	"sort"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/model"
	"palmaid/service/cases"
	"palmaid/service/cases/application"
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
	// ID is the item's number for uploads (POST /mp/v1/cases/{id}/items/{itemId}/documents).
	ID           uint64         `json:"id"`
	Round        int            `json:"round"`
	RejectReason string         `json:"rejectReason,omitempty"` // status rejected: why
	Documents    []documentView `json:"documents"`
}

type nextStep struct {
	Step  string `json:"step"`
	Label string `json:"label"`
	DueOn string `json:"dueOn,omitempty"`
	// DueFor names the clock DueOn belongs to: the step's own, or (a step without a clock of its
	// own) the case's strictest open clock, e.g. 办理总时限（审核确认）.
	DueFor      string `json:"dueFor,omitempty"`
	Provisional bool   `json:"provisional"` // the due date lies in a year whose holidays are not published yet
	Overdue     bool   `json:"overdue"`     // DueOn has passed and the step is not done
}

// stepClock is one remaining step with a running clock: its due date and whether it is overdue.
type stepClock struct {
	Step        string `json:"step"`
	Label       string `json:"label"`
	DueOn       string `json:"dueOn"`
	Provisional bool   `json:"provisional"`
	Overdue     bool   `json:"overdue"`
	DaysOverdue int    `json:"daysOverdue,omitempty"` // calendar days past the due date
}

// responsibleView is the officer responsible for the case (首问负责).
type responsibleView struct {
	Name        string `json:"name"`
	OfficePhone string `json:"officePhone,omitempty"`
}

// overdueHelp is what a resident can do when a step is overdue.
type overdueHelp struct {
	Message string `json:"message"`
	Hotline string `json:"hotline"` // 12349 民政服务热线
	// ComplaintPath is where the mini-program files a complaint (POST /mp/v1/complaints).
	ComplaintPath string `json:"complaintPath"`
}

type decisionView struct {
	Category       model.Category `json:"category"`
	CategoryLabel  string         `json:"categoryLabel"`
	Outcome        string         `json:"outcome"`
	MonthlyCents   int64          `json:"monthlyCents,omitempty"`
	OneOffCents    int64          `json:"oneOffCents,omitempty"`
	EffectiveMonth string         `json:"effectiveMonth,omitempty"`
	Reason         string         `json:"reason,omitempty"`
}

type dataCheckView struct {
	Outcome      string `json:"outcome"` // pending | pass | negative
	Summary      string `json:"summary,omitempty"`
	CanObject    bool   `json:"canObject"`
	ObjectionSet bool   `json:"objectionRaised"`
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
	// RemainingSteps are the steps whose clocks run, each with its due date, earliest first.
	RemainingSteps []stepClock `json:"remainingSteps"`
	// Overdue is set when a step is past its due date: what the resident can do about it.
	Overdue *overdueHelp `json:"overdue,omitempty"`
	// Responsible is the officer who owns the case, once it has one (首问负责).
	Responsible *responsibleView `json:"responsible,omitempty"`
	Version     int              `json:"version"`
	CanWithdraw bool             `json:"canWithdraw"`
	CanResubmit bool             `json:"canResubmit"`
	DataCheck   *dataCheckView   `json:"dataCheck,omitempty"`
	Decisions   []decisionView   `json:"decisions"`
	// Application is the resident's own part: the declaration, the one-time list, the consents
	// and, for a draft, what is still missing.
	Application *applicationView `json:"application,omitempty"`
	// Rating is the service rating given (GET only); CanRate: finished, not rated yet, and the
	// caller is the applicant or agent (POST /mp/v1/cases/{id}/rating).
	Rating  *ratingView `json:"rating,omitempty"`
	CanRate bool        `json:"canRate"`
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

var actionLabels = map[model.Action]string{
	model.ActSubmit: "提交申请", model.ActAccept: "乡镇（街道）已受理", model.ActReturn: "退回补充材料",
	model.ActResubmit: "补正后重新提交", model.ActRefuseAcceptance: "不予受理", model.ActWithdraw: "撤回申请",
	model.ActStartInvestigation: "启动调查核对", model.ActDataCheckResult: "家庭经济状况核对完成",
	model.ActDataCheckObjection: "对核对结果提出异议", model.ActRecordVisit: "入户调查", model.ActScheduleVisit: "预约入户调查", model.ActOpinion: "乡镇（街道）初审",
	model.ActStartNotice: "开始公示", model.ActObject: "公示期间收到异议", model.ActResolveObjection: "异议处理",
	model.ActCloseNotice: "公示结束，报审核确认", model.ActDecide: "审核确认", model.ActRefusalDelivered: "书面告知已送达",
	model.ActUrgentGrant: "先行救助", model.ActBackfill: "手续补办完成", model.ActTerminate: "终止办理",
	model.ActExtend: "延长办理时限", model.ActDeclareChange: "申报家庭情况变化", model.ActTakeOver: "本人接手办理", model.ActDraft: "填写申请（草稿）",
}

func actionLabel(ev model.CaseEvent) string {
	if l, ok := actionLabels[model.Action(ev.Action)]; ok {
		return l
	}
	return ev.ToStatus.Label()
}

func toCaseView(r *cases.Record) caseView {
	f := r.File
	c := &f.Case
	loc := model.China()
	v := caseView{ID: c.PublicID, CaseNo: c.CaseNo, Status: c.Status, StatusLabel: c.Status.Label(), Categories: requested(f.Categories),
		AreaName: r.AreaName, SubmittedAt: c.SubmittedAt.In(loc), Members: []member{}, Timeline: []timelineEntry{}, MissingItems: []missingItem{},
		Version: c.Version, CanWithdraw: f.Allows(model.ActWithdraw), CanResubmit: f.Allows(model.ActResubmit), Decisions: []decisionView{}}
	for _, m := range f.Members {
		v.Members = append(v.Members, member{Relation: m.Relation, RelationLabel: m.Relation.Label(), Name: model.MaskName(m.Name), IDNumberMasked: m.IDMasked})
	}
	for _, ev := range r.Events {
		if !model.Action(ev.Action).ResidentVisible() {
			continue
		}
		note := ev.ResidentNote()
		v.Timeline = append(v.Timeline, timelineEntry{Step: ev.Step, Action: ev.Action, Label: actionLabel(ev), At: ev.CreatedAt.In(loc), Note: note})
	}
	for _, it := range f.Checklist {
		if it.Round == c.Round || (c.Status == model.StatusReturned && it.Round == c.Round) {
			v.MissingItems = append(v.MissingItems, missingItem{Name: it.Name, Note: it.Note, Status: it.Status, ID: it.ID, Round: it.Round,
				RejectReason: it.RejectReason, Documents: itemDocuments(f, it.ID)})
		}
	}
	if dc := f.CurrentDataCheck(); dc != nil {
		raised := false // an objection to an earlier check of this round: the re-check is this one
		for _, x := range f.DataChecks {
			raised = raised || (x.Round == dc.Round && x.ObjectionRaisedAt != nil)
		}
		if dc.Status == model.CheckCompleted {
			v.DataCheck = &dataCheckView{Outcome: dc.Outcome, Summary: dc.Summary, ObjectionSet: raised,
				CanObject: f.Allows(model.ActDataCheckObjection) && dc.Outcome == model.CheckNegative && dc.ObjectionRaisedAt == nil}
		} else {
			v.DataCheck = &dataCheckView{Outcome: "pending", ObjectionSet: raised}
		}
	}
	for _, d := range f.Decisions {
		if d.Outcome == model.OutcomeNotApplicable {
			continue
		}
		v.Decisions = append(v.Decisions, decisionView{Category: d.Category, CategoryLabel: d.Category.Label(), Outcome: d.Outcome,
			MonthlyCents: d.MonthlyCents, OneOffCents: d.OneOffCents, EffectiveMonth: d.EffectiveMonth, Reason: d.Reason})
	}
	v.Application = toApplicationView(r)
	if r.NextStep.Step != "" {
		v.NextStep = &nextStep{Step: r.NextStep.Step, Label: r.NextStep.Label, DueOn: r.NextStep.DueOn, DueFor: r.NextStep.DueFor,
			Provisional: r.NextStep.Provisional, Overdue: r.NextStep.DueOn != "" && r.Today > r.NextStep.DueOn}
	}
	v.RemainingSteps = remainingSteps(f, r.Today)
	for _, sc := range v.RemainingSteps {
		if sc.Overdue {
			v.Overdue = &overdueHelp{Hotline: "12349", ComplaintPath: "/mp/v1/complaints",
				Message: "办理已超过规定时限。您可以联系经办人，拨打12349民政服务热线反映，或在小程序“投诉”中提出投诉。"}
			break
		}
	}
	if r.Responsible != nil {
		v.Responsible = &responsibleView{Name: r.Responsible.Name, OfficePhone: r.Responsible.OfficePhone}
	}
	return v
}

// remainingSteps lists the open clocks of the case, earliest due first.
func remainingSteps(f *model.CaseFile, today string) []stepClock {
	out := []stepClock{}
	for _, d := range f.Deadlines {
		if d.State != model.ClockOpen {
			continue
		}
		sc := stepClock{Step: d.Step, Label: cases.ClockLabels[d.Step], DueOn: d.DueOn, Provisional: d.Provisional, Overdue: today > d.DueOn}
		if sc.Overdue {
			due, err1 := time.Parse(time.DateOnly, d.DueOn)
			now, err2 := time.Parse(time.DateOnly, today)
			if err1 == nil && err2 == nil {
				sc.DaysOverdue = int(now.Sub(due).Hours() / 24)
			}
		}
		out = append(out, sc)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].DueOn < out[j].DueOn })
	return out
}

func (h *Handler) createCase(c *gin.Context) {
	var in application.CreateInput
	if err := httpx.BindJSON(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	rec, created, err := h.app.Application.Create(c.Request.Context(), residentID(c), in, c.GetHeader("Idempotency-Key"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK // a repeated Idempotency-Key: the first case, unchanged
	}
	c.Header("Location", "/mp/v1/cases/"+rec.Case().PublicID)
	httpx.OK(c, status, toCaseView(rec))
}

func (h *Handler) listCases(c *gin.Context) {
	p, err := httpx.ParsePage(c, 20, 50)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	page, err := h.app.Progress.ListMine(c.Request.Context(), residentID(c), p.Cursor, p.Limit)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := caseList{Items: []caseSummary{}}
	for _, cs := range page.Cases {
		out.Items = append(out.Items, caseSummary{ID: cs.PublicID, CaseNo: cs.CaseNo, Status: cs.Status, StatusLabel: cs.Status.Label(),
			Categories: requested(cs.Categories), AreaName: page.AreaNames[cs.AreaCode], SubmittedAt: cs.SubmittedAt.In(model.China())})
	}
	out.NextCursor = httpx.NextCursor(page.NextCursor)
	httpx.OK(c, http.StatusOK, out)
}

// getCase is the progress screen, the hottest read: it is not behind requireResident, because
// the session and the case's cached view and generation are read in one Redis round trip
// (progress.Read); the account's rate limit is spent as soon as the session names it, and the
// resident's scope is then checked as by GetMine.
func (h *Handler) getCase(c *gin.Context) {
	rec, err := h.app.Progress.Read(c.Request.Context(), httpx.BearerToken(c), c.Param("id"), func(id uint64) error {
		c.Set(ctxResident, id)
		return httpx.SpendDeferred(c, accountKey(c))
	})
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	v := toCaseView(rec)
	if err := h.withRating(c, rec, &v); err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, v)
}
