package httpx

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"palmaid/service/reqmeta"
)

var generatedID = regexp.MustCompile(`^[a-z2-7]{26}$`)

// echoEngine answers with what the handler and service code see.
func echoEngine(t *testing.T) *gin.Engine {
	t.Helper()
	r, _ := newEngine(t, 1<<20)
	r.GET("/who", func(c *gin.Context) {
		m := reqmeta.MetaFrom(c.Request.Context())
		OK(c, http.StatusOK, gin.H{"gin": RequestIDFrom(c), "ctx": m.RequestID, "ip": m.ClientIP})
	})
	return r
}

func TestRequestIDAcceptsWellFormedIncomingID(t *testing.T) {
	r := echoEngine(t)
	for _, id := range []string{"abcd1234", "req-2024.06_01-XYZ", strings.Repeat("a", 64)} {
		req := mustRequest(t, http.MethodGet, "/who")
		req.Header.Set(HeaderRequestID, id)
		res := do(t, r, req)
		body := res.json(t)
		if res.Header.Get(HeaderRequestID) != id || body["gin"] != id || body["ctx"] != id {
			t.Errorf("id %q: header %q, body %v", id, res.Header.Get(HeaderRequestID), body)
		}
		if body["ip"] != "192.0.2.1" {
			t.Errorf("client ip in request meta = %v", body["ip"])
		}
	}
}

func TestRequestIDGeneratedWhenAbsent(t *testing.T) {
	r := echoEngine(t)
	a := do(t, r, mustRequest(t, http.MethodGet, "/who"))
	b := do(t, r, mustRequest(t, http.MethodGet, "/who"))
	ida, idb := a.Header.Get(HeaderRequestID), b.Header.Get(HeaderRequestID)
	if !generatedID.MatchString(ida) || !generatedID.MatchString(idb) || ida == idb {
		t.Fatalf("generated ids %q %q", ida, idb)
	}
	if a.json(t)["ctx"] != ida {
		t.Fatalf("context id %v != header %q", a.json(t)["ctx"], ida)
	}
}

func TestRequestIDRejectsMaliciousIncomingID(t *testing.T) {
	r := echoEngine(t)
	for _, bad := range []string{
		"short",
		strings.Repeat("a", 65),
		"abcdefgh\r\nSet-Cookie: session=evil",
		`"><script>alert(1)</script>`,
		"abcdefgh ijk",
		"申请编号一二三四五六七八",
		"../../etc/passwd",
		"abc{\"x\":1}defg",
	} {
		req := mustRequest(t, http.MethodGet, "/who")
		req.Header[HeaderRequestID] = []string{bad}
		res := do(t, r, req)
		got := res.Header.Get(HeaderRequestID)
		if got == bad || !generatedID.MatchString(got) {
			t.Errorf("incoming %q: response id %q, want a fresh generated id", bad, got)
		}
		if res.json(t)["ctx"] != got {
			t.Errorf("incoming %q: context id differs from header", bad)
		}
		if len(res.Header.Values("Set-Cookie")) != 0 {
			t.Errorf("incoming %q: header injection", bad)
		}
	}
}

func TestRequestIDInErrorEnvelopeAndLogs(t *testing.T) {
	r, logs := newEngine(t, 1<<20)
	r.GET("/x", func(c *gin.Context) { Fail(c, errString("boom")) })
	req := mustRequest(t, http.MethodGet, "/x")
	req.Header.Set(HeaderRequestID, "trace-0001")
	e := do(t, r, req).envelope(t)
	if e["requestId"] != "trace-0001" {
		t.Fatalf("envelope requestId %v", e["requestId"])
	}
	for _, l := range logs.lines(t) {
		if l["request_id"] != "trace-0001" {
			t.Errorf("log line without the request id: %v", l)
		}
	}
}

type errString string

func (e errString) Error() string { return string(e) }

// Regression: a hex id once contained "15123436823", which the log masker took for a mobile
// number, so the logged id no longer matched the response. Generated ids must survive masking.
func TestGeneratedRequestIDSurvivesLogMasking(t *testing.T) {
	for i := 0; i < 20000; i++ {
		id := newRequestID()
		if got := maskPersonal(id); got != id {
			t.Fatalf("generated id %q is masked to %q", id, got)
		}
	}
}
