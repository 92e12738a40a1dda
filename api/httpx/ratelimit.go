package httpx

import (
	"errors"
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/model"
	"palmaid/service/ratelimit"
)

// Routes declare their limits with a Class through Router (limits.go); RateLimit and
// RateLimitBy remain for a budget spent in a middleware beside a route's class.

// RateLimit spends one event of the client IP's budget for name (e.g. "login:mp") and answers
// 429 request.rate_limited with Retry-After when it is spent. The client IP honours
// X-Forwarded-For only from the configured trusted proxies. If Redis fails the limiter counts
// in this process instead (ratelimit.Limiter.Allow): the limit holds, per replica.
func RateLimit(l *ratelimit.Limiter, name string, lim ratelimit.Limit, log *slog.Logger) gin.HandlerFunc {
	return RateLimitBy(l, name, lim, func(c *gin.Context) string { return c.ClientIP() }, log)
}

// RateLimitBy is RateLimit with the budget keyed by key(c) (an account id, say) instead of the
// client IP.
func RateLimitBy(l *ratelimit.Limiter, name string, lim ratelimit.Limit, key func(c *gin.Context) string, log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		wait, err := l.Allow(c.Request.Context(), name+":"+key(c), lim)
		if errors.Is(err, model.ErrRateLimited) {
			Fail(c, model.ErrRateLimited.WithRetryAfter(max(wait, time.Second)))
			return
		}
		if err != nil {
			log.WarnContext(c.Request.Context(), "rate limiter failed; request let through", "limit", name, "err", err)
		}
		c.Next()
	}
}
