package httpx

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// CORS lets the listed browser origins (a staff console on its own domain) call the API. Off
// when origins is empty: no CORS header is ever sent. A request from another origin gets no
// CORS headers (the browser then refuses the answer); a preflight from an allowed origin is
// answered 204 here. Tokens travel in the Authorization header, never in cookies, so
// credentials are not allowed.
func CORS(origins []string) gin.HandlerFunc {
	allowed := make(map[string]bool, len(origins))
	for _, o := range origins {
		allowed[strings.ToLower(o)] = true
	}
	return func(c *gin.Context) {
		origin := c.GetHeader("Origin")
		if len(allowed) == 0 || origin == "" {
			c.Next()
			return
		}
		h := c.Writer.Header()
		h.Add("Vary", "Origin")
		if !allowed[strings.ToLower(origin)] {
			c.Next()
			return
		}
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Expose-Headers", "X-Request-Id, Retry-After")
		if c.Request.Method == http.MethodOptions && c.GetHeader("Access-Control-Request-Method") != "" {
			h.Add("Vary", "Access-Control-Request-Method")
			h.Add("Vary", "Access-Control-Request-Headers")
			h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key, X-Request-Id")
			h.Set("Access-Control-Max-Age", "600")
			c.AbortWithStatus(http.StatusNoContent)
			return
		}
		c.Next()
	}
}
