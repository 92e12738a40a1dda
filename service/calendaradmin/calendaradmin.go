// Package calendaradmin is the administrators' use case for the holiday calendar: read a year
// and load (or correct) a year's arrangement as published by the State Council General Office
// (国务院办公厅关于部分节假日安排的通知). A load replaces that year's overrides atomically, marks the
// year loaded, is audited in the same transaction, and bumps the calendar version so every
// running instance reloads (calendar.Calendar.Sync).
package calendaradmin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/reqmeta"
)

// Limits of a load.
const (
	MinYear       = 2000
	MaxYear       = 2100
	MaxDays       = 366
	MaxNameRunes  = 64 // calendar_days.name VARCHAR(64)
	MaxSourceRune = 64 // calendar_years.source VARCHAR(64)
	maxFieldHints = 20
)

// ActionLoadYear is the audit action of a load.
const ActionLoadYear = "calendar.load_year"

// Errors of this package.
var (
	ErrInvalidYear        = model.Invalid("calendar.invalid_year", fmt.Sprintf("年份应在 %d—%d 之间", MinYear, MaxYear))
	ErrInvalidArrangement = model.Invalid("calendar.invalid_arrangement", "节假日安排有误，请按提示修改后重新提交")
)

// Store is what the service needs of the store (*store.Store satisfies it).
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	ReplaceCalendarYear(ctx context.Context, y model.CalendarYear, days []model.CalendarDay) (int64, error)
	CalendarYear(ctx context.Context, year int) ([]model.CalendarDay, *model.CalendarYear, error)
	Audit(ctx context.Context, a *model.AuditLog) error
}

// Options are optional collaborators.
type Options struct {
	// OnYearLoaded runs after a load committed and this instance's calendar reloaded, e.g. to
	// recompute the provisional deadlines that fall in the year. Its error is logged; the load
	// stands. nil = nothing.
	OnYearLoaded func(ctx context.Context, year int) error
}

// Service administers the calendar.
type Service struct {
	st   Store
	cal  *calendar.Calendar
	now  func() time.Time
	log  *slog.Logger
	hook func(ctx context.Context, year int) error
}

// New builds the service. cal is the process's calendar, reloaded after a load.
func New(st Store, cal *calendar.Calendar, now func() time.Time, log *slog.Logger, opts Options) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	hook := opts.OnYearLoaded
	if hook == nil {
		hook = func(context.Context, int) error { return nil }
	}
	return &Service{st: st, cal: cal, now: now, log: log, hook: hook}
}

// Year is one year of the calendar as an administrator sees it.
type Year struct {
	Year            int
	Loaded          bool                // the year's arrangement is loaded; otherwise its dates are provisional
	Source          string              // where the loaded arrangement comes from
	LoadedAt        time.Time           // zero when not loaded
	LoadedByStaffID *uint64             // nil for the built-in seed or when not loaded
	Days            []model.CalendarDay // the overrides stored for the year, by date
	FixedHolidays   []model.CalendarDay // holidays of every year (calendar.FixedHolidays)
	LoadedYears     []int               // every loaded year, ascending
	Warning         string              // calendar.CoverageWarning now; "" when covered
}

// GetYear returns a year's overrides, whether it is loaded, and the coverage warning.
func (s *Service) GetYear(ctx context.Context, st *model.Staff, year int) (*Year, error) {
	if !st.Can(model.PermCalendarAdmin) {
		return nil, model.ErrForbidden
	}
	if year < MinYear || year > MaxYear {
		return nil, ErrInvalidYear.WithField("year", ErrInvalidYear.Message)
	}
	return s.year(ctx, year)
}

func (s *Service) year(ctx context.Context, year int) (*Year, error) {
	days, row, err := s.st.CalendarYear(ctx, year)
	if err != nil {
		return nil, infra(err)
	}
	if days == nil {
		days = []model.CalendarDay{}
	}
	out := &Year{Year: year, Days: days, FixedHolidays: calendar.FixedHolidays(year),
		LoadedYears: s.cal.LoadedYears(), Warning: s.cal.CoverageWarning(s.now())}
	if row != nil {
		out.Loaded, out.Source, out.LoadedAt, out.LoadedByStaffID = true, row.Source, row.LoadedAt, row.LoadedByStaffID
	}
	return out, nil
}

