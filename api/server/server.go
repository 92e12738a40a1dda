// Package server composes the HTTP faces into one handler: residents under /mp/v1, staff
// under /api/v1, health, the OpenAPI document, and — only when the WeChat simulator is on
// (embedded mode) — developer routes under /dev/v1.
package server

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api"
	"palmaid/api/httpx"
	"palmaid/docs"
	bff "palmaid/miniprogram-bff"
	"palmaid/service/app"
	"palmaid/service/metrics"
)

// New builds the router. Call gin.SetMode once per process before (main and TestMain do).
func New(a *app.App, log *slog.Logger) *gin.Engine {
	r, _ := Build(a, log)
	return r
}

// Build builds the router and the book of its routes' limit classes (every route is
// registered through httpx.Router with its class; a test checks that none is missing).
func Build(a *app.App, log *slog.Logger) (*gin.Engine, *httpx.RouteBook) {
	r := gin.New()
	r.HandleMethodNotAllowed = true
	// X-Forwarded-For is believed only from the configured proxies (none by default), so a
	// client cannot choose the IP that rate limits and the audit log see.
	if err := r.SetTrustedProxies(a.Config.HTTP.TrustedProxies); err != nil {
		log.Error("ignoring PALMAID_TRUSTED_PROXIES", "err", err)
		_ = r.SetTrustedProxies(nil)
	}
	r.ContextWithFallback = true
	uploads := append(bff.RouteLimits("/mp/v1"), api.RouteLimits("/api/v1")...) // larger bodies, more time
	r.Use(httpx.Recover(log), httpx.SecurityHeaders(), httpx.RequestID(), observe(a.Metrics), httpx.AccessLog(log), httpx.Errors(log),
		httpx.CORS(a.Config.HTTP.CORSOrigins), httpx.Deadline(a.Config.Database.RequestTimeout, uploads...), httpx.BodyLimit(a.Config.HTTP.MaxBodyBytes, uploads...))
	r.NoRoute(httpx.NoRoute())
	r.NoMethod(httpx.NoMethod())

	book := httpx.NewRouteBook()
	limits := httpx.NewLimits(a.Limits, log, a.Metrics.ObserveRateLimited, book, a.Config.Limits.RateScale)
	root := httpx.NewRouter(&r.RouterGroup, limits)
	root.GET("/healthz", httpx.Unlimited("liveness probe: answers from memory, reads and writes nothing"), httpx.Health())
	root.GET("/readyz", httpx.Unlimited("the load balancer's readiness probe: one ping each to the database and Redis; a limit would take the instance out of rotation"),
		httpx.ReadyWithLog(a.Ready(), log))
	root.GET("/openapi.json", httpx.Unlimited("a document embedded in the binary, served from memory"),
		func(c *gin.Context) { c.Data(http.StatusOK, "application/json", docs.OpenAPI) })
	registerViewer(root)
	registerConsole(root)

	bff.New(bff.Deps{Auth: a.Auth, Residents: a.Residents, Application: a.Application, Progress: a.Progress, Notify: a.Notify, Eligibility: a.Eligibility, Checklist: a.Checklist,
		Documents: a.Documents, Log: a.Log, Feedback: a.Feedback, Privacy: a.Privacy, Benefits: a.Benefits, Reviews: a.Reviews, Credit: a.Credit}).
		Register(root.Group("/mp/v1"))
	api.New(api.Deps{Auth: a.Auth, Application: a.Application, Review: a.Review, Worklist: a.Worklist, SpotChecks: a.SpotChecks, CalendarAdmin: a.CalendarAdmin, Notify: a.Notify, StaffAdmin: a.StaffAdmin,
		AreaAdmin: a.AreaAdmin, Checklist: a.Checklist, Documents: a.Documents, Log: a.Log, Feedback: a.Feedback,
		Policy: a.Policy, AuditLog: a.AuditLog, Residents: a.Residents, Benefits: a.Benefits, Reviews: a.Reviews, Credit: a.Credit, SecureCookies: !a.Config.Embedded(), UnmaskPerHour: a.Config.Limits.UnmaskPerHour}).
		Register(root.Group("/api/v1"))
	if a.Simulator != nil && a.Config.Embedded() {
		registerDev(root.Group("/dev/v1"), a)
	}
	return r, book
}

// static is the class of the files embedded in the binary (the console, the API viewer).
var static = httpx.Unlimited("static files embedded in the binary, served from memory; nothing read or written")

// observe records every request's route template, status and latency.
func observe(m *metrics.Metrics) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		m.ObserveRequest(c.FullPath(), c.Request.Method, c.Writer.Status(), time.Since(start))
	}
}
