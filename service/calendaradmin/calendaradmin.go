// Package calendaradmin is the administrators' use case for the holiday calendar: read a year
// and load (or correct) a year's arrangement as published by the State Council General Office
// (国务院办公厅关于部分节假日安排的通知). A load replaces that year's overrides atomically, marks the
// year loaded, is audited in the same transaction, and bumps the calendar version so every
// running instance reloads (calendar.Calendar.Sync).
package calendaradmin

import (
	"context"
	"encoding/json"
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

// Audit actions: a load (a new year, or a confirmed change), a proposed change to a year in
// use, and its confirmation by a second administrator.
const (
	ActionLoadYear    = "calendar.load_year"
	ActionProposeYear = "calendar.propose_year"
	ActionConfirmYear = "calendar.confirm_year"
)

// Errors of this package.
var (
	ErrInvalidYear        = model.Invalid("calendar.invalid_year", fmt.Sprintf("年份应在 %d—%d 之间", MinYear, MaxYear))
	ErrInvalidArrangement = model.Invalid("calendar.invalid_arrangement", "节假日安排有误，请按提示修改后重新提交")
	// ErrInstallationOnly: the calendar is the installation's, shared by every county; only an
	// administrator whose area contains every area loaded may change it.
	ErrInstallationOnly = model.E(model.KindForbidden, "calendar.installation_only", "节假日安排为全部辖区共用，只有管辖全部辖区的管理员可以修改")
	// ErrConfirmOwn: the proposer cannot be the second administrator.
	ErrConfirmOwn = model.E(model.KindForbidden, "calendar.confirm_own", "不能确认自己提出的修改，请由另一位管理员确认")
	// ErrProposalNotFound: no pending proposal with this id for the year (confirmed, superseded
	// by a newer one, or never made).
	ErrProposalNotFound = model.E(model.KindNotFound, "calendar.proposal_not_found", "没有待确认的这项修改，它可能已被确认或被新的修改取代")
)

// Store is what the service needs of the store (*store.Store satisfies it).
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	ReplaceCalendarYear(ctx context.Context, y model.CalendarYear, days []model.CalendarDay) (int64, error)
	CalendarYear(ctx context.Context, year int) ([]model.CalendarDay, *model.CalendarYear, error)
	Audit(ctx context.Context, a *model.AuditLog) error
	AreasBeyond(ctx context.Context, root model.AreaCode) (int64, error)
	PendingCalendarProposal(ctx context.Context, year int) (*model.CalendarProposal, error)
	ProposeCalendarYear(ctx context.Context, p *model.CalendarProposal) error
	ConfirmCalendarProposal(ctx context.Context, year int, id, staffID uint64, at time.Time) (bool, error)
	CalendarProposal(ctx context.Context, year int, id uint64) (*model.CalendarProposal, error)
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
	Pending         *Proposal           // a change waiting for a second administrator, nil when none
	Proposed        bool                // LoadYear stored Pending instead of loading (the year was in use)
}

// Proposal is a change to a loaded year waiting for a second administrator's confirmation.
type Proposal struct {
	ID                uint64
	Year              int
	Source            string
	Days              []model.CalendarDay
	ProposedByStaffID uint64
	ProposedAt        time.Time
}

func toProposal(p *model.CalendarProposal) (*Proposal, error) {
	out := &Proposal{ID: p.ID, Year: p.Year, Source: p.Source, ProposedByStaffID: p.ProposedByStaffID, ProposedAt: p.ProposedAt}
	if err := json.Unmarshal([]byte(p.Days), &out.Days); err != nil {
		return nil, fmt.Errorf("calendar proposal %d: %w", p.ID, err)
	}
	return out, nil
}

