package httpx

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"palmaid/model"
)

type applyRequest struct {
	Name    string `json:"name"`
	Age     int    `json:"age"`
	Address struct {
		Street string `json:"street"`
	} `json:"address"`
	Area areaCode `json:"area"`
}

// areaCode refuses bad input with a typed error from UnmarshalJSON.
type areaCode string

func (a *areaCode) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil || len(s) != 6 {
		return model.ErrInvalidAreaCode
	}
	*a = areaCode(s)
	return nil
}

// bindEngine echoes the decoded request, or fails with BindJSON's error.
func bindEngine(t testing.TB, maxBody int64) *gin.Engine {
	t.Helper()
	r, _ := newEngine(t, maxBody)
	r.POST("/apply", func(c *gin.Context) {
		var req applyRequest
		if err := BindJSON(c, &req); err != nil {
			Fail(c, err)
			return
		}
		OK(c, http.StatusCreated, req)
	})
	r.POST("/nonpointer", func(c *gin.Context) {
		if err := BindJSON(c, applyRequest{}); err != nil {
			Fail(c, err)
		}
	})
	return r
}

func TestBindJSONValid(t *testing.T) {
	r := bindEngine(t, 1<<20)
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON"} {
		req := httptest.NewRequest(http.MethodPost, "/apply", strings.NewReader(` {"name":"张三","age":40,"address":{"street":"长安街"},"area":"110105"} `+"\n"))
		req.Header.Set("Content-Type", ct)
		res := do(t, r, req)
		if res.Status != 201 || res.json(t)["name"] != "张三" || res.json(t)["area"] != "110105" {
			t.Errorf("content type %q: %d %s", ct, res.Status, res.Body)
		}
	}
}

func TestBindJSONErrors(t *testing.T) {
	cases := []struct {
		name, body string
		status     int
		code       string
		field      string // expected key in fields, if any
	}{
		{"unknown field", `{"name":"张三","nickname":"小张"}`, 400, "request.unknown_field", "nickname"},
		{"unknown nested field", `{"address":{"street":"x","zip":"100000"}}`, 400, "request.unknown_field", "zip"},
		{"trailing garbage", `{"name":"张三"}garbage`, 400, "request.invalid_json", ""},
		{"second object", `{"name":"张三"} {"name":"李四"}`, 400, "request.invalid_json", ""},
		{"empty body", ``, 400, "request.invalid_json", ""},
		{"whitespace body", "  \n ", 400, "request.invalid_json", ""},
		{"syntax error", `{"name":`, 400, "request.invalid_json", ""},
		{"bad syntax", `{name:"x"}`, 400, "request.invalid_json", ""},
		{"wrong type", `{"age":"forty"}`, 400, "request.invalid_json", "age"},
		{"wrong nested type", `{"address":{"street":5}}`, 400, "request.invalid_json", "address.street"},
		{"array instead of object", `[1,2]`, 400, "request.invalid_json", ""},
		{"typed error from UnmarshalJSON", `{"area":"1"}`, 400, "area.invalid_code", ""},
		// Issue 6, finding 9: encoding/json folds case and ſ, and keeps the last duplicate.
		{"upper-case alias", `{"NAME":"张三"}`, 400, "request.unknown_field", "NAME"},
		{"long-s alias", `{"addreſs":{"street":"x"}}`, 400, "request.unknown_field", "addreſs"},
		{"nested case alias", `{"address":{"Street":"x"}}`, 400, "request.unknown_field", "Street"},
		{"duplicate key", `{"name":"张三","age":1,"name":"李四"}`, 400, "request.duplicate_field", "name"},
		{"nested duplicate key", `{"address":{"street":"x","street":"y"}}`, 400, "request.duplicate_field", "street"},
	}
	r := bindEngine(t, 1<<20)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := postJSON(t, r, "/apply", strings.NewReader(tc.body))
			e := res.envelope(t)
			if res.Status != tc.status || e["code"] != tc.code {
				t.Fatalf("got %d %s, want %d %s", res.Status, res.Body, tc.status, tc.code)
			}
			fields, _ := e["fields"].(map[string]any)
			if tc.field != "" && fields[tc.field] == nil {
				t.Fatalf("fields %v lack %q", fields, tc.field)
			}
			if tc.field == "" && fields != nil {
				t.Fatalf("unexpected fields %v", fields)
			}
		})
	}
}

