package api

import (
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/model"
	"palmaid/service/auditlog"
	"palmaid/service/ratelimit"
)

// registerAudit mounts the auditor's audit viewer: the audit log of the auditor's area and the
// hash-chain check (the same as `palmaid audit verify`).
func (h *Handler) registerAudit(g *httpx.Router) {
	g.GET("/audit", staffRead(), h.auditList)
	g.POST("/audit/verify", httpx.OfficerClass("audit-verify:staff", ratelimit.Limit{Rate: 30, Burst: 10, Period: time.Hour}), h.auditVerify) // reads the whole chain
}

type auditEntry struct {
	ID        uint64    `json:"id"`
	At        time.Time `json:"at"`
	ActorType string    `json:"actorType"` // staff, resident, system
	ActorID   uint64    `json:"actorId"`
	ActorName string    `json:"actorName,omitempty"` // the staff account's username
	Action    string    `json:"action"`
	CaseID    string    `json:"caseId,omitempty"` // the case's public id
	AreaCode  string    `json:"areaCode"`
	RequestID string    `json:"requestId"`
	ClientIP  string    `json:"clientIp"`
	Detail    string    `json:"detail"` // never personal data in clear
	Sealed    bool      `json:"sealed"` // linked into the hash chain already
}

type auditList struct {
	Items      []auditEntry `json:"items"`
	NextCursor string       `json:"nextCursor,omitempty"`
}

func (h *Handler) auditList(c *gin.Context) {
	p, err := httpx.ParsePage(c, 50, 200)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	rows, err := h.app.AuditLog.List(c.Request.Context(), staff(c), auditlog.Query{Actor: c.Query("actor"), Action: c.Query("action"),
		Case: c.Query("case"), From: c.Query("from"), To: c.Query("to"), Before: p.Cursor, Limit: p.Fetch()})
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	rows, next := httpx.PageOf(p, rows, func(r auditlog.Entry) uint64 { return r.ID })
	out := auditList{Items: []auditEntry{}, NextCursor: next}
	for _, r := range rows {
		out.Items = append(out.Items, auditEntry{ID: r.ID, At: r.CreatedAt.In(model.China()), ActorType: r.ActorType, ActorID: r.ActorID,
			ActorName: r.ActorName, Action: r.Action, CaseID: r.CasePublicID, AreaCode: r.AreaCode, RequestID: r.RequestID,
			ClientIP: r.ClientIP, Detail: r.Detail, Sealed: r.ChainHash != nil})
	}
	httpx.OK(c, http.StatusOK, out)
}

type auditVerification struct {
	// Intact: no broken link, the chain matches the latest anchor, and no row waits more than
	// ten minutes for its seal.
	Intact  bool   `json:"intact"`
	Checked int    `json:"checked"` // sealed rows recomputed
	LastID  uint64 `json:"lastId"`  // the last sealed row (rows are sealed a few minutes after they are written)
	// BrokenID, BrokenDay, Reason: the first broken link, when not intact.
	BrokenID  uint64 `json:"brokenId,omitempty"`
	BrokenDay string `json:"brokenDay,omitempty"`
	Reason    string `json:"reason,omitempty"`
	// Unsealed rows are not covered by the chain yet; unsealedOverdue of them are older than
	// ten minutes (the sealer refused a row before them, or is not running).
	Unsealed        int64      `json:"unsealed"`
	UnsealedOverdue int64      `json:"unsealedOverdue"`
	OldestUnsealed  *time.Time `json:"oldestUnsealedAt,omitempty"`
	// AnchoredAt, AnchoredLastID: the latest anchor written outside the database that the chain
	// was compared with; anchorNote says why none was.
	AnchoredAt     *time.Time `json:"anchoredAt,omitempty"`
	AnchoredLastID uint64     `json:"anchoredLastId,omitempty"`
	AnchorNote     string     `json:"anchorNote,omitempty"`
}

