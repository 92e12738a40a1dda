package api

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/model"
	"palmaid/service/calendaradmin"
)

// registerCalendar mounts the administrators' holiday-calendar routes.
func (h *Handler) registerCalendar(g *httpx.Router) {
	g.GET("/admin/calendar/:year", staffRead(), h.getCalendarYear)
	g.PUT("/admin/calendar/:year", staffAdmin(), h.loadCalendarYear)
	g.POST("/admin/calendar/:year/confirm", staffAdmin(), h.confirmCalendarYear)
}

type calendarDay struct {
	Date string        `json:"date"` // YYYY-MM-DD
	Kind model.DayKind `json:"kind"` // holiday（放假）| workday（调休上班）
	Name string        `json:"name"` // 春节、春节调休上班 …
}

// calendarLoad is the body of PUT /admin/calendar/{year}, and the file format of a year.
type calendarLoad struct {
	Source string        `json:"source"` // where the arrangement comes from, ≤ 64 characters
	Days   []calendarDay `json:"days"`   // every day off and every make-up working day of the year
}

type calendarYear struct {
	Year          int           `json:"year"`
	Loaded        bool          `json:"loaded"`             // false: the year's dates are provisional
	Source        string        `json:"source,omitempty"`   // of the loaded arrangement
	LoadedAt      *time.Time    `json:"loadedAt,omitempty"` // when it was loaded
	Days          []calendarDay `json:"days"`               // stored overrides, by date
	FixedHolidays []calendarDay `json:"fixedHolidays"`      // 1 Jan, 1–2 May, 1–3 Oct: holidays in every year
	LoadedYears   []int         `json:"loadedYears"`
	Warning       string        `json:"warning"`           // coverage warning; "" when the calendar is covered
	Pending       *calendarProp `json:"pending,omitempty"` // a change waiting for a second administrator
}

// calendarProp is a change to a loaded year waiting for a second administrator's confirmation.
type calendarProp struct {
	ID          uint64        `json:"id"`
	Source      string        `json:"source"`
	Days        []calendarDay `json:"days"`
	ProposedBy  uint64        `json:"proposedBy"` // the proposing administrator's staff id
	ProposedAt  time.Time     `json:"proposedAt"`
	Differences int           `json:"differences"` // dates added, removed or changed against the loaded year
}

// calendarConfirm is the body of POST /admin/calendar/{year}/confirm.
type calendarConfirm struct {
	ProposalID uint64 `json:"proposalId"` // pending.id of the year as read
}

func toCalendarDays(days []model.CalendarDay) []calendarDay {
	out := make([]calendarDay, len(days))
	for i, d := range days {
		out[i] = calendarDay{Date: d.Date, Kind: d.Kind, Name: d.Name}
	}
	return out
}

func toCalendarYear(y *calendaradmin.Year) calendarYear {
	out := calendarYear{Year: y.Year, Loaded: y.Loaded, Source: y.Source, Days: toCalendarDays(y.Days),
		FixedHolidays: toCalendarDays(y.FixedHolidays), LoadedYears: y.LoadedYears, Warning: y.Warning}
	if y.Loaded {
		at := y.LoadedAt.In(model.China())
		out.LoadedAt = &at
	}
	if out.LoadedYears == nil {
		out.LoadedYears = []int{}
	}
	if p := y.Pending; p != nil {
		out.Pending = &calendarProp{ID: p.ID, Source: p.Source, Days: toCalendarDays(p.Days), ProposedBy: p.ProposedByStaffID,
			ProposedAt: p.ProposedAt.In(model.China()), Differences: differences(y.Days, p.Days)}
	}
	return out
}

// differences counts the dates whose override is added, removed or changed between a and b.
func differences(a, b []model.CalendarDay) int {
	m := make(map[string]model.CalendarDay, len(a))
	for _, d := range a {
		m[d.Date] = d
	}
	n := 0
	for _, d := range b {
		if o, ok := m[d.Date]; !ok || o.Kind != d.Kind || o.Name != d.Name {
			n++
		}
		delete(m, d.Date)
	}
	return n + len(m)
}

// pathYear parses :year; anything but a plain number is the same error as a year out of range.
func pathYear(c *gin.Context) (int, error) {
	y, err := strconv.Atoi(c.Param("year"))
	if err != nil || len(c.Param("year")) != 4 {
		return 0, calendaradmin.ErrInvalidYear.WithField("year", calendaradmin.ErrInvalidYear.Message)
	}
	return y, nil
}

func (h *Handler) getCalendarYear(c *gin.Context) {
	year, err := pathYear(c)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	y, err := h.app.CalendarAdmin.GetYear(c.Request.Context(), staff(c), year)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toCalendarYear(y))
}

