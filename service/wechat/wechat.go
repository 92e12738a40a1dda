// Package wechat is palmaid's adapter to the WeChat mini-program server API,
// built on github.com/silenceper/wechat/v2 (never its root package, whose init
// switches logrus to debug). It adds what the SDK lacks: a go-redis v9 token cache, one error type carrying
// the errcode, login-code validation, rune truncation of subscribe fields,
// explicit page/miniprogram_state/lang, and delete-the-token-and-retry-once on
// 40001/40014/42001.
//
// The SDK sends all HTTP through its process-wide util.DefaultHTTPClient: call
// InstallHTTPClient once at start-up with a client that has a timeout.
//
// Nothing here logs; session_key and the app secret never appear in errors.
package wechat

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"
	"github.com/silenceper/wechat/v2/credential"
	"github.com/silenceper/wechat/v2/miniprogram"
	mpconfig "github.com/silenceper/wechat/v2/miniprogram/config"
	"github.com/silenceper/wechat/v2/miniprogram/security"
	"github.com/silenceper/wechat/v2/miniprogram/subscribe"

	"palmaid/service/wechat/wxfield"
)

// Config configures New.
type Config struct {
	AppID, AppSecret string
	// CacheKeyPrefix namespaces the SDK's cache keys in Redis, e.g.
	// "palmaid:wx" gives "palmaid:wx:gowechat_miniprogram__stable_access_token_<appid>".
	CacheKeyPrefix string
	// MiniprogramState is sent with every subscribe message: "developer",
	// "trial" or "formal". Empty means "formal".
	MiniprogramState string
	// Lang is sent with every subscribe message: zh_CN (default when empty),
	// en_US, zh_HK or zh_TW.
	Lang string
}

// Session is the result of code2Session. SessionKey is a secret: keep it
// server-side; String and GoString redact it so it cannot leak through %v.
type Session struct{ OpenID, UnionID, SessionKey string }

// String renders the session without its session key.
func (s Session) String() string {
	return fmt.Sprintf("Session{OpenID:%s UnionID:%s SessionKey:<redacted>}", s.OpenID, s.UnionID)
}

// GoString renders the session without its session key (for %#v).
func (s Session) GoString() string { return s.String() }

// SubscribeMessage is one subscribe message. Data maps field keys ("thing1",
// "phrase2", "time3", "character_string4") to values; values are truncated by
// runes to the limit of the key's type and blank values become "-" before
// sending (see package wxfield).
type SubscribeMessage struct {
	ToOpenID, TemplateID, Page string
	Data                       map[string]string
}

// Client is the WeChat server API palmaid uses. Errors carrying a WeChat
// errcode are *APIError (see ErrCode).
type Client interface {
	// Code2Session exchanges a wx.login code. Codes outside
	// [A-Za-z0-9:_.-]{1,128} fail with errcode 40029 without a request.
	Code2Session(ctx context.Context, code string) (Session, error)
	// PhoneNumber exchanges a getPhoneNumber code for the purePhoneNumber.
	PhoneNumber(ctx context.Context, code string) (string, error)
	// SendSubscribe sends one subscribe message (43101: no quota; do not retry).
	SendSubscribe(ctx context.Context, msg SubscribeMessage) error
	// CheckText runs msg_sec_check v2 (scene 2, comment). Only a "pass"
	// verdict is safe; "risky" and "review" give false with a nil error.
	CheckText(ctx context.Context, openID, text string) (safe bool, err error)
	// CheckContent runs msg_sec_check v2 (scene 2, comment) and returns WeChat's verdict:
	// SuggestPass, SuggestReview or SuggestRisky.
	CheckContent(ctx context.Context, openID, text string) (Suggest, error)
	// CheckRealName runs the city-service real-name check with the consent page's one-time
	// code (government mini-programs; see realname.go).
	CheckRealName(ctx context.Context, openID, name, idNumber, code string) (RealNameAnswer, error)
}

// Suggest is msg_sec_check's verdict.
type Suggest string

// msg_sec_check verdicts.
const (
	SuggestPass   Suggest = "pass"
	SuggestReview Suggest = "review"
	SuggestRisky  Suggest = "risky"
)

const maxCodeLen = 128

// msgScene is the msg_sec_check scene used by CheckText.
const msgScene = security.MsgSceneComment

// New builds the SDK mini-program client with the stable access token
// (config.UseStableAK) cached in rdb under cfg.CacheKeyPrefix.
func New(cfg Config, rdb redis.UniversalClient) (Client, error) {
	if cfg.AppID == "" || cfg.AppSecret == "" {
		return nil, errors.New("wechat: AppID and AppSecret are required")
	}
	if rdb == nil {
		return nil, errors.New("wechat: a Redis client is required")
	}
	switch cfg.MiniprogramState {
	case "":
		cfg.MiniprogramState = "formal"
	case "developer", "trial", "formal":
	default:
		return nil, fmt.Errorf("wechat: MiniprogramState %q is not developer, trial or formal", cfg.MiniprogramState)
	}
	switch cfg.Lang {
	case "":
		cfg.Lang = "zh_CN"
	case "zh_CN", "en_US", "zh_HK", "zh_TW":
	default:
		return nil, fmt.Errorf("wechat: Lang %q is not zh_CN, en_US, zh_HK or zh_TW", cfg.Lang)
	}
	c := newRedisCache(rdb, cfg.CacheKeyPrefix)
	mp := miniprogram.NewMiniProgram(&mpconfig.Config{
		AppID:       cfg.AppID,
		AppSecret:   cfg.AppSecret,
		Cache:       c,
		UseStableAK: true,
	})
	return &client{
		cfg:   cfg,
		mp:    mp,
		cache: c,
		// The key credential.StableAccessToken reads and writes.
		tokenKey: fmt.Sprintf("%s_stable_access_token_%s", credential.CacheKeyMiniProgramPrefix, cfg.AppID),
	}, nil
}

