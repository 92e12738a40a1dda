// Package api is the staff face: the HTTP API civil-affairs staff use under /api/v1 to work
// the five-in-one review (五合一) of the cases in their own area. Shared plumbing (error
// envelope, request ids, logging, strict JSON) lives in api/httpx.
package api

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/model"
	"palmaid/service/areaadmin"
	"palmaid/service/auditlog"
	"palmaid/service/auth"
	"palmaid/service/benefits"
	"palmaid/service/calendaradmin"
	"palmaid/service/cases/application"
	"palmaid/service/cases/review"
	"palmaid/service/cases/spotcheck"
	"palmaid/service/cases/worklist"
	"palmaid/service/checklist"
	"palmaid/service/credit"
	"palmaid/service/documents"
	"palmaid/service/feedback"
	"palmaid/service/notify"
	"palmaid/service/policyadmin"
	"palmaid/service/ratelimit"
	"palmaid/service/residents"
	"palmaid/service/reviews"
	"palmaid/service/staffadmin"
)

// Deps are the use cases the staff face may call. The store, Redis and configuration are not
// among them: a handler cannot write an unscoped case query.
type Deps struct {
	Auth *auth.Service
	// The case workflow's use cases (service/cases/...): filings at the window, the statutory
	// steps, the staff lists and reads, the county's spot checks.
	Application   *application.Service
	Review        *review.Service
	Worklist      *worklist.Service
	SpotChecks    *spotcheck.Service
	CalendarAdmin *calendaradmin.Service
	Notify        *notify.Service
	StaffAdmin    *staffadmin.Service
	// Documents: downloads of a case's uploads (audited).
	Documents *documents.Service
	AreaAdmin *areaadmin.Service
	Checklist *checklist.Service
	Log       *slog.Logger
	// Feedback: case ratings (shown in the detail) and the county's complaints.
	Feedback *feedback.Service
	// Policy: administrators read and set the typed regional policy.
	Policy *policyadmin.Service
	// AuditLog: the auditor reads the audit log and verifies its hash chain.
	AuditLog *auditlog.Service
	// Residents: an officer desk-verifies a resident's identity.
	Residents *residents.Service
	// Benefits: the recipients and the monthly payment rosters.
	Benefits *benefits.Service
	// Reviews: the reviews of benefits (dynamic management, issue 25).
	Reviews *reviews.Service
	// Credit: 失信 records (issue 25).
	Credit *credit.Service
	// SecureCookies marks the console's session cookie Secure (production: served over TLS).
	SecureCookies bool
	// UnmaskPerHour is each officer's hourly budget of unmasks (PALMAID_UNMASK_PER_HOUR).
	UnmaskPerHour int
}

// Handler serves /api/v1.
type Handler struct {
	app Deps
}

// New builds the handler.
func New(d Deps) *Handler { return &Handler{app: d} }

const ctxStaff = "palmaid.staff"

