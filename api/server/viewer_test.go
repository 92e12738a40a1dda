package server_test

import (
	"regexp"
	"strings"
	"testing"

	"palmaid/docs/viewer"
	"palmaid/service/testenv"
)

// /docs serves the API reference from the binary, under a CSP that allows nothing but this
// origin; the page loads no external resource (a browser test in tests/browser renders it).
func TestDocsViewerServed(t *testing.T) {
	h := newHarness(t, testenv.New(t, "embedded"), friday)
	page := h.do("GET", "/docs", "", nil)
	if page.Status != 200 || !strings.HasPrefix(page.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("/docs: %d %s", page.Status, page.Header.Get("Content-Type"))
	}
	for _, want := range []string{`src="/docs/viewer.js"`, `href="/docs/viewer.css"`, `href="/openapi.json"`} {
		if !strings.Contains(string(page.Body), want) {
			t.Errorf("/docs lacks %s", want)
		}
	}
	for path, ctype := range map[string]string{"/docs": "text/html", "/docs/viewer.js": "text/javascript", "/docs/viewer.css": "text/css"} {
		r := h.do("GET", path, "", nil)
		if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), ctype) || len(r.Body) < 500 {
			t.Errorf("%s: %d %q, %d bytes", path, r.Status, r.Header.Get("Content-Type"), len(r.Body))
		}
		csp := r.Header.Get("Content-Security-Policy")
		if csp != viewer.CSP || !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if r.Header.Get("X-Frame-Options") != "DENY" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: framing/sniffing headers %v", path, r.Header)
		}
		// Nothing from another origin: no absolute URL in a src, href, url() or fetch.
		if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*"(https?:)?//|url\(\s*["']?(https?:)?//|fetch\(\s*["'](https?:)?//`).Find(r.Body); m != nil {
			t.Errorf("%s loads something from another origin: %s", path, m)
		}
	}
	// No inline script or style the CSP would block.
	if regexp.MustCompile(`(?i)<script>|<style|\sstyle="|\son[a-z]+="`).Match(page.Body) {
		t.Error("/docs has inline script or style, which its CSP blocks")
	}
}
