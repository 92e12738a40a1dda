package httpx

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// readyTimeout bounds each readiness check.
const readyTimeout = 2 * time.Second

// Health is the liveness probe: 200 {"status":"ok"} while the process serves requests.
func Health() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, gin.H{"status": "ok"})
	}
}

// Ready is the readiness probe. It runs every check concurrently, each with a 2 s timeout, and
// answers 200 {"status":"ready","checks":{"database":"ok",…}} or, when any fails, 503
// {"status":"unavailable","checks":{"database":"ok","redis":"unavailable"}}. Check errors are
// logged (to slog.Default(); ReadyWithLog chooses the logger), never shown.
func Ready(checks map[string]func(context.Context) error) gin.HandlerFunc {
	return ready(checks, readyTimeout, nil)
}

// ReadyWithLog is Ready logging failed checks to log (nil: slog.Default()).
func ReadyWithLog(checks map[string]func(context.Context) error, log *slog.Logger) gin.HandlerFunc {
	return ready(checks, readyTimeout, log)
}

func ready(checks map[string]func(context.Context) error, timeout time.Duration, log *slog.Logger) gin.HandlerFunc {
	if log == nil {
		log = slog.Default()
	}
	type result struct {
		name string
		err  error
	}
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		results := make(chan result, len(checks)) // buffered: a late check never blocks
		for name, check := range checks {
			go func() {
				results <- result{name, runCheck(ctx, check, timeout)}
			}()
		}
		status, out := http.StatusOK, make(map[string]string, len(checks))
		for range checks {
			r := <-results
			out[r.name] = "ok"
			if r.err != nil {
				status, out[r.name] = http.StatusServiceUnavailable, "unavailable"
				log.LogAttrs(ctx, slog.LevelWarn, "readiness check failed",
					slog.String("request_id", RequestIDFrom(c)),
					slog.String("check", r.name), slog.Any("err", r.err))
			}
		}
		overall := "ready"
		if status != http.StatusOK {
			overall = "unavailable"
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(status, gin.H{"status": overall, "checks": out})
	}
}

// runCheck runs check with a timeout. A check that ignores its context still counts as failed
// when the timeout passes; a panicking check counts as failed instead of crashing the process.
func runCheck(parent context.Context, check func(context.Context) error, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- fmt.Errorf("check panicked: %v", p)
			}
		}()
		done <- check(ctx)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("check did not finish: %w", ctx.Err())
	}
}
