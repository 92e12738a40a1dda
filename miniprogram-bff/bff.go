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
	"palmaid/service/benefits"
	"palmaid/service/cases/application"
	"palmaid/service/cases/progress"
	"palmaid/service/checklist"
	"palmaid/service/credit"
	"palmaid/service/documents"
	"palmaid/service/eligibility"
	"palmaid/service/feedback"
	"palmaid/service/notify"
	"palmaid/service/privacy"
	"palmaid/service/ratelimit"
	"palmaid/service/residents"
	"palmaid/service/reviews"
)

// Deps are the use cases the residents' face may call; the store, Redis and configuration are
// not among them.
type Deps struct {
	Auth      *auth.Service
	Residents *residents.Service
	// Application: drafts, consents, submission, changes, the public notice; Progress: the
	// resident's cases and the progress screen.
	Application *application.Service
	Progress    *progress.Service
	Notify      *notify.Service
	// Eligibility answers the resident's self-check (nothing stored).
	Eligibility *eligibility.Service
	// Documents: uploads to the checklist items of one's own case, downloads, deletion.
	Documents *documents.Service
	// Checklist answers the document-list preview and the policy guide (nothing stored).
	Checklist *checklist.Service
	Log       *slog.Logger
	// Feedback: ratings and complaints; Privacy: the copy of one's data and account deletion.
	Feedback *feedback.Service
	Privacy  *privacy.Service
	// Benefits: 我的保障 and 发放记录.
	Benefits *benefits.Service
	// Reviews: a change reported after a decision opens a review (issue 25).
	Reviews *reviews.Service
	// Credit: the resident's own 失信 records and statements.
	Credit *credit.Service
}

// Handler serves /mp/v1.
type Handler struct {
	app Deps
}

// New builds the handler.
func New(d Deps) *Handler { return &Handler{app: d} }

const ctxResident = "palmaid.resident_id"

// Register mounts the routes on g (the /mp/v1 group), each with its limit class
// (docs/SECURITY.md, "Limits"): anonymous routes per client IP, the rest per account.
func (h *Handler) Register(g *httpx.Router) {
	// Generous per IP: mobile carriers put many residents behind one address.
	g.POST("/auth/login", httpx.IPClass("login:mp", ratelimit.PerMinute(60)), h.login)
	// The village notice board (公示) is public, like the paper one; searched per IP.
	public := httpx.IPClass("public:mp", ratelimit.PerMinute(120))
	g.GET("/villages", public, h.searchVillages)
	g.GET("/villages/:code/notices", public, h.villageNotices)
	// The self-check needs no login and stores nothing; limited per IP like the login.
	g.POST("/eligibility/check", httpx.IPClass("eligibility:mp", ratelimit.PerMinute(30)), h.eligibilityCheck)
	h.registerChecklist(g)

	// Behind the session, per account: reads counted in this process (no Redis round trip),
	// writes in Redis (every replica together).
	read := httpx.AccountClass("read:mp", ratelimit.PerMinute(240)).InProcess()
	write := httpx.AccountClass("write:mp", ratelimit.PerMinute(60))
	// The progress screen checks the session itself (with its cached view, one Redis round
	// trip), then spends its account's read budget.
	g.GET("/cases/:id", read.SpentByHandler(), h.getCase)
	// Per-account budgets exist only behind the session check (a per-account class on a
	// public route panics at start: no key).
	authed := g.Group("", h.requireResident).Keyed(httpx.PerAccount, accountKey)
	authed.POST("/auth/logout", write, h.logout)
	authed.GET("/me", read, h.me)
	// Per account: binding is not a way to probe who uses the service (issue 6, finding 3):
	// 5 identity (or phone) bindings at once, then one every 12 minutes.
	bindingLimit := ratelimit.Limit{Rate: 5, Burst: 5, Period: time.Hour}
	authed.PUT("/me/identity", httpx.AccountClass("identity:mp", bindingLimit), h.setIdentity)
	authed.POST("/me/phone", httpx.AccountClass("phone:mp", bindingLimit), h.bindPhone)
	authed.POST("/me/identity/desk-code", httpx.AccountClass("deskcode:mp", bindingLimit), h.deskCode)
	// New cases: a few an hour (and at most PALMAID_MAX_OPEN_DRAFTS drafts at once).
	newCase := httpx.AccountClass("newcase:mp", ratelimit.Limit{Rate: 30, Burst: 20, Period: time.Hour})
	authed.POST("/cases", newCase, h.createCase)
	authed.POST("/drafts", newCase, h.createDraft)
	authed.PUT("/cases/:id/draft", write, h.saveDraft)
	authed.POST("/cases/:id/submit", write, h.submitDraft)
	authed.POST("/cases/:id/consents/:consentId/invitation", write, h.inviteConsent)
	authed.POST("/cases/:id/consents/:consentId/paper", write, h.paperConsent)
	authed.POST("/cases/:id/items/:itemId/commitment", write, h.commitItem)
	authed.POST("/cases/:id/take-over", write, h.takeOver)
	authed.POST("/cases/:id/changes", write, h.declareChange)
	invite := httpx.AccountClass("invite:mp", ratelimit.PerMinute(20))
	authed.GET("/invitations/:token", invite, h.viewInvitation)
	authed.POST("/invitations/:token/confirm", invite, h.confirmInvitation)
	authed.GET("/cases", read, h.listCases)
	authed.POST("/cases/:id/resubmit", write, h.resubmit)
	authed.POST("/cases/:id/withdraw", write, h.withdraw)
	authed.POST("/cases/:id/data-check-objection", write, h.dataCheckObjection)
	authed.POST(UploadPath, httpx.AccountClass("upload:mp", ratelimit.PerMinute(30)), h.uploadDocument)
	authed.GET("/cases/:id/documents/:docId", httpx.AccountClass("download:mp", ratelimit.PerMinute(60)), h.downloadDocument)
	authed.DELETE("/cases/:id/documents/:docId", write, h.deleteDocument)
	authed.POST("/notices/:id/objections", httpx.AccountClass("objection:mp", ratelimit.PerMinute(10)), h.objectToNotice)
	authed.GET("/subscriptions/templates", read, h.templates)
	// Each report is a popup the resident tapped: a few a minute at most.
	authed.POST("/subscriptions", httpx.AccountClass("subscribe:mp", ratelimit.PerMinute(10)), h.recordSubscriptions)
	authed.GET("/messages", read, h.messages)
	h.registerCentre(authed, read, write)
	h.registerBenefits(authed, read)
	h.registerReviews(authed)
	h.registerCredit(authed, read)
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
