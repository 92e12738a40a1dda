package httpx

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"palmaid/model"
)

func TestStatusPerKindThroughEnvelope(t *testing.T) {
	cases := []struct {
		kind   model.Kind
		status int
	}{
		{model.KindInvalid, 400},
		{model.KindUnauthorized, 401},
		{model.KindForbidden, 403},
		{model.KindNotFound, 404},
		{model.KindConflict, 409},
		{model.KindTooLarge, 413},
		{model.KindUnprocessable, 422},
		{model.KindRateLimited, 429},
		{model.KindUnavailable, 503},
		{model.KindInternal, 500},
		{model.Kind(99), 500},
	}
	for _, tc := range cases {
		if got := Status(tc.kind); got != tc.status {
			t.Errorf("Status(%d) = %d, want %d", tc.kind, got, tc.status)
		}
		r, _ := newEngine(t, 1<<20)
		r.GET("/x", func(c *gin.Context) {
			Fail(c, model.E(tc.kind, "test.code", "测试消息"))
		})
		res := get(t, r, "/x")
		if res.Status != tc.status {
			t.Errorf("kind %d: status %d, want %d", tc.kind, res.Status, tc.status)
		}
		e := res.envelope(t)
		wantCode, wantMsg := "test.code", "测试消息"
		if tc.status == 500 {
			wantCode, wantMsg = "internal", model.Internal(nil).Message
		}
		if e["code"] != wantCode || e["message"] != wantMsg {
			t.Errorf("kind %d: envelope %v, want code %q message %q", tc.kind, e, wantCode, wantMsg)
		}
		if id, _ := e["requestId"].(string); id == "" || id != res.Header.Get(HeaderRequestID) {
			t.Errorf("kind %d: requestId %q, header %q", tc.kind, id, res.Header.Get(HeaderRequestID))
		}
		if _, ok := e["fields"]; ok {
			t.Errorf("kind %d: fields present without hints: %v", tc.kind, e)
		}
	}
}

func TestSharedErrorEnvelope(t *testing.T) {
	r, _ := newEngine(t, 1<<20)
	r.GET("/cases/:id", func(c *gin.Context) { Fail(c, model.ErrCaseNotFound) })
	res := get(t, r, "/cases/42")
	e := res.envelope(t)
	if res.Status != 404 || e["code"] != "case.not_found" || e["message"] != "申请不存在" {
		t.Fatalf("got %d %s", res.Status, res.Body)
	}
}

func TestFieldsInEnvelope(t *testing.T) {
	r, _ := newEngine(t, 1<<20)
	r.GET("/x", func(c *gin.Context) {
		Fail(c, model.Invalid("case.invalid", "填写有误").WithField("income", "请填写月收入"))
	})
	e := get(t, r, "/x").envelope(t)
	fields, _ := e["fields"].(map[string]any)
	if fields["income"] != "请填写月收入" || len(fields) != 1 {
		t.Fatalf("fields = %v", e["fields"])
	}
}

func TestInternalCauseLoggedNotLeaked(t *testing.T) {
	const cause = "dial tcp 10.9.8.7:3306: access denied for user palmaid"
	for name, err := range map[string]error{
		"model.Internal":     model.Internal(errors.New(cause)),
		"plain error":        errors.New(cause),
		"internal kind text": &model.Error{Kind: model.KindInternal, Code: "db.secret_code", Message: cause, Fields: map[string]string{"dsn": cause}},
	} {
		t.Run(name, func(t *testing.T) {
			r, logs := newEngine(t, 1<<20)
			r.GET("/x", func(c *gin.Context) { Fail(c, err) })
			res := get(t, r, "/x")
			if res.Status != 500 {
				t.Fatalf("status %d", res.Status)
			}
			if strings.Contains(res.Body, "10.9.8.7") || strings.Contains(res.Body, "secret_code") || strings.Contains(res.Body, "dsn") {
				t.Fatalf("internal detail leaked: %s", res.Body)
			}
			e := res.envelope(t)
			if e["code"] != "internal" || e["message"] != "系统繁忙，请稍后再试" {
				t.Fatalf("envelope %v", e)
			}
			line := logs.find(t, "request failed")
			if line["level"] != "ERROR" || !strings.Contains(line["err"].(string), "10.9.8.7") {
				t.Fatalf("cause not logged at error: %v", line)
			}
			if line["request_id"] != e["requestId"] || line["route"] != "/x" {
				t.Fatalf("log line lacks request id/route: %v (envelope %v)", line, e)
			}
		})
	}
}

