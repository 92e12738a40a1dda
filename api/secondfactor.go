package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/model"
	"palmaid/service/ratelimit"
)

// registerSecondFactor mounts the staff second factor (TOTP, recovery codes): the login step,
// enrolment and the administrator's reset.
func (h *Handler) registerSecondFactor(g, authed *httpx.Router) {
	login2 := httpx.IPClass("login2:staff", ratelimit.PerMinute(20))
	g.POST("/auth/login/second-factor", login2, h.loginSecondFactor)
	g.POST("/auth/console-login/second-factor", login2, h.consoleLoginSecondFactor)
	authed.POST("/me/second-factor", staffAdmin(), h.enrolSecondFactor)
	authed.POST("/me/second-factor/confirm", staffAdmin(), h.confirmSecondFactor)
	authed.POST("/admin/staff/:staffId/reset-second-factor", staffAdmin(), h.resetSecondFactor)
}

// secondFactorSetupAllowed are the routes a session may call while its role requires a second
// factor the account has not enrolled: everything else answers 403 auth.second_factor_required.
var secondFactorSetupAllowed = map[string]bool{"/api/v1/me/second-factor": true, "/api/v1/me/second-factor/confirm": true,
	"/api/v1/me": true, "/api/v1/auth/logout": true, "/api/v1/me/password": true, "/api/v1/auth/console-password": true,
	"/api/v1/auth/console-session": true, "/api/v1/auth/console-logout": true}

// challengeResponse answers a right password of an account with a second factor.
type challengeResponse struct {
	// Challenge goes with the code to POST /api/v1/auth/login/second-factor (single use).
	Challenge string    `json:"challenge"`
	ExpiresAt time.Time `json:"expiresAt"` // 5 minutes
}

type secondFactorLogin struct {
	Challenge string `json:"challenge" docs:"required"`
	Code      string `json:"code" docs:"required"` // the 6-digit code of the authenticator app, or a recovery code xxxxx-xxxxx
}

func (h *Handler) loginSecondFactor(c *gin.Context) {
	var req secondFactorLogin
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	res, err := h.app.Auth.LoginSecondFactor(c.Request.Context(), req.Challenge, req.Code)
	h.answerLogin(c, res, err)
}

type enrolment struct {
	Secret     string `json:"secret"`     // base32, to type into the app by hand
	OtpauthURI string `json:"otpauthUri"` // otpauth://totp/…, to show as a QR code
}

func (h *Handler) enrolSecondFactor(c *gin.Context) {
	e, err := h.app.Auth.EnrolTOTP(c.Request.Context(), staff(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, enrolment{Secret: e.Secret, OtpauthURI: e.URI})
}

type confirmRequest struct {
	Code string `json:"code"`
}

type recoveryCodes struct {
	// RecoveryCodes are shown this once: each opens one login when the phone is lost.
	RecoveryCodes []string `json:"recoveryCodes"`
}

func (h *Handler) confirmSecondFactor(c *gin.Context) {
	var req confirmRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	codes, err := h.app.Auth.ConfirmTOTP(c.Request.Context(), staff(c), req.Code)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, recoveryCodes{RecoveryCodes: codes})
}

func (h *Handler) resetSecondFactor(c *gin.Context) {
	id, ok := staffID(c)
	if !ok {
		return
	}
	st, err := h.app.StaffAdmin.ResetSecondFactor(c.Request.Context(), staff(c), id)
	h.staffResult(c, st, err)
}

func (h *Handler) answerChallenge(c *gin.Context, challenge string, expires time.Time) {
	httpx.OK(c, http.StatusAccepted, challengeResponse{Challenge: challenge, ExpiresAt: expires.In(model.China())})
}

