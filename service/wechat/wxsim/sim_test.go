package wxsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

const tmpl = "tmpl-1"

// fakeClock is a settable clock for token expiry.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type harness struct {
	t     *testing.T
	s     *Simulator
	base  string
	clock *fakeClock
}

func start(t *testing.T, opts Options) *harness {
	t.Helper()
	clock := &fakeClock{now: time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)}
	opts.Now = clock.Now
	if opts.Templates == nil {
		opts.Templates = []string{tmpl}
	}
	s := New(opts)
	base, stop, err := s.Start()
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return &harness{t: t, s: s, base: base, clock: clock}
}

// do sends a request and decodes the JSON answer; every answer must be HTTP 200.
func (h *harness) do(method, path string, query url.Values, body any) map[string]any {
	h.t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, h.base+path+"?"+query.Encode(), rd)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		h.t.Fatalf("%s %s: HTTP %d; WeChat answers 200", method, path, resp.StatusCode)
	}
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		h.t.Fatalf("%s %s: decode: %v", method, path, err)
	}
	return out
}

func errcode(m map[string]any) int {
	f, _ := m["errcode"].(float64)
	return int(f)
}

func (h *harness) wantCode(m map[string]any, code int) {
	h.t.Helper()
	if got := errcode(m); got != code {
		h.t.Fatalf("errcode = %d (%v); want %d", got, m, code)
	}
}

func (h *harness) login(code string) map[string]any {
	return h.do("GET", PathCode2Session, url.Values{
		"appid": {DefaultAppID}, "secret": {DefaultAppSecret}, "js_code": {code}, "grant_type": {"authorization_code"},
	}, nil)
}

func (h *harness) token(force bool) string {
	h.t.Helper()
	m := h.do("POST", PathStableToken, nil, map[string]any{
		"grant_type": "client_credential", "appid": DefaultAppID, "secret": DefaultAppSecret, "force_refresh": force,
	})
	tok, _ := m["access_token"].(string)
	if errcode(m) != 0 || len(tok) < 64 {
		h.t.Fatalf("stable_token answer %v; want a token of >= 64 chars", m)
	}
	return tok
}

func at(tok string) url.Values { return url.Values{"access_token": {tok}} }

func TestStartListensOnLoopbackOnly(t *testing.T) {
	h := start(t, Options{})
	u, err := url.Parse(h.base)
	if err != nil {
		t.Fatal(err)
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		t.Fatalf("base URL %s is not on loopback", h.base)
	}
}

func TestCode2Session(t *testing.T) {
	h := start(t, Options{})
	a, b := h.login("dev:alice"), h.login("dev:alice")
	if a["openid"] != OpenIDFor(DefaultAppID, "alice") || b["openid"] != a["openid"] {
		t.Fatalf("openids %v, %v; want OpenIDFor(alice)", a["openid"], b["openid"])
	}
	if a["session_key"] == "" || a["session_key"] == b["session_key"] {
		t.Fatalf("session keys %v, %v; want fresh each time", a["session_key"], b["session_key"])
	}
	if a["unionid"] == "" || a["unionid"] != b["unionid"] {
		t.Fatalf("unionids %v, %v", a["unionid"], b["unionid"])
	}
	if len(OpenIDFor(DefaultAppID, "alice")) != 28 || OpenIDFor("wxother", "alice") == OpenIDFor(DefaultAppID, "alice") {
		t.Fatal("openids must be 28 chars and differ per app")
	}
	for code, want := range map[string]int{
		"fail:40163": 40163, "fail:45011": 45011, "fail:40226": 40226, "fail:-1": -1, "fail:x": 40029,
		"dev:Alice": 40029, "dev:": 40029, "dev:" + strings.Repeat("a", 33): 40029, "random": 40029,
	} {
		h.wantCode(h.login(code), want)
	}
	h.wantCode(h.do("GET", PathCode2Session, url.Values{"appid": {"wxbad"}, "secret": {DefaultAppSecret}, "js_code": {"dev:a"}, "grant_type": {"authorization_code"}}, nil), 40013)
	h.wantCode(h.do("GET", PathCode2Session, url.Values{"appid": {DefaultAppID}, "secret": {"bad"}, "js_code": {"dev:a"}, "grant_type": {"authorization_code"}}, nil), 40125)
	h.wantCode(h.do("POST", PathCode2Session, nil, nil), 43001)
}

