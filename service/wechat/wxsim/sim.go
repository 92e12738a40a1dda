// Package wxsim simulates the parts of the WeChat server API palmaid uses, for
// tests and the embedded (offline) mode. It answers WeChat-shaped JSON with
// HTTP 200 and an errcode body for errors, like the real API, so the real SDK
// code path runs against it (route api.weixin.qq.com here with
// wechat.NewRewritingTransport).
//
// Conventions:
//
//   - login code "dev:<name>" (name [a-z0-9_-]{1,32}) always gives the openid
//     OpenIDFor(appID, name), a unionid derived from name only, and a fresh
//     random session_key; "fail:<errcode>" answers that errcode; anything
//     else answers 40029. Dev codes are reusable (real codes are single use).
//   - phone code "phone:<11 digits>" gives that number, "fail:<errcode>" that
//     errcode, any other non-empty code TestPhone.
//   - subscribe send: touser must be an openid issued by a login here (40003),
//     template_id one of Options.Templates (40037), every data value non-blank
//     and within its type's rune limit (47003). With
//     Options.RequireSubscription (or RequireSubscriptionFor naming the
//     template) each send also needs a quota from Grant (43101 without); a
//     send consumes one, except for Options.LongTerm templates, whose
//     subscription stays on until Revoke. SetDown(errcode) answers every send
//     with errcode (an outage), SetLatency slows every send.
//   - msg_sec_check (v2 only): content containing one of Options.RiskyWords
//     (default DefaultRiskyWord "违禁") is "risky", content containing one of
//     Options.ReviewWords (default DefaultReviewWord "待审") is "review", other
//     content "pass"; over 2500 runes answers 87014.
//   - access tokens live 7200 s; stable_token returns the same token while it
//     is valid unless force_refresh; ExpireTokens makes all issued tokens
//     answer 40001. A missing access_token answers 41001, an unknown one 40001.
//   - FailNext(path, errcode) makes the next request to path answer errcode
//     (e.g. 43101, 41030, 45011) whatever it contains.
package wxsim

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// TestPhone is the number an ordinary (non "phone:" / "fail:") phone code yields.
const TestPhone = "13800138000"

// Defaults used when Options leaves AppID or AppSecret empty.
const (
	DefaultAppID     = "wx0123456789abcdef"
	DefaultAppSecret = "0123456789abcdef0123456789abcdef"
)

// Endpoint paths, as passed to Calls and FailNext.
const (
	PathCode2Session = "/sns/jscode2session"
	PathStableToken  = "/cgi-bin/stable_token"
	PathToken        = "/cgi-bin/token"
	PathPhoneNumber  = "/wxa/business/getuserphonenumber"
	PathSubscribe    = "/cgi-bin/message/subscribe/send"
	PathMsgSecCheck  = "/wxa/msg_sec_check"
	PathRealName     = "/intp/realname/checkrealnameinfo"
)

// The words msg_sec_check flags when Options leaves RiskyWords or ReviewWords empty.
const (
	DefaultRiskyWord  = "违禁"
	DefaultReviewWord = "待审"
)

// TokenTTL is the lifetime of an issued access token.
const TokenTTL = 7200 * time.Second

// Options configures a Simulator.
type Options struct {
	AppID, AppSecret string
	// Templates are the known subscribe template ids; others answer 40037.
	Templates []string
	// TemplateKeywords, when set for a template id, are that template's keyword ids: a send must
	// fill every one of them and no other (47003 otherwise), as a library template does.
	TemplateKeywords map[string][]string
	// RequireSubscription makes every send consume a quota granted by Grant.
	RequireSubscription bool
	// RequireSubscriptionFor requires a Grant for sends of these templates only.
	RequireSubscriptionFor []string
	// LongTerm are long-term (长期订阅) templates: a Grant turns the subscription on until
	// Revoke, and sends do not consume it.
	LongTerm []string
	// Now is the clock (token expiry, watermarks, SentMessage.At); nil = time.Now.
	Now func() time.Time
	// RiskyWords and ReviewWords decide msg_sec_check's verdict (risky wins over review);
	// empty = []string{DefaultRiskyWord} and []string{DefaultReviewWord}.
	RiskyWords, ReviewWords []string
}

