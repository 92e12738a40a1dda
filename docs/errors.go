package docs

import (
	"net/http"
	"strings"
)

// commonError is an error every route of some kind can return, whatever its handler does.
type commonError struct {
	status  int
	code    string // "" for a status without one fixed code
	text    string
	applies func(Route) bool
}

func hasBody(r Route) bool      { return r.Request != nil }
func hasForm(r Route) bool      { return r.Form != nil }
func needsAuth(r Route) bool    { return r.Auth }
func hasPathParam(r Route) bool { return strings.Contains(r.Path, "{") }
func always(Route) bool         { return true }
func isDev(r Route) bool        { return strings.HasPrefix(r.Path, "/dev/") }

// isStaff: a staff route that needs a login; roles, areas, the initial-password and the
// second-factor gates all answer 403 on it.
func isStaff(r Route) bool { return r.Auth && strings.HasPrefix(r.Path, "/api/") }

// changes: a state-changing request (not a read).
func changes(r Route) bool { return r.Method != http.MethodGet && r.Method != http.MethodHead }

// changesResource: a state-changing request on a resource named in the path (a case, a
// document …), which its current state or another writer may refuse (409), and a resident
// who is not its applicant may not touch (403).
func changesResource(r Route) bool { return changes(r) && hasPathParam(r) }

// carriesInput: a state-changing request with input the business rules check (422).
func carriesInput(r Route) bool {
	return changes(r) && (hasBody(r) || hasForm(r) || hasPathParam(r))
}

func residentChange(r Route) bool {
	return r.Auth && strings.HasPrefix(r.Path, "/mp/") && changesResource(r)
}

// hasNumericID: a numeric row id in the path (model.ParseID; a year is checked by its route).
func hasNumericID(r Route) bool {
	for _, p := range r.PathParams {
		if p.Type == "integer" && p.Name != "year" {
			return true
		}
	}
	return false
}

func isPaged(r Route) bool {
	for _, q := range r.Query {
		if q.Name == "cursor" || q.Name == "limit" {
			return true
		}
	}
	return false
}

func commonErrors() []commonError {
	return []commonError{
		{http.StatusBadRequest, "request.content_type", "Content-Type 不是 application/json", hasBody},
		{http.StatusBadRequest, "request.invalid_json", "请求体为空、不是单个合法的 JSON 值，或字段类型不对", hasBody},
		{http.StatusBadRequest, "request.unknown_field", "请求体含有接口未定义的字段", hasBody},
		{http.StatusBadRequest, "request.content_type", "Content-Type 不是 multipart/form-data", hasForm},
		{http.StatusBadRequest, "request.invalid_id", "路径中的编号不是 1 至 2^63−1 之间的十进制整数", hasNumericID},
		{http.StatusBadRequest, "request.invalid_page", "limit 不是正整数，或 cursor 无效（fields 指明哪一个）", isPaged},
		{http.StatusUnauthorized, "auth.required", "未携带令牌，或令牌无效、已过期、已退出", needsAuth},
		{http.StatusNotFound, "", "资源不存在，或不属于当前用户（两种情况答复相同）", hasPathParam},
		{http.StatusNotFound, "route.not_found", "未开启微信模拟器（生产模式）时没有这些调试地址", isDev},
		{http.StatusForbidden, "", "岗位或辖区无权进行此操作，或尚未修改初始密码、尚未绑定本岗位要求的动态验证码（`code` 说明是哪一种）", isStaff},
		{http.StatusForbidden, "", "只有申请人本人（或被申请救助的本人）可以进行此操作", residentChange},
		{http.StatusConflict, "", "该对象当前的状态不允许此操作，或已被他人更新（如 `case.illegal_transition`、`case.version_conflict`）", changesResource},
		{http.StatusUnprocessableEntity, "", "格式正确，但不符合业务规则（`code` 与 `message` 说明是哪一条）", carriesInput},
		{http.StatusRequestEntityTooLarge, "request.too_large", "请求体超过大小上限", hasBody},
		{http.StatusInternalServerError, "internal", "系统内部错误（原因只记入日志）", always},
		{http.StatusServiceUnavailable, "service.unavailable", "会话存储或数据库暂不可用，请稍后重试", needsAuth},
	}
}

// errorLines merges the route's own error descriptions (by status) with the common errors
// that apply to it, one markdown list line per code.
func errorLines(r Route, own map[int]string) map[int][]string {
	out := map[int][]string{}
	for status, desc := range own {
		for _, line := range strings.Split(desc, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				out[status] = append(out[status], listItem(line))
			}
		}
		if out[status] == nil {
			out[status] = []string{}
		}
	}
	for _, c := range commonErrors() {
		if !c.applies(r) {
			continue
		}
		if c.code == "" {
			if _, ok := out[c.status]; !ok {
				out[c.status] = []string{listItem(c.text)}
			}
			continue
		}
		if !strings.Contains(own[c.status], "`"+c.code+"`") {
			out[c.status] = append(out[c.status], listItem("`"+c.code+"`："+c.text))
		}
	}
	return out
}

func listItem(line string) string {
	if strings.HasPrefix(line, "- ") {
		return line
	}
	return "- " + line
}

func errorTitle(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "请求无效。"
	case http.StatusUnauthorized:
		return "未登录或登录已失效。"
	case http.StatusForbidden:
		return "无权进行此操作。"
	case http.StatusNotFound:
		return "不存在。"
	case http.StatusConflict:
		return "与当前状态冲突。"
	case http.StatusRequestEntityTooLarge:
		return "请求体过大。"
	case http.StatusUnsupportedMediaType:
		return "不支持的文件类型。"
	case http.StatusUnprocessableEntity:
		return "格式正确，但不符合业务规则。"
	case http.StatusTooManyRequests:
		return "请求过于频繁。"
	case http.StatusInternalServerError:
		return "系统内部错误。"
	case http.StatusServiceUnavailable:
		return "服务暂不可用。"
	}
	return http.StatusText(status) + "。"
}
