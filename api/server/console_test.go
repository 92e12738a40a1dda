package server_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base32"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/auth"
	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// consoleLogin logs username in through the console's cookie login and returns the cookie
// header value and the CSRF token.
func consoleLogin(t *testing.T, h *harness, username string) (cookie, csrf string) {
	t.Helper()
	res := h.do("POST", "/api/v1/auth/console-login", "", map[string]string{"username": username, "password": seed.DemoPassword})
	m := h.expect(res, 200)
	if _, ok := m["token"]; ok {
		t.Fatalf("the console login returned the session token to the script: %s", res.Body)
	}
	set := res.Header.Values("Set-Cookie")
	if len(set) != 1 {
		t.Fatalf("Set-Cookie: %q", set)
	}
	c, err := http.ParseSetCookie(set[0])
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "palmaid_console" || c.Value == "" || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/api" {
		t.Fatalf("session cookie: %q", set[0])
	}
	if c.Secure {
		t.Fatalf("embedded mode (plain HTTP on loopback) must not mark the cookie Secure: %q", set[0])
	}
	csrf, _ = m["csrfToken"].(string)
	if len(csrf) < 32 || m["idleTimeoutSeconds"] != float64(1800) || m["staff"].(map[string]any)["username"] != username {
		t.Fatalf("console login answer: %s", res.Body)
	}
	return c.Name + "=" + c.Value, csrf
}

// The console's browser session: an HttpOnly SameSite=Strict cookie that authenticates reads,
// while every state-changing request must also carry the session's CSRF token (403
// auth.csrf_invalid otherwise, and nothing changes). A request with an Authorization header is
// a bearer request and never looks at the cookie.
func TestConsoleCookieSessionAndCSRF(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		_, id := r.apply(testenv.UniqueName("console-"+be.Name), seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "赵大", "idNumber": makeID("990101", "19580302", 31)})
		cookie, csrf := consoleLogin(t, h, "town_east")
		_, otherCSRF := consoleLogin(t, h, "town_east2")

		// Reads with the cookie alone.
		if me := h.expect(h.do("GET", "/api/v1/me", "", nil, "Cookie", cookie), 200); me["username"] != "town_east" {
			t.Fatalf("me: %v", me)
		}
		sess := h.expect(h.do("GET", "/api/v1/auth/console-session", "", nil, "Cookie", cookie), 200)
		if sess["csrfToken"] != csrf {
			t.Fatalf("console-session gives another CSRF token: %v, want %s", sess["csrfToken"], csrf)
		}
		v := r.version(id)
		accept := map[string]any{"version": v, "opinion": "材料齐全"}

		// No token, a wrong one, another session's: 403 with the stable code, nothing changes.
		for name, hdr := range map[string][]string{
			"missing":       {"Cookie", cookie},
			"wrong":         {"Cookie", cookie, "X-CSRF-Token", "not-the-token"},
			"other session": {"Cookie", cookie, "X-CSRF-Token", otherCSRF},
			"empty":         {"Cookie", cookie, "X-CSRF-Token", ""},
		} {
			res := h.do("POST", "/api/v1/cases/"+id+"/accept", "", accept, hdr...)
			if res.Status != http.StatusForbidden || res.errCode(t) != "auth.csrf_invalid" {
				t.Fatalf("%s CSRF token: %d %s", name, res.Status, res.Body)
			}
		}
		if got := r.version(id); got != v || r.status(id) != "submitted" {
			t.Fatalf("a request without the CSRF token changed the case: version %d → %d, status %s", v, got, r.status(id))
		}
		// Logging out is a change too.
		if res := h.do("POST", "/api/v1/auth/console-logout", "", nil, "Cookie", cookie); res.Status != http.StatusForbidden {
			t.Fatalf("logout without CSRF: %d %s", res.Status, res.Body)
		}

		// A bearer request ignores the cookie: a bad bearer token with a good cookie is refused.
		if res := h.do("GET", "/api/v1/me", "not-a-token", nil, "Cookie", cookie); res.Status != http.StatusUnauthorized {
			t.Fatalf("bad bearer + cookie: %d %s", res.Status, res.Body)
		}

		// With the token the action goes through.
		d := h.expect(h.do("POST", "/api/v1/cases/"+id+"/accept", "", accept, "Cookie", cookie, "X-CSRF-Token", csrf), 200)
		if d["status"] != "accepted" {
			t.Fatalf("accept with CSRF: %v", d["status"])
		}

		// Logout ends the session and clears the cookie; the cookie is then worth nothing.
		res := h.do("POST", "/api/v1/auth/console-logout", "", nil, "Cookie", cookie, "X-CSRF-Token", csrf)
		if res.Status != http.StatusNoContent {
			t.Fatalf("logout: %d %s", res.Status, res.Body)
		}
		if set := res.Header.Get("Set-Cookie"); !strings.Contains(set, "palmaid_console=;") || !strings.Contains(set, "Max-Age=0") {
			t.Fatalf("logout does not clear the cookie: %q", set)
		}
		if res := h.do("GET", "/api/v1/me", "", nil, "Cookie", cookie); res.Status != http.StatusUnauthorized || res.errCode(t) != "auth.required" {
			t.Fatalf("cookie after logout: %d %s", res.Status, res.Body)
		}
	})
}