// Register mounts the routes on g (the /api/v1 group), each with its limit class
// (docs/SECURITY.md, "Limits"): the logins per client IP, the rest per officer.
func (h *Handler) Register(g *httpx.Router) {
	// Per IP, on top of the per-username lockout in service/auth.
	login := httpx.IPClass("login:staff", ratelimit.PerMinute(20))
	g.POST("/auth/login", login, h.login)
	g.POST("/auth/console-login", login, h.consoleLogin)

	read, write := staffRead(), staffWrite()
	// Per-officer budgets exist only behind the session check (a per-officer class on a
	// public route panics at start: no key).
	authed := g.Group("", h.requireStaff).Keyed(httpx.PerOfficer, officerKey)
	authed.GET("/auth/console-session", read, h.consoleSessionInfo)
	authed.POST("/auth/console-logout", write, h.consoleLogout)
	authed.POST("/auth/console-password", staffAdmin(), h.consolePassword)
	authed.POST("/auth/logout", write, h.logout)
	authed.GET("/me", read, h.me)
	authed.GET("/me/sessions", read, h.mySessions)
	authed.GET("/worklists", read, h.worklists)
	authed.GET("/reminders", read, h.reminders)
	authed.GET("/cases", read, h.listCases)
	authed.GET("/case-search", read, h.searchCases)
	authed.GET("/villages", read, h.villages)
	authed.GET("/cases/:id", read, h.getCase)
	authed.POST("/assisted-applications", write, h.createAssisted)
	// Unmasking an ID number or phone is audited and budgeted per officer; a spent budget is
	// an alert (log line and palmaid_rate_limited_total{limit="unmask:staff"}).
	authed.POST("/cases/:id/unmask", httpx.OfficerClass("unmask:staff", ratelimit.Limit{Rate: h.app.UnmaskPerHour, Burst: h.app.UnmaskPerHour, Period: time.Hour}).
		Alerting(errUnmaskBudget), h.unmask)
	authed.GET("/cases/:id/documents/:docId", httpx.OfficerClass("download:staff", ratelimit.PerMinute(120)), h.downloadDocument)
	authed.POST(UploadPath, httpx.OfficerClass("upload:staff", ratelimit.PerMinute(30)), h.uploadDocument)
	for _, a := range caseActions() {
		authed.POST("/cases/:id/"+a.path, write, h.action(a))
	}
	h.registerCalendar(authed)
	h.registerNotify(authed)
	h.registerStaffAdmin(authed)
	h.registerComplaints(authed)
	h.registerSpotChecks(authed)
	h.registerAreaAdmin(authed)
	h.registerChecklist(authed)
	h.registerPolicy(authed)
	h.registerSecondFactor(g, authed)
	h.registerAudit(authed)
	h.registerIdentity(authed)
	h.registerBenefits(authed)
	h.registerLabels(authed)
	h.registerInvestigators(authed)
	h.registerExport(authed)
	h.registerReviews(authed)
	h.registerStandard(authed)
	h.registerCredit(authed)
	authed.GET("/stats", httpx.OfficerClass("stats:staff", ratelimit.PerMinute(30)), h.stats)
}

// The staff face's common limit classes, per officer: reads counted in this process (no Redis
// round trip), writes in Redis (every replica together), administration more tightly.
func staffRead() httpx.Class {
	return httpx.OfficerClass("read:staff", ratelimit.PerMinute(600)).InProcess()
}
func staffWrite() httpx.Class { return httpx.OfficerClass("write:staff", ratelimit.PerMinute(120)) }
func staffAdmin() httpx.Class { return httpx.OfficerClass("admin:staff", ratelimit.PerMinute(30)) }

var errUnmaskBudget = model.E(model.KindRateLimited, "unmask.budget_spent", "本小时查看完整号码的次数已达上限，请稍后再试；如确有需要，请联系管理员")

func officerKey(c *gin.Context) string { return strconv.FormatUint(staff(c).ID, 10) }

func (h *Handler) requireStaff(c *gin.Context) {
	token, err := sessionFromRequest(c) // bearer, or the console's cookie with its CSRF token
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	st, err := h.app.Auth.Staff(c.Request.Context(), token)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	if st.MustChangePassword && !mustChangeAllowed[c.FullPath()] {
		httpx.Fail(c, auth.ErrMustChangeFirst)
		return
	}
	if h.app.Auth.SecondFactorRequired(st) && !secondFactorSetupAllowed[c.FullPath()] {
		httpx.Fail(c, auth.ErrSecondFactorRequired)
		return
	}
	c.Set(ctxStaff, st)
	c.Set(ctxToken, token)
	c.Next()
}

func staff(c *gin.Context) *model.Staff { return c.MustGet(ctxStaff).(*model.Staff) }

type staffView struct {
	Username    string             `json:"username"`
	DisplayName string             `json:"displayName"`
	Role        model.Role         `json:"role"`
	RoleLabel   string             `json:"roleLabel"`
	AreaCode    string             `json:"areaCode"`
	AreaName    string             `json:"areaName"`    // "" when the area is not loaded
	Permissions []model.Permission `json:"permissions"` // what the role may do (model/permissions.go)
	// MustChangePassword: the password was set by an administrator; until it is changed this
	// session may only call POST /api/v1/me/password.
	MustChangePassword bool `json:"mustChangePassword"`
	// SecondFactorEnabled: logins need a TOTP or recovery code. SecondFactorRequired: the role
	// must have one and it is not enrolled yet; until it is, this session may only enrol it.
	SecondFactorEnabled  bool `json:"secondFactorEnabled"`
	SecondFactorRequired bool `json:"secondFactorRequired"`
}

