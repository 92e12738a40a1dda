package wechat_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"palmaid/service/wechat"
	"palmaid/service/wechat/wxsim"
)

func TestCode2SessionSameOpenID(t *testing.T) {
	c, _ := newClient(t)
	first := login(t, c, "alice")
	second := login(t, c, "alice")
	if want := wxsim.OpenIDFor(wxsim.DefaultAppID, "alice"); first.OpenID != want || second.OpenID != want {
		t.Fatalf("openids %q, %q; want both %q", first.OpenID, second.OpenID, want)
	}
	if first.UnionID == "" || first.UnionID != second.UnionID {
		t.Fatalf("unionids %q, %q; want equal and non-empty", first.UnionID, second.UnionID)
	}
	if first.SessionKey == "" || first.SessionKey == second.SessionKey {
		t.Fatalf("session keys %q, %q; want fresh non-empty keys", first.SessionKey, second.SessionKey)
	}
	if other := login(t, c, "bob"); other.OpenID == first.OpenID {
		t.Fatalf("bob and alice share openid %q", other.OpenID)
	}
	for _, s := range []string{fmt.Sprint(first), fmt.Sprintf("%+v", first), fmt.Sprintf("%#v", first)} {
		if strings.Contains(s, first.SessionKey) {
			t.Fatalf("formatted session leaks the session key: %s", s)
		}
	}
}

func TestCode2SessionErrcodes(t *testing.T) {
	c, _ := newClient(t)
	for _, code := range []int{40029, 40163, 45011, 40226, -1} {
		_, err := c.Code2Session(context.Background(), fmt.Sprintf("fail:%d", code))
		wantAPIError(t, err, "code2session", code)
		if strings.Contains(err.Error(), wxsim.DefaultAppSecret) {
			t.Fatalf("error leaks the app secret: %v", err)
		}
	}
	_, err := c.Code2Session(context.Background(), "not-a-dev-code")
	wantAPIError(t, err, "code2session", 40029)
}

func TestCode2SessionRejectsBadFormatWithoutRequest(t *testing.T) {
	c, _ := newClient(t)
	bad := []string{"", "a b", "x&secret=evil", "a/b", "a%2Fb", "登录码", "a?b", "a#b", strings.Repeat("a", 129)}
	before := sim.Calls(wxsim.PathCode2Session)
	for _, code := range bad {
		_, err := c.Code2Session(context.Background(), code)
		wantAPIError(t, err, "code2session", 40029)
	}
	if got := sim.Calls(wxsim.PathCode2Session) - before; got != 0 {
		t.Fatalf("%d requests reached jscode2session for malformed codes; want 0", got)
	}
	// The longest allowed code does go out (and the simulator rejects it).
	_, err := c.Code2Session(context.Background(), strings.Repeat("A", 128))
	wantAPIError(t, err, "code2session", 40029)
	if got := sim.Calls(wxsim.PathCode2Session) - before; got != 1 {
		t.Fatalf("128-char code: %d requests; want 1", got)
	}
}

func TestWrongSecret(t *testing.T) {
	b := miniBackend(t)
	cfg := testConfig(b.prefix)
	cfg.AppSecret = "ffffffffffffffffffffffffffffffff"
	c, err := wechat.New(cfg, b.rdb)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Code2Session(context.Background(), "dev:alice")
	wantAPIError(t, err, "code2session", 40125)
	_, err = c.PhoneNumber(context.Background(), "any")
	wantAPIError(t, err, "stable_token", 40125)
	if strings.Contains(err.Error(), cfg.AppSecret) {
		t.Fatalf("error leaks the secret: %v", err)
	}
}

