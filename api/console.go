package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/model"
	"palmaid/service/auth"
)

// Browser sessions of the staff console (/console). The console logs in with the same staff
// accounts as the bearer API, but its session token lives in an HttpOnly, SameSite=Strict
// cookie scoped to /api, never in script-readable storage. Every state-changing request that
// authenticates with the cookie must carry the session's CSRF token in X-CSRF-Token: the token
// is derived one-way from the session token, so the server keeps nothing more, a page of
// another site can neither read nor compute it, and it dies with the session. A request with an
// Authorization header is a bearer request and ignores the cookie entirely.
const (
	// ConsoleCookie is the name of the console's session cookie.
	ConsoleCookie = "palmaid_console"
	// CSRFHeader carries the CSRF token of a cookie session.
	CSRFHeader = "X-CSRF-Token"
)

// ErrCSRF answers a state-changing cookie request without the session's CSRF token.
var ErrCSRF = model.E(model.KindForbidden, "auth.csrf_invalid", "页面已过期或请求来源不明，请刷新页面后重试")

// csrfToken derives the CSRF token of a session token.
func csrfToken(session string) string {
	sum := sha256.Sum256([]byte("palmaid console csrf\x00" + session))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// sessionFromRequest returns the session token of the request: the bearer token, or else the
// console cookie (checked against its CSRF token when the method changes state).
func sessionFromRequest(c *gin.Context) (string, error) {
	if c.GetHeader("Authorization") != "" {
		return httpx.BearerToken(c), nil
	}
	ck, err := c.Cookie(ConsoleCookie)
	if err != nil || ck == "" {
		return "", nil
	}
	if !safeMethod(c.Request.Method) {
		got := c.GetHeader(CSRFHeader)
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(csrfToken(ck))) != 1 {
			return "", ErrCSRF
		}
	}
	return ck, nil
}

const ctxToken = "palmaid.staff_token"

// sessionToken is the token requireStaff authenticated the request with.
func sessionToken(c *gin.Context) string { return c.GetString(ctxToken) }

func (h *Handler) setConsoleCookie(c *gin.Context, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: ConsoleCookie, Value: value, Path: "/api", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: h.app.SecureCookies || c.Request.TLS != nil})
}

type consoleSession struct {
	// CSRFToken goes in the X-CSRF-Token header of every POST, PUT, PATCH and DELETE.
	CSRFToken string `json:"csrfToken"`
	// IdleTimeoutSeconds: the session ends after this long without a request.
	IdleTimeoutSeconds int       `json:"idleTimeoutSeconds"`
	ExpiresAt          time.Time `json:"expiresAt,omitzero"` // the absolute end (login answer only)
	Staff              staffView `json:"staff"`
}

// consoleLogin: with a second factor, no cookie yet; the code goes to
// /auth/console-login/second-factor with the challenge.
func (h *Handler) consoleLogin(c *gin.Context) { h.staffLogin(c, h.answerConsoleLogin) }

// consoleLoginSecondFactor: the second step of a console login (TOTP or recovery code); the
// session cookie is set only here for an account with a second factor.
func (h *Handler) consoleLoginSecondFactor(c *gin.Context) {
	var req secondFactorLogin
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	res, err := h.app.Auth.LoginSecondFactor(c.Request.Context(), req.Challenge, req.Code)
	h.answerConsoleLogin(c, res, err)
}

func (h *Handler) answerConsoleLogin(c *gin.Context, res *auth.StaffLogin, err error) {
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	v, err := h.staffView(c, res.Staff)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	h.setConsoleCookie(c, res.Token, 0)
	httpx.OK(c, http.StatusOK, consoleSession{CSRFToken: csrfToken(res.Token), IdleTimeoutSeconds: int(h.app.Auth.StaffIdle() / time.Second),
		ExpiresAt: res.ExpiresAt.In(model.China()), Staff: v})
}

// consoleSessionInfo: a reloaded console page learns its CSRF token and account here.
func (h *Handler) consoleSessionInfo(c *gin.Context) {
	v, err := h.staffView(c, staff(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, consoleSession{CSRFToken: csrfToken(sessionToken(c)), IdleTimeoutSeconds: int(h.app.Auth.StaffIdle() / time.Second), Staff: v})
}

// consolePassword is the console's password change (the first login of a new or reset account,
// and the self-service change): like POST /me/password every session of the account ends, and
// the console's is replaced by a fresh cookie session — the new token never reaches the script.
func (h *Handler) consolePassword(c *gin.Context) {
	var req passwordChange
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	if len(req.OldPassword) > 128 || len(req.NewPassword) > 512 {
		httpx.Fail(c, errCredentialsRequired.WithMessage("密码过长"))
		return
	}
	res, err := h.app.Auth.ChangePassword(c.Request.Context(), staff(c), req.OldPassword, req.NewPassword)
	h.answerConsoleLogin(c, res, err)
}

// consoleLogout ends the session and clears the cookie.
func (h *Handler) consoleLogout(c *gin.Context) {
	if err := h.app.Auth.Logout(c.Request.Context(), sessionToken(c)); err != nil {
		httpx.Fail(c, err)
		return
	}
	h.setConsoleCookie(c, "", -1)
	c.Status(http.StatusNoContent)
}