func secondFactorDocs() []docs.Route {
	const tag = "staff"
	id := []docs.Param{{Name: "staffId", Type: "integer", Description: "账号 id（列表中的 id）"}}
	return []docs.Route{
		{Method: http.MethodPost, Path: "/api/v1/auth/login/second-factor", OperationID: "staffLoginSecondFactor", Tag: tag,
			Summary: "登录第二步：密码正确后返回的 challenge 加动态验证码（6位，前后各容许30秒）或一个恢复码；同一验证码不能重复使用", Request: secondFactorLogin{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: loginResponse{}, Description: "登录成功"},
				{Status: http.StatusUnauthorized, Description: "`auth.challenge_invalid`：challenge 无效、已用过或已过期（5分钟），请重新输入密码\n`auth.bad_second_factor`：验证码或恢复码不正确（含已使用过的验证码）"},
				{Status: http.StatusTooManyRequests, Description: "`auth.second_factor_locked`：验证码连续错误5次，锁定15分钟（带 Retry-After）\n`request.rate_limited`：本机地址登录过于频繁"},
			}},
		{Method: http.MethodPost, Path: "/api/v1/auth/console-login/second-factor", OperationID: "staffConsoleLoginSecondFactor", Tag: tag,
			Summary: "工作台登录第二步：console-login 返回 202 和 challenge 后，提交动态验证码或恢复码；成功后与 console-login 相同（Set-Cookie 会话，返回 csrfToken）", Request: secondFactorLogin{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: consoleSession{}, Description: "登录成功；Set-Cookie 带会话"},
				{Status: http.StatusUnauthorized, Description: "`auth.challenge_invalid`：challenge 无效、已用过或已过期（5分钟），请重新输入密码\n`auth.bad_second_factor`：验证码或恢复码不正确（含已使用过的验证码）"},
				{Status: http.StatusTooManyRequests, Description: "`auth.second_factor_locked`：验证码连续错误5次，锁定15分钟（带 Retry-After）\n`request.rate_limited`：本机地址登录过于频繁"},
			}},
		{Method: http.MethodPost, Path: "/api/v1/me/second-factor", OperationID: "staffEnrolSecondFactor", Tag: tag, Auth: true,
			Summary: "开始绑定动态验证码（TOTP）：返回密钥和 otpauth:// 地址（用验证器 App 扫码）；须再用 confirm 确认后才启用",
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: enrolment{}, Description: "新的密钥（加密存储，尚未启用）"},
				{Status: http.StatusConflict, Description: "`auth.second_factor_enabled`：已启用；更换须由管理员重置"},
			}},
		{Method: http.MethodPost, Path: "/api/v1/me/second-factor/confirm", OperationID: "staffConfirmSecondFactor", Tag: tag, Auth: true,
			Summary: "确认绑定：输入验证器 App 上的6位验证码；启用后返回10个一次性恢复码（只显示这一次；留痕）", Request: confirmRequest{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: recoveryCodes{}, Description: "已启用；此后登录须输入验证码"},
				{Status: http.StatusUnprocessableEntity, Description: "`auth.bad_setup_code`：验证码不正确"},
				{Status: http.StatusConflict, Description: "`auth.second_factor_enabled`：已启用\n`auth.second_factor_not_started`：请先开始绑定"},
			}},
		{Method: http.MethodPost, Path: "/api/v1/admin/staff/{staffId}/reset-second-factor", OperationID: "adminResetStaffSecondFactor", Tag: tag, Auth: true,
			Summary: "重置动态验证码（手机丢失）：密钥和恢复码作废，全部会话失效，持有人下次登录后重新绑定（留痕）", PathParams: id,
			Responses: []docs.Response{{Status: http.StatusOK, Body: staffAccount{}, Description: "重置后的账号"},
				{Status: http.StatusForbidden, Description: "`auth.forbidden`：只有管理员可以重置"},
				{Status: http.StatusNotFound, Description: "`staff.not_found`：账号不存在，或不在本人管辖范围内"},
				{Status: http.StatusConflict, Description: "`staff.self`：不能重置本人账号\n`staff.disabled`：账号已停用"}}},
	}
}
