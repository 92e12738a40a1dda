package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/docs/viewer"
)

// registerViewer mounts the API reference at /docs (embedded assets, strict CSP).
func registerViewer(r *httpx.Router) {
	serve := func(contentType string, body []byte) gin.HandlerFunc {
		return func(c *gin.Context) {
			h := c.Writer.Header()
			h.Set("Content-Security-Policy", viewer.CSP)
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "no-referrer")
			c.Data(http.StatusOK, contentType, body)
		}
	}
	r.GET("/docs", static, serve("text/html; charset=utf-8", viewer.Index))
	r.GET("/docs/viewer.js", static, serve("text/javascript; charset=utf-8", viewer.Script))
	r.GET("/docs/viewer.css", static, serve("text/css; charset=utf-8", viewer.Style))
}

// viewerDocs describes registerViewer's routes.
func viewerDocs() []docs.Route {
	page := func(path, id, summary string) docs.Route {
		return docs.Route{Method: http.MethodGet, Path: path, OperationID: id, Tag: "ops", Summary: summary,
			Responses: []docs.Response{{Status: http.StatusOK, Description: "静态资源（内嵌于程序，不依赖外部网站）"}}}
	}
	return []docs.Route{
		page("/docs", "apiReference", "可浏览的接口文档（HTML 页面，由 /openapi.json 生成：按分组列出接口、参数、请求和响应结构、错误码）"),
		page("/docs/viewer.js", "apiReferenceScript", "接口文档页面的脚本"),
		page("/docs/viewer.css", "apiReferenceStyle", "接口文档页面的样式"),
	}
}
