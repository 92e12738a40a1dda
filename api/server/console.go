package server

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/console"
	"palmaid/docs"
	"palmaid/model"
)

// consoleAsset is one embedded file of the console, gzipped once at start.
type consoleAsset struct {
	contentType string
	plain, gz   []byte
}

// registerConsole mounts the staff console at /console: index.html (never cached) and the
// content-hashed assets (cached for a year), gzipped when the browser accepts it, all under a
// strict CSP.
func registerConsole(r *httpx.Router) {
	assets := map[string]consoleAsset{}
	_ = fs.WalkDir(console.Dist(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(console.Dist(), p)
		if err != nil {
			return err
		}
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = "application/octet-stream"
		}
		var z bytes.Buffer
		w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
		_, _ = w.Write(b)
		_ = w.Close()
		assets[p] = consoleAsset{contentType: ct, plain: b, gz: z.Bytes()}
		return nil
	})
	serve := func(c *gin.Context, name string, immutable bool) {
		a, ok := assets[name]
		if !ok {
			httpx.Fail(c, model.ErrRouteNotFound) // the Error envelope, as every 404 of the document
			return
		}
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", console.CSP)
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Vary", "Accept-Encoding")
		if immutable {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		body := a.plain
		if strings.Contains(c.GetHeader("Accept-Encoding"), "gzip") && len(a.gz) < len(a.plain) {
			h.Set("Content-Encoding", "gzip")
			body = a.gz
		}
		c.Data(http.StatusOK, a.contentType, body)
	}
	r.GET("/console", static, func(c *gin.Context) { serve(c, "index.html", false) })
	r.GET("/console/assets/*file", static, func(c *gin.Context) {
		serve(c, "assets/"+strings.TrimPrefix(c.Param("file"), "/"), true)
	})
}

// consoleDocs describes registerConsole's routes.
func consoleDocs() []docs.Route {
	return []docs.Route{
		{Method: http.MethodGet, Path: "/console", OperationID: "staffConsole", Tag: "ops",
			Summary:   "工作人员工作台（网页，内嵌于程序；登录见 /api/v1/auth/console-login）",
			Responses: []docs.Response{{Status: http.StatusOK, Description: "工作台页面（HTML，严格的内容安全策略）"}}},
		{Method: http.MethodGet, Path: "/console/assets/{file}", OperationID: "staffConsoleAsset", Tag: "ops",
			Summary:    "工作台的脚本、样式和字体（文件名含内容摘要，可长期缓存）",
			PathParams: []docs.Param{{Name: "file", Required: true, Description: "资源文件名"}},
			Responses: []docs.Response{{Status: http.StatusOK, Description: "静态资源"},
				{Status: http.StatusNotFound, Description: "没有这个文件"}}},
	}
}
