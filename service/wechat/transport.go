package wechat

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/silenceper/wechat/v2/util"
)

// APIHost is the only host the SDK talks to for the mini-program APIs we use.
const APIHost = "api.weixin.qq.com"

// DefaultHTTPTimeout bounds every WeChat call when NewHTTPClient gets no
// positive timeout. Subscribe sends take no context in the SDK, so the client
// timeout is their only bound.
const DefaultHTTPTimeout = 10 * time.Second

// NewHTTPClient returns a client with a hard timeout for the SDK. A timeout
// <= 0 means DefaultHTTPTimeout; a nil transport means http.DefaultTransport.
func NewHTTPClient(timeout time.Duration, transport http.RoundTripper) *http.Client {
	if timeout <= 0 {
		timeout = DefaultHTTPTimeout
	}
	return &http.Client{Timeout: timeout, Transport: transport}
}

// InstallHTTPClient replaces the SDK's process-wide util.DefaultHTTPClient
// (which is http.DefaultClient, without a timeout).
//
// It is process-wide, unsynchronised state owned by the SDK: call it exactly
// once, from main (or TestMain) before any Client is used, never from request
// paths or parallel tests. It panics on a nil client, a start-up mistake.
func InstallHTTPClient(c *http.Client) {
	if c == nil {
		panic("wechat: InstallHTTPClient(nil)")
	}
	util.DefaultHTTPClient = c
}

// NewRewritingTransport returns a RoundTripper that sends requests for
// api.weixin.qq.com to target's scheme and host (keeping path and query) and
// refuses every other host with an error, so tests and the embedded mode can
// never reach a real WeChat or any other server by accident. A nil base means
// http.DefaultTransport.
func NewRewritingTransport(target *url.URL, base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	var t *url.URL
	if target != nil {
		t = &url.URL{Scheme: target.Scheme, Host: target.Host}
	}
	return &rewritingTransport{target: t, base: base}
}

type rewritingTransport struct {
	target *url.URL
	base   http.RoundTripper
}

func (rt *rewritingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := rt.check(req); err != nil {
		if req.Body != nil {
			_ = req.Body.Close() // a RoundTripper closes the body even on failure
		}
		return nil, err
	}
	out := req.Clone(req.Context()) // never modify the caller's request
	out.URL.Scheme = rt.target.Scheme
	out.URL.Host = rt.target.Host
	out.Host = rt.target.Host
	return rt.base.RoundTrip(out)
}

func (rt *rewritingTransport) check(req *http.Request) error {
	if req.URL == nil {
		return fmt.Errorf("wechat transport: request without URL")
	}
	if !strings.EqualFold(req.URL.Hostname(), APIHost) {
		return fmt.Errorf("wechat transport: refusing request to host %q: only %s is routed", req.URL.Hostname(), APIHost)
	}
	if rt.target == nil || rt.target.Host == "" || (rt.target.Scheme != "http" && rt.target.Scheme != "https") {
		return fmt.Errorf("wechat transport: no valid target configured")
	}
	return nil
}
