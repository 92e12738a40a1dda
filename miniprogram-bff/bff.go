// Package bff is the residents' face: the HTTP API the 掌上办 mini-program calls under /mp/v1.
// Handlers decode and validate the request shape, call service/, and shape responses for the
// mini-program's screens. Errors go to httpx, which maps them to the envelope in one place.
package bff

import (
	"log/slog"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/service/auth"
	"palmaid/service/cases"
	"palmaid/service/checklist"
	"palmaid/service/documents"
	"palmaid/service/eligibility"
	"palmaid/service/feedback"
	"palmaid/service/notify"
	"palmaid/service/privacy"
	"palmaid/service/ratelimit"
	"palmaid/service/residents"
)

// Deps are the use cases the residents' face may call; the store, Redis and configuration are
// not among them.
type Deps struct {
	Auth      *auth.Service
	Residents *residents.Service
	Cases     *cases.Service
	Notify    *notify.Service
	// Eligibility answers the resident's self-check (nothing stored).
	Eligibility *eligibility.Service
	// Documents: uploads to the checklist items of one's own case, downloads, deletion.
	Documents *documents.Service
	// Checklist answers the document-list preview and the policy guide (nothing stored).
	Checklist *checklist.Service
	Limits    *ratelimit.Limiter
	Log       *slog.Logger
	// Feedback: ratings and complaints; Privacy: the copy of one's data and account deletion.
	Feedback *feedback.Service
	Privacy  *privacy.Service
}

// Handler serves /mp/v1.
type Handler struct {
	app Deps
}

// New builds the handler.
func New(d Deps) *Handler { return &Handler{app: d} }

const ctxResident = "palmaid.resident_id"

// Register mounts the routes on g (the /mp/v1 group).
func (h *Handler) Register(g *gin.RouterGroup) {
	// Generous per IP: mobile carriers put many residents behind one address.
	g.POST("/auth/login", httpx.RateLimit(h.app.Limits, "login:mp", ratelimit.PerMinute(60), h.app.Log), h.login)
	// The village notice board (公示) is public, like the paper one.
	g.GET("/villages", h.searchVillages)
	g.GET("/villages/:code/notices", h.villageNotices)
	// The self-check needs no login and stores nothing; limited per IP like the login.
	g.POST("/eligibility/check", httpx.RateLimit(h.app.Limits, "eligibility:mp", ratelimit.PerMinute(30), h.app.Log), h.eligibilityCheck)
	h.registerChecklist(g)

	// The progress screen checks the session itself (with its cached view, one Redis round trip).
	g.GET("/cases/:id", h.getCase)
	authed := g.Group("", h.requireResident)
	authed.POST("/auth/logout", h.logout)
	authed.GET("/me", h.me)
	// Per account: binding is not a way to probe who uses the service (issue 6, finding 3):
	// 5 identity (or phone) bindings at once, then one every 12 minutes.
	bindingLimit := ratelimit.Limit{Rate: 5, Burst: 5, Period: time.Hour}
	authed.PUT("/me/identity", httpx.RateLimitBy(h.app.Limits, "identity:mp", bindingLimit, accountKey, h.app.Log), h.setIdentity)
	authed.POST("/me/phone", httpx.RateLimitBy(h.app.Limits, "phone:mp", bindingLimit, accountKey, h.app.Log), h.bindPhone)
	authed.POST("/cases", h.createCase)
	authed.POST("/drafts", h.createDraft)
	authed.PUT("/cases/:id/draft", h.saveDraft)
	authed.POST("/cases/:id/submit", h.submitDraft)
	authed.POST("/cases/:id/consents/:consentId/invitation", h.inviteConsent)
	authed.POST("/cases/:id/consents/:consentId/paper", h.paperConsent)
	authed.POST("/cases/:id/items/:itemId/commitment", h.commitItem)
	authed.POST("/cases/:id/take-over", h.takeOver)
	authed.POST("/cases/:id/changes", h.declareChange)
	authed.GET("/invitations/:token", h.viewInvitation)
	authed.POST("/invitations/:token/confirm", httpx.RateLimitBy(h.app.Limits, "invite:mp", ratelimit.PerMinute(20), accountKey, h.app.Log), h.confirmInvitation)
	authed.GET("/cases", h.listCases)
	authed.POST("/cases/:id/resubmit", h.resubmit)
	authed.POST("/cases/:id/withdraw", h.withdraw)
	authed.POST("/cases/:id/data-check-objection", h.dataCheckObjection)
	authed.POST(UploadPath, httpx.RateLimitBy(h.app.Limits, "upload:mp", ratelimit.PerMinute(30), accountKey, h.app.Log), h.uploadDocument)
	authed.GET("/cases/:id/documents/:docId", h.downloadDocument)
	authed.DELETE("/cases/:id/documents/:docId", h.deleteDocument)
	authed.POST("/notices/:id/objections", httpx.RateLimit(h.app.Limits, "objection:mp", ratelimit.PerMinute(10), h.app.Log), h.objectToNotice)
	authed.GET("/subscriptions/templates", h.templates)
	// Each report is a popup the resident tapped: a few a minute at most.
	authed.POST("/subscriptions", httpx.RateLimitBy(h.app.Limits, "subscribe:mp", ratelimit.PerMinute(10), accountKey, h.app.Log), h.recordSubscriptions)
	authed.GET("/messages", h.messages)
	h.registerCentre(authed)
}

func (h *Handler) requireResident(c *gin.Context) {
	id, err := h.app.Auth.ResidentID(c.Request.Context(), httpx.BearerToken(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Set(ctxResident, id)
	c.Next()
}

func residentID(c *gin.Context) uint64 { return c.GetUint64(ctxResident) }

func accountKey(c *gin.Context) string { return strconv.FormatUint(residentID(c), 10) }