func TestPhoneNumber(t *testing.T) {
	c, b := newClient(t)
	ctx := context.Background()
	got, err := c.PhoneNumber(ctx, "phone:13912345678")
	if err != nil || got != "13912345678" {
		t.Fatalf("PhoneNumber(phone:13912345678) = %q, %v", got, err)
	}
	got, err = c.PhoneNumber(ctx, "whatever-code")
	if err != nil || got != wxsim.TestPhone {
		t.Fatalf("PhoneNumber(ordinary) = %q, %v; want %s", got, err, wxsim.TestPhone)
	}
	_, err = c.PhoneNumber(ctx, "fail:40029")
	wantAPIError(t, err, "phone_number", 40029)

	// The stable token sits in Redis under our prefix with a positive TTL.
	ttl, err := b.rdb.TTL(ctx, tokenKey(b.prefix)).Result()
	if err != nil || ttl <= 0 || ttl > wxsim.TokenTTL {
		t.Fatalf("token key %s TTL = %v, %v; want in (0, %v]", tokenKey(b.prefix), ttl, err, wxsim.TokenTTL)
	}
	tok, err := b.rdb.Get(ctx, tokenKey(b.prefix)).Result()
	if err != nil || len(tok) < 64 {
		t.Fatalf("cached token %q, %v; want >= 64 chars", tok, err)
	}
}

func TestSendSubscribeRecordsNormalizedMessage(t *testing.T) {
	c, _ := newClient(t)
	user := login(t, c, "sub-carol")
	thing := "您申请的最低生活保障已经进入乡镇审核阶段请耐心等待后续通知谢" // 30 runes
	if n := len([]rune(thing)); n != 30 {
		t.Fatalf("fixture has %d runes; want 30", n)
	}
	err := c.SendSubscribe(context.Background(), wechat.SubscribeMessage{
		ToOpenID:   user.OpenID,
		TemplateID: tmplCase,
		Page:       "pages/case/detail?id=42",
		Data: map[string]string{
			"thing1":            thing,
			"phrase2":           "已受理并转交",
			"time3":             "2024年03月01日 09:30",
			"character_string4": "",
		},
	})
	if err != nil {
		t.Fatalf("SendSubscribe: %v", err)
	}
	msgs := sim.MessagesTo(user.OpenID)
	if len(msgs) != 1 {
		t.Fatalf("simulator recorded %d messages; want 1", len(msgs))
	}
	m := msgs[0]
	if m.TemplateID != tmplCase || m.Page != "pages/case/detail?id=42" || m.MiniprogramState != "trial" || m.Lang != "zh_CN" {
		t.Fatalf("recorded %+v; want template/page/state trial/lang zh_CN", m)
	}
	want := map[string]string{
		"thing1":            string([]rune(thing)[:20]),
		"phrase2":           "已受理并转",
		"time3":             "2024年03月01日 09:30",
		"character_string4": "NA", // a blank becomes a real value of the type ("-" is refused for some types)
	}
	for k, v := range want {
		if m.Data[k] != v {
			t.Errorf("data %s = %q; want %q", k, m.Data[k], v)
		}
	}
	if len(m.Data) != len(want) {
		t.Errorf("data has %d fields; want %d", len(m.Data), len(want))
	}
}

func TestSendSubscribeErrors(t *testing.T) {
	c, _ := newClient(t)
	user := login(t, c, "sub-dave")
	ctx := context.Background()
	msg := wechat.SubscribeMessage{ToOpenID: user.OpenID, TemplateID: tmplReview, Data: map[string]string{"thing1": "审核结果"}}

	before := sim.Calls(wxsim.PathSubscribe)
	sim.FailNext(wxsim.PathSubscribe, 43101)
	err := c.SendSubscribe(ctx, msg)
	wantAPIError(t, err, "subscribe_send", 43101)
	if got := sim.Calls(wxsim.PathSubscribe) - before; got != 1 {
		t.Fatalf("43101 led to %d sends; want 1 (no retry)", got)
	}

	bad := msg
	bad.TemplateID = "tmpl-unknown"
	wantAPIError(t, c.SendSubscribe(ctx, bad), "subscribe_send", 40037)
	bad = msg
	bad.ToOpenID = wxsim.OpenIDFor(wxsim.DefaultAppID, "never-logged-in")
	wantAPIError(t, c.SendSubscribe(ctx, bad), "subscribe_send", 40003)

	before = sim.Calls(wxsim.PathSubscribe)
	wantAPIError(t, c.SendSubscribe(ctx, wechat.SubscribeMessage{TemplateID: tmplCase, Data: msg.Data}), "subscribe_send", 40003)
	wantAPIError(t, c.SendSubscribe(ctx, wechat.SubscribeMessage{ToOpenID: user.OpenID, Data: msg.Data}), "subscribe_send", 40037)
	wantAPIError(t, c.SendSubscribe(ctx, wechat.SubscribeMessage{ToOpenID: user.OpenID, TemplateID: tmplCase}), "subscribe_send", 47003)
	if got := sim.Calls(wxsim.PathSubscribe) - before; got != 0 {
		t.Fatalf("locally invalid messages made %d requests; want 0", got)
	}
	if n := len(sim.MessagesTo(user.OpenID)); n != 0 {
		t.Fatalf("%d messages recorded after failures only; want 0", n)
	}
}

