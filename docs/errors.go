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