func TestStableTokenSemantics(t *testing.T) {
	h := start(t, Options{})
	t1, t2 := h.token(false), h.token(false)
	if t1 != t2 {
		t.Fatal("stable_token changed the token without force_refresh")
	}
	m := h.do("POST", PathStableToken, nil, map[string]any{"grant_type": "client_credential", "appid": DefaultAppID, "secret": DefaultAppSecret})
	if m["expires_in"] != float64(7200) {
		t.Fatalf("expires_in = %v; want 7200", m["expires_in"])
	}
	h.wantCode(h.do("POST", PathStableToken, nil, map[string]any{"grant_type": "client_credential", "appid": DefaultAppID, "secret": "x"}), 40125)
	h.wantCode(h.do("GET", PathStableToken, nil, nil), 43002)

	t3 := h.token(true)
	if t3 == t1 {
		t.Fatal("force_refresh returned the old token")
	}
	h.wantCode(h.do("POST", PathPhoneNumber, at(t1), map[string]string{"code": "c"}), 40001)
	h.wantCode(h.do("POST", PathPhoneNumber, at(t3), map[string]string{"code": "c"}), 0)

	h.clock.Add(TokenTTL)
	h.wantCode(h.do("POST", PathPhoneNumber, at(t3), map[string]string{"code": "c"}), 40001)
	if t4 := h.token(false); t4 == t3 {
		t.Fatal("expired token handed out again")
	}

	t5 := h.token(false)
	h.s.ExpireTokens()
	h.wantCode(h.do("POST", PathPhoneNumber, at(t5), map[string]string{"code": "c"}), 40001)
	h.wantCode(h.do("POST", PathPhoneNumber, nil, map[string]string{"code": "c"}), 41001)
}

func TestClassicToken(t *testing.T) {
	h := start(t, Options{})
	q := url.Values{"grant_type": {"client_credential"}, "appid": {DefaultAppID}, "secret": {DefaultAppSecret}}
	m := h.do("GET", PathToken, q, nil)
	tok, _ := m["access_token"].(string)
	if len(tok) < 64 || m["expires_in"] != float64(7200) {
		t.Fatalf("token answer %v", m)
	}
	h.wantCode(h.do("POST", PathPhoneNumber, at(tok), map[string]string{"code": "c"}), 0)
	q.Set("secret", "bad")
	h.wantCode(h.do("GET", PathToken, q, nil), 40125)
}

func TestPhoneNumber(t *testing.T) {
	h := start(t, Options{})
	tok := h.token(false)
	m := h.do("POST", PathPhoneNumber, at(tok), map[string]string{"code": "phone:13912345678"})
	info, _ := m["phone_info"].(map[string]any)
	if info["purePhoneNumber"] != "13912345678" || info["phoneNumber"] != "13912345678" || info["countryCode"] != "86" {
		t.Fatalf("phone_info = %v", info)
	}
	wm, _ := info["watermark"].(map[string]any)
	if wm["appid"] != DefaultAppID || wm["timestamp"] != float64(h.clock.Now().Unix()) {
		t.Fatalf("watermark = %v", wm)
	}
	m = h.do("POST", PathPhoneNumber, at(tok), map[string]string{"code": "abc"})
	if info, _ := m["phone_info"].(map[string]any); info["purePhoneNumber"] != TestPhone {
		t.Fatalf("ordinary code gave %v; want %s", m, TestPhone)
	}
	h.wantCode(h.do("POST", PathPhoneNumber, at(tok), map[string]string{"code": "fail:40029"}), 40029)
	h.wantCode(h.do("POST", PathPhoneNumber, at(tok), map[string]string{"code": "phone:123"}), 40029)
	h.wantCode(h.do("POST", PathPhoneNumber, at(tok), map[string]string{"code": ""}), 40029)
	h.wantCode(h.do("POST", PathPhoneNumber, at("not-a-token"), map[string]string{"code": "abc"}), 40001)
}

func send(openID, template string, data map[string]string) map[string]any {
	d := map[string]any{}
	for k, v := range data {
		d[k] = map[string]string{"value": v}
	}
	return map[string]any{"touser": openID, "template_id": template, "page": "pages/index", "miniprogram_state": "developer", "lang": "zh_CN", "data": d}
}

