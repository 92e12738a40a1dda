package calendar

import (
	"fmt"
	"time"

	"palmaid/model"
)

// fixedHoliday is a statutory holiday on the same civil date every year (全国年节及纪念日放假办法
// 第二条: 元旦 1 January, 劳动节 1–2 May, 国庆节 1–3 October). The lunar holidays and the 调休
// arrangement around all of them change every year and come only from the loaded notice.
type fixedHoliday struct {
	m    time.Month
	d    int
	name string
}

var fixedHolidays = [...]fixedHoliday{
	{time.January, 1, "元旦"},
	{time.May, 1, "劳动节"}, {time.May, 2, "劳动节"},
	{time.October, 1, "国庆节"}, {time.October, 2, "国庆节"}, {time.October, 3, "国庆节"},
}

func isFixedHoliday(m time.Month, d int) bool {
	for _, f := range fixedHolidays {
		if f.m == m && f.d == d {
			return true
		}
	}
	return false
}

// IsFixedHoliday reports whether the civil date t is a fixed-date statutory holiday (no year's
// arrangement may make it a working day).
func IsFixedHoliday(t time.Time) bool { return isFixedHoliday(t.Month(), t.Day()) }

// FixedHolidays returns the fixed-date statutory holidays of year. They are holidays in every
// year, loaded or not, unless an override marks the date a workday.
func FixedHolidays(year int) []model.CalendarDay {
	out := make([]model.CalendarDay, 0, len(fixedHolidays))
	for _, f := range fixedHolidays {
		out = append(out, model.CalendarDay{Date: fmt.Sprintf("%04d-%02d-%02d", year, f.m, f.d), Kind: model.DayHoliday, Name: f.name})
	}
	return out
}
