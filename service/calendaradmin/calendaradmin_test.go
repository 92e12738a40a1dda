package calendaradmin_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/calendaradmin"
	"palmaid/service/seed"
	"palmaid/service/store"
	"palmaid/service/testenv"
)

// 2026-12-01 10:00 CST: the coverage warning for 2027 is due.
var dec1 = time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", s, calendar.Location())
	if err != nil {
		panic(err)
	}
	return t.Add(10 * time.Hour)
}

// fixture2027 is a test fixture, NOT the 2027 arrangement (unknown when this was written).
func fixture2027() []model.CalendarDay {
	return []model.CalendarDay{
		{Date: "2027-01-01", Kind: model.DayHoliday, Name: "元旦"},
		{Date: "2027-01-04", Kind: model.DayHoliday, Name: "测试假日（虚构）"},
		{Date: "2027-01-09", Kind: model.DayWorkday, Name: "测试调休上班（虚构）"},
	}
}

var (
	admin      = &model.Staff{ID: 7, Role: model.RoleAdmin, AreaCode: seed.DemoCounty, Active: true}
	admin2     = &model.Staff{ID: 11, Role: model.RoleAdmin, AreaCode: seed.DemoCounty, Active: true}
	caseworker = &model.Staff{ID: 8, Role: model.RoleTownCaseworker, AreaCode: seed.DemoTownEast, Active: true}
)

type env struct {
	st    *store.Store
	cal   *calendar.Calendar
	svc   *calendaradmin.Service
	hooks []int
	logs  *bytes.Buffer
}

func newEnv(t *testing.T, be *testenv.Backend, wrap func(calendaradmin.Store) calendaradmin.Store, hookErr error) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{st: be.Store(t), logs: &bytes.Buffer{}}
	testenv.Must(t, seed.Calendar(ctx, e.st, dec1))
	now := func() time.Time { return dec1 }
	var err error
	e.cal, err = calendar.Load(ctx, e.st, calendar.Options{Now: now})
	testenv.Must(t, err)
	var st calendaradmin.Store = e.st
	if wrap != nil {
		st = wrap(st)
	}
	e.svc = calendaradmin.New(st, e.cal, now, slog.New(slog.NewTextHandler(e.logs, nil)), calendaradmin.Options{
		OnYearLoaded: func(_ context.Context, year int) error { e.hooks = append(e.hooks, year); return hookErr },
	})
	return e
}

