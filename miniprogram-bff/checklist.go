package bff

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/model"
	"palmaid/service/checklist"
	"palmaid/service/ratelimit"
)

// registerChecklist mounts the public (no login) document-list preview and policy guide,
// limited per IP like the self-check.
func (h *Handler) registerChecklist(g *httpx.Router) {
	g.POST("/checklist/preview", httpx.IPClass("checklist:mp", ratelimit.PerMinute(30)), h.checklistPreview)
	g.GET("/policy", httpx.IPClass("policy:mp", ratelimit.PerMinute(60)), h.policyGuide)
}

// checklistPreviewRequest is the household as the preview form asks it (nothing stored).
type checklistPreviewRequest struct {
	VillageCode string                  `json:"villageCode"` // 12-digit 村（社区） code
	Categories  []model.Category        `json:"categories"`  // requested categories
	ByAgent     bool                    `json:"byAgent"`     // applying for someone else (代办)
	Members     []checklist.MemberInput `json:"members"`     // household members, the applicant or beneficiary first
	Emergency   string                  `json:"emergency"`   // accident | serious_illness | disaster | ""
	Supporters  int                     `json:"supporters"`  // legal supporters living elsewhere (特困)
}

const previewNotice = "这是按您填写的情况列出的材料清单，提交申请后以乡镇（街道）一次性告知为准。标为“无需提供”的由政府部门通过数据共享获取；标为可签署告知承诺书的，可用书面承诺代替。"

type checklistPreview struct {
	AreaName string           `json:"areaName"`
	Date     string           `json:"date"`
	Notice   string           `json:"notice"`
	Items    []checklist.Item `json:"items"` // household items first, then per-member items; the same input always gives the same list
}

func (h *Handler) checklistPreview(c *gin.Context) {
	var req checklistPreviewRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	in := checklist.Input{Categories: req.Categories, ByAgent: req.ByAgent, Members: req.Members, Emergency: req.Emergency, Supporters: req.Supporters}
	p, err := h.app.Checklist.Preview(c.Request.Context(), req.VillageCode, in)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := checklistPreview{AreaName: p.AreaName, Date: p.Date, Notice: previewNotice, Items: p.Items}
	if out.Items == nil {
		out.Items = []checklist.Item{}
	}
	c.Header("Cache-Control", "no-store")
	httpx.OK(c, http.StatusOK, out)
}

type policyGuide struct {
	AreaName   string                    `json:"areaName"`
	Date       string                    `json:"date"` // the settings in force on this date
	Categories []checklist.GuideCategory `json:"categories"`
	Figures    checklist.GuideFigures    `json:"figures"`
	Clocks     checklist.GuideClocks     `json:"clocks"`
	Notice     string                    `json:"notice"`
}

const guideNotice = "以上为本地区现行政策和标准的简要说明，是否符合条件以入户调查、家庭经济状况核对和审核确认为准。所需材料可先查看材料清单。"

func (h *Handler) policyGuide(c *gin.Context) {
	g, err := h.app.Checklist.Guide(c.Request.Context(), c.Query("village"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, policyGuide{AreaName: g.AreaName, Date: g.Date, Categories: g.Categories, Figures: g.Figures,
		Clocks: g.Clocks, Notice: guideNotice})
}

// checklistDocs describes registerChecklist's routes.
func checklistDocs(tag string) []docs.Route {
	return []docs.Route{
		{Method: http.MethodPost, Path: "/mp/v1/checklist/preview", OperationID: "mpChecklistPreview", Tag: tag,
			Summary: "申请前查看材料清单（无需登录，不保存）：按所选类别和家庭情况，列出需要提供的材料、原因，以及哪些通过数据共享无需提供、哪些可签署告知承诺书代替。" +
				"成员 relation 同申请；disabilityKind 为 physical、visual、hearing、speech、intellectual、mental、multiple 或空，disabilityGrade 1至4（无残疾为0）；health 为 healthy、chronic、serious 或空",
			Request: checklistPreviewRequest{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: checklistPreview{}, Description: "材料清单：provide 为 required（需提供）、shared（无需提供，source 为数据来源部门）或 commitment_allowed（可签署告知承诺书代替）；member 为成员序号（从0起），-1 为全户"},
				{Status: http.StatusBadRequest, Description: "`area.not_village`：不是村（社区）代码\n`request.unknown_field`：含无法识别的字段"},
				{Status: http.StatusUnprocessableEntity, Description: "`checklist.invalid_input`：填写有误（fields 指明哪一项，如 members[1].health）\n`area.unknown`：不在本系统服务范围内"},
				{Status: http.StatusTooManyRequests, Description: "`request.rate_limited`：查询过于频繁（带 Retry-After）"},
			}},
		{Method: http.MethodGet, Path: "/mp/v1/policy", OperationID: "mpPolicyGuide", Tag: tag,
			Summary: "政策指南（无需登录）：五类救助的条件（通俗说明）和本村（社区）所在地区今天执行的标准、时限",
			Query:   []docs.Param{{Name: "village", Description: "12位村（社区）代码（可用 /mp/v1/villages 查找）", Required: true}},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: policyGuide{}, Description: "政策指南；金额单位为分"},
				{Status: http.StatusBadRequest, Description: "`area.not_village`：不是村（社区）代码"},
				{Status: http.StatusUnprocessableEntity, Description: "`area.unknown`：不在本系统服务范围内"},
				{Status: http.StatusTooManyRequests, Description: "`request.rate_limited`：查询过于频繁（带 Retry-After）"},
			}},
	}
}
