package calendar

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"palmaid/model"
)

// Fixed-date holidays hold in every year, loaded or not, unless an override says workday.
func TestFixedHolidaysEveryYear(t *testing.T) {
	c := New(Seed(), SeedYears()...)
	for _, year := range []int{2023, 2024, 2025, 2026, 2027, 2028, 2031, 2040, 2099} {
		for _, f := range FixedHolidays(year) {
			if c.IsWorkingDay(d(f.Date)) {
				t.Errorf("%s (%s) is a working day, want the fixed holiday", f.Date, f.Name)
			}
		}
	}
	tests := []struct {
		date string
		want bool
	}{
		{"2027-01-01", false}, // Friday, 元旦
		{"2027-05-03", true},  // Monday after 劳动节: not fixed
		{"2027-10-04", true},  // Monday after 国庆节: not fixed
		{"2027-12-31", true},  // Friday
		{"2030-05-01", false}, // Wednesday
		{"2030-05-02", false}, // Thursday
		{"2030-10-03", false}, // Thursday
		{"2030-04-30", true},  // Tuesday
		{"2033-01-01", false}, // Saturday, and a fixed holiday anyway
		{"2033-01-03", true},  // Monday: no substitute day without a loaded notice
	}
	for _, tc := range tests {
		if got := c.IsWorkingDay(d(tc.date)); got != tc.want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tc.date, got, tc.want)
		}
	}
	if names := []string{FixedHolidays(2027)[0].Name, FixedHolidays(2027)[1].Name, FixedHolidays(2027)[3].Name}; !slices.Equal(names, []string{"元旦", "劳动节", "国庆节"}) {
		t.Errorf("FixedHolidays names = %v", names)
	}
	// An override marking a fixed date a workday wins.
	w := New([]model.CalendarDay{{Date: "2030-10-03", Kind: model.DayWorkday, Name: "调休上班（测试）"}})
	if !w.IsWorkingDay(d("2030-10-03")) {
		t.Error("a workday override on 10-03 lost to the fixed-date rule")
	}
}

func TestAddWorkingDaysFlag(t *testing.T) {
	c := New(Seed(), SeedYears()...)
	tests := []struct {
		name        string
		from        time.Time
		n           int
		want        string
		provisional bool
	}{
		{"inside a loaded year", d("2026-11-20"), 3, "2026-11-25", false},
		{"ends on the last day of a loaded year", d("2026-12-28"), 3, "2026-12-31", false},
		{"crosses into 2027: skips New Year's Day", d("2026-12-29"), 3, "2027-01-04", true},
		{"starts in the unloaded year", d("2027-03-01"), 1, "2027-03-02", true},
		{"n = 0 counts no day", d("2027-03-01"), 0, "2027-03-01", false},
		{"低保 30 WD from 20 November", d("2026-11-20"), 30, "2027-01-04", true},
		{"30 WD from 16 November stays in 2026", d("2026-11-16"), 30, "2026-12-28", false},
		{"across 2024 National Day and its make-up Sunday", d("2024-09-27"), 3, "2024-10-08", false},
	}
	for _, tc := range tests {
		due, prov := c.AddWorkingDaysFlag(tc.from, tc.n)
		if DateOf(due) != tc.want || prov != tc.provisional {
			t.Errorf("%s: AddWorkingDaysFlag(%s, %d) = %s, %v; want %s, %v", tc.name, DateOf(tc.from), tc.n, DateOf(due), prov, tc.want, tc.provisional)
		}
		if got := c.AddWorkingDays(tc.from, tc.n); !got.Equal(due) {
			t.Errorf("%s: AddWorkingDays = %s, AddWorkingDaysFlag = %s", tc.name, DateOf(got), DateOf(due))
		}
	}

	// Loading 2027 (a test fixture, not the real arrangement) removes the flag and its days count.
	fixture := []model.CalendarDay{
		{Date: "2027-01-01", Kind: model.DayHoliday, Name: "元旦"},
		{Date: "2027-01-04", Kind: model.DayHoliday, Name: "测试假日（虚构）"},
		{Date: "2027-01-09", Kind: model.DayWorkday, Name: "测试调休上班（虚构）"},
	}
	c.Replace(append(Seed(), fixture...), 2024, 2025, 2026, 2027)
	due, prov := c.AddWorkingDaysFlag(d("2026-12-29"), 3)
	if DateOf(due) != "2027-01-05" || prov {
		t.Fatalf("after loading 2027: %s, %v; want 2027-01-05, false", DateOf(due), prov)
	}
	if due, _ := c.AddWorkingDaysFlag(d("2027-01-08"), 1); DateOf(due) != "2027-01-09" {
		t.Fatalf("the fixture's make-up Saturday is not counted: %s", DateOf(due))
	}
}

func TestProvisionalAndLoadedYears(t *testing.T) {
	c := New(Seed(), 2026, 2024, 2025)
	if got := c.LoadedYears(); !slices.Equal(got, []int{2024, 2025, 2026}) {
		t.Fatalf("LoadedYears = %v", got)
	}
	tests := []struct {
		t    time.Time
		want bool
	}{
		{d("2026-12-31"), false},
		{d("2027-01-01"), true},
		{time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC), true}, // 2027-01-01 00:30 CST
		{time.Date(2026, 12, 31, 15, 59, 0, 0, time.UTC), false},
		{d("2023-12-29"), true},
	}
	for _, tc := range tests {
		if got := c.Provisional(tc.t); got != tc.want {
			t.Errorf("Provisional(%v) = %v, want %v", tc.t, got, tc.want)
		}
	}
	if New(Seed()).LoadedYears() == nil {
		t.Error("LoadedYears is nil, want an empty list")
	}
}

