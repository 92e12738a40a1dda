package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"palmaid/api/server"
	"palmaid/service/app"
	"palmaid/service/store"
	"palmaid/service/testenv"
	"palmaid/service/wechat/wxsim"
)

type harness struct {
	t     testing.TB
	app   *app.App
	srv   *httptest.Server
	clock *testenv.Clock
	logs  *bytes.Buffer

	mu      sync.Mutex
	bodies  [][]byte          // every response body, for the privacy scans
	members map[string]string // ID number → the login a member confirmed from (fileDraft)
}

func newHarness(t testing.TB, be *testenv.Backend, now time.Time) *harness {
	t.Helper()
	be.Config.WeChat.Simulator = true
	return newHarnessWith(t, be, now, sim)
}

// newHarnessWith builds the app with the given simulator (nil: simulator off).
func newHarnessWith(t testing.TB, be *testenv.Backend, now time.Time, sim *wxsim.Simulator) *harness {
	t.Helper()
	cfg := be.Config
	cfg.DemoSeed = true
	cfg.WeChat.AppID, cfg.WeChat.AppSecret = testAppID, testSecret
	clk := testenv.NewClock(now)
	logs := &bytes.Buffer{}
	log := slog.New(slog.NewJSONHandler(&lockedWriter{w: logs}, nil))
	a, err := app.New(context.Background(), cfg, app.Options{Logger: log, Now: clk.Now, Simulator: sim})
	if err != nil {
		t.Fatalf("app: %v", err)
	}
	t.Cleanup(func() { _ = a.Close() })
	srv := httptest.NewServer(server.New(a, log))
	t.Cleanup(srv.Close)
	return &harness{t: t, app: a, srv: srv, clock: clk, logs: logs}
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

type resp struct {
	Status int
	Body   []byte
	Header http.Header
}

func (r resp) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("response is not a JSON object: %v: %s", err, r.Body)
	}
	return m
}

func (r resp) errCode(t testing.TB) string {
	t.Helper()
	e, ok := r.json(t)["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error envelope in %s", r.Body)
	}
	return e["code"].(string)
}

// do sends a request; body may be nil, a string (sent raw) or a value (JSON-encoded).
func (h *harness) do(method, path, token string, body any, headers ...string) resp {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, h.srv.URL+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	h.mu.Lock()
	h.bodies = append(h.bodies, b)
	h.mu.Unlock()
	checkContract(h.t, req, res.StatusCode, res.Header, b)
	return resp{Status: res.StatusCode, Body: b, Header: res.Header}
}

// expect asserts the status and returns the decoded body.
func (h *harness) expect(r resp, status int) map[string]any {
	h.t.Helper()
	if r.Status != status {
		h.t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if len(r.Body) == 0 {
		return nil
	}
	return r.json(h.t)
}

func (h *harness) residentLogin(name string) string {
	h.t.Helper()
	m := h.expect(h.do("POST", "/mp/v1/auth/login", "", map[string]string{"code": "dev:" + name}), 200)
	return m["token"].(string)
}

func (h *harness) staffLogin(username string) string {
	h.t.Helper()
	m := h.expect(h.do("POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": "palmaid-demo-2026"}), 200)
	return m["token"].(string)
}

// residentScope finds a simulated user's resident id (for direct store checks).
func residentScope(t *testing.T, h *harness, name string) store.Scope {
	t.Helper()
	r, err := h.app.Store.UpsertResident(context.Background(), testAppID, wxsim.OpenIDFor(testAppID, name), "", h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return store.ResidentScope(r.ID)
}

// newAppErr builds an app from the backend's configuration and returns its start-up error.
func newAppErr(t testing.TB, be *testenv.Backend) (*app.App, error) {
	t.Helper()
	a, err := app.New(context.Background(), be.Config, app.Options{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), Now: time.Now, Simulator: sim})
	if a != nil {
		t.Cleanup(func() { _ = a.Close() })
	}
	return a, err
}