// installation checks that st may change the calendar: the calendar.admin permission, and an
// area containing every area of the installation (the calendar moves every county's clocks).
func (s *Service) installation(ctx context.Context, st *model.Staff) error {
	if !st.Can(model.PermCalendarAdmin) {
		return model.ErrForbidden
	}
	n, err := s.st.AreasBeyond(ctx, st.Area())
	if err != nil {
		return infra(err)
	}
	if n > 0 {
		return ErrInstallationOnly
	}
	return nil
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
	p, err := s.st.PendingCalendarProposal(ctx, year)
	if err != nil {
		return nil, infra(err)
	}
	if p != nil {
		if out.Pending, err = toProposal(p); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// LoadYear loads a year not loaded yet: it replaces year's overrides with days (validated),
// marks the year loaded from source and audits the action, all in one transaction; then it
// reloads this instance's calendar (the others follow within calendar.DefaultSyncEvery) and
// runs the OnYearLoaded hook. A year already loaded is in use (clocks count its days): the
// change is stored as a proposal (audited) for a second administrator to confirm (ConfirmYear),
// and the year is returned unchanged with it as Pending. Only an administrator of the whole
// installation may do either.
func (s *Service) LoadYear(ctx context.Context, st *model.Staff, year int, days []model.CalendarDay, source string) (*Year, error) {
	if err := s.installation(ctx, st); err != nil {
		return nil, err
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
	_, loaded, err := s.st.CalendarYear(ctx, year)
	if err != nil {
		return nil, infra(err)
	}
	if loaded != nil {
		raw, err := json.Marshal(clean)
		if err != nil {
			return nil, err
		}
		p := model.CalendarProposal{Year: year, Source: source, Days: string(raw), ProposedByStaffID: st.ID, ProposedAt: now}
		err = s.st.InTx(ctx, func(ctx context.Context) error {
			if err := s.st.ProposeCalendarYear(ctx, &p); err != nil {
				return err
			}
			return s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, ActionProposeYear, nil,
				fmt.Sprintf("proposal=%d %s", p.ID, detail(year, clean, source, 0)), now))
		})
		if err != nil {
			return nil, infra(err)
		}
		s.log.InfoContext(ctx, "calendar change proposed", "year", year, "proposal", p.ID, "staff_id", st.ID)
		y, err := s.year(ctx, year)
		if y != nil {
			y.Proposed = true
		}
		return y, err
	}
	return s.apply(ctx, st, year, clean, source, nil)
}

// ConfirmYear applies the pending proposal id of year: a second administrator of the whole
// installation, not its proposer, confirms it; the load and the confirmation are audited in the
// transaction that replaces the year.
func (s *Service) ConfirmYear(ctx context.Context, st *model.Staff, year int, id uint64) (*Year, error) {
	if err := s.installation(ctx, st); err != nil {
		return nil, err
	}
	if year < MinYear || year > MaxYear {
		return nil, ErrInvalidYear.WithField("year", ErrInvalidYear.Message)
	}
	row, err := s.st.CalendarProposal(ctx, year, id)
	if err != nil {
		return nil, infra(err)
	}
	if row == nil || row.Status != model.ProposalPending {
		return nil, ErrProposalNotFound
	}
	if row.ProposedByStaffID == st.ID {
		return nil, ErrConfirmOwn
	}
	p, err := toProposal(row)
	if err != nil {
		return nil, err
	}
	return s.apply(ctx, st, year, p.Days, p.Source, p)
}

// apply replaces the year (confirming p when it is a confirmed proposal), audited, then reloads.
func (s *Service) apply(ctx context.Context, st *model.Staff, year int, clean []model.CalendarDay, source string, p *Proposal) (*Year, error) {
	now := s.now()
	for i := range clean {
		clean[i].UpdatedAt = now
	}
	by := st.ID
	row := model.CalendarYear{Year: year, Source: source, LoadedAt: now, LoadedByStaffID: &by}
	var version int64
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		if p != nil {
			ok, err := s.st.ConfirmCalendarProposal(ctx, year, p.ID, st.ID, now)
			if err != nil {
				return err
			}
			if !ok {
				return ErrProposalNotFound
			}
			if err := s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, ActionConfirmYear, nil,
				fmt.Sprintf("proposal=%d year=%d proposed_by=%d", p.ID, year, p.ProposedByStaffID), now)); err != nil {
				return err
			}
		}
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
		} else if t, err := time.Parse("2006-01-02", d.Date); err == nil && d.Kind == model.DayWorkday && calendar.IsFixedHoliday(t) {
			// 全国年节及纪念日放假办法: 元旦, 劳动节 1–2 May, 国庆节 1–3 October are holidays in every
			// year; an arrangement moves the days around them, never them (issue 21).
			hint(f+".kind", "元旦、劳动节（5月1日、2日）、国庆节（10月1日至3日）为法定节假日，不能设为上班日")
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
