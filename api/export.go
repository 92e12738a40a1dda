package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/cases/worklist"
	"palmaid/service/ratelimit"
)

// Excel exports of a worklist with the columns of a county's ledger (台账): the same filters and
// order as GET /cases, every case of the list (at most worklist.ExportLimit), names masked as in
// the list, audited once (case.export).

// ledgerColumns: the 台账 columns, in order.
var ledgerColumns = []string{"序号", "受理编号", "申请人", "村（社区）", "申请类别", "急难型", "帮办代办", "近亲属备案",
	"办理状态", "当前时限", "到期日", "剩余工作日", "提交日期"}

func (h *Handler) registerExport(g *httpx.Router) {
	export := httpx.OfficerClass("export:staff", ratelimit.PerMinute(10))
	g.GET("/worklist-export", export, h.exportWorklist)
	g.GET("/stats-export", export, h.exportStats)
}

func (h *Handler) exportWorklist(c *gin.Context) {
	list := worklist.Worklist(c.Query("list"))
	f := worklist.QueueFilter{List: list, Status: model.Status(c.Query("status")), Category: model.Category(c.Query("category")),
		Village: c.Query("village")}
	var err error
	for name, dst := range map[string]**bool{"agent": &f.AgentCase, "closeRelative": &f.CloseRelative, "urgent": &f.Urgent} {
		if *dst, err = boolQuery(c, name); err != nil {
			httpx.Fail(c, err)
			return
		}
	}
	page, truncated, err := h.app.Worklist.Export(c.Request.Context(), staff(c), f)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	x := excelize.NewFile()
	defer x.Close()
	const sheet = "台账"
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		httpx.Fail(c, err)
		return
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	row := func(n int, vals []any) error {
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, vals)
	}
	head := make([]any, len(ledgerColumns))
	for i, col := range ledgerColumns {
		head[i] = col
	}
	if err := row(1, head); err != nil {
		httpx.Fail(c, err)
		return
	}
	yes := func(b bool) string {
		if b {
			return "是"
		}
		return ""
	}
	for i, cs := range page.Cases {
		var cats []string
		for _, cc := range cs.Categories {
			if cc.Requested {
				cats = append(cats, cc.Category.Label())
			}
		}
		left := ""
		if n, ok := page.DaysLeft[cs.ID]; ok {
			left = dueLabel(n, cs.NextDueOn != "" && cs.NextDueOn < page.Today, cs.NextDueProvisional)
		}
		vals := []any{i + 1, cs.CaseNo, model.MaskName(page.Names[cs.ID]), page.AreaNames[cs.AreaCode], strings.Join(cats, "、"),
			yes(cs.Urgent), yes(cs.AgentResidentID != nil), yes(cs.CloseRelative), cs.StatusLabel(), clockName(cs.NextDueStep),
			cs.NextDueOn, left, cs.SubmittedAt.In(model.China()).Format("2006-01-02")}
		if err := row(i+2, vals); err != nil {
			httpx.Fail(c, err)
			return
		}
	}
	if truncated {
		if err := row(len(page.Cases)+2, []any{fmt.Sprintf("（仅导出前 %d 条，请缩小筛选范围）", worklist.ExportLimit)}); err != nil {
			httpx.Fail(c, err)
			return
		}
	}
	if err := sw.Flush(); err != nil {
		httpx.Fail(c, err)
		return
	}
	label := worklistNames[list]
	if label == "" {
		label = "全部"
	}
	name := fmt.Sprintf("台账-%s-%s.xlsx", label, page.Today)
	c.Header("Content-Disposition", "attachment; filename=\"worklist.xlsx\"; filename*=UTF-8''"+url.PathEscape(name))
	c.Header("Cache-Control", "no-store")
	c.Header("X-Export-Rows", strconv.Itoa(len(page.Cases)))
	c.Status(http.StatusOK)
	c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	if err := x.Write(c.Writer); err != nil {
		h.app.Log.Error("worklist export", "err", err)
	}
}

