package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/service/checklist"
)

// registerChecklist mounts the administrators' checklist-rule routes (region overrides).
func (h *Handler) registerChecklist(g *httpx.Router) {
	g.GET("/admin/checklist-rules/:areaCode", staffRead(), h.getChecklistRules)
	g.PUT("/admin/checklist-rules/:areaCode", staffAdmin(), h.setChecklistRules)
}

// checklistRulesLoad is the body of PUT /admin/checklist-rules/{areaCode}: every override of the
// area (the list replaces the area's rows; empty: the area inherits again).
type checklistRulesLoad struct {
	Rules []checklist.RuleInput `json:"rules"`
}

type checklistRule struct {
	AreaCode          string   `json:"areaCode"` // where the row is set: "" national, else the region
	Code              string   `json:"code"`
	Name              string   `json:"name"`
	Note              string   `json:"note"`
	AppliesWhen       []string `json:"appliesWhen"`
	Scope             string   `json:"scope"`
	SharedSource      string   `json:"sharedSource"`
	CommitmentAllowed bool     `json:"commitmentAllowed"`
	Disabled          bool     `json:"disabled"`
	Aliases           []string `json:"aliases"`
	SortOrder         int      `json:"sortOrder"`
	EffectiveFrom     string   `json:"effectiveFrom"`
	EffectiveTo       string   `json:"effectiveTo"`
}

type conditionKind struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
}

type checklistRules struct {
	AreaCode       string          `json:"areaCode"`
	AreaName       string          `json:"areaName"`
	Date           string          `json:"date"`           // inForce is what applies on this date
	Overrides      []checklistRule `json:"overrides"`      // the rows set at this area, by code and date
	InForce        []checklistRule `json:"inForce"`        // the resolved rules in this area today, in list order
	ConditionKinds []conditionKind `json:"conditionKinds"` // the kinds appliesWhen may use ("kind" or "kind:arg")
}

func split(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

func toChecklistRules(r *checklist.AreaRules) checklistRules {
	view := func(rows []checklist.Rule) []checklistRule {
		out := make([]checklistRule, len(rows))
		for i, x := range rows {
			out[i] = checklistRule{AreaCode: x.AreaCode, Code: x.Code, Name: x.Name, Note: x.Note, AppliesWhen: split(x.AppliesWhen),
				Scope: x.Scope, SharedSource: x.SharedSource, CommitmentAllowed: x.CommitmentAllowed, Disabled: x.Disabled,
				Aliases: split(x.Aliases), SortOrder: x.SortOrder, EffectiveFrom: x.EffectiveFrom, EffectiveTo: x.EffectiveTo}
		}
		return out
	}
	out := checklistRules{AreaCode: r.AreaCode, AreaName: r.AreaName, Date: r.Date, Overrides: view(r.Overrides), InForce: view(r.InForce)}
	for _, k := range checklist.ConditionKinds() {
		out.ConditionKinds = append(out.ConditionKinds, conditionKind{Kind: string(k), Label: checklist.ConditionLabel(k)})
	}
	return out
}

func (h *Handler) getChecklistRules(c *gin.Context) {
	r, err := h.app.Checklist.AreaRules(c.Request.Context(), staff(c), c.Param("areaCode"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toChecklistRules(r))
}

func (h *Handler) setChecklistRules(c *gin.Context) {
	var req checklistRulesLoad
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	r, err := h.app.Checklist.SetAreaRules(c.Request.Context(), staff(c), c.Param("areaCode"), req.Rules)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toChecklistRules(r))
}

// checklistDocs describes registerChecklist's routes for the OpenAPI document.
func checklistDocs() []docs.Route {
	const tag = "staff"
	area := []docs.Param{{Name: "areaCode", Description: "12位区划代码（省、市、县、乡镇或村），须在本人管辖范围内"}}
	forbidden := docs.Response{Status: http.StatusForbidden, Description: "`auth.forbidden`：只有管理员（region.admin 权限）可以查看和设置材料规则"}
	notFound := docs.Response{Status: http.StatusNotFound, Description: "`checklist.area_not_found`：区划不存在，或不在本人管辖范围内"}
	return []docs.Route{
		{Method: http.MethodGet, Path: "/api/v1/admin/checklist-rules/{areaCode}", OperationID: "adminGetChecklistRules", Tag: tag, Auth: true,
			Summary: "查看某区划的材料规则：本区划设置的覆盖规则，以及今天在本区划执行的全部规则（全国默认和上级覆盖逐项合并后）", PathParams: area,
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: checklistRules{}, Description: "覆盖规则和执行中的规则；inForce 每项的 areaCode 为其来源（空为全国默认）"},
				forbidden, notFound,
			}},
		{Method: http.MethodPut, Path: "/api/v1/admin/checklist-rules/{areaCode}", OperationID: "adminSetChecklistRules", Tag: tag, Auth: true,
			Summary: "设置某区划的材料规则（整体替换本区划的覆盖规则，留痕）：同一 code 的规则替换全国默认或上级规则，可开关数据共享（sharedSource）、告知承诺（commitmentAllowed）或停用（disabled），" +
				"并按 effectiveFrom/effectiveTo 生效；下级区划继承", PathParams: area, Request: checklistRulesLoad{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: checklistRules{}, Description: "设置后的规则"},
				{Status: http.StatusBadRequest, Description: "`checklist.invalid_rules`：code、名称、说明、范围（scope）、别名、排序或日期不正确，或同一 code 同一生效日期重复（fields 逐项指明，如 rules[0].scope）"},
				{Status: http.StatusUnprocessableEntity, Description: "`checklist.unknown_condition`：适用条件（appliesWhen）不是规定的种类或参数不对（fields 指明哪一条和哪个条件）"},
				forbidden, notFound,
			}},
	}
}
