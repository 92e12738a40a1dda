package api

import (
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/model"
	"palmaid/service/policyadmin"
)

// registerPolicy mounts the administrators' regional-policy routes.
func (h *Handler) registerPolicy(g *httpx.Router) {
	g.GET("/admin/policy/:areaCode", staffRead(), h.getPolicy)
	g.PUT("/admin/policy/:areaCode", staffAdmin(), h.setPolicy)
}

// policyChange is the body of PUT /admin/policy/{areaCode}.
type policyChange struct {
	// EffectiveFrom: the values apply from this date (YYYY-MM-DD), tomorrow at the earliest.
	EffectiveFrom string `json:"effectiveFrom"`
	// Values: setting key → typed value (numbers for integers, fen and ratios, true/false,
	// strings for enums, [{"ceilPermille","amountPermille"}] for tiers, [1,2,3] for months);
	// null removes the area's own value from that date. The keys and ranges: docs/POLICY.md.
	Values map[string]json.RawMessage `json:"values"`
}

// policySource says where a value in force comes from.
type policySource struct {
	AreaCode      string `json:"areaCode"`      // "" for the national default
	AreaName      string `json:"areaName"`      // "全国默认" for the national default
	Level         string `json:"level"`         // national | province | city | county | town | village
	LevelLabel    string `json:"levelLabel"`    // 全国, 省, 市, 县（区）…
	EffectiveFrom string `json:"effectiveFrom"` // "" for the national default
}

type policyValue struct {
	Key     string       `json:"key"`
	Group   string       `json:"group"`
	Label   string       `json:"label"`
	Unit    string       `json:"unit"`
	Type    string       `json:"type"`  // integer | cents | ratio | boolean | enum | tiers | months
	Range   string       `json:"range"` // the allowed values, in words
	Value   any          `json:"value"`
	Default any          `json:"default"`
	Source  policySource `json:"source"`
}

type policyOverride struct {
	Key           string `json:"key"`
	Label         string `json:"label"`
	Value         any    `json:"value"`
	EffectiveFrom string `json:"effectiveFrom"`
}

type areaPolicy struct {
	AreaCode  string           `json:"areaCode"`
	AreaName  string           `json:"areaName"`
	Date      string           `json:"date"`      // values are those in force on this date
	PolicyRef string           `json:"policyRef"` // what a decision made here on date records
	Values    []policyValue    `json:"values"`    // every setting, in the order of docs/POLICY.md
	Overrides []policyOverride `json:"overrides"` // the rows set at this area (past, current, future), by key and date
}

var levelKeys = map[int]string{model.LevelProvince: "province", model.LevelCity: "city", model.LevelCounty: "county",
	model.LevelTown: "town", model.LevelVillage: "village"}

func toAreaPolicy(p *policyadmin.AreaPolicy) areaPolicy {
	out := areaPolicy{AreaCode: p.AreaCode, AreaName: p.AreaName, Date: p.Date, PolicyRef: p.Ref,
		Values: []policyValue{}, Overrides: []policyOverride{}}
	for _, v := range p.Values {
		src := policySource{AreaName: "全国默认", Level: "national", LevelLabel: "全国"}
		if v.AreaCode != "" {
			src = policySource{AreaCode: v.AreaCode, AreaName: v.AreaName, Level: levelKeys[v.Level], LevelLabel: model.LevelName(v.Level),
				EffectiveFrom: v.EffectiveFrom}
		}
		out.Values = append(out.Values, policyValue{Key: string(v.Spec.Key), Group: v.Spec.Group, Label: v.Spec.Label, Unit: v.Spec.Unit,
			Type: string(v.Spec.Type), Range: v.Spec.Range(), Value: policyadmin.Encode(v.Spec, v.Raw),
			Default: policyadmin.Encode(v.Spec, v.Spec.Default), Source: src})
	}
	for _, o := range p.Overrides {
		out.Overrides = append(out.Overrides, policyOverride{Key: string(o.Spec.Key), Label: o.Spec.Label,
			Value: policyadmin.Encode(o.Spec, o.Raw), EffectiveFrom: o.EffectiveFrom})
	}
	return out
}

func (h *Handler) getPolicy(c *gin.Context) {
	p, err := h.app.Policy.Get(c.Request.Context(), staff(c), c.Param("areaCode"), c.Query("date"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toAreaPolicy(p))
}

func (h *Handler) setPolicy(c *gin.Context) {
	var req policyChange
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	p, err := h.app.Policy.Set(c.Request.Context(), staff(c), c.Param("areaCode"),
		policyadmin.Change{EffectiveFrom: req.EffectiveFrom, Values: req.Values})
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toAreaPolicy(p))
}

// policyDocs describes registerPolicy's routes for the OpenAPI document.
func policyDocs() []docs.Route {
	const tag = "staff"
	area := []docs.Param{{Name: "areaCode", Description: "12位区划代码（省、市、县、乡镇或村），须在本人管辖范围内"}}
	forbidden := docs.Response{Status: http.StatusForbidden, Description: "`auth.forbidden`：只有管理员（region.admin 权限）可以查看和设置地区政策"}
	notFound := docs.Response{Status: http.StatusNotFound, Description: "`policy.area_not_found`：区划不存在，或不在本人管辖范围内"}
	return []docs.Route{
		{Method: http.MethodGet, Path: "/api/v1/admin/policy/{areaCode}", OperationID: "adminGetPolicy", Tag: tag, Auth: true,
			Summary:    "查看某区划某日执行的地区政策：每一项的取值、类型、范围和来源（全国默认，或设置它的省、市、县、乡镇及生效日期），以及本区划自己的设置（含将来生效的）",
			PathParams: area,
			Query:      []docs.Param{{Name: "date", Description: "YYYY-MM-DD，默认今天；可查看过去某日（已作出的决定所依据的政策）或将来某日"}},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: areaPolicy{}, Description: "该日执行的政策；policyRef 与该日在本区划作出的决定记录的 policyRef 相同"},
				{Status: http.StatusBadRequest, Description: "`policy.invalid_date`：日期格式不正确"},
				forbidden, notFound,
			}},
		{Method: http.MethodPut, Path: "/api/v1/admin/policy/{areaCode}", OperationID: "adminSetPolicy", Tag: tag, Auth: true,
			Summary: "设置某区划的地区政策（留痕）：values 的键为设置项（见 docs/POLICY.md），值按类型填写（数字、true/false、字符串、分档数组、月数数组；null 撤销本区划在该日期的设置），" +
				"自 effectiveFrom 起生效并由下级区划继承。生效日期最早为明天：已作出的决定按当时的政策保存，不能追溯修改",
			PathParams: area, Request: policyChange{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: areaPolicy{}, Description: "生效日当天本区划执行的政策"},
				{Status: http.StatusBadRequest, Description: "`policy.invalid_date`：生效日期格式不正确\n`policy.no_values`：没有设置项\n" +
					"`policy.unknown_setting`：无法识别的设置项（fields 指明 values.<key>）\n`policy.invalid_value`：取值类型不对（fields 指明）"},
				{Status: http.StatusUnprocessableEntity, Description: "`policy.out_of_range`：取值超出允许范围（fields 逐项指明 values.<key> 和范围）\n" +
					"`policy.effective_not_future`：生效日期不晚于今天\n`policy.beyond_horizon`：生效日期晚于今天加 PALMAID_POLICY_HORIZON（默认两年）\n`policy.tiers_required`：计算方式为分档，但生效日没有有效的分档"},
				forbidden, notFound,
			}},
	}
}