// exportStats writes the area's statistics (GET /stats) as a workbook of four sheets, audited.
func (h *Handler) exportStats(c *gin.Context) {
	days := 90
	if v := c.Query("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			n = -1
		}
		days = n
	}
	st, err := h.app.Worklist.ExportStats(c.Request.Context(), staff(c), days)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	x := excelize.NewFile()
	defer x.Close()
	sheets := []struct {
		name string
		rows [][]any
	}{
		{"各状态申请数", [][]any{{"办理状态", "申请数"}}},
		{"各救助类别", [][]any{{"救助类别", "在办", "已办结"}}},
		{"超期时限", [][]any{{"环节", "超期时限数"}}},
		{"各环节平均停留天数", [][]any{{"办理状态", "停留次数", "平均自然日", "平均工作日"}}},
	}
	for _, s := range model.AllStatuses {
		if n, ok := st.ByStatus[s]; ok {
			sheets[0].rows = append(sheets[0].rows, []any{s.Label(), n})
		}
	}
	for _, cc := range st.ByCategory {
		sheets[1].rows = append(sheets[1].rows, []any{cc.Category.Label(), cc.Open, cc.Closed})
	}
	for _, s := range stepNames {
		if n, ok := st.Overdue[s.Code]; ok {
			sheets[2].rows = append(sheets[2].rows, []any{s.Label, n})
		}
	}
	for _, d := range st.StepDays {
		sheets[3].rows = append(sheets[3].rows, []any{d.Status.Label(), d.Stays, d.CalendarDays, d.WorkingDays})
	}
	for i, sh := range sheets {
		if i == 0 {
			err = x.SetSheetName("Sheet1", sh.name)
		} else {
			_, err = x.NewSheet(sh.name)
		}
		if err != nil {
			httpx.Fail(c, err)
			return
		}
		for r, vals := range sh.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := x.SetSheetRow(sh.name, cell, &vals); err != nil {
				httpx.Fail(c, err)
				return
			}
		}
	}
	name := fmt.Sprintf("统计-近%d天-%s.xlsx", st.Days, calendar.DateOf(st.Since))
	c.Header("Content-Disposition", "attachment; filename=\"stats.xlsx\"; filename*=UTF-8''"+url.PathEscape(name))
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusOK)
	c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	if err := x.Write(c.Writer); err != nil {
		h.app.Log.Error("stats export", "err", err)
	}
}

// clockName: the staff name of a clock step (the catalogue's).
func clockName(step string) string {
	for _, s := range stepNames {
		if s.Code == step {
			return s.Label
		}
	}
	return ""
}

func exportDocs() []docs.Route {
	return []docs.Route{
		{Method: http.MethodGet, Path: "/api/v1/worklist-export", OperationID: "staffExportWorklist", Tag: "staff", Auth: true,
			Summary: "把工作清单导出为 Excel 台账（.xlsx）：筛选条件和排列顺序同 GET /api/v1/cases，整张清单（最多5000条），申请人姓名脱敏；每次导出留痕（case.export）",
			Query: []docs.Param{
				{Name: "list", Description: "工作清单", Enum: worklists()},
				{Name: "category", Description: "救助类别"},
				{Name: "village", Description: "12位村（社区）代码"},
				{Name: "urgent", Description: "true：只看急难型；false：排除急难型"},
			},
			Responses: []docs.Response{
				{Status: http.StatusOK, Description: "Excel 文件（application/vnd.openxmlformats-officedocument.spreadsheetml.sheet），表头：" + strings.Join(ledgerColumns, "、")},
				{Status: http.StatusBadRequest, Description: "`case.invalid_filter`：筛选条件不正确"},
				{Status: http.StatusForbidden, Description: "`case.role_forbidden`：本岗位不查看申请"},
			}},
		{Method: http.MethodGet, Path: "/api/v1/stats-export", OperationID: "staffExportStats", Tag: "staff", Auth: true,
			Summary: "把本辖区统计（同 GET /api/v1/stats）导出为 Excel：各状态申请数、各救助类别、超期时限、各环节平均停留天数四张表；每次导出留痕（stats.export）",
			Query:   []docs.Param{{Name: "days", Type: "integer", Description: "平均停留天数的统计窗口（天），默认 90"}},
			Responses: []docs.Response{
				{Status: http.StatusOK, Description: "Excel 文件（application/vnd.openxmlformats-officedocument.spreadsheetml.sheet）"},
				{Status: http.StatusBadRequest, Description: "统计窗口不正确（同 GET /api/v1/stats）"},
				{Status: http.StatusForbidden, Description: "本岗位不查看统计（同 GET /api/v1/stats）"},
			}},
	}
}
