package httpx

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func ok(context.Context) error { return nil }

func TestHealth(t *testing.T) {
	r, _ := newEngine(t, 1<<20)
	r.GET("/healthz", Health())
	if res := get(t, r, "/healthz"); res.Status != 200 || res.Body != `{"status":"ok"}` {
		t.Fatalf("got %d %s", res.Status, res.Body)
	}
}

func TestReadyAllOK(t *testing.T) {
	r, _ := newEngine(t, 1<<20)
	r.GET("/readyz", Ready(map[string]func(context.Context) error{"database": ok, "redis": ok}))
	res := get(t, r, "/readyz")
	if res.Status != 200 || res.Body != `{"checks":{"database":"ok","redis":"ok"},"status":"ready"}` {
		t.Fatalf("got %d %s", res.Status, res.Body)
	}
}

func TestReadyNamesFailingCheckWithoutRawError(t *testing.T) {
	r, _ := newEngine(t, 1<<20)
	var logs logBuffer
	log := NewLogger(&logs, slog.LevelInfo)
	r.GET("/readyz", ReadyWithLog(map[string]func(context.Context) error{
		"database": ok,
		"redis":    func(context.Context) error { return errors.New("dial tcp 10.1.2.3:6379: connection refused") },
	}, log))
	res := get(t, r, "/readyz")
	if res.Status != 503 {
		t.Fatalf("status %d", res.Status)
	}
	b := res.json(t)
	checks := b["checks"].(map[string]any)
	if b["status"] != "unavailable" || checks["redis"] != "unavailable" || checks["database"] != "ok" {
		t.Fatalf("body %s", res.Body)
	}
	if strings.Contains(res.Body, "10.1.2.3") || strings.Contains(res.Body, "refused") {
		t.Fatalf("raw error leaked: %s", res.Body)
	}
	l := logs.find(t, "readiness check failed")
	if l["check"] != "redis" || !strings.Contains(l["err"].(string), "connection refused") || l["request_id"] == "" {
		t.Fatalf("failure not logged: %v", l)
	}
}

func TestReadyTimesOutHungAndPanickingChecks(t *testing.T) {
	r, _ := newEngine(t, 1<<20)
	release := make(chan struct{})
	defer close(release)
	r.GET("/readyz", ready(map[string]func(context.Context) error{
		"database": ok,
		"hung":     func(context.Context) error { <-release; return nil }, // ignores its context
		"slow":     func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() },
		"broken":   func(context.Context) error { panic("driver bug") },
	}, 50*time.Millisecond, slog.New(slog.DiscardHandler)))
	start := time.Now()
	res := get(t, r, "/readyz")
	if took := time.Since(start); took > time.Second {
		t.Fatalf("ready took %v", took)
	}
	checks := res.json(t)["checks"].(map[string]any)
	if res.Status != 503 || checks["database"] != "ok" || checks["hung"] != "unavailable" || checks["slow"] != "unavailable" || checks["broken"] != "unavailable" {
		t.Fatalf("got %d %s", res.Status, res.Body)
	}
}

func TestReadyUsesTwoSecondTimeout(t *testing.T) {
	var deadline time.Duration
	r, _ := newEngine(t, 1<<20)
	r.GET("/readyz", Ready(map[string]func(context.Context) error{"database": func(ctx context.Context) error {
		d, _ := ctx.Deadline()
		deadline = time.Until(d)
		return nil
	}}))
	get(t, r, "/readyz")
	if deadline <= time.Second || deadline > 2*time.Second {
		t.Fatalf("check deadline %v, want about 2s", deadline)
	}
}