func TestExpiredTokenDeletedAndRetriedOnce(t *testing.T) {
	c, b := newClient(t)
	ctx := context.Background()
	user := login(t, c, "retry-erin")
	msg := wechat.SubscribeMessage{ToOpenID: user.OpenID, TemplateID: tmplCase, Page: "pages/index", Data: map[string]string{"thing1": "提醒"}}
	if err := c.SendSubscribe(ctx, msg); err != nil {
		t.Fatalf("first send: %v", err)
	}
	oldTok := b.rdb.Get(ctx, tokenKey(b.prefix)).Val()

	sim.ExpireTokens()
	sends, tokens := sim.Calls(wxsim.PathSubscribe), sim.Calls(wxsim.PathStableToken)
	if err := c.SendSubscribe(ctx, msg); err != nil {
		t.Fatalf("send after ExpireTokens: %v", err)
	}
	if got := sim.Calls(wxsim.PathSubscribe) - sends; got != 2 {
		t.Fatalf("simulator saw %d sends; want 2 (rejected + retry)", got)
	}
	if got := sim.Calls(wxsim.PathStableToken) - tokens; got != 1 {
		t.Fatalf("simulator saw %d token fetches; want 1", got)
	}
	if newTok := b.rdb.Get(ctx, tokenKey(b.prefix)).Val(); newTok == "" || newTok == oldTok {
		t.Fatalf("cached token not replaced (old %.8s…, new %.8s…)", oldTok, newTok)
	}
	if n := len(sim.MessagesTo(user.OpenID)); n != 2 {
		t.Fatalf("recorded %d messages; want 2", n)
	}

	sim.ExpireTokens()
	if phone, err := c.PhoneNumber(ctx, "phone:13700000000"); err != nil || phone != "13700000000" {
		t.Fatalf("PhoneNumber after ExpireTokens = %q, %v", phone, err)
	}
	sim.ExpireTokens()
	if safe, err := c.CheckText(ctx, user.OpenID, "你好"); err != nil || !safe {
		t.Fatalf("CheckText after ExpireTokens = %v, %v", safe, err)
	}
}

func TestTokenErrorRetriedOnlyOnce(t *testing.T) {
	for _, code := range []int{40001, 40014, 42001} {
		c, _ := newClient(t)
		user := login(t, c, "retry-frank")
		msg := wechat.SubscribeMessage{ToOpenID: user.OpenID, TemplateID: tmplCase, Data: map[string]string{"thing1": "x"}}
		sim.FailNext(wxsim.PathSubscribe, code)
		sim.FailNext(wxsim.PathSubscribe, code)
		before := sim.Calls(wxsim.PathSubscribe)
		wantAPIError(t, c.SendSubscribe(context.Background(), msg), "subscribe_send", code)
		if got := sim.Calls(wxsim.PathSubscribe) - before; got != 2 {
			t.Fatalf("errcode %d: %d sends; want exactly 2", code, got)
		}
	}
}

