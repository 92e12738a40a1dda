package wechat

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/silenceper/wechat/v2/util"
)

const secret = "S3CR3Tvalue0123456789"

func TestConvertRedactsURLAndSecret(t *testing.T) {
	leaky := "https://api.weixin.qq.com/sns/jscode2session?appid=wx1&secret=" + secret + "&js_code=c"
	cases := []error{
		&url.Error{Op: "Get", URL: leaky, Err: context.DeadlineExceeded},
		fmt.Errorf("http get error : uri=%v , statusCode=%v", leaky, 502),
		errors.New("odd failure mentioning " + secret),
	}
	for _, in := range cases {
		out := convert("code2session", in, secret)
		if msg := out.Error(); strings.Contains(msg, secret) || strings.Contains(msg, "api.weixin.qq.com") {
			t.Errorf("convert(%q) = %q; leaks the URL or secret", in, msg)
		}
		if _, ok := ErrCode(out); ok {
			t.Errorf("convert(%q) has an errcode; want a transport error", in)
		}
	}
	if out := convert("code2session", cases[0], secret); !errors.Is(out, context.DeadlineExceeded) {
		t.Errorf("timeout lost its cause: %v", out)
	}
}

func TestConvertErrcodes(t *testing.T) {
	stable := fmt.Errorf("get stable access_token error : errcode=%v , errormsg=%v", 40013, "invalid appid")
	out := convert("phone_number", stable)
	var api *APIError
	if !errors.As(out, &api) || api.Code != 40013 || api.Op != "stable_token" || api.Msg != "invalid appid" {
		t.Fatalf("convert(stable token error) = %#v", out)
	}
	out = convert("subscribe_send", util.NewCommonError("Send", 43101, "user refuse"))
	if !errors.As(out, &api) || api.Code != 43101 || api.Op != "subscribe_send" {
		t.Fatalf("convert(CommonError) = %#v", out)
	}
	if convert("x", nil) != nil {
		t.Fatal("convert(nil) != nil")
	}
}

func TestErrCode(t *testing.T) {
	cases := []struct {
		err  error
		code int
		ok   bool
	}{
		{&APIError{Op: "x", Code: 40029}, 40029, true},
		{fmt.Errorf("wrapped: %w", &APIError{Op: "x", Code: -1}), -1, true},
		{util.NewCommonError("Send", 47003, "bad"), 47003, true},
		{fmt.Errorf("wrapped: %w", util.NewCommonError("Send", 40037, "bad")), 40037, true},
		{errors.New("plain"), 0, false},
		{nil, 0, false},
	}
	for _, c := range cases {
		code, ok := ErrCode(c.err)
		if code != c.code || ok != c.ok {
			t.Errorf("ErrCode(%v) = %d,%v; want %d,%v", c.err, code, ok, c.code, c.ok)
		}
	}
	if got := (&APIError{Op: "subscribe_send", Code: 43101, Msg: "refused"}).Error(); got != "wechat subscribe_send: errcode=43101 errmsg=refused" {
		t.Fatalf("Error() = %q", got)
	}
}

func TestValidCode(t *testing.T) {
	for _, ok := range []string{"dev:alice", "0a1B2c-_.:", strings.Repeat("x", 128)} {
		if !validCode(ok) {
			t.Errorf("validCode(%q) = false", ok)
		}
	}
	for _, bad := range []string{"", " ", "a+b", "a=b", "a\nb", "é", strings.Repeat("x", 129)} {
		if validCode(bad) {
			t.Errorf("validCode(%q) = true", bad)
		}
	}
}
