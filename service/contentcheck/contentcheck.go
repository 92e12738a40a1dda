// Package contentcheck runs WeChat's content security check (msg_sec_check v2) on a resident's
// free text that staff or the public will read: a withdrawal reason, a resubmission note, the
// evidence against a data check, an objection to a public notice, a rating comment, a
// complaint. "risky" text is refused (422 content.risky); "review" text is accepted and stored
// with a flag staff see; when WeChat cannot be asked (outage, timeout, an unexpected errcode)
// the text is accepted and flagged "unchecked" — a resident's withdrawal or complaint must not
// depend on WeChat being up, and staff read the flagged text before it goes anywhere public.
package contentcheck

import (
	"context"
	"log/slog"
	"strings"

	"palmaid/model"
	"palmaid/service/wechat"
)

// ErrRisky refuses text WeChat judged risky. The resident reads it; the field names the input.
var ErrRisky = model.E(model.KindUnprocessable, "content.risky", "内容含有不宜发布的文字，请修改后再提交")

// Checker checks one text of a resident. It returns the flag to store with the text
// (model.ContentPass, model.ContentReview or model.ContentUnchecked), or ErrRisky.
type Checker interface {
	Check(ctx context.Context, residentID uint64, field, text string) (flag string, err error)
}

// WeChat is the Checker backed by msg_sec_check, asked with the resident's openid.
type WeChat struct {
	st  Store
	wx  wechat.Client
	log *slog.Logger
}

// New builds the WeChat checker.
func New(st Store, wx wechat.Client, log *slog.Logger) *WeChat {
	return &WeChat{st: st, wx: wx, log: log}
}

// Check asks WeChat about text (empty text passes without a call).
func (c *WeChat) Check(ctx context.Context, residentID uint64, field, text string) (string, error) {
	if strings.TrimSpace(text) == "" {
		return model.ContentPass, nil
	}
	r, err := c.st.GetResident(ctx, residentID)
	if err != nil {
		return "", err
	}
	suggest, err := c.wx.CheckContent(ctx, r.OpenID, text)
	if code, isAPI := wechat.ErrCode(err); isAPI && code == wechat.CodeRiskyContent {
		return "", ErrRisky.WithField(field, "请修改后再提交")
	}
	if err != nil {
		c.log.WarnContext(ctx, "content check unavailable: text accepted and flagged for staff", "field", field, "err", err)
		return model.ContentUnchecked, nil
	}
	switch suggest {
	case wechat.SuggestRisky:
		return "", ErrRisky.WithField(field, "请修改后再提交")
	case wechat.SuggestReview:
		return model.ContentReview, nil
	}
	return model.ContentPass, nil
}
