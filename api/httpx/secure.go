package httpx

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"
)

// Deadline gives every request's context a deadline of d: database work (and anything else
// that honours the context) still running then fails, and the store reports it as 503
// service.unavailable. d must be shorter than the server's write timeout so the client gets
// that answer rather than a cut connection (config checks PALMAID_DB_REQUEST_TIMEOUT).
func Deadline(d time.Duration) gin.HandlerFunc {
	if d <= 0 {
		panic("httpx.Deadline: d must be positive")
	}
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), d)
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