func TestCoverageWarning(t *testing.T) {
	tests := []struct {
		name   string
		loaded []int
		now    time.Time
		want   []string // substrings; none = no warning
	}{
		{"30 November, next year missing", []int{2024, 2025, 2026}, d("2026-11-30"), nil},
		{"1 December 00:30 CST (UTC still November)", []int{2024, 2025, 2026}, time.Date(2026, 11, 30, 16, 30, 0, 0, time.UTC), []string{"2027年节假日安排尚未导入", "暂定"}},
		{"31 December", []int{2026}, d("2026-12-31"), []string{"2027年"}},
		{"1 December, next year loaded", []int{2026, 2027}, d("2026-12-01"), nil},
		{"current year missing in January", []int{2024, 2025, 2026}, d("2027-01-05"), []string{"2027年节假日安排尚未导入", "1月1日、5月1—2日、10月1—3日"}},
		{"both missing in December", []int{2026}, d("2027-12-01"), []string{"2027年", "2028年"}},
	}
	for _, tc := range tests {
		got := New(nil, tc.loaded...).CoverageWarning(tc.now)
		if len(tc.want) == 0 && got != "" {
			t.Errorf("%s: warning %q, want none", tc.name, got)
		}
		if len(tc.want) > 0 && got == "" {
			t.Errorf("%s: no warning", tc.name)
		}
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: warning %q lacks %q", tc.name, got, w)
			}
		}
	}
}

type fakeClock struct{ t time.Time }

func (f *fakeClock) now() time.Time { return f.t }

// Sync asks the source at most once per interval and reloads only on a new version.
func TestSync(t *testing.T) {
	ctx := context.Background()
	clk := &fakeClock{t: d("2026-12-01")}
	src := &fakeLoader{days: Seed(), years: seedYearRows(2024, 2025, 2026), version: 1}
	c, err := Load(ctx, src, Options{Now: clk.now, SyncEvery: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if c.Version() != 1 || !c.Provisional(d("2027-01-04")) || c.CoverageWarning(clk.t) == "" {
		t.Fatalf("initial load: version %d, loaded %v", c.Version(), c.LoadedYears())
	}
	// Another instance loads 2027.
	src.days = append(Seed(), model.CalendarDay{Date: "2027-01-04", Kind: model.DayHoliday, Name: "测试假日（虚构）"})
	src.years = seedYearRows(2024, 2025, 2026, 2027)
	src.version = 2
	before := src.queries

	clk.t = clk.t.Add(29 * time.Second)
	if changed, err := c.Sync(ctx); changed || err != nil || src.queries != before {
		t.Fatalf("Sync within the interval: changed=%v err=%v queries=%d→%d", changed, err, before, src.queries)
	}
	if !c.IsWorkingDay(d("2027-01-04")) {
		t.Fatal("reloaded before the interval passed")
	}
	clk.t = clk.t.Add(time.Second)
	if changed, err := c.Sync(ctx); !changed || err != nil {
		t.Fatalf("Sync after the interval: changed=%v err=%v", changed, err)
	}
	if c.IsWorkingDay(d("2027-01-04")) || c.Provisional(d("2027-01-04")) || c.Version() != 2 || c.CoverageWarning(clk.t) != "" {
		t.Fatalf("after Sync: 2027-01-04 working=%v provisional=%v version=%d", c.IsWorkingDay(d("2027-01-04")), c.Provisional(d("2027-01-04")), c.Version())
	}
	// Unchanged version: a query, no reload.
	clk.t = clk.t.Add(time.Minute)
	if changed, err := c.Sync(ctx); changed || err != nil {
		t.Fatalf("Sync with the same version: changed=%v err=%v", changed, err)
	}
	// A failing source keeps the loaded calendar and is not asked again within the interval.
	src.err = errors.New("db down")
	clk.t = clk.t.Add(time.Minute)
	if _, err := c.Sync(ctx); err == nil {
		t.Fatal("Sync hid the source's error")
	}
	n := src.queries
	if _, err := c.Sync(ctx); err != nil || src.queries != n {
		t.Fatalf("Sync retried at once: err=%v queries %d→%d", err, n, src.queries)
	}
	if c.IsWorkingDay(d("2027-01-04")) {
		t.Fatal("a failed sync dropped the loaded calendar")
	}
	// Reload ignores the interval.
	src.err = nil
	src.days, src.version = Seed(), 3
	if err := c.Reload(ctx); err != nil || !c.IsWorkingDay(d("2027-01-04")) || c.Version() != 3 {
		t.Fatalf("Reload: err=%v version=%d", err, c.Version())
	}
	// A calendar without a source never syncs.
	if changed, err := New(Seed()).Sync(ctx); changed || err != nil {
		t.Fatalf("New(...).Sync = %v, %v", changed, err)
	}
}

func TestStartSyncStops(t *testing.T) {
	src := &fakeLoader{days: Seed(), years: seedYearRows(2026), version: 1}
	c, err := Load(context.Background(), src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	stop := c.StartSync(nil)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func seedYearRows(years ...int) []model.CalendarYear {
	out := make([]model.CalendarYear, len(years))
	for i, y := range years {
		out[i] = model.CalendarYear{Year: y, Source: "test"}
	}
	return out
}