func TestBindJSONUnknownFieldNamesIt(t *testing.T) {
	res := postJSON(t, bindEngine(t, 1<<20), "/apply", strings.NewReader(`{"name":"张三","isAdmin":true}`))
	e := res.envelope(t)
	want := map[string]any{"isAdmin": "无法识别的字段"}
	if res.Status != 400 || e["code"] != "request.unknown_field" || e["message"] != model.ErrUnknownField.Message {
		t.Fatalf("got %d %s", res.Status, res.Body)
	}
	if got := e["fields"].(map[string]any); len(got) != 1 || got["isAdmin"] != want["isAdmin"] {
		t.Fatalf("fields %v", got)
	}
}

func TestBindJSONRequiresJSONContentType(t *testing.T) {
	r := bindEngine(t, 1<<20)
	for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "application/jsonp"} {
		req := httptest.NewRequest(http.MethodPost, "/apply", strings.NewReader(`{"name":"x"}`))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		res := do(t, r, req)
		if res.Status != 400 || res.envelope(t)["code"] != "request.content_type" {
			t.Errorf("content type %q: %d %s", ct, res.Status, res.Body)
		}
	}
}

// bigBody is a syntactically valid JSON object of about n bytes.
func bigBody(n int) []byte {
	return []byte(`{"name":"` + strings.Repeat("x", n) + `"}`)
}

func TestBodyLimitDeclaredLengthIs413(t *testing.T) {
	r := bindEngine(t, 1<<20)
	res := postJSON(t, r, "/apply", bytes.NewReader(bigBody(2<<20)))
	e := res.envelope(t)
	if res.Status != 413 || e["code"] != "request.too_large" || e["requestId"] == "" {
		t.Fatalf("got %d %s", res.Status, res.Body)
	}
}

func TestBodyLimitChunkedBodyIs413FromBindJSON(t *testing.T) {
	r := bindEngine(t, 1<<20)
	for name, body := range map[string][]byte{
		"inside the value":   bigBody(2 << 20),
		"in trailing spaces": append([]byte(`{"name":"x"}`), bytes.Repeat([]byte(" "), 2<<20)...),
	} {
		req := httptest.NewRequest(http.MethodPost, "/apply", io.MultiReader(bytes.NewReader(body)))
		req.Header.Set("Content-Type", "application/json")
		req.ContentLength = -1 // unknown length: only the MaxBytesReader can stop it
		res := do(t, r, req)
		if res.Status != 413 || res.envelope(t)["code"] != "request.too_large" {
			t.Errorf("%s: got %d %s", name, res.Status, res.Body)
		}
	}
}

func TestBodyUnderLimitAccepted(t *testing.T) {
	r := bindEngine(t, 1<<20)
	if res := postJSON(t, r, "/apply", bytes.NewReader(bigBody(900<<10))); res.Status != 201 {
		t.Fatalf("got %d %.200s", res.Status, res.Body)
	}
}

func TestBodyLimitRejectsNonPositive(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("BodyLimit(0) did not panic")
		}
	}()
	BodyLimit(0)
}

func TestBindJSONNonPointerIsInternal(t *testing.T) {
	res := postJSON(t, bindEngine(t, 1<<20), "/nonpointer", strings.NewReader(`{}`))
	if res.Status != 500 || res.envelope(t)["code"] != "internal" {
		t.Fatalf("got %d %s", res.Status, res.Body)
	}
}

func TestBodyLimitRejectsDeclaredOversizeBeforeHandler(t *testing.T) {
	r, _ := newEngine(t, 1<<20)
	reached := false
	r.POST("/upload", func(c *gin.Context) { reached = true; OK(c, http.StatusOK, gin.H{}) })
	res := postJSON(t, r, "/upload", bytes.NewReader(bigBody(2<<20)))
	if res.Status != 413 || res.envelope(t)["code"] != "request.too_large" || reached {
		t.Fatalf("got %d %s, handler reached: %v", res.Status, res.Body, reached)
	}
}