func (h *Handler) loadCalendarYear(c *gin.Context) {
	year, err := pathYear(c)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	var req calendarLoad
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	days := make([]model.CalendarDay, len(req.Days))
	for i, d := range req.Days {
		days[i] = model.CalendarDay{Date: d.Date, Kind: d.Kind, Name: d.Name}
	}
	y, err := h.app.CalendarAdmin.LoadYear(c.Request.Context(), staff(c), year, days, req.Source)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	status := http.StatusOK
	if y.Proposed {
		status = http.StatusAccepted
	}
	httpx.OK(c, status, toCalendarYear(y))
}

func (h *Handler) confirmCalendarYear(c *gin.Context) {
	year, err := pathYear(c)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	var req calendarConfirm
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	y, err := h.app.CalendarAdmin.ConfirmYear(c.Request.Context(), staff(c), year, req.ProposalID)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toCalendarYear(y))
}

// calendarDocs describes registerCalendar's routes for the OpenAPI document.
func calendarDocs() []docs.Route {
	const tag = "staff"
	year := []docs.Param{{Name: "year", Type: "integer", Description: fmt.Sprintf("年份，%d—%d", calendaradmin.MinYear, calendaradmin.MaxYear)}}
	forbidden := docs.Response{Status: http.StatusForbidden, Description: "`auth.forbidden`：只有管理员（calendar.admin 权限）可以查看和导入节假日安排"}
	installation := docs.Response{Status: http.StatusForbidden, Description: "`auth.forbidden`：只有管理员（calendar.admin 权限）可以导入节假日安排\n" +
		"`calendar.installation_only`：节假日安排为全部辖区共用，本人辖区未覆盖已导入的全部区划（如另一县的管理员）"}
	badYear := "`calendar.invalid_year`：年份不是 2000—2100 之间的四位数字"
	return []docs.Route{
		{Method: http.MethodGet, Path: "/api/v1/admin/calendar/{year}", OperationID: "adminGetCalendarYear", Tag: tag, Auth: true,
			Summary: "查看某年的节假日安排：是否已导入、放假和调休上班日、覆盖提醒", PathParams: year,
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: calendarYear{}, Description: "该年的安排；loaded=false 时该年的日期只按周一至周五和固定日期假日推算，据此算出的期限为暂定。" +
					"warning 非空时表示当年（或 12 月起的次年）尚未导入"},
				{Status: http.StatusBadRequest, Description: badYear},
				forbidden,
			}},
		{Method: http.MethodPut, Path: "/api/v1/admin/calendar/{year}", OperationID: "adminLoadCalendarYear", Tag: tag, Auth: true,
			Summary: "导入或更正某年的节假日安排（整年替换、留痕；所有实例在 30 秒内生效）。节假日安排为全部辖区共用：只有管辖全部已导入区划的管理员可以修改。" +
				"尚未导入的年份立即导入；已导入的年份（期限已按它计算）的更正先存为待确认的修改（202，pending），由另一位管理员确认后生效",
			PathParams: year, Request: calendarLoad{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: calendarYear{}, Description: "导入后的安排（loaded=true）"},
				{Status: http.StatusAccepted, Body: calendarYear{}, Description: "该年已在使用：安排未变，修改存为 pending，等待另一位管理员确认（POST …/confirm）；同一年份新的修改取代尚未确认的旧修改"},
				{Status: http.StatusBadRequest, Description: badYear + "\n" +
					"`calendar.invalid_arrangement`：依据为空或过长；未列出任何一天或超过 366 天；日期格式不对、不在该年内或重复；kind 不是 holiday/workday；名称为空或过长（fields 逐项指明，如 days[3].date）"},
				installation,
			}},
		{Method: http.MethodPost, Path: "/api/v1/admin/calendar/{year}/confirm", OperationID: "adminConfirmCalendarYear", Tag: tag, Auth: true,
			Summary: "确认另一位管理员对已导入年份的修改（pending.id）：整年替换、确认与导入均留痕；提出人本人不能确认", PathParams: year, Request: calendarConfirm{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: calendarYear{}, Description: "确认后的安排"},
				{Status: http.StatusBadRequest, Description: badYear},
				{Status: http.StatusForbidden, Description: "`auth.forbidden`：只有管理员（calendar.admin 权限）可以确认\n" +
					"`calendar.installation_only`：本人辖区未覆盖已导入的全部区划\n`calendar.confirm_own`：不能确认自己提出的修改"},
				{Status: http.StatusNotFound, Description: "`calendar.proposal_not_found`：该年没有这项待确认的修改（已确认、已被新的修改取代或不存在）"},
			}},
	}
}
