package wxsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"palmaid/service/wechat"
	"palmaid/service/wechat/wxfield"
)

const maxBody = 1 << 20

// Handler returns the simulator's HTTP handler.
func (s *Simulator) Handler() http.Handler {
	mux := http.NewServeMux()
	s.route(mux, PathCode2Session, http.MethodGet, s.code2Session)
	s.route(mux, PathStableToken, http.MethodPost, s.stableToken)
	s.route(mux, PathToken, http.MethodGet, s.classicToken)
	s.route(mux, PathPhoneNumber, http.MethodPost, s.withToken(s.phoneNumber))
	s.route(mux, PathSubscribe, http.MethodPost, s.withToken(s.subscribeSend))
	s.route(mux, PathMsgSecCheck, http.MethodPost, s.withToken(s.msgSecCheck))
	s.route(mux, PathRealName, http.MethodPost, s.withToken(s.checkRealName))
	return mux
}

// route counts the call, applies FailNext and the method check, then runs h.
func (s *Simulator) route(mux *http.ServeMux, path, method string, h http.HandlerFunc) {
	mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.calls[path]++
		injected, hasInjected := 0, false
		if q := s.failNext[path]; len(q) > 0 {
			injected, hasInjected = q[0], true
			s.failNext[path] = q[1:]
		}
		s.mu.Unlock()
		switch {
		case hasInjected:
			writeErr(w, injected, "injected by FailNext")
		case r.Method != method && method == http.MethodPost:
			writeErr(w, wechat.CodeRequirePOST, "require POST method")
		case r.Method != method:
			writeErr(w, wechat.CodeRequireGET, "require GET method")
		default:
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
			h(w, r)
		}
	})
}

// withToken answers 41001 / 40001 unless the access_token query parameter is
// a live token.
func (s *Simulator) withToken(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := r.URL.Query().Get("access_token")
		if tok == "" {
			writeErr(w, wechat.CodeMissingToken, "access_token missing")
			return
		}
		s.mu.Lock()
		exp, ok := s.tokens[tok]
		live := ok && s.now().Before(exp)
		s.mu.Unlock()
		if !live {
			writeErr(w, wechat.CodeInvalidCredential, "invalid credential, access_token is invalid or not latest")
			return
		}
		h(w, r)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; encoding=utf-8")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// writeErr answers like WeChat: HTTP 200, errcode and errmsg with a rid.
func writeErr(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, map[string]any{
		"errcode": code,
		"errmsg":  fmt.Sprintf("%s rid: %s-%s", msg, randomHex(4), randomHex(4)),
	})
}

// failCode parses "fail:<errcode>"; ok is false for other codes.
func failCode(code string) (int, bool) {
	rest, ok := strings.CutPrefix(code, "fail:")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n == 0 {
		return 40029, true
	}
	return n, true
}

