package httpx

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// Deadline gives every request's context a deadline of d: database work (and anything else
// that honours the context) still running then fails, and the store reports it as 503
// service.unavailable. d must be shorter than the server's write timeout so the client gets
// that answer rather than a cut connection (config checks PALMAID_DB_REQUEST_TIMEOUT). A route
// listed in routes with a Time of its own (an upload from a slow mobile network) gets that
// deadline instead, and its connection's read and write deadlines are moved to match.
func Deadline(d time.Duration, routes ...RouteLimit) gin.HandlerFunc {
	if d <= 0 {
		panic("httpx.Deadline: d must be positive")
	}
	own := map[string]time.Duration{}
	for _, r := range routes {
		if r.Time > 0 {
			own[r.Path] = r.Time
		}
	}
	return func(c *gin.Context) {
		limit := d
		if t, ok := own[c.FullPath()]; ok {
			limit = t
			rc := http.NewResponseController(c.Writer)
			now := time.Now()
			_ = rc.SetReadDeadline(now.Add(t))                  // unsupported (tests' recorders): nothing to extend
			_ = rc.SetWriteDeadline(now.Add(t + 5*time.Second)) // the answer after the deadline still goes out
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), limit)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// SecurityHeaders marks every response as not to be stored by browsers or proxies (they carry
// tokens and personal data) and not to be content-sniffed.
func SecurityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		c.Next()
	}
}