func TestCheckText(t *testing.T) {
	c, _ := newClient(t)
	ctx := context.Background()
	user := login(t, c, "check-gina")
	cases := []struct {
		text string
		safe bool
	}{
		{"申请材料已经补齐，请审核", true},
		{"这里有违禁内容", false},
		{"这段内容待审", false},
	}
	for _, tc := range cases {
		safe, err := c.CheckText(ctx, user.OpenID, tc.text)
		if err != nil || safe != tc.safe {
			t.Errorf("CheckText(%q) = %v, %v; want %v, nil", tc.text, safe, err, tc.safe)
		}
	}
	_, err := c.CheckText(ctx, user.OpenID, strings.Repeat("字", 2501))
	wantAPIError(t, err, "msg_sec_check", 87014)
	_, err = c.CheckText(ctx, "o-not-issued", "你好")
	wantAPIError(t, err, "msg_sec_check", 40003)
}

// CheckContent returns the three verdicts; a stale token is dropped and the call retried once.
func TestCheckContent(t *testing.T) {
	c, _ := newClient(t)
	ctx := context.Background()
	user := login(t, c, "check-ivy")
	if _, err := c.CheckContent(ctx, user.OpenID, "先取得令牌"); err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]wechat.Suggest{"材料已补齐": wechat.SuggestPass, "有违禁内容": wechat.SuggestRisky, "这段待审": wechat.SuggestReview} {
		sim.ExpireTokens()
		before := sim.Calls(wxsim.PathMsgSecCheck)
		got, err := c.CheckContent(ctx, user.OpenID, text)
		if err != nil || got != want {
			t.Errorf("CheckContent(%q) = %q, %v; want %q", text, got, err, want)
		}
		if n := sim.Calls(wxsim.PathMsgSecCheck) - before; n != 2 {
			t.Errorf("CheckContent(%q) after ExpireTokens: %d calls, want 2 (rejected + retry)", text, n)
		}
	}
	sim.FailNext(wxsim.PathMsgSecCheck, -1)
	_, err := c.CheckContent(ctx, user.OpenID, "你好")
	wantAPIError(t, err, "msg_sec_check", -1)
}

func TestCancelledContext(t *testing.T) {
	c, _ := newClient(t)
	user := login(t, c, "ctx-hank")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	before := sim.Calls(wxsim.PathSubscribe)
	err := c.SendSubscribe(ctx, wechat.SubscribeMessage{ToOpenID: user.OpenID, TemplateID: tmplCase, Data: map[string]string{"thing1": "x"}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("SendSubscribe(cancelled) = %v; want context.Canceled", err)
	}
	if got := sim.Calls(wxsim.PathSubscribe) - before; got != 0 {
		t.Fatalf("cancelled send made %d requests", got)
	}
	if _, err := c.CheckText(ctx, user.OpenID, "你好"); !errors.Is(err, context.Canceled) {
		t.Fatalf("CheckText(cancelled) = %v; want context.Canceled", err)
	}
	if _, err := c.Code2Session(ctx, "dev:hank"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Code2Session(cancelled) = %v; want context.Canceled", err)
	} else if strings.Contains(err.Error(), wxsim.DefaultAppSecret) || strings.Contains(err.Error(), "http") {
		t.Fatalf("Code2Session error leaks the URL: %v", err)
	}
}

func TestNewValidatesConfig(t *testing.T) {
	b := miniBackend(t)
	good := testConfig(b.prefix)
	if _, err := wechat.New(good, b.rdb); err != nil {
		t.Fatalf("New(good) = %v", err)
	}
	mutations := map[string]func(*wechat.Config){
		"no appid":  func(c *wechat.Config) { c.AppID = "" },
		"no secret": func(c *wechat.Config) { c.AppSecret = "" },
		"bad state": func(c *wechat.Config) { c.MiniprogramState = "production" },
		"bad lang":  func(c *wechat.Config) { c.Lang = "fr_FR" },
	}
	for name, mutate := range mutations {
		cfg := good
		mutate(&cfg)
		if _, err := wechat.New(cfg, b.rdb); err == nil {
			t.Errorf("%s: New accepted the config", name)
		}
	}
	if _, err := wechat.New(good, nil); err == nil {
		t.Error("New accepted a nil Redis client")
	}
}