func TestSubscribeSend(t *testing.T) {
	h := start(t, Options{})
	tok := h.token(false)
	openID, _ := h.login("dev:bob")["openid"].(string)
	ok := map[string]string{"thing1": strings.Repeat("字", 20), "phrase2": "已办结", "time3": "2024-03-01 09:00"}

	h.wantCode(h.do("POST", PathSubscribe, at("bad"), send(openID, tmpl, ok)), 40001)
	h.wantCode(h.do("POST", PathSubscribe, at(tok), send(OpenIDFor(DefaultAppID, "stranger"), tmpl, ok)), 40003)
	h.wantCode(h.do("POST", PathSubscribe, at(tok), send(openID, "tmpl-x", ok)), 40037)
	h.wantCode(h.do("POST", PathSubscribe, at(tok), send(openID, tmpl, map[string]string{"thing1": ""})), 47003)
	h.wantCode(h.do("POST", PathSubscribe, at(tok), send(openID, tmpl, map[string]string{"thing1": strings.Repeat("字", 21)})), 47003)
	h.wantCode(h.do("POST", PathSubscribe, at(tok), send(openID, tmpl, map[string]string{"phrase2": "六个字的短语"})), 47003)
	h.wantCode(h.do("POST", PathSubscribe, at(tok), send(openID, tmpl, nil)), 47003)
	if n := len(h.s.Messages()); n != 0 {
		t.Fatalf("%d messages recorded from rejected sends", n)
	}

	h.wantCode(h.do("POST", PathSubscribe, at(tok), send(openID, tmpl, ok)), 0)
	msgs := h.s.MessagesTo(openID)
	if len(msgs) != 1 {
		t.Fatalf("MessagesTo = %d messages; want 1", len(msgs))
	}
	m := msgs[0]
	if m.Page != "pages/index" || m.MiniprogramState != "developer" || m.Lang != "zh_CN" || m.Data["phrase2"] != "已办结" || !m.At.Equal(h.clock.Now()) {
		t.Fatalf("recorded %+v", m)
	}
	m.Data["phrase2"] = "changed"
	if h.s.Messages()[0].Data["phrase2"] != "已办结" {
		t.Fatal("Messages returned shared state")
	}
	if got := h.s.Calls(PathSubscribe); got != 8 {
		t.Fatalf("Calls(subscribe) = %d; want 8", got)
	}
}

func TestSubscriptionQuotaAndFailNext(t *testing.T) {
	h := start(t, Options{RequireSubscription: true})
	tok := h.token(false)
	openID, _ := h.login("dev:quota")["openid"].(string)
	data := map[string]string{"thing1": "x"}
	h.wantCode(h.do("POST", PathSubscribe, at(tok), send(openID, tmpl, data)), 43101)
	h.s.Grant(openID, tmpl, 1)
	h.wantCode(h.do("POST", PathSubscribe, at(tok), send(openID, tmpl, data)), 0)
	h.wantCode(h.do("POST", PathSubscribe, at(tok), send(openID, tmpl, data)), 43101)

	h.s.Grant(openID, tmpl, 1)
	h.s.FailNext(PathSubscribe, 41030)
	h.wantCode(h.do("POST", PathSubscribe, at(tok), send(openID, tmpl, data)), 41030)
	h.wantCode(h.do("POST", PathSubscribe, at(tok), send(openID, tmpl, data)), 0)
	if n := len(h.s.MessagesTo(openID)); n != 2 {
		t.Fatalf("%d messages; want 2", n)
	}
}

