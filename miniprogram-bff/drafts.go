package bff

import (
	"net/http"
	"regexp"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/model"
	"palmaid/service/cases"
	"palmaid/service/cases/application"
)

// The resident's application flow: draft → document list → consents → submit.

type draftRequest = application.DraftInput

type draftUpdateRequest struct {
	Version    *int                 `json:"version" docs:"required"`
	Categories []model.Category     `json:"categories"`
	Reason     string               `json:"reason"`
	Facts      model.HouseholdFacts `json:"facts"`
}

type submitRequest struct {
	Version               *int `json:"version" docs:"required"`
	PledgeAccepted        bool `json:"pledgeAccepted"`
	AuthorizationAccepted bool `json:"authorizationAccepted"`
}

type versionRequest struct {
	Version *int `json:"version" docs:"required"`
}

type consentView struct {
	ID          uint64     `json:"id"`
	Subject     string     `json:"subject"` // member | supporter | agent
	Position    int        `json:"position"`
	Who         string     `json:"who"`   // masked name
	State       string     `json:"state"` // pending | confirmed | paper | verified
	Method      string     `json:"method,omitempty"`
	ConfirmedAt *time.Time `json:"confirmedAt,omitempty"`
	Invited     bool       `json:"invited"` // an unexpired invitation is out
}

type checklistItemView struct {
	ID      uint64 `json:"id"`
	Code    string `json:"code,omitempty"`
	Name    string `json:"name"`
	Note    string `json:"note,omitempty"`
	Why     string `json:"why,omitempty"`
	Provide string `json:"provide"` // required | shared | commitment_allowed
	Source  string `json:"source,omitempty"`
	Status  string `json:"status"` // missing | provided | accepted | committed | shared | rejected
	Round   int    `json:"round"`
	// The staff review (status rejected: why) and the uploaded documents.
	RejectReason string         `json:"rejectReason,omitempty"`
	Documents    []documentView `json:"documents"`
}

// applicationView is the resident's own part of the case screen.
type applicationView struct {
	IsApplicant bool                  `json:"isApplicant"`
	ByAgent     bool                  `json:"byAgent"`
	CanTakeOver bool                  `json:"canTakeOver"`
	Facts       *model.HouseholdFacts `json:"facts,omitempty"` // ID numbers masked; sending them back unchanged keeps them
	Gaps        map[string]string     `json:"gaps"`            // a draft's remaining gaps; empty when it can be submitted
	Consents    []consentView         `json:"consents"`
	Checklist   []checklistItemView   `json:"checklist"` // the one-time list (items no longer needed are left out)
	CanSubmit   bool                  `json:"canSubmit"`
}

func toApplicationView(r *cases.Record) *applicationView {
	if r.Resident == nil {
		return nil
	}
	f := r.File
	v := &applicationView{IsApplicant: r.Resident.IsApplicant, ByAgent: f.Case.AgentResidentID != nil, CanTakeOver: r.Resident.CanTakeOver,
		Facts: r.Resident.Facts, Gaps: r.Resident.Gaps, Consents: []consentView{}, Checklist: []checklistItemView{}}
	if v.Gaps == nil {
		v.Gaps = map[string]string{}
	}
	for _, k := range f.Consents {
		if k.State == model.ConsentVoid {
			continue
		}
		cv := consentView{ID: k.ID, Subject: k.Subject, Position: k.Position, Who: r.Resident.ConsentNames[k.ID], State: k.State, Method: k.Method,
			Invited: r.Resident.Invited[k.ID]}
		if f.Facts != nil && k.State == model.ConsentConfirmed && !k.Given(f.Facts.Seq) {
			cv.State = model.ConsentPending // given on earlier facts: asked again
		}
		if k.ConfirmedAt != nil {
			at := k.ConfirmedAt.In(model.China())
			cv.ConfirmedAt = &at
		}
		v.Consents = append(v.Consents, cv)
	}
	for _, it := range f.Checklist {
		if it.Status == model.ItemNotNeeded {
			continue
		}
		v.Checklist = append(v.Checklist, checklistItemView{ID: it.ID, Code: it.Code, Name: it.Name, Note: it.Note, Why: it.Why,
			Provide: it.Provide, Source: it.Source, Status: it.Status, Round: it.Round, RejectReason: it.RejectReason, Documents: itemDocuments(f, it.ID)})
	}
	v.CanSubmit = f.Case.Status == model.StatusDraft && v.IsApplicant && len(v.Gaps) == 0
	return v
}

func (h *Handler) createDraft(c *gin.Context) {
	var in draftRequest
	if err := httpx.BindJSON(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	rec, err := h.app.Application.CreateDraft(c.Request.Context(), residentID(c), in)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Header("Location", "/mp/v1/cases/"+rec.Case().PublicID)
	httpx.OK(c, http.StatusCreated, toCaseView(rec))
}

func (h *Handler) saveDraft(c *gin.Context) {
	var req draftUpdateRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	h.caseAction(c, req.Version, func(v int) (*cases.Record, error) {
		return h.app.Application.SaveDraft(c.Request.Context(), residentID(c), c.Param("id"),
			application.DraftUpdate{Version: v, Categories: req.Categories, Reason: req.Reason, Facts: req.Facts})
	})
}

var (
	submitKeyRe     = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)
	errSubmitKeyBad = model.ErrIdempotencyKey.WithField("Idempotency-Key", "8至64位字母、数字、-或_")
)

