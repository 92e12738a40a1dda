package httpx

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/model"
)

// A client that closes the connection mid-request: the handler's database call fails with
// context.Canceled; that is logged at INFO with status 499, never as an ERROR 500.
func TestClientGoneIsInfo499(t *testing.T) {
	r, logs := newEngine(t, 1<<20)
	started := make(chan struct{})
	r.GET("/slow/:id", func(c *gin.Context) {
		close(started)
		<-c.Request.Context().Done()
		// What the store returns when the driver sees the cancelled context.
		Fail(c, model.Internal(fmt.Errorf("load case: %w", c.Request.Context().Err())))
	})
	srv := httptest.NewServer(r)
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/slow/7", nil)
	errc := make(chan error, 1)
	go func() {
		res, err := srv.Client().Do(req)
		if err == nil {
			res.Body.Close()
		}
		errc <- err
	}()
	<-started
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("the cancelled request got an answer")
	}
	var access map[string]any
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if strings.Contains(logs.String(), `"msg":"request"`) {
			access = logs.find(t, "request")
			break
		}
	}
	if access == nil {
		t.Fatalf("no access log line: %s", logs.String())
	}
	if access["status"] != float64(499) || access["level"] != "INFO" {
		t.Errorf("access log = %v, want INFO status 499", access)
	}
	gone := logs.find(t, "client went away")
	if gone["level"] != "INFO" || gone["status"] != float64(499) || gone["route"] != "/slow/:id" {
		t.Errorf("client-gone line = %v", gone)
	}
	for _, l := range logs.lines(t) {
		if l["level"] == "ERROR" || l["level"] == "WARN" || l["status"] == float64(500) {
			t.Errorf("a cancelled request logged %v", l)
		}
	}
}

// A deadline the service set itself (not the client leaving) remains an internal error.
func TestOwnDeadlineStaysError500(t *testing.T) {
	r, logs := newEngine(t, 1<<20)
	r.GET("/x", func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), time.Millisecond)
		defer cancel()
		<-ctx.Done()
		Fail(c, model.Internal(ctx.Err()))
	})
	res := get(t, r, "/x")
	if res.Status != 500 {
		t.Fatalf("status %d, want 500", res.Status)
	}
	if l := logs.find(t, "request failed"); l["level"] != "ERROR" {
		t.Errorf("request failed logged at %v", l["level"])
	}
}

// A handler cancelling a context of its own (not the request's) is not a client going away.
func TestOwnCancelStaysError500(t *testing.T) {
	r, logs := newEngine(t, 1<<20)
	r.GET("/x", func(c *gin.Context) {
		ctx, cancel := context.WithCancel(c.Request.Context())
		cancel()
		Fail(c, model.Internal(ctx.Err()))
	})
	if res := get(t, r, "/x"); res.Status != 500 {
		t.Fatalf("status %d, want 500", res.Status)
	}
	if l := logs.find(t, "request failed"); l["level"] != "ERROR" {
		t.Errorf("request failed logged at %v", l["level"])
	}
}