func toStaffView(st *model.Staff, areaName string) staffView {
	return staffView{Username: st.Username, DisplayName: st.DisplayName, Role: st.Role, RoleLabel: st.Role.Label(),
		AreaCode: st.AreaCode, AreaName: areaName, Permissions: st.Role.Permissions(), MustChangePassword: st.MustChangePassword}
}

func (h *Handler) staffView(c *gin.Context, st *model.Staff) (staffView, error) {
	name, err := h.app.Auth.AreaName(c.Request.Context(), st.AreaCode)
	v := toStaffView(st, name)
	v.SecondFactorEnabled, v.SecondFactorRequired = st.SecondFactorEnabled(), h.app.Auth.SecondFactorRequired(st)
	return v, err
}

type loginRequest struct {
	Username string `json:"username" docs:"required"`
	Password string `json:"password" docs:"required"`
}

var errCredentialsRequired = model.ErrCredentialsRequired

// bindLogin reads and checks the credentials of both staff logins (bearer and console): the one
// place their validation is written. On false the answer is written.
func bindLogin(c *gin.Context) (loginRequest, bool) {
	var req loginRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return req, false
	}
	if req.Username == "" || req.Password == "" || len(req.Username) > 64 || len(req.Password) > 128 {
		httpx.Fail(c, errCredentialsRequired)
		return req, false
	}
	return req, true
}

type loginResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
	Staff     staffView `json:"staff"`
}

func (h *Handler) login(c *gin.Context) { h.staffLogin(c, h.answerLogin) }

// staffLogin is both staff logins (bearer and console): the credentials checked, the password;
// an account with a second factor gets a challenge (no session yet: the code goes to the
// login's second-factor route), any other answer writes the session.
func (h *Handler) staffLogin(c *gin.Context, answer func(*gin.Context, *auth.StaffLogin, error)) {
	req, ok := bindLogin(c)
	if !ok {
		return
	}
	res, err := h.app.Auth.LoginStaff(c.Request.Context(), req.Username, req.Password)
	if err == nil && res.Challenge != "" {
		h.answerChallenge(c, res.Challenge, res.ExpiresAt)
		return
	}
	answer(c, res, err)
}

// answerLogin writes a new session (login, password change): token, end, the account.
func (h *Handler) answerLogin(c *gin.Context, res *auth.StaffLogin, err error) {
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	v, err := h.staffView(c, res.Staff)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, loginResponse{Token: res.Token, ExpiresAt: res.ExpiresAt.In(model.China()), Staff: v})
}

func (h *Handler) logout(c *gin.Context) {
	if err := h.app.Auth.Logout(c.Request.Context(), sessionToken(c)); err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h *Handler) me(c *gin.Context) {
	v, err := h.staffView(c, staff(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, v)
}

type sessionView struct {
	ID        string    `json:"id"` // a short fingerprint of the session, never the token
	IssuedAt  time.Time `json:"issuedAt"`
	LastUsed  time.Time `json:"lastUsedAt"`
	ExpiresAt time.Time `json:"expiresAt"` // the absolute end; unused for the idle timeout it ends earlier
	Current   bool      `json:"current"`
}

type sessionList struct {
	Items []sessionView `json:"items"`
}

func (h *Handler) mySessions(c *gin.Context) {
	list, err := h.app.Auth.StaffSessions(c.Request.Context(), staff(c), sessionToken(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	loc := model.China()
	out := sessionList{Items: []sessionView{}}
	for _, x := range list {
		out.Items = append(out.Items, sessionView{ID: x.ID, IssuedAt: x.IssuedAt.In(loc), LastUsed: x.LastUsed.In(loc),
			ExpiresAt: x.ExpiresAt.In(loc), Current: x.Current})
	}
	httpx.OK(c, http.StatusOK, out)
}