func TestLoadYear(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		e := newEnv(t, be, nil, nil)
		due, prov := e.cal.AddWorkingDaysFlag(at("2026-12-29"), 3)
		if calendar.DateOf(due) != "2027-01-04" || !prov {
			t.Fatalf("before the load: %s, %v; want 2027-01-04 (1 Jan skipped), provisional", calendar.DateOf(due), prov)
		}
		y, err := e.svc.GetYear(ctx, admin, 2027)
		testenv.Must(t, err)
		if y.Loaded || len(y.Days) != 0 || !strings.Contains(y.Warning, "2027年") || len(y.FixedHolidays) != 6 {
			t.Fatalf("GetYear(2027) before: %+v", y)
		}
		v0, err := e.st.CalendarVersion(ctx)
		testenv.Must(t, err)

		y, err = e.svc.LoadYear(ctx, admin, 2027, fixture2027(), " 测试夹具（非官方） ")
		testenv.Must(t, err)
		if !y.Loaded || y.Source != "测试夹具（非官方）" || len(y.Days) != 3 || y.Warning != "" || y.LoadedByStaffID == nil || *y.LoadedByStaffID != 7 {
			t.Fatalf("after LoadYear: %+v", y)
		}
		if fmt.Sprint(y.LoadedYears) != "[2024 2025 2026 2027]" {
			t.Fatalf("LoadedYears = %v", y.LoadedYears)
		}
		due, prov = e.cal.AddWorkingDaysFlag(at("2026-12-29"), 3)
		if calendar.DateOf(due) != "2027-01-05" || prov {
			t.Fatalf("after the load: %s, %v; want 2027-01-05 (fixture holiday 01-04), not provisional", calendar.DateOf(due), prov)
		}
		if fmt.Sprint(e.hooks) != "[2027]" {
			t.Fatalf("OnYearLoaded calls = %v", e.hooks)
		}
		if v, _ := e.st.CalendarVersion(ctx); v != v0+1 {
			t.Fatalf("version %d → %d, want +1", v0, v)
		}
		audits := auditRows(t, e.st, calendaradmin.ActionLoadYear)
		if len(audits) != 1 || audits[0].ActorID != 7 || !strings.Contains(audits[0].Detail, "year=2027 holidays=2 workdays=1") {
			t.Fatalf("audit rows: %+v", audits)
		}

		// A correction of a year in use is a proposal until a second administrator confirms it;
		// then it replaces the whole year and nothing else.
		y, err = e.svc.LoadYear(ctx, admin, 2027, fixture2027()[:2], "更正")
		testenv.Must(t, err)
		if !y.Proposed || y.Pending == nil || len(y.Days) != 3 || len(y.Pending.Days) != 2 {
			t.Fatalf("correction proposed: %+v", y)
		}
		if _, err := e.svc.ConfirmYear(ctx, admin, 2027, y.Pending.ID); !errors.Is(err, calendaradmin.ErrConfirmOwn) {
			t.Fatalf("the proposer confirms: %v", err)
		}
		y, err = e.svc.ConfirmYear(ctx, admin2, 2027, y.Pending.ID)
		testenv.Must(t, err)
		if len(y.Days) != 2 || y.Days[1].Date != "2027-01-04" || y.Pending != nil {
			t.Fatalf("corrected 2027: %+v", y.Days)
		}
		if e.cal.IsWorkingDay(at("2027-01-09")) {
			t.Fatal("the removed make-up Saturday 2027-01-09 is still a working day")
		}
		y26, err := e.svc.GetYear(ctx, admin, 2026)
		testenv.Must(t, err)
		if want := countYear(calendar.Seed(), "2026"); len(y26.Days) != want || y26.Source != seed.CalendarSeedSource || y26.LoadedByStaffID != nil {
			t.Fatalf("2026 after loading 2027: %d days (want %d), source %q", len(y26.Days), want, y26.Source)
		}
	})
}

// The audit is part of the action: when it cannot be written, nothing is loaded.
func TestLoadYearAuditFailureRollsBack(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		e := newEnv(t, be, func(s calendaradmin.Store) calendaradmin.Store { return failingAudit{s} }, nil)
		v0, err := e.st.CalendarVersion(ctx)
		testenv.Must(t, err)
		_, err = e.svc.LoadYear(ctx, admin, 2027, fixture2027(), "测试")
		if me := model.AsError(err); me == nil || me.Kind != model.KindUnavailable {
			t.Fatalf("LoadYear with a failing audit = %v, want 503", err)
		}
		days, row, err := e.st.CalendarYear(ctx, 2027)
		testenv.Must(t, err)
		if len(days) != 0 || row != nil {
			t.Fatalf("2027 written despite the failed audit: %d days, %+v", len(days), row)
		}
		if v, _ := e.st.CalendarVersion(ctx); v != v0 {
			t.Fatalf("version moved %d → %d", v0, v)
		}
		if len(e.hooks) != 0 || !e.cal.Provisional(at("2027-01-04")) {
			t.Fatalf("hook %v ran or calendar changed after a failed load", e.hooks)
		}
	})
}

type failingAudit struct{ calendaradmin.Store }

func (failingAudit) Audit(context.Context, *model.AuditLog) error {
	return errors.New("audit table full")
}

func TestLoadYearHookErrorIsLogged(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		e := newEnv(t, be, nil, errors.New("recompute failed"))
		y, err := e.svc.LoadYear(context.Background(), admin, 2027, fixture2027(), "测试")
		if err != nil || !y.Loaded {
			t.Fatalf("LoadYear with a failing hook = %+v, %v; want the load to stand", y, err)
		}
		if !strings.Contains(e.logs.String(), "recompute failed") {
			t.Fatalf("hook error not logged: %s", e.logs)
		}
	})
}