// SentMessage is a subscribe message the simulator accepted.
type SentMessage struct {
	ToOpenID, TemplateID, Page, MiniprogramState, Lang string
	Data                                               map[string]string
	At                                                 time.Time
}

type quotaKey struct{ openID, templateID string }

// Simulator is a fake WeChat server. All state is behind mu; it is safe for
// concurrent use.
type Simulator struct {
	appID, secret string
	templates     map[string]bool
	keywords      map[string][]string
	requireSub    bool
	requireFor    map[string]bool
	longTerm      map[string]bool
	now           func() time.Time
	risky, review []string

	mu       sync.Mutex
	tokens   map[string]time.Time // access token -> expiry
	stable   string               // current stable token
	classic  string               // current classic (/cgi-bin/token) token
	openIDs  map[string]bool      // openids issued by logins
	messages []SentMessage
	calls    map[string]int
	failNext map[string][]int
	quota    map[quotaKey]int
	realName map[string][2]string // openid -> WeChat Pay real name and ID number (SetRealName)
	latency  time.Duration        // added to every subscribe send
	down     int                  // non-zero: every subscribe send answers this errcode (an outage)
}

// New returns a simulator; empty AppID/AppSecret get DefaultAppID/DefaultAppSecret.
func New(opts Options) *Simulator {
	s := &Simulator{
		appID:      opts.AppID,
		secret:     opts.AppSecret,
		templates:  make(map[string]bool, len(opts.Templates)),
		requireSub: opts.RequireSubscription,
		now:        opts.Now,
		tokens:     make(map[string]time.Time),
		openIDs:    make(map[string]bool),
		calls:      make(map[string]int),
		failNext:   make(map[string][]int),
		quota:      make(map[quotaKey]int),
		realName:   make(map[string][2]string),
	}
	if s.appID == "" {
		s.appID = DefaultAppID
	}
	if s.secret == "" {
		s.secret = DefaultAppSecret
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.risky, s.review = append([]string(nil), opts.RiskyWords...), append([]string(nil), opts.ReviewWords...)
	if len(s.risky) == 0 {
		s.risky = []string{DefaultRiskyWord}
	}
	if len(s.review) == 0 {
		s.review = []string{DefaultReviewWord}
	}
	s.keywords = make(map[string][]string, len(opts.TemplateKeywords))
	for id, kw := range opts.TemplateKeywords {
		s.keywords[id] = append([]string(nil), kw...)
	}
	for _, t := range opts.Templates {
		s.templates[t] = true
	}
	s.requireFor, s.longTerm = map[string]bool{}, map[string]bool{}
	for _, t := range opts.RequireSubscriptionFor {
		s.requireFor[t] = true
	}
	for _, t := range opts.LongTerm {
		s.longTerm[t] = true
	}
	return s
}

// Start serves the simulator on 127.0.0.1 (loopback only) at a free port and
// returns its base URL ("http://127.0.0.1:<port>") and a stop function.
func (s *Simulator) Start() (baseURL string, stop func() error, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	stop = sync.OnceValue(func() error {
		// Shutdown waits for in-flight requests; connections a client dialled
		// but never used count as busy for 5 s, so do not wait that long.
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		err := srv.Shutdown(ctx)
		if errors.Is(err, context.DeadlineExceeded) {
			err = srv.Close()
		}
		if serveErr := <-done; !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
			err = serveErr
		}
		return err
	})
	return "http://" + ln.Addr().String(), stop, nil
}

// OpenIDFor is the openid that login code "dev:<name>" maps to for appID:
// 28 characters starting with "o", like real openids.
func OpenIDFor(appID, name string) string {
	return "o" + hashID("openid\x00"+appID+"\x00"+name)
}