// The console is served from the binary: index.html under a strict CSP (no inline script),
// its content-hashed assets gzipped and cached, nothing else.
func TestConsoleServed(t *testing.T) {
	h := newHarness(t, testenv.New(t, "embedded"), friday)
	res := h.do("GET", "/console", "", nil)
	if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("/console: %d %s", res.Status, res.Header.Get("Content-Type"))
	}
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP lacks %q: %s", want, csp)
		}
	}
	if strings.Contains(csp, "unsafe") {
		t.Errorf("CSP allows unsafe sources: %s", csp)
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("index.html may be cached: %q", res.Header.Get("Cache-Control"))
	}
	if regexp.MustCompile(`<script(?:\s[^>]*)?>[^<\s]`).Match(res.Body) {
		t.Errorf("index.html has an inline script: %s", res.Body)
	}
	js := regexp.MustCompile(`src="(/console/assets/[^"]+\.js)"`).FindSubmatch(res.Body)
	if js == nil {
		t.Fatalf("no script in index.html: %s", res.Body)
	}
	a := h.do("GET", string(js[1]), "", nil, "Accept-Encoding", "gzip")
	if a.Status != 200 || a.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(a.Header.Get("Cache-Control"), "immutable") ||
		!strings.HasPrefix(a.Header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("%s: %d %v", js[1], a.Status, a.Header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(a.Body))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil || !bytes.Contains(plain, []byte("/auth/console-login")) {
		t.Fatalf("the script is not the console's (%v)", err)
	}
	if res := h.do("GET", "/console/assets/no-such-file.js", "", nil); res.Status != http.StatusNotFound {
		t.Fatalf("unknown asset: %d", res.Status)
	}
}

// The console's login with a second factor: a role that must have one gets a cookie session
// that may only enrol (console-session included, so a reloaded page works); once enrolled, the
// password alone answers 202 with a challenge and sets no cookie; the code (or a recovery code)
// to /auth/console-login/second-factor sets the cookie and gives the CSRF token.
func TestConsoleLoginSecondFactor(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		be.Config.Session.SecondFactorRoles = []string{string(model.RoleAuditor)}
		h := newHarness(t, be, monday)
		cookie, csrf := consoleLogin(t, h, "auditor")
		if s := h.expect(h.do("GET", "/api/v1/auth/console-session", "", nil, "Cookie", cookie), 200); s["staff"].(map[string]any)["secondFactorRequired"] != true {
			t.Fatalf("console-session before enrolment: %v", s)
		}
		if res := h.do("GET", "/api/v1/audit", "", nil, "Cookie", cookie); res.Status != 403 || res.errCode(t) != "auth.second_factor_required" {
			t.Fatalf("audit before enrolment: %d %s", res.Status, res.Body)
		}
		e := h.expect(h.do("POST", "/api/v1/me/second-factor", "", nil, "Cookie", cookie, "X-CSRF-Token", csrf), 200)
		secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(e["secret"].(string))
		testenv.Must(t, err)
		code := func() string { return auth.TOTPCode(secret, auth.TOTPStep(h.clock.Now())) }
		rc := h.expect(h.do("POST", "/api/v1/me/second-factor/confirm", "", map[string]string{"code": code()}, "Cookie", cookie, "X-CSRF-Token", csrf), 200)["recoveryCodes"].([]any)
		h.expect(h.do("GET", "/api/v1/audit", "", nil, "Cookie", cookie), 200)
		h.expect(h.do("POST", "/api/v1/auth/console-logout", "", nil, "Cookie", cookie, "X-CSRF-Token", csrf), 204)

		res := h.do("POST", "/api/v1/auth/console-login", "", map[string]string{"username": "auditor", "password": seed.DemoPassword})
		ch := h.expect(res, 202)
		if len(res.Header.Values("Set-Cookie")) != 0 || ch["csrfToken"] != nil || ch["challenge"] == "" {
			t.Fatalf("password alone: %q %s", res.Header.Values("Set-Cookie"), res.Body)
		}
		second := func(challenge, code string) resp {
			return h.do("POST", "/api/v1/auth/console-login/second-factor", "", map[string]string{"challenge": challenge, "code": code})
		}
		if r := second(ch["challenge"].(string), "000000"); r.Status != 401 || r.errCode(t) != "auth.bad_second_factor" || len(r.Header.Values("Set-Cookie")) != 0 {
			t.Fatalf("wrong code: %d %s", r.Status, r.Body)
		}
		h.clock.Set(h.clock.Now().Add(30 * time.Second))
		ok := second(ch["challenge"].(string), code())
		m := h.expect(ok, 200)
		set := ok.Header.Values("Set-Cookie")
		if len(set) != 1 || !strings.HasPrefix(set[0], "palmaid_console=") || !strings.Contains(set[0], "HttpOnly") || m["csrfToken"] == "" || m["token"] != nil {
			t.Fatalf("second step: %q %s", set, ok.Body)
		}
		c2, err := http.ParseSetCookie(set[0])
		testenv.Must(t, err)
		h.expect(h.do("GET", "/api/v1/audit", "", nil, "Cookie", c2.Name+"="+c2.Value), 200)

		// A recovery code works the same way.
		ch = h.expect(h.do("POST", "/api/v1/auth/console-login", "", map[string]string{"username": "auditor", "password": seed.DemoPassword}), 202)
		h.expect(second(ch["challenge"].(string), rc[0].(string)), 200)
	})
}