// Concurrent loads of one year serialise: both succeed, the year holds one of the two sets.
func TestConcurrentLoads(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		e := newEnv(t, be, nil, nil)
		v0, _ := e.st.CalendarVersion(ctx)
		sets := [][]model.CalendarDay{fixture2027(), fixture2027()[:1]}
		var wg sync.WaitGroup
		errs := make([]error, len(sets))
		for i, set := range sets {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = e.svc.LoadYear(ctx, admin, 2027, set, fmt.Sprintf("并发 %d", i))
			}()
		}
		wg.Wait()
		testenv.Must(t, errors.Join(errs...))
		days, row, err := e.st.CalendarYear(ctx, 2027)
		testenv.Must(t, err)
		if row == nil || (len(days) != 3 && len(days) != 1) || (len(days) == 1) != (row.Source == "并发 1") {
			t.Fatalf("after concurrent loads: %d days, %+v", len(days), row)
		}
		// both loaded (each found the year not loaded yet), or the second became a proposal
		pending, err := e.st.PendingCalendarProposal(ctx, 2027)
		testenv.Must(t, err)
		if v, _ := e.st.CalendarVersion(ctx); v != v0+2 && !(v == v0+1 && pending != nil) {
			t.Fatalf("version %d → %d, pending %+v", v0, v, pending)
		}
	})
}

// Permission and validation are checked before the store is touched.
func TestLoadYearRefused(t *testing.T) {
	cal := calendar.New(calendar.Seed(), calendar.SeedYears()...)
	svc := calendaradmin.New(untouchable{t}, cal, func() time.Time { return dec1 }, nil, calendaradmin.Options{})
	ctx := context.Background()
	inactive := *admin
	inactive.Active = false
	for _, st := range []*model.Staff{caseworker, &inactive, nil,
		{ID: 9, Role: model.RoleCountyOfficer, Active: true}, {ID: 10, Role: model.RoleAuditor, Active: true}} {
		if _, err := svc.LoadYear(ctx, st, 2027, fixture2027(), "x"); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("LoadYear by %+v = %v, want auth.forbidden", st, err)
		}
		if _, err := svc.GetYear(ctx, st, 2027); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("GetYear by %+v = %v, want auth.forbidden", st, err)
		}
	}

	day := func(date string, kind model.DayKind, name string) model.CalendarDay {
		return model.CalendarDay{Date: date, Kind: kind, Name: name}
	}
	many := make([]model.CalendarDay, 367)
	for i := range many {
		many[i] = day(time.Date(2027, 1, 1+i, 0, 0, 0, 0, time.UTC).Format("2006-01-02"), model.DayHoliday, "x")
	}
	tests := []struct {
		name   string
		year   int
		source string
		days   []model.CalendarDay
		code   string
		fields map[string]string // field → substring of its hint
	}{
		{"year too early", 1999, "s", fixture2027(), "calendar.invalid_year", map[string]string{"year": "2000"}},
		{"year too late", 2101, "s", fixture2027(), "calendar.invalid_year", map[string]string{"year": "2100"}},
		{"no source", 2027, "  ", fixture2027(), "calendar.invalid_arrangement", map[string]string{"source": "依据"}},
		{"long source", 2027, strings.Repeat("通", 65), fixture2027(), "calendar.invalid_arrangement", map[string]string{"source": "64"}},
		{"no days", 2027, "s", nil, "calendar.invalid_arrangement", map[string]string{"days": "至少"}},
		{"too many days", 2027, "s", many, "calendar.invalid_arrangement", map[string]string{"days": "366"}},
		{"date in another year", 2027, "s", []model.CalendarDay{day("2027-01-01", model.DayHoliday, "元旦"), day("2028-01-01", model.DayHoliday, "元旦")},
			"calendar.invalid_arrangement", map[string]string{"days[1].date": "2027"}},
		{"impossible date", 2027, "s", []model.CalendarDay{day("2027-02-29", model.DayHoliday, "x")}, "calendar.invalid_arrangement", map[string]string{"days[0].date": "YYYY-MM-DD"}},
		{"short date", 2027, "s", []model.CalendarDay{day("2027-1-1", model.DayHoliday, "x")}, "calendar.invalid_arrangement", map[string]string{"days[0].date": "YYYY-MM-DD"}},
		{"duplicate", 2027, "s", []model.CalendarDay{day("2027-01-01", model.DayHoliday, "元旦"), day("2027-01-01", model.DayWorkday, "y")},
			"calendar.invalid_arrangement", map[string]string{"days[1].date": "days[0]"}},
		{"bad kind and name", 2027, "s", []model.CalendarDay{day("2027-01-01", "vacation", " ")},
			"calendar.invalid_arrangement", map[string]string{"days[0].kind": "holiday", "days[0].name": "名称"}},
		{"long name", 2027, "s", []model.CalendarDay{day("2027-01-01", model.DayHoliday, strings.Repeat("节", 65))},
			"calendar.invalid_arrangement", map[string]string{"days[0].name": "64"}},
	}
	for _, tc := range tests {
		_, err := svc.LoadYear(ctx, admin, tc.year, tc.days, tc.source)
		me := model.AsError(err)
		if me == nil || me.Kind != model.KindInvalid || me.Code != tc.code {
			t.Errorf("%s: err = %v, want 400 %s", tc.name, err, tc.code)
			continue
		}
		for f, want := range tc.fields {
			if !strings.Contains(me.Fields[f], want) {
				t.Errorf("%s: field %s = %q, want it to mention %q (fields %v)", tc.name, f, me.Fields[f], want, me.Fields)
			}
		}
	}
	if _, err := svc.GetYear(ctx, admin, 1999); model.AsError(err).Code != "calendar.invalid_year" {
		t.Errorf("GetYear(1999) = %v", err)
	}
}

