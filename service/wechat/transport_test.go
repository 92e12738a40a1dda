package wechat_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"palmaid/service/wechat"
)

func TestRewritingTransport(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Host+" "+r.URL.RequestURI())
		mu.Unlock()
		_, _ = io.WriteString(w, `{"errcode":0}`)
	}))
	defer srv.Close()
	target, _ := url.Parse(srv.URL)
	client := wechat.NewHTTPClient(2*time.Second, wechat.NewRewritingTransport(target, nil))

	req, _ := http.NewRequest(http.MethodGet, "https://api.weixin.qq.com/sns/jscode2session?appid=a&js_code=b", nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("request to api.weixin.qq.com: %v", err)
	}
	resp.Body.Close()
	if req.URL.Host != "api.weixin.qq.com" || req.URL.Scheme != "https" {
		t.Fatalf("caller's request was modified: %s", req.URL)
	}

	refused := []string{
		"https://example.com/",
		"https://qyapi.weixin.qq.com/cgi-bin/gettoken",
		"https://api.weixin.qq.com.evil.example/x",
		srv.URL + "/direct", // even the target itself is only reachable as api.weixin.qq.com
	}
	for _, u := range refused {
		resp, err := client.Post(u, "text/plain", strings.NewReader("body"))
		if err == nil {
			resp.Body.Close()
			t.Fatalf("request to %s was not refused", u)
		}
		if !strings.Contains(err.Error(), "refusing") {
			t.Fatalf("request to %s: error %v does not say it was refused", u, err)
		}
	}

	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 1 || seen[0] != target.Host+" /sns/jscode2session?appid=a&js_code=b" {
		t.Fatalf("server saw %q; want exactly the rewritten api.weixin.qq.com request", seen)
	}
}

func TestRewritingTransportWithoutTarget(t *testing.T) {
	client := wechat.NewHTTPClient(time.Second, wechat.NewRewritingTransport(nil, nil))
	resp, err := client.Get("https://api.weixin.qq.com/cgi-bin/token")
	if err == nil {
		resp.Body.Close()
		t.Fatal("request without a target succeeded")
	}
}

func TestNewHTTPClientTimeout(t *testing.T) {
	if c := wechat.NewHTTPClient(3*time.Second, nil); c.Timeout != 3*time.Second {
		t.Fatalf("Timeout = %v; want 3s", c.Timeout)
	}
	if c := wechat.NewHTTPClient(0, nil); c.Timeout != wechat.DefaultHTTPTimeout {
		t.Fatalf("Timeout(0) = %v; want DefaultHTTPTimeout", c.Timeout)
	}
}