type client struct {
	cfg      Config
	mp       *miniprogram.MiniProgram
	cache    *redisCache
	tokenKey string
}

func validCode(code string) bool {
	if len(code) == 0 || len(code) > maxCodeLen {
		return false
	}
	for i := 0; i < len(code); i++ {
		switch b := code[i]; {
		case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9':
		case b == ':', b == '_', b == '-', b == '.':
		default:
			return false
		}
	}
	return true
}

func (c *client) Code2Session(ctx context.Context, code string) (Session, error) {
	const op = "code2session"
	if !validCode(code) {
		return Session{}, &APIError{Op: op, Code: CodeInvalidCode, Msg: "invalid code format (rejected locally)"}
	}
	res, err := c.mp.GetAuth().Code2SessionContext(ctx, code)
	if res.ErrCode != 0 {
		return Session{}, &APIError{Op: op, Code: int(res.ErrCode), Msg: res.ErrMsg}
	}
	if err != nil {
		return Session{}, convert(op, err, c.cfg.AppSecret)
	}
	if res.OpenID == "" {
		return Session{}, &transportError{op: op, msg: "answer without openid"}
	}
	return Session{OpenID: res.OpenID, UnionID: res.UnionID, SessionKey: res.SessionKey}, nil
}

func (c *client) PhoneNumber(ctx context.Context, code string) (string, error) {
	const op = "phone_number"
	if code == "" {
		return "", &APIError{Op: op, Code: CodeInvalidCode, Msg: "empty code (rejected locally)"}
	}
	var phone string
	err := c.withToken(ctx, op, func() error {
		res, err := c.mp.GetAuth().GetPhoneNumberContext(ctx, code)
		if err != nil {
			return err
		}
		phone = res.PhoneInfo.PurePhoneNumber
		return nil
	})
	if err != nil {
		return "", err
	}
	if phone == "" {
		return "", &transportError{op: op, msg: "answer without purePhoneNumber"}
	}
	return phone, nil
}

func (c *client) SendSubscribe(ctx context.Context, msg SubscribeMessage) error {
	const op = "subscribe_send"
	switch {
	case msg.ToOpenID == "":
		return &APIError{Op: op, Code: CodeInvalidOpenID, Msg: "empty touser (rejected locally)"}
	case msg.TemplateID == "":
		return &APIError{Op: op, Code: CodeInvalidTemplateID, Msg: "empty template_id (rejected locally)"}
	case len(msg.Data) == 0:
		return &APIError{Op: op, Code: CodeArgumentInvalid, Msg: "empty data (rejected locally)"}
	}
	data := make(map[string]*subscribe.DataItem, len(msg.Data))
	for k, v := range msg.Data {
		data[k] = &subscribe.DataItem{Value: wxfield.Normalize(k, v)}
	}
	out := &subscribe.Message{
		ToUser:           msg.ToOpenID,
		TemplateID:       msg.TemplateID,
		Page:             msg.Page,
		Data:             data,
		MiniprogramState: c.cfg.MiniprogramState,
		Lang:             c.cfg.Lang,
	}
	// Subscribe.Send has no context variant: the HTTP client timeout is its
	// only bound once started, so at least do not start after cancellation.
	return c.withToken(ctx, op, func() error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return c.mp.GetSubscribe().Send(out)
	})
}

func (c *client) CheckText(ctx context.Context, openID, text string) (bool, error) {
	suggest, err := c.CheckContent(ctx, openID, text)
	return err == nil && suggest == SuggestPass, err
}

func (c *client) CheckContent(ctx context.Context, openID, text string) (Suggest, error) {
	const op = "msg_sec_check"
	var suggest security.CheckSuggest
	err := c.withToken(ctx, op, func() error {
		res, err := c.mp.GetSecurity().MsgCheckContext(ctx, &security.MsgCheckRequest{
			OpenID:  openID,
			Scene:   msgScene,
			Content: text,
		})
		if err != nil {
			return err
		}
		suggest = res.Result.Suggest
		return nil
	})
	if err != nil {
		return "", err
	}
	switch Suggest(suggest) {
	case SuggestPass, SuggestReview, SuggestRisky:
		return Suggest(suggest), nil
	}
	return "", &transportError{op: op, msg: "answer without a known suggest"}
}

// withToken runs an access-token-using call. WeChat answering 40001, 40014 or
// 42001 means the cached token is bad, and the SDK never drops it: delete the
// cached key and run the call once more (the SDK then fetches a fresh stable
// token). Errors come back converted (*APIError or a redacted error).
func (c *client) withToken(ctx context.Context, op string, call func() error) error {
	err := convert(op, call(), c.cfg.AppSecret)
	code, ok := ErrCode(err)
	if !ok || !isTokenInvalid(code) || ctx.Err() != nil {
		return err
	}
	if delErr := c.cache.DeleteContext(context.WithoutCancel(ctx), c.tokenKey); delErr != nil {
		return err // the bad token is still cached: a retry would repeat the error
	}
	return convert(op, call(), c.cfg.AppSecret)
}
