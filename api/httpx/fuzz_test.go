package httpx

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// FuzzBindJSON: the strict binder never panics and answers either 201 with the decoded value
// or a 4xx envelope; never 500. Run long: go test ./api/httpx/ -run '^$' -fuzz FuzzBindJSON -fuzztime 10m
func FuzzBindJSON(f *testing.F) {
	for _, s := range []string{`{"name":"张三","age":40,"address":{"street":"x"},"area":"110105"}`, `{"NAME":"x"}`,
		`{"name":"a","name":"b"}`, `{"addreſs":{}}`, `[]`, `{"address":{"street":"x","street":"y"}}`, `{"a":[{"b":{}}]}`, `nul`, ``} {
		f.Add(s)
	}
	gin.SetMode(gin.TestMode)
	r := bindEngine(f, 1<<16)
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, "/apply", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		if w.Code != http.StatusCreated && (w.Code < 400 || w.Code >= 500) {
			t.Fatalf("%q: status %d %s", body, w.Code, w.Body)
		}
	})
}
