package server_test

import (
	"testing"

	"palmaid/service/testenv"
)

// CORS is off by default: no header for any origin, and a preflight is not answered.
func TestCORSOffByDefault(t *testing.T) {
	h := newHarness(t, testenv.New(t, "embedded"), friday)
	r := h.do("OPTIONS", "/api/v1/me", "", nil, "Origin", "https://console.example.gov.cn", "Access-Control-Request-Method", "GET")
	if r.Header.Get("Access-Control-Allow-Origin") != "" || r.Status == 204 {
		t.Fatalf("preflight without PALMAID_CORS_ORIGINS: %d %v", r.Status, r.Header)
	}
	r = h.do("GET", "/healthz", "", nil, "Origin", "https://console.example.gov.cn")
	if r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("CORS header without PALMAID_CORS_ORIGINS: %v", r.Header)
	}
}

// With an allow-list, the listed origin gets its preflight and its answers; another gets nothing.
func TestCORSAllowList(t *testing.T) {
	be := testenv.New(t, "embedded")
	be.Config.HTTP.CORSOrigins = []string{"https://console.example.gov.cn"}
	h := newHarness(t, be, friday)
	const good, evil = "https://console.example.gov.cn", "https://evil.example.com"

	r := h.do("OPTIONS", "/api/v1/auth/login", "", nil, "Origin", good, "Access-Control-Request-Method", "POST",
		"Access-Control-Request-Headers", "content-type")
	if r.Status != 204 || r.Header.Get("Access-Control-Allow-Origin") != good ||
		r.Header.Get("Access-Control-Allow-Headers") == "" || r.Header.Get("Access-Control-Allow-Credentials") != "" {
		t.Fatalf("preflight from the allowed origin: %d %v", r.Status, r.Header)
	}
	login := h.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "town_east", "password": "palmaid-demo-2026"}, "Origin", good)
	if login.Status != 200 || login.Header.Get("Access-Control-Allow-Origin") != good || login.Header.Get("Vary") != "Origin" {
		t.Fatalf("login from the allowed origin: %d %v", login.Status, login.Header)
	}
	// Error answers carry the header too, so the console can read the error code.
	if r := h.do("GET", "/api/v1/me", "", nil, "Origin", good); r.Status != 401 || r.Header.Get("Access-Control-Allow-Origin") != good {
		t.Fatalf("401 from the allowed origin: %d %v", r.Status, r.Header)
	}

	r = h.do("OPTIONS", "/api/v1/auth/login", "", nil, "Origin", evil, "Access-Control-Request-Method", "POST")
	if r.Status == 204 || r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("preflight from another origin: %d %v", r.Status, r.Header)
	}
	if r := h.do("GET", "/healthz", "", nil, "Origin", evil); r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("answer to another origin: %v", r.Header)
	}
}
