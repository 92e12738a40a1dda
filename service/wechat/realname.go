package wechat

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/silenceper/wechat/v2/util"
)

// Answers of the city-service real-name check (checkrealnameinfo).
const (
	RealNameNoData        = "V_OP_NA"    // the user has no real-name data in WeChat
	RealNameNameMatch     = "V_OP_NM_MA" // the name matches the user's WeChat Pay real name
	RealNameNameMismatch  = "V_OP_NM_UM"
	RealNameIDMatch       = "V_NM_ID_MA" // the ID number matches the name
	RealNameIDMismatch    = "V_NM_ID_UM"
	pathCheckRealNameInfo = "/intp/realname/checkrealnameinfo"
)

// RealNameAnswer is checkrealnameinfo's verdict.
type RealNameAnswer struct {
	VerifyOpenID   string `json:"verify_openid"`
	VerifyRealName string `json:"verify_real_name"`
}

// CheckRealName runs the city-service real-name check (a government mini-program's approved
// interface): the one-time code from WeChat's consent page, the user's openid, the name and the
// ID number (cred_type 1: resident identity card).
func (c *client) CheckRealName(ctx context.Context, openID, name, idNumber, code string) (RealNameAnswer, error) {
	const op = "checkrealnameinfo"
	if code == "" || len(code) > maxCodeLen {
		return RealNameAnswer{}, &APIError{Op: op, Code: CodeInvalidCode, Msg: "empty or over-long code (rejected locally)"}
	}
	var ans RealNameAnswer
	err := c.withToken(ctx, op, func() error {
		at, err := c.mp.GetContext().GetAccessTokenContext(ctx)
		if err != nil {
			return err
		}
		body, err := json.Marshal(map[string]string{"openid": openID, "real_name": name, "cred_id": idNumber, "cred_type": "1", "code": code})
		if err != nil {
			return err
		}
		res, err := util.HTTPPostContext(ctx, fmt.Sprintf("https://api.weixin.qq.com%s?access_token=%s", pathCheckRealNameInfo, at), body,
			map[string]string{"Content-Type": "application/json;charset=utf-8"})
		if err != nil {
			return err
		}
		var out struct {
			util.CommonError
			RealNameAnswer
		}
		if err := util.DecodeWithError(res, &out, op); err != nil {
			return err
		}
		ans = out.RealNameAnswer
		return nil
	})
	if err != nil {
		return RealNameAnswer{}, err
	}
	if ans.VerifyOpenID == "" {
		return RealNameAnswer{}, &transportError{op: op, msg: "answer without verify_openid"}
	}
	return ans, nil
}
