package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/service/ratelimit"
	"palmaid/service/residents"
)

// registerIdentity mounts the desk verification (docs/SECURITY.md, "Identity assurance"): a
// town or village officer who saw a resident's 身份证 in person assures the identity of the
// account whose one-time code the resident shows (POST /mp/v1/me/identity/desk-code).
func (h *Handler) registerIdentity(g *httpx.Router) {
	// Per officer: a code is 8 digits, so guessing codes is limited here and audited.
	g.POST("/identity/desk-verifications", httpx.OfficerClass("deskverify:staff", ratelimit.PerMinute(10)), h.deskVerify)
}

// deskVerifyRequest: the code the resident shows, the name and the number read from the
// 身份证 in hand.
type deskVerifyRequest struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	IDNumber string `json:"idNumber"`
}

// deskVerifyResponse: the verified identity (masked) and how many applications made for this
// person are now visible to them.
type deskVerifyResponse struct {
	Assurance      string `json:"assurance"`
	NameMasked     string `json:"nameMasked"`
	IDNumberMasked string `json:"idNumberMasked"`
	LinkedCases    int    `json:"linkedCases"`
}

func (h *Handler) deskVerify(c *gin.Context) {
	var req deskVerifyRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	res, err := h.app.Residents.DeskVerify(c.Request.Context(), staff(c), residents.DeskInput{Code: req.Code, Name: req.Name, IDNumber: req.IDNumber})
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, deskVerifyResponse{Assurance: "desk_verified", NameMasked: res.NameMasked, IDNumberMasked: res.IDMasked, LinkedCases: res.LinkedCases})
}

func identityDocs() []docs.Route {
	return []docs.Route{{Method: http.MethodPost, Path: "/api/v1/identity/desk-verifications", OperationID: "staffDeskVerify", Tag: "staff", Auth: true,
		Summary: "现场核验身份（desk_verified）：村（社区）协理员或乡镇（街道）经办人当面核对居民身份证，输入居民小程序出示的核验码及身份证上的姓名、号码；" +
			"核验后该微信账号方可作为被申请人查看、接手、导出为其代办的申请，确认授权和提出公示异议（记入审计日志，并在每件关联的申请上留痕）",
		Request: deskVerifyRequest{},
		Responses: []docs.Response{
			{Status: http.StatusOK, Body: deskVerifyResponse{}, Description: "已核验；linkedCases 为此后该居民可作为被申请人看到的申请件数"},
			{Status: http.StatusBadRequest, Description: "`identity.invalid_name`：姓名不符合要求\n`identity.invalid_id_number`：身份证号不正确"},
			{Status: http.StatusForbidden, Description: "`identity.desk_forbidden`：本岗位不能办理身份核验"},
			{Status: http.StatusNotFound, Description: "`identity.desk_code_not_found`：核验码不存在或已过期"},
			{Status: http.StatusConflict, Description: "`identity.desk_mismatch`：身份证与该账号登记的姓名或号码不一致\n`identity.already_bound`：该号码已由另一个已核验的账号持有（记入审计，请核查）\n`identity.locked`：该账号已以另一身份提交过申请"},
			{Status: http.StatusTooManyRequests, Description: "`request.rate_limited`：核验过于频繁（每分钟10次，带 Retry-After）"},
		}}}
}
