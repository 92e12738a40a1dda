package wechat

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/silenceper/wechat/v2/util"
)

// APIError is a WeChat errcode answer. Callers inspect it with errors.As or
// ErrCode; Op names the WeChat operation ("code2session", "phone_number",
// "subscribe_send", "msg_sec_check", "stable_token").
type APIError struct {
	Op   string
	Code int
	Msg  string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("wechat %s: errcode=%d errmsg=%s", e.Op, e.Code, e.Msg)
}

// Well-known errcodes: every errcode the code or the simulator names is one of these.
const (
	CodeSystemBusy        = -1
	CodeInvalidCredential = 40001 // access token invalid or not latest
	CodeInvalidGrantType  = 40002
	CodeInvalidOpenID     = 40003
	CodeInvalidAppID      = 40013
	CodeInvalidToken      = 40014 // malformed access token
	CodeInvalidCode       = 40029
	CodeInvalidTemplateID = 40037
	CodeInvalidAppSecret  = 40125
	CodeCodeUsed          = 40163
	CodeRiskyUser         = 40226
	CodeMissingToken      = 41001
	CodeMissingCode       = 41008
	CodeTokenExpired      = 42001
	CodeRequireGET        = 43001
	CodeRequirePOST       = 43002
	CodeNoSubscription    = 43101 // user refused or has no quota left
	CodeDailyLimit        = 45009 // the API's daily call limit: later
	CodeRateLimited       = 45011
	CodeDataFormat        = 47001
	CodeArgumentInvalid   = 47003
	CodeRiskyContent      = 87014 // msg_sec_check: content refused outright
)

// ErrCode extracts the WeChat errcode from err: from an *APIError, or from an
// SDK *util.CommonError should one ever reach a caller unconverted.
func ErrCode(err error) (int, bool) {
	var api *APIError
	if errors.As(err, &api) {
		return api.Code, true
	}
	var common *util.CommonError
	if errors.As(err, &common) {
		return int(common.ErrCode), true
	}
	return 0, false
}

// isTokenInvalid reports whether code means the cached access token is bad.
func isTokenInvalid(code int) bool {
	return code == CodeInvalidCredential || code == CodeInvalidToken || code == CodeTokenExpired
}

// sdkErrcodeRE matches the errcode/errmsg pair of the SDK's plain fmt errors
// (token fetch: "get stable access_token error : errcode=40013 , errormsg=...").
var sdkErrcodeRE = regexp.MustCompile(`errcode=(-?\d+)\s*,\s*err(?:or)?msg=(.*)$`)

// urlRE matches URLs inside error text; the SDK's messages embed request URLs,
// which carry the app secret (code2session) or the access token.
var urlRE = regexp.MustCompile(`https?://[^\s"]+`)

// transportError is a failure that is not a WeChat answer (network, timeout,
// non-200 status), with every URL and secret removed from its text. Unwrap
// exposes the cause without its URL so errors.Is(err, context.DeadlineExceeded)
// still works.
type transportError struct {
	op    string
	msg   string
	cause error
}

func (e *transportError) Error() string { return "wechat " + e.op + ": " + e.msg }
func (e *transportError) Unwrap() error { return e.cause }

// convert turns an SDK error into an *APIError when it carries an errcode and
// into a redacted transport error otherwise. secrets are scrubbed from text.
func convert(op string, err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	var api *APIError
	if errors.As(err, &api) {
		return err
	}
	var common *util.CommonError
	if errors.As(err, &common) {
		return &APIError{Op: op, Code: int(common.ErrCode), Msg: common.ErrMsg}
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		msg := strings.ToLower(uerr.Op) + ": " + redact(uerr.Err.Error(), secrets)
		return &transportError{op: op, msg: msg, cause: uerr.Err}
	}
	text := err.Error()
	if m := sdkErrcodeRE.FindStringSubmatch(text); m != nil {
		code, convErr := strconv.Atoi(m[1])
		if convErr == nil && code != 0 {
			if strings.Contains(text, "access_token") {
				op = "stable_token"
			}
			return &APIError{Op: op, Code: code, Msg: redact(strings.TrimSpace(m[2]), secrets)}
		}
	}
	var cause error
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		cause = err // no URL inside: url.Error was handled above
	}
	return &transportError{op: op, msg: redact(text, secrets), cause: cause}
}

// redact removes URLs and the given secrets from text.
func redact(text string, secrets []string) string {
	text = urlRE.ReplaceAllString(text, "<url>")
	for _, s := range secrets {
		if s != "" {
			text = strings.ReplaceAll(text, s, "<redacted>")
		}
	}
	return text
}
