package server

import (
	"net/http"
	"slices"
	"strings"

	"palmaid/api"
	"palmaid/docs"
	bff "palmaid/miniprogram-bff"
)

// health is what httpx.Health writes.
type health struct {
	Status string `json:"status"` // "ok"
}

// readiness is what httpx.Ready writes, with 200 or 503.
type readiness struct {
	Status string            `json:"status"` // "ready" or "unavailable"
	Checks map[string]string `json:"checks"` // check name → "ok" or "unavailable"
}

// Docs lists every route New mounts, for the OpenAPI document: health, the document itself,
// the developer routes of embedded mode, and both faces' tables. `go run ./docs/gen` writes
// docs/openapi.json from it; a test checks it against the router.
func Docs() []docs.Route {
	routes := []docs.Route{
		{Method: http.MethodGet, Path: "/healthz", OperationID: "health", Tag: "ops",
			Summary:   "存活探针",
			Responses: []docs.Response{{Status: http.StatusOK, Body: health{}, Description: "进程在服务：{\"status\":\"ok\"}"}}},
		{Method: http.MethodGet, Path: "/readyz", OperationID: "ready", Tag: "ops",
			Summary: "就绪探针：数据库、Redis 等依赖逐项检查（每项 2 秒超时）",
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: readiness{}, Description: "全部依赖可用（status=ready）"},
				{Status: http.StatusServiceUnavailable, Body: readiness{}, Description: "有依赖不可用（status=unavailable，checks 指明哪一项；原因只记日志）"},
			}},
		{Method: http.MethodGet, Path: "/openapi.json", OperationID: "openAPI", Tag: "ops",
			Summary:   "本接口文档（OpenAPI 3.0.3）",
			Responses: []docs.Response{{Status: http.StatusOK, Body: map[string]any{}, Description: "OpenAPI 文档"}}},
		{Method: http.MethodGet, Path: "/dev/v1/wechat/messages", OperationID: "devWeChatMessages", Tag: "dev",
			Summary:   "（仅嵌入模式）微信模拟器收到的订阅消息",
			Responses: []docs.Response{{Status: http.StatusOK, Body: simMessages{}, Description: "模拟器收到的全部消息，按发送顺序"}}},
		{Method: http.MethodPost, Path: "/dev/v1/notify/run", OperationID: "devRunNotify", Tag: "dev",
			Summary:   "（仅嵌入模式）立即运行一轮通知发送，不等下次轮询",
			Responses: []docs.Response{{Status: http.StatusOK, Body: notifyRun{}, Description: "本轮处理的待发通知条数（发送失败的按退避稍后重试）"}}},
		{Method: http.MethodPost, Path: "/dev/v1/data-check/answers", OperationID: "devSetDataCheckAnswer", Tag: "dev",
			Summary: "（仅嵌入模式）设定核对模拟器对某身份证号的回答", Request: dataCheckAnswer{},
			Responses: []docs.Response{{Status: http.StatusNoContent, Description: "已设定"},
				{Status: http.StatusBadRequest, Description: "`identity.invalid_id_number`：身份证号不正确"}}},
		{Method: http.MethodPost, Path: "/dev/v1/realname/answers", OperationID: "devSetRealNameAnswer", Tag: "dev",
			Summary: "（仅嵌入模式）设定实名核验模拟器对某身份证号的回答：verified、unchecked（如 desk_only：登记为未核验）、mismatch、no_record", Request: realNameAnswer{},
			Responses: []docs.Response{{Status: http.StatusNoContent, Description: "已设定"},
				{Status: http.StatusBadRequest, Description: "`identity.invalid_id_number`：身份证号不正确\n`dev.invalid_outcome`：outcome 不正确"},
				{Status: http.StatusNotFound, Description: "`dev.no_simulator`：未使用实名核验模拟器（PALMAID_REALNAME_VERIFIER 已设定）"}}},
		{Method: http.MethodPost, Path: "/dev/v1/clock/advance", OperationID: "devAdvanceClock", Tag: "dev",
			Summary: "（仅嵌入模式）把服务时钟向前拨动（演示7日公示等）", Request: clockAdvance{},
			Responses: []docs.Response{{Status: http.StatusOK, Body: clockNow{}, Description: "拨动后的时间"},
				{Status: http.StatusBadRequest, Description: "`dev.invalid_clock`：只能向前拨动0至400天"}}},
	}
	routes = append(routes, viewerDocs()...)
	routes = append(routes, consoleDocs()...)
	routes = append(routes, bff.Docs()...)
	return withRateLimits(append(routes, api.Docs()...))
}

// limitedPrefixes are the route groups whose every route has a limit class with a budget
// (httpx.Router; the server's own routes outside them have none, each with its reason):
// TestEveryRouteHasALimitClass checks this list against the router.
func limitedPrefixes() []string { return []string{"/mp/v1/", "/api/v1/", "/dev/v1/"} }

// withRateLimits documents the 429 of every route under limitedPrefixes that does not
// describe its own.
func withRateLimits(routes []docs.Route) []docs.Route {
	for i := range routes {
		r := &routes[i]
		if !slices.ContainsFunc(limitedPrefixes(), func(p string) bool { return strings.HasPrefix(r.Path, p) }) ||
			slices.ContainsFunc(r.Responses, func(x docs.Response) bool { return x.Status == http.StatusTooManyRequests }) {
			continue
		}
		r.Responses = append(slices.Clip(r.Responses), docs.Response{Status: http.StatusTooManyRequests,
			Description: "`request.rate_limited`：操作过于频繁，请稍后再试（带 Retry-After；每条接口的限额见 docs/SECURITY.md「Limits」）"})
	}
	return routes
}