func TestUnavailableShowsItsMessageAndLogsCause(t *testing.T) {
	r, logs := newEngine(t, 1<<20)
	r.GET("/x", func(c *gin.Context) { Fail(c, model.ErrUnavailable.WithCause(errors.New("redis down"))) })
	res := get(t, r, "/x")
	e := res.envelope(t)
	if res.Status != 503 || e["code"] != "service.unavailable" || strings.Contains(res.Body, "redis") {
		t.Fatalf("got %d %s", res.Status, res.Body)
	}
	if line := logs.find(t, "request failed"); line["level"] != "WARN" || line["err"] != "redis down" {
		t.Fatalf("log %v", line)
	}
}

func TestFailNilIsInternal(t *testing.T) {
	r, _ := newEngine(t, 1<<20)
	r.GET("/x", func(c *gin.Context) { Fail(c, nil) })
	if res := get(t, r, "/x"); res.Status != 500 || res.envelope(t)["code"] != "internal" {
		t.Fatalf("got %d %s", res.Status, res.Body)
	}
}

func TestFailAbortsLaterHandlers(t *testing.T) {
	r, _ := newEngine(t, 1<<20)
	reached := false
	r.GET("/x", func(c *gin.Context) { Fail(c, model.ErrUnauthenticated) }, func(c *gin.Context) { reached = true })
	if res := get(t, r, "/x"); res.Status != 401 || reached {
		t.Fatalf("status %d, second handler reached: %v", res.Status, reached)
	}
}

func TestErrorAfterResponseWrittenKeepsResponse(t *testing.T) {
	r, logs := newEngine(t, 1<<20)
	r.GET("/x", func(c *gin.Context) {
		OK(c, http.StatusOK, gin.H{"done": true})
		_ = c.Error(errors.New("late failure"))
	})
	res := get(t, r, "/x")
	if res.Status != 200 || res.Body != `{"done":true}` {
		t.Fatalf("got %d %q", res.Status, res.Body)
	}
	if line := logs.find(t, "request failed"); line["err"] != "late failure" {
		t.Fatalf("late error not logged: %v", line)
	}
}

func TestNoRouteAndNoMethod(t *testing.T) {
	r, _ := newEngine(t, 1<<20)
	r.GET("/cases", func(c *gin.Context) { OK(c, 200, gin.H{}) })

	res := get(t, r, "/nowhere?phone=13800138000")
	e := res.envelope(t)
	if res.Status != 404 || e["code"] != "route.not_found" || e["requestId"] == "" {
		t.Fatalf("no route: %d %s", res.Status, res.Body)
	}

	res = do(t, r, mustRequest(t, http.MethodDelete, "/cases"))
	e = res.envelope(t)
	if res.Status != 405 || e["code"] != "request.method_not_allowed" || res.Header.Get("Allow") != "GET" {
		t.Fatalf("no method: %d %v %s", res.Status, res.Header, res.Body)
	}
}

func mustRequest(t *testing.T, method, target string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.RemoteAddr = "192.0.2.1:1234"
	return req
}

func TestRecoverTurnsPanicIntoInternalEnvelope(t *testing.T) {
	r, logs := newEngine(t, 1<<20)
	r.GET("/boom", func(c *gin.Context) { panic("secret state for 110105199001010022") })
	res := get(t, r, "/boom")
	e := res.envelope(t)
	if res.Status != 500 || e["code"] != "internal" || strings.Contains(res.Body, "secret") || strings.Contains(res.Body, "goroutine") {
		t.Fatalf("got %d %s", res.Status, res.Body)
	}
	line := logs.find(t, "panic serving request")
	if line["level"] != "ERROR" || line["request_id"] != e["requestId"] || line["route"] != "/boom" {
		t.Fatalf("panic log %v", line)
	}
	if !strings.Contains(line["stack"].(string), "goroutine") {
		t.Fatalf("stack not logged: %v", line["stack"])
	}
	if p := line["panic"].(string); !strings.Contains(p, "110105********0022") || strings.Contains(p, "19900101") {
		t.Fatalf("panic value not masked: %q", p)
	}
}

func TestRecoverRepanicsAbortHandler(t *testing.T) {
	r, _ := newEngine(t, 1<<20)
	r.GET("/abort", func(c *gin.Context) { panic(http.ErrAbortHandler) })
	defer func() {
		if p := recover(); p != http.ErrAbortHandler {
			t.Fatalf("recovered %v, want http.ErrAbortHandler", p)
		}
	}()
	get(t, r, "/abort")
	t.Fatal("ErrAbortHandler was swallowed")
}
