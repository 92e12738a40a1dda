package bff

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/model"
)

type loginRequest struct {
	Code string `json:"code" docs:"required"`
}

type loginResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
	Profile   profile   `json:"profile"`
}

// profile is the resident's own profile; identity fields only masked.
type profile struct {
	HasIdentity bool `json:"hasIdentity"`
	// IdentityVerified: the identity is assured (a real-name source or a desk verification).
	IdentityVerified bool `json:"identityVerified"`
	// IdentityLevel: verified (WeChat real-name or face), desk_verified (an officer saw the
	// 身份证), unverified (typed only: may apply for oneself, nothing else), "" (none).
	IdentityLevel  string `json:"identityLevel" enums:"verified,desk_verified,unverified,"`
	RealName       string `json:"realName,omitempty"`
	IDNumberMasked string `json:"idNumberMasked,omitempty"`
	PhoneMasked    string `json:"phoneMasked,omitempty"`
}

func toProfile(r *model.Resident) profile {
	return profile{HasIdentity: r.HasIdentity(), IdentityVerified: r.IdentityVerified(), IdentityLevel: r.Assurance(), RealName: model.MaskName(r.RealName), IDNumberMasked: r.IDMasked, PhoneMasked: r.PhoneMasked}
}

func (h *Handler) login(c *gin.Context) {
	var req loginRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	if req.Code == "" {
		httpx.Fail(c, model.Invalid("auth.code_required", "缺少登录凭证").WithField("code", "必填"))
		return
	}
	res, err := h.app.Auth.LoginResident(c.Request.Context(), req.Code)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, loginResponse{Token: res.Token, ExpiresAt: res.ExpiresAt.In(model.China()), Profile: toProfile(res.Resident)})
}

func (h *Handler) logout(c *gin.Context) {
	if err := h.app.Auth.Logout(c.Request.Context(), httpx.BearerToken(c)); err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h *Handler) me(c *gin.Context) {
	r, err := h.app.Residents.Get(c.Request.Context(), residentID(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toProfile(r))
}

type identityRequest struct {
	Name     string `json:"name"`
	IDNumber string `json:"idNumber"`
	// Proof is the one-time evidence of WeChat's real-name check (the city-service consent code
	// or the face verification result) for the real-name verifier.
	Proof string `json:"proof,omitempty"`
}

func (h *Handler) setIdentity(c *gin.Context) {
	var req identityRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	r, err := h.app.Residents.SetIdentity(c.Request.Context(), residentID(c), req.Name, req.IDNumber, req.Proof)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toProfile(r))
}

// deskCodeResponse is the code the resident shows the town or village officer.
type deskCodeResponse struct {
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expiresAt"`
	Note      string    `json:"note"`
}

// deskCodeNote tells the resident what the code is for.
const deskCodeNote = "请携带本人身份证到乡镇（街道）或村（社区）经办窗口，或在工作人员入户时出示此核验码；工作人员核对身份证后即完成身份核验。核验码30分钟内有效，请勿告诉他人。"

func (h *Handler) deskCode(c *gin.Context) {
	code, exp, err := h.app.Residents.DeskCode(c.Request.Context(), residentID(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusCreated, deskCodeResponse{Code: code, ExpiresAt: exp.In(model.China()), Note: deskCodeNote})
}

type phoneRequest struct {
	Code string `json:"code"`
}

func (h *Handler) bindPhone(c *gin.Context) {
	var req phoneRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	r, err := h.app.Residents.BindPhone(c.Request.Context(), residentID(c), req.Code)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toProfile(r))
}