func (h *Handler) auditVerify(c *gin.Context) {
	v, err := h.app.AuditLog.Verify(c.Request.Context(), staff(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := auditVerification{Intact: v.Intact(), Checked: v.Checked, LastID: v.LastID, Unsealed: v.Unsealed,
		UnsealedOverdue: v.UnsealedOverdue, AnchorNote: v.AnchorNote}
	if !v.OldestUnsealed.IsZero() {
		t := v.OldestUnsealed.In(model.China())
		out.OldestUnsealed = &t
	}
	if v.Anchor != nil {
		t := v.Anchor.At.In(model.China())
		out.AnchoredAt, out.AnchoredLastID = &t, v.Anchor.LastID
	}
	if v.Broken != nil {
		out.BrokenID, out.BrokenDay, out.Reason = v.Broken.ID, v.Broken.Day, v.Broken.Reason
	}
	httpx.OK(c, http.StatusOK, out)
}

type statusCount struct {
	Status model.Status `json:"status"`
	Label  string       `json:"label"`
	Count  int64        `json:"count"`
}

type categoryCount struct {
	Category model.Category `json:"category"`
	Label    string         `json:"label"`
	Open     int64          `json:"open"`
	Closed   int64          `json:"closed"`
}

type stepCount struct {
	Step  string `json:"step"`
	Count int64  `json:"count"`
}

type stepDays struct {
	Status       model.Status `json:"status"`
	Label        string       `json:"label"`
	Stays        int          `json:"stays"`        // stays that ended in the window
	CalendarDays float64      `json:"calendarDays"` // average, one decimal
	WorkingDays  float64      `json:"workingDays"`  // average, one decimal
}

type statsView struct {
	Days       int             `json:"days"`
	Since      time.Time       `json:"since"`
	ByStatus   []statusCount   `json:"byStatus"`
	ByCategory []categoryCount `json:"byCategory"`
	Overdue    []stepCount     `json:"overdue"`
	StepDays   []stepDays      `json:"stepDays"`
}

func (h *Handler) stats(c *gin.Context) {
	days := 90
	if s := c.Query("days"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			n = -1
		}
		days = n
	}
	st, err := h.app.Worklist.Stats(c.Request.Context(), staff(c), days)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := statsView{Days: st.Days, Since: st.Since.In(model.China()), ByStatus: []statusCount{}, ByCategory: []categoryCount{},
		Overdue: []stepCount{}, StepDays: []stepDays{}}
	for _, s := range model.AllStatuses {
		if n, ok := st.ByStatus[s]; ok {
			out.ByStatus = append(out.ByStatus, statusCount{Status: s, Label: s.Label(), Count: n})
		}
	}
	for _, cc := range st.ByCategory {
		out.ByCategory = append(out.ByCategory, categoryCount{Category: cc.Category, Label: cc.Category.Label(), Open: cc.Open, Closed: cc.Closed})
	}
	for step, n := range st.Overdue {
		out.Overdue = append(out.Overdue, stepCount{Step: step, Count: n})
	}
	sort.Slice(out.Overdue, func(i, j int) bool { return out.Overdue[i].Step < out.Overdue[j].Step })
	for _, d := range st.StepDays {
		out.StepDays = append(out.StepDays, stepDays{Status: d.Status, Label: d.Status.Label(), Stays: d.Stays, CalendarDays: d.CalendarDays, WorkingDays: d.WorkingDays})
	}
	httpx.OK(c, http.StatusOK, out)
}

func auditDocs() []docs.Route {
	const tag = "staff"
	forbidden := docs.Response{Status: http.StatusForbidden, Description: "`auth.forbidden`：只有审计员（audit.read 权限）可以查看审计日志"}
	return []docs.Route{
		{Method: http.MethodGet, Path: "/api/v1/audit", OperationID: "auditList", Tag: tag, Auth: true,
			Summary: "审计日志（审计员）：本人辖区内的留痕记录，新的在前；内容不含明文个人信息；每次查询本身留痕（audit.read）",
			Query: []docs.Param{
				{Name: "actor", Description: "工作人员用户名；不在本辖区的账号查不到记录"},
				{Name: "action", Description: "操作，如 case.view；以“.”结尾为一类，如 case."},
				{Name: "case", Description: "申请编号（public id）；不在本辖区的申请查不到记录"},
				{Name: "from", Description: "开始日期 YYYY-MM-DD（北京时间，含当天）"},
				{Name: "to", Description: "结束日期 YYYY-MM-DD（北京时间，含当天）"},
				{Name: "cursor", Description: "翻页游标：上一页响应的 nextCursor；首页不传"},
				{Name: "limit", Type: "integer", Description: "每页条数，默认 50，最多 200"},
			},
			Responses: []docs.Response{{Status: http.StatusOK, Body: auditList{}, Description: "一页审计记录"},
				{Status: http.StatusBadRequest, Description: "`audit.invalid_date`：日期格式不正确\n`audit.invalid_range`：开始日期晚于结束日期\n`request.invalid_page`：分页参数不正确"},
				forbidden}},
		{Method: http.MethodPost, Path: "/api/v1/audit/verify", OperationID: "auditVerify", Tag: tag, Auth: true,
			Summary:   "校验审计日志的哈希链（与 `palmaid audit verify` 相同）：重新计算全部已封存的记录，与库外最近一次锚定的链头（行号、行数、哈希）比对，报告第一处断裂，并给出尚未封存的记录数与超时未封存数；校验本身留痕（audit.verify）",
			Responses: []docs.Response{{Status: http.StatusOK, Body: auditVerification{}, Description: "校验结果（intact=false 时给出第一处断裂）"}, forbidden}},
		{Method: http.MethodGet, Path: "/api/v1/stats", OperationID: "staffStats", Tag: tag, Auth: true,
			Summary: "辖区统计（概况页）：各状态的申请数、各救助类别在办/已办结数、各环节超期的时限数，以及近 days 天内结束的各环节平均停留天数（自然日、工作日）。" +
				"停留：进入该状态的记录到第一次离开该状态的记录；工作日按节假日安排计算，从进入当日之后起算到离开当日（同一天为 0）",
			Query: []docs.Param{{Name: "days", Type: "integer", Description: "统计窗口天数，默认 90，1–366"}},
			Responses: []docs.Response{{Status: http.StatusOK, Body: statsView{}, Description: "统计"},
				{Status: http.StatusBadRequest, Description: "`stats.invalid_days`：天数不正确"},
				{Status: http.StatusForbidden, Description: "`case.role_forbidden`：岗位不能查看申请"}}},
	}
}