func validName(name string) bool {
	if len(name) < 1 || len(name) > 32 {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func (s *Simulator) checkApp(w http.ResponseWriter, appID, secret string) bool {
	switch {
	case appID != s.appID:
		writeErr(w, wechat.CodeInvalidAppID, "invalid appid")
	case secret != s.secret:
		writeErr(w, wechat.CodeInvalidAppSecret, "invalid appsecret")
	default:
		return true
	}
	return false
}

func (s *Simulator) code2Session(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !s.checkApp(w, q.Get("appid"), q.Get("secret")) {
		return
	}
	if q.Get("grant_type") != "authorization_code" {
		writeErr(w, wechat.CodeInvalidGrantType, "invalid grant_type")
		return
	}
	code := q.Get("js_code")
	if code == "" {
		writeErr(w, wechat.CodeMissingCode, "missing code")
		return
	}
	if n, ok := failCode(code); ok {
		writeErr(w, n, "simulated failure")
		return
	}
	name, ok := strings.CutPrefix(code, "dev:")
	if !ok || !validName(name) {
		writeErr(w, wechat.CodeInvalidCode, "invalid code")
		return
	}
	openID := OpenIDFor(s.appID, name)
	s.mu.Lock()
	s.openIDs[openID] = true
	s.mu.Unlock()
	writeJSON(w, map[string]any{
		"openid":      openID,
		"unionid":     unionIDFor(name),
		"session_key": randomBase64(16),
	})
}

// issueLocked returns a new token valid for TokenTTL; s.mu must be held.
func (s *Simulator) issueLocked() string {
	tok := randomHex(64) // 128 characters
	s.tokens[tok] = s.now().Add(TokenTTL)
	return tok
}

func (s *Simulator) stableToken(w http.ResponseWriter, r *http.Request) {
	var body struct {
		GrantType    string `json:"grant_type"`
		AppID        string `json:"appid"`
		Secret       string `json:"secret"`
		ForceRefresh bool   `json:"force_refresh"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeErr(w, wechat.CodeDataFormat, "data format error")
		return
	}
	if !s.checkApp(w, body.AppID, body.Secret) {
		return
	}
	if body.GrantType != "client_credential" {
		writeErr(w, wechat.CodeInvalidGrantType, "invalid grant_type")
		return
	}
	s.mu.Lock()
	now := s.now()
	exp, live := s.tokens[s.stable]
	live = live && now.Before(exp)
	if !live || body.ForceRefresh {
		delete(s.tokens, s.stable) // a forced refresh invalidates the old token
		s.stable = s.issueLocked()
		exp = s.tokens[s.stable]
	}
	tok := s.stable
	s.mu.Unlock()
	writeJSON(w, map[string]any{"access_token": tok, "expires_in": int64(exp.Sub(now) / time.Second)})
}

func (s *Simulator) classicToken(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !s.checkApp(w, q.Get("appid"), q.Get("secret")) {
		return
	}
	if q.Get("grant_type") != "client_credential" {
		writeErr(w, wechat.CodeInvalidGrantType, "invalid grant_type")
		return
	}
	s.mu.Lock()
	delete(s.tokens, s.classic) // each classic call replaces the previous token
	s.classic = s.issueLocked()
	tok := s.classic
	s.mu.Unlock()
	writeJSON(w, map[string]any{"access_token": tok, "expires_in": int64(TokenTTL / time.Second)})
}

func validPhone(p string) bool {
	if len(p) != 11 {
		return false
	}
	for _, c := range p {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func (s *Simulator) phoneNumber(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Code string `json:"code"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeErr(w, wechat.CodeDataFormat, "data format error")
		return
	}
	if body.Code == "" {
		writeErr(w, wechat.CodeInvalidCode, "invalid code")
		return
	}
	if n, ok := failCode(body.Code); ok {
		writeErr(w, n, "simulated failure")
		return
	}
	phone := TestPhone
	if p, ok := strings.CutPrefix(body.Code, "phone:"); ok {
		if !validPhone(p) {
			writeErr(w, wechat.CodeInvalidCode, "invalid code")
			return
		}
		phone = p
	}
	writeJSON(w, map[string]any{
		"errcode": 0,
		"errmsg":  "ok",
		"phone_info": map[string]any{
			"phoneNumber":     phone,
			"purePhoneNumber": phone,
			"countryCode":     "86",
			"watermark":       map[string]any{"timestamp": s.now().Unix(), "appid": s.appID},
		},
	})
}

func oneOf(v string, allowed ...string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

func (s *Simulator) subscribeSend(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	latency, down := s.latency, s.down
	s.mu.Unlock()
	if latency > 0 {
		time.Sleep(latency)
	}
	if down != 0 {
		writeErr(w, down, "system error (simulated outage)")
		return
	}
	var body struct {
		ToUser           string `json:"touser"`
		TemplateID       string `json:"template_id"`
		Page             string `json:"page"`
		MiniprogramState string `json:"miniprogram_state"`
		Lang             string `json:"lang"`
		Data             map[string]struct {
			Value any `json:"value"`
		} `json:"data"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeErr(w, wechat.CodeDataFormat, "data format error")
		return
	}
	s.mu.Lock()
	known := s.openIDs[body.ToUser]
	s.mu.Unlock()
	if !known {
		writeErr(w, wechat.CodeInvalidOpenID, "invalid openid")
		return
	}
	if !s.templates[body.TemplateID] {
		writeErr(w, wechat.CodeInvalidTemplateID, "invalid template id")
		return
	}
	if body.MiniprogramState != "" && !oneOf(body.MiniprogramState, "developer", "trial", "formal") {
		writeErr(w, wechat.CodeArgumentInvalid, "argument invalid! miniprogram_state invalid")
		return
	}
	if body.Lang != "" && !oneOf(body.Lang, "zh_CN", "en_US", "zh_HK", "zh_TW") {
		writeErr(w, wechat.CodeArgumentInvalid, "argument invalid! lang invalid")
		return
	}
	if len(body.Data) == 0 {
		writeErr(w, wechat.CodeArgumentInvalid, "argument invalid! data is empty")
		return
	}
	data := make(map[string]string, len(body.Data))
	for k, item := range body.Data {
		v, ok := item.Value.(string)
		if !ok || !wxfield.Valid(k, v) {
			writeErr(w, wechat.CodeArgumentInvalid, fmt.Sprintf("argument invalid! data.%s.value invalid", k))
			return
		}
		data[k] = v
	}
	if kw, ok := s.keywords[body.TemplateID]; ok {
		for _, k := range kw {
			if _, ok := data[k]; !ok {
				writeErr(w, wechat.CodeArgumentInvalid, fmt.Sprintf("argument invalid! data.%s is empty", k))
				return
			}
		}
		if len(data) != len(kw) {
			writeErr(w, wechat.CodeArgumentInvalid, "argument invalid! data has keywords the template does not have")
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.requireSub || s.requireFor[body.TemplateID] {
		key := quotaKey{body.ToUser, body.TemplateID}
		if s.quota[key] <= 0 {
			writeErr(w, wechat.CodeNoSubscription, "user refuse to accept the msg")
			return
		}
		if !s.longTerm[body.TemplateID] {
			s.quota[key]--
		}
	}
	s.messages = append(s.messages, SentMessage{
		ToOpenID:         body.ToUser,
		TemplateID:       body.TemplateID,
		Page:             body.Page,
		MiniprogramState: body.MiniprogramState,
		Lang:             body.Lang,
		Data:             data,
		At:               s.now(),
	})
	writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "msgid": len(s.messages)})
}

const maxCheckRunes = 2500

func (s *Simulator) msgSecCheck(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Version int    `json:"version"`
		OpenID  string `json:"openid"`
		Scene   int    `json:"scene"`
		Content string `json:"content"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeErr(w, wechat.CodeDataFormat, "data format error")
		return
	}
	if body.Version != 2 {
		writeErr(w, wechat.CodeDataFormat, "data format error: only msg_sec_check version 2 is simulated")
		return
	}
	s.mu.Lock()
	known := s.openIDs[body.OpenID]
	s.mu.Unlock()
	switch {
	case !known:
		writeErr(w, wechat.CodeInvalidOpenID, "invalid openid")
		return
	case body.Scene < 1 || body.Scene > 4:
		writeErr(w, wechat.CodeDataFormat, "data format error: scene must be 1..4")
		return
	case body.Content == "":
		writeErr(w, wechat.CodeDataFormat, "data format error: content is empty")
		return
	case utf8.RuneCountInString(body.Content) > maxCheckRunes:
		writeErr(w, wechat.CodeRiskyContent, "risky content: content too long")
		return
	}
	suggest, label := "pass", 100
	switch {
	case containsAny(body.Content, s.risky):
		suggest, label = "risky", 20006
	case containsAny(body.Content, s.review):
		suggest, label = "review", 21000
	}
	writeJSON(w, map[string]any{
		"errcode":  0,
		"errmsg":   "ok",
		"trace_id": randomHex(12),
		"result":   map[string]any{"suggest": suggest, "label": label},
		"detail": []map[string]any{{
			"strategy": "content_model", "errcode": 0, "suggest": suggest, "label": label, "prob": 90,
		}},
	})
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if w != "" && strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// SetRealName gives a WeChat user real-name data (what WeChat Pay verified): the city-service
// real-name check compares claims with it. Users without it answer V_OP_NA.
func (s *Simulator) SetRealName(openID, name, idNumber string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.realName[openID] = [2]string{name, idNumber}
}

// checkRealName simulates checkrealnameinfo: the openid must have logged in, the code must be
// non-empty (a code starting "bad" is expired: 40029), cred_type 1.
func (s *Simulator) checkRealName(w http.ResponseWriter, r *http.Request) {
	var body struct {
		OpenID   string `json:"openid"`
		RealName string `json:"real_name"`
		CredID   string `json:"cred_id"`
		CredType string `json:"cred_type"`
		Code     string `json:"code"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.CredType != "1" || body.RealName == "" || body.CredID == "" {
		writeErr(w, wechat.CodeDataFormat, "data format error")
		return
	}
	s.mu.Lock()
	known, rn := s.openIDs[body.OpenID], s.realName[body.OpenID]
	s.mu.Unlock()
	switch {
	case !known:
		writeErr(w, wechat.CodeInvalidOpenID, "invalid openid")
		return
	case body.Code == "" || strings.HasPrefix(body.Code, "bad"):
		writeErr(w, wechat.CodeInvalidCode, "invalid code")
		return
	}
	out := map[string]any{"errcode": 0, "errmsg": "ok"}
	switch {
	case rn[0] == "":
		out["verify_openid"] = "V_OP_NA"
	case rn[0] != body.RealName:
		out["verify_openid"] = "V_OP_NM_UM"
	default:
		out["verify_openid"] = "V_OP_NM_MA"
		out["verify_real_name"] = "V_NM_ID_UM"
		if rn[1] == body.CredID {
			out["verify_real_name"] = "V_NM_ID_MA"
		}
	}
	writeJSON(w, out)
}
