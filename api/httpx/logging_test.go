package httpx

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"palmaid/service/reqmeta"
)

func TestMaskPersonal(t *testing.T) {
	cases := []struct{ in, want string }{
		{"110105199001010022", "110105********0022"},
		{"身份证11010519900101002X已核验", "身份证110105********002X已核验"},
		{"id=11010519900101002x;", "id=110105********002x;"},
		{"旧证110105900101123号", "旧证110105******123号"},
		{"电话13800138000", "电话138****8000"},
		{"tel:+8613912345678", "tel:+86139****5678"},
		{"a 110105199001010022 and 15912345678.", "a 110105********0022 and 159****5678."},
		{"12800138000", "12800138000"},                           // not a mobile prefix
		{"1700000000000", "1700000000000"},                       // 13-digit timestamp
		{"case 2024110100001234567", "case 2024110100001234567"}, // 19 digits: not an ID
		{"nothing here", "nothing here"},
		{"", ""},
	}
	for _, tc := range cases {
		if got := maskPersonal(tc.in); got != tc.want {
			t.Errorf("maskPersonal(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLoggerMasksMessageAndAttributes(t *testing.T) {
	var logs logBuffer
	log := NewLogger(&logs, slog.LevelInfo)
	log.Info("resident 110105199001010022 called from 13800138000",
		"note", "备用电话15912345678，证件11010519900101002X",
		slog.Group("applicant", "contact", "13800138000", slog.Group("doc", "text", "110105199001010022")),
		"err", errors.New("duplicate entry '110105199001010022' for key"),
		"count", 13800138000, // numbers are not strings: left alone
	)
	out := logs.String()
	for _, raw := range []string{"110105199001010022", "11010519900101002X", "13800138000\"", "15912345678", "19900101"} {
		if strings.Contains(out, raw) {
			t.Errorf("raw personal data %q in log: %s", raw, out)
		}
	}
	l := logs.find(t, "resident 110105********0022 called from 138****8000")
	if l["note"] != "备用电话159****5678，证件110105********002X" {
		t.Errorf("note = %v", l["note"])
	}
	app := l["applicant"].(map[string]any)
	if app["contact"] != "138****8000" || app["doc"].(map[string]any)["text"] != "110105********0022" {
		t.Errorf("group = %v", app)
	}
	if l["err"] != "duplicate entry '110105********0022' for key" {
		t.Errorf("err = %v", l["err"])
	}
	if l["count"] != float64(13800138000) {
		t.Errorf("count = %v", l["count"])
	}
}

func TestLoggerRedactsDenyListedKeys(t *testing.T) {
	var logs logBuffer
	log := NewLogger(&logs, slog.LevelInfo).With("token", "abc.def.ghi")
	log.Info("login",
		"password", "hunter2", "secret", "s3cr3t", "session_key", "wxsk==", "sessionKey", "wxsk2",
		"Authorization", "Bearer xyz", "id_number", "110105199001010022", "idNumber", 110105199001010022,
		"phone", 13800138000, slog.Group("staff", "password", "hunter3", "name", "张三"),
		"user", "zhangsan")
	l := logs.find(t, "login")
	for _, k := range []string{"token", "password", "secret", "session_key", "sessionKey", "Authorization", "id_number", "idNumber", "phone"} {
		if l[k] != "***" {
			t.Errorf("%s = %v, want ***", k, l[k])
		}
	}
	if staff := l["staff"].(map[string]any); staff["password"] != "***" || staff["name"] != "张三" {
		t.Errorf("staff group = %v", staff)
	}
	if l["user"] != "zhangsan" {
		t.Errorf("ordinary key changed: %v", l["user"])
	}
	for _, raw := range []string{"hunter", "s3cr3t", "wxsk", "xyz", "abc.def"} {
		if strings.Contains(logs.String(), raw) {
			t.Errorf("secret %q in log: %s", raw, logs.String())
		}
	}
}

func TestLoggerAddsRequestIDFromContextAndHonoursLevel(t *testing.T) {
	var logs logBuffer
	log := NewLogger(&logs, slog.LevelWarn)
	ctx := reqmeta.WithRequestMeta(context.Background(), reqmeta.RequestMeta{RequestID: "req-12345678"})
	log.InfoContext(ctx, "dropped")
	log.WarnContext(ctx, "kept")
	log.WarnContext(ctx, "explicit", "request_id", "other-1234")
	lines := logs.lines(t)
	if len(lines) != 2 {
		t.Fatalf("want 2 lines at warn, got %d: %s", len(lines), logs.String())
	}
	if lines[0]["request_id"] != "req-12345678" {
		t.Errorf("request id not taken from context: %v", lines[0])
	}
	if strings.Count(logs.String(), "request_id") != 2 || lines[1]["request_id"] != "other-1234" {
		t.Errorf("explicit request id duplicated or replaced: %s", logs.String())
	}
}

func TestAccessLogOneLinePerRequestWithRoutePattern(t *testing.T) {
	r, logs := newEngine(t, 1<<20)
	r.GET("/cases/:id", func(c *gin.Context) { OK(c, http.StatusOK, gin.H{"id": c.Param("id")}) })
	req := mustRequest(t, http.MethodGet, "/cases/9?idNumber=110105199001010022&phone=13800138000")
	req.Header.Set(HeaderRequestID, "access-0001")
	res := do(t, r, req)
	lines := logs.lines(t)
	if len(lines) != 1 {
		t.Fatalf("want one log line, got %d: %s", len(lines), logs.String())
	}
	l := lines[0]
	want := map[string]any{
		"msg": "request", "level": "INFO", "method": "GET", "route": "/cases/:id", "status": float64(200),
		"bytes": float64(len(res.Body)), "request_id": "access-0001", "client_ip": "192.0.2.1",
	}
	for k, v := range want {
		if l[k] != v {
			t.Errorf("%s = %v, want %v", k, l[k], v)
		}
	}
	if d, ok := l["duration_ms"].(float64); !ok || d < 0 {
		t.Errorf("duration_ms = %v", l["duration_ms"])
	}
	if strings.Contains(logs.String(), "?") || strings.Contains(logs.String(), "1380") {
		t.Errorf("raw URL or query leaked into access log: %s", logs.String())
	}

	get(t, r, "/missing/13800138000")
	if l := logs.lines(t)[1]; l["route"] != "unmatched" || l["status"] != float64(404) {
		t.Errorf("unmatched access line %v", l)
	}
}