// LoadYear replaces year's overrides with days (validated), marks the year loaded from source
// and audits the action, all in one transaction: if any write fails nothing changes. Then it
// reloads this instance's calendar (the others follow within calendar.DefaultSyncEvery) and
// runs the OnYearLoaded hook.
func (s *Service) LoadYear(ctx context.Context, st *model.Staff, year int, days []model.CalendarDay, source string) (*Year, error) {
	if !st.Can(model.PermCalendarAdmin) {
		return nil, model.ErrForbidden
	}
	if year < MinYear || year > MaxYear {
		return nil, ErrInvalidYear.WithField("year", ErrInvalidYear.Message)
	}
	source = strings.TrimSpace(source)
	clean, err := validate(year, days, source)
	if err != nil {
		return nil, err
	}
	now := s.now()
	for i := range clean {
		clean[i].UpdatedAt = now
	}
	by := st.ID
	row := model.CalendarYear{Year: year, Source: source, LoadedAt: now, LoadedByStaffID: &by}
	var version int64
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		v, err := s.st.ReplaceCalendarYear(ctx, row, clean)
		if err != nil {
			return err
		}
		version = v
		return s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, ActionLoadYear, nil, detail(year, clean, source, version), now))
	})
	if err != nil {
		return nil, infra(err)
	}
	s.log.InfoContext(ctx, "calendar year loaded", "year", year, "days", len(clean), "version", version, "staff_id", st.ID)
	if err := s.cal.Reload(ctx); err != nil {
		// Committed all the same; the periodic sync retries.
		s.log.WarnContext(ctx, "calendar reload after load failed", "year", year, "err", err)
	}
	if err := s.hook(context.WithoutCancel(ctx), year); err != nil {
		s.log.ErrorContext(ctx, "calendar OnYearLoaded hook failed", "year", year, "err", err)
	}
	return s.year(ctx, year)
}

// validate checks a load and returns the days normalised (trimmed names). Every problem is
// reported as a field hint ("days[3].date": "…"), up to maxFieldHints.
func validate(year int, days []model.CalendarDay, source string) ([]model.CalendarDay, error) {
	e := ErrInvalidArrangement
	bad := false
	hint := func(field, msg string) {
		if len(e.Fields) < maxFieldHints {
			e = e.WithField(field, msg)
		}
		bad = true
	}
	switch {
	case source == "":
		hint("source", "请填写依据，如“国务院办公厅通知 2026年11月”")
	case utf8.RuneCountInString(source) > MaxSourceRune:
		hint("source", fmt.Sprintf("依据不能超过 %d 个字", MaxSourceRune))
	}
	switch {
	case len(days) == 0:
		hint("days", "请至少列出一天（放假日或调休上班日）")
	case len(days) > MaxDays:
		hint("days", fmt.Sprintf("最多 %d 天", MaxDays))
	}
	if len(days) > MaxDays {
		return nil, e
	}
	out := make([]model.CalendarDay, 0, len(days))
	seen := make(map[string]int, len(days))
	for i, d := range days {
		f := fmt.Sprintf("days[%d]", i)
		d.Name = strings.TrimSpace(d.Name)
		if t, err := time.Parse("2006-01-02", d.Date); err != nil {
			hint(f+".date", "日期格式应为 YYYY-MM-DD，且是真实存在的日期")
		} else if t.Year() != year {
			hint(f+".date", fmt.Sprintf("日期不在 %d 年内", year))
		} else if j, dup := seen[d.Date]; dup {
			hint(f+".date", fmt.Sprintf("与 days[%d] 日期重复", j))
		} else {
			seen[d.Date] = i
		}
		if d.Kind != model.DayHoliday && d.Kind != model.DayWorkday {
			hint(f+".kind", "应为 holiday（放假）或 workday（调休上班）")
		}
		switch {
		case d.Name == "":
			hint(f+".name", "请填写名称，如“春节”或“春节调休上班”")
		case utf8.RuneCountInString(d.Name) > MaxNameRunes:
			hint(f+".name", fmt.Sprintf("名称不能超过 %d 个字", MaxNameRunes))
		}
		out = append(out, model.CalendarDay{Date: d.Date, Kind: d.Kind, Name: d.Name})
	}
	if bad {
		return nil, e
	}
	return out, nil
}

func detail(year int, days []model.CalendarDay, source string, version int64) string {
	var h, w int
	for _, d := range days {
		if d.Kind == model.DayHoliday {
			h++
		} else {
			w++
		}
	}
	return fmt.Sprintf("year=%d holidays=%d workdays=%d version=%d source=%s", year, h, w, version, source)
}

// infra turns a store failure into 503 service.unavailable; application errors pass through.
func infra(err error) error {
	var me *model.Error
	if errors.As(err, &me) {
		return err
	}
	return model.ErrUnavailable.WithCause(err)
}