// A long-term template (长期订阅) needs the user's subscription, which sending does not use up,
// until the user turns it off; a one-time template's accept is used by one send; an outage
// answers every send with its errcode; PushCounts counts each content's pushes.
func TestLongTermSubscriptionOutageAndPushCounts(t *testing.T) {
	const long = "tmpl-long"
	h := start(t, Options{Templates: []string{tmpl, long}, RequireSubscriptionFor: []string{tmpl, long}, LongTerm: []string{long}})
	tok := h.token(false)
	openID, _ := h.login("dev:longterm")["openid"].(string)
	data := map[string]string{"thing1": "x"}
	h.wantCode(h.do("POST", PathSubscribe, at(tok), send(openID, long, data)), 43101)
	h.s.Grant(openID, long, 1)
	h.s.Grant(openID, long, 1) // accepts do not accumulate: on is on
	for range 3 {
		h.wantCode(h.do("POST", PathSubscribe, at(tok), send(openID, long, data)), 0)
	}
	if q := h.s.Quota(openID, long); q != 1 {
		t.Fatalf("long-term subscription after 3 sends: %d, want still on (1)", q)
	}
	h.s.Grant(openID, tmpl, 1)
	h.wantCode(h.do("POST", PathSubscribe, at(tok), send(openID, tmpl, data)), 0)
	h.wantCode(h.do("POST", PathSubscribe, at(tok), send(openID, tmpl, data)), 43101)
	h.s.Revoke(openID, long)
	h.wantCode(h.do("POST", PathSubscribe, at(tok), send(openID, long, data)), 43101)

	h.s.Grant(openID, long, 1)
	h.s.SetDown(-1)
	h.wantCode(h.do("POST", PathSubscribe, at(tok), send(openID, long, data)), -1)
	h.wantCode(h.do("POST", PathSubscribe, at(tok), send(openID, long, data)), -1)
	h.s.SetDown(0)
	h.wantCode(h.do("POST", PathSubscribe, at(tok), send(openID, long, data)), 0)

	counts := h.s.PushCounts()
	msgs := h.s.MessagesTo(openID)
	if len(counts) != 2 || len(msgs) != 5 || h.s.PushCount(msgs[0]) != 4 || h.s.PushCount(msgs[3]) != 1 {
		t.Fatalf("push counts %v for %d messages", counts, len(msgs))
	}
}

func TestMsgSecCheck(t *testing.T) {
	h := start(t, Options{})
	tok := h.token(false)
	openID, _ := h.login("dev:checker")["openid"].(string)
	body := func(content string) map[string]any {
		return map[string]any{"version": 2, "openid": openID, "scene": 2, "content": content}
	}
	for content, want := range map[string]string{"你好": "pass", "含违禁词": "risky", "需要待审": "review"} {
		m := h.do("POST", PathMsgSecCheck, at(tok), body(content))
		res, _ := m["result"].(map[string]any)
		if errcode(m) != 0 || res["suggest"] != want {
			t.Errorf("content %q: %v; want suggest %s", content, m, want)
		}
	}
	h.wantCode(h.do("POST", PathMsgSecCheck, at(tok), body(strings.Repeat("字", 2500))), 0)
	h.wantCode(h.do("POST", PathMsgSecCheck, at(tok), body(strings.Repeat("字", 2501))), 87014)
	h.wantCode(h.do("POST", PathMsgSecCheck, at(tok), map[string]any{"version": 1, "openid": openID, "scene": 2, "content": "x"}), 47001)
	h.wantCode(h.do("POST", PathMsgSecCheck, at(tok), map[string]any{"version": 2, "openid": "ounknown", "scene": 2, "content": "x"}), 40003)
	h.wantCode(h.do("POST", PathMsgSecCheck, at("stale"), body("x")), 40001)
}

// Configured words replace the defaults: the default words then pass.
func TestMsgSecCheckConfiguredWords(t *testing.T) {
	h := start(t, Options{RiskyWords: []string{"赌博", "诈骗"}, ReviewWords: []string{"投诉热线"}})
	tok := h.token(false)
	openID, _ := h.login("dev:checker2")["openid"].(string)
	for content, want := range map[string]string{"网络诈骗": "risky", "拨打投诉热线": "review", "赌博和投诉热线": "risky", "含违禁词": "pass", "需要待审": "pass"} {
		m := h.do("POST", PathMsgSecCheck, at(tok), map[string]any{"version": 2, "openid": openID, "scene": 2, "content": content})
		res, _ := m["result"].(map[string]any)
		if errcode(m) != 0 || res["suggest"] != want {
			t.Errorf("content %q: %v; want suggest %s", content, m, want)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	h := start(t, Options{})
	tok := h.token(false)
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			name := fmt.Sprintf("user%d", i)
			body := send(OpenIDFor(DefaultAppID, name), tmpl, map[string]string{"thing1": name})
			h.login("dev:" + name)
			h.do("POST", PathSubscribe, at(tok), body)
			_ = h.s.Messages()
		}(i)
	}
	wg.Wait()
	if n := len(h.s.Messages()); n != 16 {
		t.Fatalf("%d messages after 16 concurrent sends; want 16", n)
	}
}
