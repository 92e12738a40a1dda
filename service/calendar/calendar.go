// Package calendar does working-day (工作日) arithmetic in China Standard Time: Monday–Friday are
// working days unless an override says otherwise — statutory holidays (放假) take weekdays off,
// make-up working days (调休上班) put weekends back to work. Overrides come from the table
// calendar_days, which administrators edit; Seed holds the published years as a starting point.
package calendar

import (
	"fmt"
	"slices"
	"sync"
	"time"
	_ "time/tzdata" // Asia/Shanghai even on hosts (and scratch images) without zoneinfo

	"palmaid/model"
)

const dateLayout = "2006-01-02"

// cst is China Standard Time, as model declares it.
var cst = model.China()

// Location returns China Standard Time (Asia/Shanghai), the zone every civil date here uses
// (model.China).
func Location() *time.Location { return model.China() }

// civil is a calendar date without a zone.
type civil struct {
	y int
	m time.Month
	d int
}

func civilOf(t time.Time) civil {
	y, m, d := t.In(cst).Date()
	return civil{y, m, d}
}

// utc returns the date at 00:00 UTC; stepping a UTC time by AddDate never meets a DST change.
func (c civil) utc() time.Time { return time.Date(c.y, c.m, c.d, 0, 0, 0, 0, time.UTC) }

// DateOf formats t's civil date in China Standard Time as "2006-01-02".
func DateOf(t time.Time) string { return t.In(cst).Format(dateLayout) }

// Calendar answers working-day questions. It is safe for concurrent use; Replace and Sync swap
// the data atomically with respect to the other methods.
//
// A date is decided by, in order: an override (calendar_days), the fixed-date statutory
// holidays of every year (FixedHolidays: 1 January, 1–2 May, 1–3 October), the Monday–Friday
// week. A year without a published arrangement loaded (calendar_years) is provisional: its
// working days are that best guess, and deadlines counted through it say so.
type Calendar struct {
	mu      sync.RWMutex
	days    map[civil]model.DayKind
	loaded  map[int]bool
	version int64 // of the source data this was built from (Sync)

	// Sync: reload from src when its version changed, checking at most once per every.
	syncMu  sync.Mutex
	src     Source
	now     func() time.Time
	every   time.Duration
	checked time.Time
}

// New builds a Calendar from overrides, with loadedYears marked as published. Entries with
// an unparsable date or an unknown kind are skipped (use Validate first to reject them); for a
// repeated date the last entry wins. Such a Calendar has no source: Sync does nothing.
func New(overrides []model.CalendarDay, loadedYears ...int) *Calendar {
	return &Calendar{days: buildDays(overrides), loaded: yearSet(loadedYears)}
}

func yearSet(years []int) map[int]bool {
	m := make(map[int]bool, len(years))
	for _, y := range years {
		m[y] = true
	}
	return m
}

// Replace swaps in a new set of overrides and loaded years. The same rules as New apply.
func (c *Calendar) Replace(overrides []model.CalendarDay, loadedYears ...int) {
	days, loaded := buildDays(overrides), yearSet(loadedYears)
	c.mu.Lock()
	c.days, c.loaded = days, loaded
	c.mu.Unlock()
}

func buildDays(overrides []model.CalendarDay) map[civil]model.DayKind {
	days := make(map[civil]model.DayKind, len(overrides))
	for _, o := range overrides {
		d, err := parseDay(o)
		if err != nil {
			continue
		}
		days[d] = o.Kind
	}
	return days
}

func parseDay(o model.CalendarDay) (civil, error) {
	t, err := time.Parse(dateLayout, o.Date)
	if err != nil {
		return civil{}, fmt.Errorf("calendar: date %q is not YYYY-MM-DD", o.Date)
	}
	if o.Kind != model.DayHoliday && o.Kind != model.DayWorkday {
		return civil{}, fmt.Errorf("calendar: date %s has unknown kind %q", o.Date, o.Kind)
	}
	y, m, d := t.Date()
	return civil{y, m, d}, nil
}

