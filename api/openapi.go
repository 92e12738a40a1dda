package api

import (
	"net/http"

	"palmaid/docs"
	"palmaid/model"
)

// Docs describes the routes Register mounts, for the OpenAPI document (docs.Build). A test
// in api/server checks that the two agree.
func Docs() []docs.Route {
	const tag = "staff"
	detailOK := docs.Response{Status: http.StatusOK, Body: caseDetail{}, Description: "办理后的申请详情（version 已加 1）"}
	notFound := docs.Response{Status: http.StatusNotFound, Description: "`case.not_found`：申请不存在，或不在本人辖区"}
	forbidden := docs.Response{Status: http.StatusForbidden, Description: "`case.role_forbidden`：只有乡镇（街道）经办人可以受理或退回"}
	conflict := docs.Response{Status: http.StatusConflict, Description: "`case.version_conflict`：version 已过期，该申请已被他人更新，请刷新后重试\n" +
		"`case.illegal_transition`：申请当前状态不能进行此操作"}
	return []docs.Route{
		{Method: http.MethodPost, Path: "/api/v1/auth/login", OperationID: "staffLogin", Tag: tag,
			Summary: "工作人员登录（用户名、密码）", Request: loginRequest{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: loginResponse{}, Description: "登录成功"},
				{Status: http.StatusBadRequest, Description: "`auth.credentials_required`：用户名或密码为空或过长"},
				{Status: http.StatusUnauthorized, Description: "`auth.bad_credentials`：用户名或密码不正确"},
				{Status: http.StatusTooManyRequests, Description: "`auth.locked`：密码连续错误，账号锁定 15 分钟\n`request.rate_limited`：本机地址登录过于频繁（带 Retry-After）"},
				{Status: http.StatusServiceUnavailable, Description: "`service.unavailable`：会话存储暂不可用"},
			}},
		{Method: http.MethodPost, Path: "/api/v1/auth/logout", OperationID: "staffLogout", Tag: tag, Auth: true,
			Summary:   "退出登录：令牌立即失效",
			Responses: []docs.Response{{Status: http.StatusNoContent, Description: "已退出"}}},
		{Method: http.MethodGet, Path: "/api/v1/me", OperationID: "staffGetMe", Tag: tag, Auth: true,
			Summary:   "当前工作人员",
			Responses: []docs.Response{{Status: http.StatusOK, Body: staffView{}, Description: "账号、角色和所辖区划"}}},
		{Method: http.MethodGet, Path: "/api/v1/cases", OperationID: "staffListCases", Tag: tag, Auth: true,
			Summary: "待办队列：本人辖区内的申请，新的在前（每次查询留痕）",
			Query: []docs.Param{
				{Name: "status", Description: "按办理状态筛选", Enum: statuses()},
				{Name: "category", Description: "按救助类别筛选（五合一的任一类别）", Enum: categories()},
				{Name: "cursor", Description: "翻页游标：上一页响应的 nextCursor；首页不传"},
				{Name: "limit", Type: "integer", Description: "每页条数，默认 20，最多 100"},
			},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: queue{}, Description: "一页申请（申请人姓名脱敏）；nextCursor 为空表示没有更多"},
				{Status: http.StatusBadRequest, Description: "`case.invalid_filter`：未知的 status 或 category"},
			}},
		{Method: http.MethodGet, Path: "/api/v1/cases/{id}", OperationID: "staffGetCase", Tag: tag, Auth: true,
			Summary: "申请详情（身份证号脱敏；每次查看留痕）",
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: caseDetail{}, Description: "申请详情，含家庭成员、办理记录、材料清单和法定时限"},
				notFound,
			}},
		{Method: http.MethodPost, Path: "/api/v1/cases/{id}/accept", OperationID: "staffAcceptCase", Tag: tag, Auth: true,
			Summary: "受理申请：开始计算入户调查的工作日时限", Request: acceptRequest{},
			Responses: []docs.Response{detailOK, notFound, forbidden, conflict,
				{Status: http.StatusBadRequest, Description: "`case.version_required`：缺少 version\n`case.opinion_too_long`：意见超过 500 字"},
			}},
		{Method: http.MethodPost, Path: "/api/v1/cases/{id}/return", OperationID: "staffReturnCase", Tag: tag, Auth: true,
			Summary: "退回补正：一次性列明全部所缺材料", Request: returnRequest{},
			Responses: []docs.Response{detailOK, notFound, forbidden, conflict,
				{Status: http.StatusBadRequest, Description: "`case.version_required`：缺少 version\n`case.opinion_too_long`：意见超过 500 字\n" +
					"`case.invalid_missing_items`：超过 30 项，或某项名称为空、过长、重复，说明超过 200 字（fields 指明哪一项）"},
				{Status: http.StatusUnprocessableEntity, Description: "`case.missing_items_required`：未列出所缺材料"},
			}},
	}
}

func statuses() []string {
	all := []model.Status{model.StatusSubmitted, model.StatusReturned, model.StatusAccepted, model.StatusInvestigating,
		model.StatusPublicNotice, model.StatusReviewing, model.StatusDecided, model.StatusWithdrawn}
	out := make([]string, len(all))
	for i, s := range all {
		out[i] = string(s)
	}
	return out
}

func categories() []string {
	out := make([]string, len(model.AllCategories))
	for i, c := range model.AllCategories {
		out[i] = string(c)
	}
	return out
}