// submitDraft submits a draft. A version is accepted once, so a repeated request never submits
// twice; with an Idempotency-Key (the mini-program sends one per submission and the same one on
// a retry after a lost answer), the repeat that finds the case already submitted by this resident
// answers 200 with the case as it is, instead of 409.
func (h *Handler) submitDraft(c *gin.Context) {
	var req submitRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	key := c.GetHeader("Idempotency-Key")
	if key != "" && !submitKeyRe.MatchString(key) {
		httpx.Fail(c, errSubmitKeyBad)
		return
	}
	ctx, rid, id := c.Request.Context(), residentID(c), c.Param("id")
	h.caseAction(c, req.Version, func(v int) (*cases.Record, error) {
		rec, err := h.app.Application.Submit(ctx, rid, id,
			application.SubmitInput{Version: v, PledgeAccepted: req.PledgeAccepted, AuthorizationAccepted: req.AuthorizationAccepted})
		if err != nil && key != "" && model.AsError(err).Code == model.ErrStaleVersion.Code {
			if prev, perr := h.app.Progress.GetMine(ctx, rid, id); perr == nil && submittedBy(prev, rid) {
				return prev, nil
			}
		}
		return rec, err
	})
}

// submittedBy: the case has left the draft state through this resident's own submission.
func submittedBy(rec *cases.Record, residentID uint64) bool {
	if rec.Case().Status == model.StatusDraft {
		return false
	}
	for _, e := range rec.Events {
		if e.Action == model.ActionSubmit && e.ActorType == model.ActorResident && e.ActorID == residentID {
			return true
		}
	}
	return false
}

func pathID(c *gin.Context, name string) (uint64, bool) { return httpx.PathID(c, name) }

type invitationResponse struct {
	Token     string    `json:"token"`
	Path      string    `json:"path"` // the mini-program page to share (wx.shareAppMessage)
	ExpiresAt time.Time `json:"expiresAt"`
	Case      caseView  `json:"case"`
}

func (h *Handler) inviteConsent(c *gin.Context) {
	id, ok := pathID(c, "consentId")
	if !ok {
		return
	}
	inv, rec, err := h.app.Application.Invite(c.Request.Context(), residentID(c), c.Param("id"), id)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusCreated, invitationResponse{Token: inv.Token, Path: inv.Path, ExpiresAt: inv.ExpiresAt.In(model.China()), Case: toCaseView(rec)})
}

func (h *Handler) paperConsent(c *gin.Context) {
	id, ok := pathID(c, "consentId")
	if !ok {
		return
	}
	var req versionRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	h.caseAction(c, req.Version, func(v int) (*cases.Record, error) {
		return h.app.Application.DeclarePaper(c.Request.Context(), residentID(c), c.Param("id"), v, id)
	})
}

func (h *Handler) commitItem(c *gin.Context) {
	id, ok := pathID(c, "itemId")
	if !ok {
		return
	}
	var req versionRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	h.caseAction(c, req.Version, func(v int) (*cases.Record, error) {
		return h.app.Application.Commit(c.Request.Context(), residentID(c), c.Param("id"), v, id)
	})
}

func (h *Handler) takeOver(c *gin.Context) {
	var req versionRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	h.caseAction(c, req.Version, func(v int) (*cases.Record, error) {
		return h.app.Application.TakeOver(c.Request.Context(), residentID(c), c.Param("id"), v)
	})
}

type invitationView struct {
	CaseID      string     `json:"caseId"`
	AreaName    string     `json:"areaName"`
	Categories  []category `json:"categories"`
	ApplicantBy string     `json:"applicantBy"` // masked
	Relation    string     `json:"relation"`    // the invitee's place in the declaration
	Members     int        `json:"members"`
	Text        string     `json:"text"` // the pledge and authorisation in the invitee's own words
	TextVersion string     `json:"textVersion"`
	ExpiresAt   time.Time  `json:"expiresAt"`
	Confirmed   bool       `json:"confirmed"`
}

func toInvitationView(v *application.InvitationView) invitationView {
	out := invitationView{CaseID: v.CaseID, AreaName: v.AreaName, Categories: []category{}, ApplicantBy: v.ApplicantBy, Relation: v.Relation,
		Members: v.Members, Text: v.Text, TextVersion: v.TextVersion, ExpiresAt: v.ExpiresAt.In(model.China()), Confirmed: v.Confirmed}
	for _, c := range v.Categories {
		out.Categories = append(out.Categories, category{Code: c, Label: c.Label()})
	}
	return out
}

type confirmRequest = application.ConfirmInput

func (h *Handler) viewInvitation(c *gin.Context) {
	v, err := h.app.Application.ViewInvitation(c.Request.Context(), residentID(c), c.Param("token"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toInvitationView(v))
}

func (h *Handler) confirmInvitation(c *gin.Context) {
	var req confirmRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	v, err := h.app.Application.ConfirmInvitation(c.Request.Context(), residentID(c), c.Param("token"), req)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toInvitationView(v))
}

type changeRequest struct {
	Version *int                 `json:"version" docs:"required"`
	Facts   model.HouseholdFacts `json:"facts"`
	Note    string               `json:"note"`
	// The declarer confirms the pledge and authorisation again on the new facts (when their own
	// facts changed; otherwise their consent goes back to pending like any changed member's).
	PledgeAccepted        bool `json:"pledgeAccepted"`
	AuthorizationAccepted bool `json:"authorizationAccepted"`
}

func (h *Handler) declareChange(c *gin.Context) {
	var req changeRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	h.caseAction(c, req.Version, func(v int) (*cases.Record, error) {
		return h.app.Application.DeclareChange(c.Request.Context(), residentID(c), c.Param("id"), application.ChangeInput{Version: v, Facts: req.Facts, Note: req.Note,
			PledgeAccepted: req.PledgeAccepted, AuthorizationAccepted: req.AuthorizationAccepted})
	})
}