// untouchable fails the test on any store call.
type untouchable struct{ t *testing.T }

func (u untouchable) InTx(context.Context, func(context.Context) error) error {
	u.t.Error("store touched")
	return errors.New("no")
}
func (u untouchable) ReplaceCalendarYear(context.Context, model.CalendarYear, []model.CalendarDay) (int64, error) {
	u.t.Error("store touched")
	return 0, errors.New("no")
}
func (u untouchable) CalendarYear(context.Context, int) ([]model.CalendarDay, *model.CalendarYear, error) {
	u.t.Error("store touched")
	return nil, nil, errors.New("no")
}
func (u untouchable) Audit(context.Context, *model.AuditLog) error {
	u.t.Error("store touched")
	return errors.New("no")
}

// AreasBeyond is the installation check that follows the permission: every area is inside.
func (u untouchable) AreasBeyond(context.Context, model.AreaCode) (int64, error) { return 0, nil }
func (u untouchable) PendingCalendarProposal(context.Context, int) (*model.CalendarProposal, error) {
	u.t.Error("store touched")
	return nil, errors.New("no")
}
func (u untouchable) ProposeCalendarYear(context.Context, *model.CalendarProposal) error {
	u.t.Error("store touched")
	return errors.New("no")
}
func (u untouchable) ConfirmCalendarProposal(context.Context, int, uint64, uint64, time.Time) (bool, error) {
	u.t.Error("store touched")
	return false, errors.New("no")
}
func (u untouchable) CalendarProposal(context.Context, int, uint64) (*model.CalendarProposal, error) {
	u.t.Error("store touched")
	return nil, errors.New("no")
}

func countYear(days []model.CalendarDay, year string) int {
	n := 0
	for _, d := range days {
		if strings.HasPrefix(d.Date, year+"-") {
			n++
		}
	}
	return n
}

func auditRows(t *testing.T, st *store.Store, action string) []model.AuditLog {
	t.Helper()
	rows, err := st.AuditPage(context.Background(), store.AuditFilter{Action: action, Limit: 10000}) // newest first
	testenv.Must(t, err)
	slices.Reverse(rows)
	return rows
}