// unionIDFor depends on the name only: a unionid is shared across the apps of
// one open-platform account.
func unionIDFor(name string) string {
	return "o" + hashID("unionid\x00"+name)
}

func hashID(s string) string {
	sum := sha256.Sum256([]byte(s))
	return base64.RawURLEncoding.EncodeToString(sum[:])[:27]
}

// Messages returns a copy of the accepted subscribe messages, in order received.
func (s *Simulator) Messages() []SentMessage {
	return s.filterMessages(func(SentMessage) bool { return true })
}

// MessagesTo returns the accepted subscribe messages sent to openID, in order.
func (s *Simulator) MessagesTo(openID string) []SentMessage {
	return s.filterMessages(func(m SentMessage) bool { return m.ToOpenID == openID })
}

func (s *Simulator) filterMessages(keep func(SentMessage) bool) []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []SentMessage
	for _, m := range s.messages {
		if keep(m) {
			c := m
			c.Data = make(map[string]string, len(m.Data))
			for k, v := range m.Data {
				c.Data[k] = v
			}
			out = append(out, c)
		}
	}
	return out
}

// ExpireTokens makes every access token issued so far answer 40001; the next
// token request issues a new one.
func (s *Simulator) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
	s.stable, s.classic = "", ""
}

// Calls returns how many requests reached path (e.g. PathSubscribe),
// including rejected ones.
func (s *Simulator) Calls(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[path]
}

// FailNext makes the next request to path answer errcode, once. Several calls
// queue several failures.
func (s *Simulator) FailNext(path string, errcode int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext[path] = append(s.failNext[path], errcode)
}

// Grant adds n subscribe quota for (openID, templateID), as a user accepting
// the template in wx.requestSubscribeMessage would (for a long-term template
// it turns the subscription on: accepts do not accumulate). Only consulted
// with Options.RequireSubscription or RequireSubscriptionFor.
func (s *Simulator) Grant(openID, templateID string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.longTerm[templateID] {
		s.quota[quotaKey{openID, templateID}] = min(n, 1)
		return
	}
	s.quota[quotaKey{openID, templateID}] += n
}

// Revoke turns a subscription off, as a user switching the template's messages off in the
// mini-program's settings would: later sends answer 43101.
func (s *Simulator) Revoke(openID, templateID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.quota, quotaKey{openID, templateID})
}

// Quota is what is left of (openID, templateID)'s subscription: accepts left for a one-time
// template, 1 (on) or 0 for a long-term one.
func (s *Simulator) Quota(openID, templateID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.quota[quotaKey{openID, templateID}]
}

// SetLatency makes every subscribe send take d longer (a slow WeChat).
func (s *Simulator) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// SetDown makes every subscribe send answer errcode until SetDown(0): an outage (-1 system
// busy) that FailNext would need one call per request for.
func (s *Simulator) SetDown(errcode int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = errcode
}

// PushCounts counts the accepted subscribe messages per content (recipient, template, page
// and data): a message pushed twice counts 2. Keys are opaque.
func (s *Simulator) PushCounts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.messages))
	for _, m := range s.messages {
		out[pushKey(m)]++
	}
	return out
}

// PushCount is how many times this content was pushed (see PushCounts).
func (s *Simulator) PushCount(m SentMessage) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, k := 0, pushKey(m)
	for _, x := range s.messages {
		if pushKey(x) == k {
			n++
		}
	}
	return n
}

func pushKey(m SentMessage) string {
	keys := make([]string, 0, len(m.Data))
	for k := range m.Data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(m.ToOpenID + "\x00" + m.TemplateID + "\x00" + m.Page)
	for _, k := range keys {
		b.WriteString("\x00" + k + "=" + m.Data[k])
	}
	return b.String()
}

// randomHex returns n random bytes, hex encoded.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}

func randomBase64(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}
