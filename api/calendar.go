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
	"palmaid/service/calendar"
	"palmaid/service/calendaradmin"
)

// registerCalendar mounts the administrators' holiday-calendar routes.
func (h *Handler) registerCalendar(g *httpx.Router) {
	g.GET("/admin/calendar/:year", staffRead(), h.getCalendarYear)
	g.PUT("/admin/calendar/:year", staffAdmin(), h.loadCalendarYear)
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
	Warning       string        `json:"warning"` // coverage warning; "" when the calendar is covered
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
		at := y.LoadedAt.In(calendar.Location())
		out.LoadedAt = &at
	}
	if out.LoadedYears == nil {
		out.LoadedYears = []int{}
	}
	return out
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
	httpx.OK(c, http.StatusOK, toCalendarYear(y))
}

// calendarDocs describes registerCalendar's routes for the OpenAPI document.
func calendarDocs() []docs.Route {
	const tag = "staff"
	year := []docs.Param{{Name: "year", Type: "integer", Description: fmt.Sprintf("年份，%d—%d", calendaradmin.MinYear, calendaradmin.MaxYear)}}
	forbidden := docs.Response{Status: http.StatusForbidden, Description: "`auth.forbidden`：只有管理员（calendar.admin 权限）可以查看和导入节假日安排"}
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
			Summary: "导入或更正某年的节假日安排（整年替换、留痕；所有实例在 30 秒内生效）", PathParams: year, Request: calendarLoad{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: calendarYear{}, Description: "导入后的安排（loaded=true）"},
				{Status: http.StatusBadRequest, Description: badYear + "\n" +
					"`calendar.invalid_arrangement`：依据为空或过长；未列出任何一天或超过 366 天；日期格式不对、不在该年内或重复；kind 不是 holiday/workday；名称为空或过长（fields 逐项指明，如 days[3].date）"},
				forbidden,
			}},
	}
}
