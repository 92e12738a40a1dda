// Package bff is the residents' face: the HTTP API the 掌上办 mini-program calls under /mp/v1.
// Handlers decode and validate the request shape, call service/, and shape responses for the
// mini-program's screens. Errors go to httpx, which maps them to the envelope in one place.
package bff

import (
	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/service/app"
	"palmaid/service/ratelimit"
)

// Handler serves /mp/v1.
type Handler struct {
	app *app.App
}

// New builds the handler.
func New(a *app.App) *Handler { return &Handler{app: a} }

const ctxResident = "palmaid.resident_id"

// Register mounts the routes on g (the /mp/v1 group).
func (h *Handler) Register(g *gin.RouterGroup) {
	// Generous per IP: mobile carriers put many residents behind one address.
	g.POST("/auth/login", httpx.RateLimit(h.app.Limits, "login:mp", ratelimit.PerMinute(60), h.app.Log), h.login)

	authed := g.Group("", h.requireResident)
	authed.POST("/auth/logout", h.logout)
	authed.GET("/me", h.me)
	authed.PUT("/me/identity", h.setIdentity)
	authed.POST("/me/phone", h.bindPhone)
	authed.POST("/cases", h.createCase)
	authed.GET("/cases", h.listCases)
	authed.GET("/cases/:id", h.getCase)
	authed.GET("/subscriptions/templates", h.templates)
	authed.POST("/subscriptions", h.recordSubscriptions)
	authed.GET("/messages", h.messages)
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