// Validate reports the first override with an unparsable date, an unknown kind or a date that
// appears twice.
func Validate(overrides []model.CalendarDay) error {
	seen := make(map[civil]bool, len(overrides))
	for _, o := range overrides {
		d, err := parseDay(o)
		if err != nil {
			return err
		}
		if seen[d] {
			return fmt.Errorf("calendar: date %s appears more than once", o.Date)
		}
		seen[d] = true
	}
	return nil
}

// isWorking decides one civil date; the caller holds c.mu for reading.
func (c *Calendar) isWorking(d civil, wd time.Weekday) bool {
	switch c.days[d] {
	case model.DayHoliday:
		return false
	case model.DayWorkday:
		return true
	}
	if isFixedHoliday(d.m, d.d) {
		return false
	}
	return wd != time.Saturday && wd != time.Sunday
}

// IsWorkingDay reports whether t's civil date in China Standard Time is a working day:
// an override decides if there is one, otherwise Monday–Friday.
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	d := civilOf(t)
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.isWorking(d, d.utc().Weekday())
}

// AddWorkingDays returns the n-th working day after from's civil date (CST), at 00:00 CST.
// from's own date is never counted, even when it is a working day, so accepting a case on
// Friday with n=3 gives Wednesday. n <= 0 returns from's date at 00:00 CST.
// Use AddWorkingDaysFlag to learn whether the count ran through a year not yet loaded.
func (c *Calendar) AddWorkingDays(from time.Time, n int) time.Time {
	due, _ := c.AddWorkingDaysFlag(from, n)
	return due
}

// AddWorkingDaysFlag is AddWorkingDays, also reporting whether the result is provisional: some
// day counted (after from's date, up to and including the due date) lies in a year whose
// holiday arrangement is not loaded, so the due date may move when that year is loaded.
func (c *Calendar) AddWorkingDaysFlag(from time.Time, n int) (due time.Time, provisional bool) {
	day := civilOf(from).utc()
	c.mu.RLock()
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		y, m, d := day.Date()
		if !c.loaded[y] {
			provisional = true
		}
		if c.isWorking(civil{y, m, d}, day.Weekday()) {
			n--
		}
	}
	c.mu.RUnlock()
	y, m, d := day.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, cst), provisional
}

// WorkingDaysBetween counts the working days after from's civil date up to and including to's
// civil date (both in CST). It is 0 when to's date is not after from's date. For n >= 1,
// WorkingDaysBetween(from, AddWorkingDays(from, n)) == n.
func (c *Calendar) WorkingDaysBetween(from, to time.Time) int {
	day, end := civilOf(from).utc(), civilOf(to).utc()
	count := 0
	c.mu.RLock()
	defer c.mu.RUnlock()
	for day.Before(end) {
		day = day.AddDate(0, 0, 1)
		y, m, d := day.Date()
		if c.isWorking(civil{y, m, d}, day.Weekday()) {
			count++
		}
	}
	return count
}

// Provisional reports whether t's civil date (CST) lies in a year whose holiday arrangement is
// not loaded: its working-day status follows only the fixed-date holidays and the week.
func (c *Calendar) Provisional(t time.Time) bool {
	y := civilOf(t).y
	c.mu.RLock()
	defer c.mu.RUnlock()
	return !c.loaded[y]
}

// LoadedYears lists the years whose arrangement is loaded, in ascending order.
func (c *Calendar) LoadedYears() []int {
	c.mu.RLock()
	out := make([]int, 0, len(c.loaded))
	for y := range c.loaded {
		out = append(out, y)
	}
	c.mu.RUnlock()
	slices.Sort(out)
	return out
}

// Version is the source version the calendar was last built from (0 for New).
func (c *Calendar) Version() int64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.version
}
