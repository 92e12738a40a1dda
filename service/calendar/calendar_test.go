package calendar

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"palmaid/model"
)

// d returns a CST civil date at the given hour (default noon keeps tests far from midnight).
func d(s string) time.Time {
	t, err := time.ParseInLocation(dateLayout, s, cst)
	if err != nil {
		panic(err)
	}
	return t.Add(12 * time.Hour)
}

func TestLocation(t *testing.T) {
	if got := Location().String(); got != "Asia/Shanghai" {
		t.Fatalf("Location() = %s, want Asia/Shanghai (time/tzdata is embedded)", got)
	}
}

func TestDateOf(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 11, 19, 16, 30, 0, 0, time.UTC), "2026-11-20"}, // 00:30 CST next day
		{time.Date(2026, 11, 19, 15, 59, 0, 0, time.UTC), "2026-11-19"}, // 23:59 CST
		{time.Date(2026, 11, 20, 8, 0, 0, 0, time.FixedZone("PST", -8*3600)), "2026-11-21"},
		{d("2024-02-29"), "2024-02-29"},
	}
	for _, tc := range tests {
		if got := DateOf(tc.in); got != tc.want {
			t.Errorf("DateOf(%v) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestIsWorkingDay(t *testing.T) {
	c := New(Seed())
	tests := []struct {
		name string
		t    time.Time
		want bool
	}{
		{"ordinary Friday", d("2026-11-20"), true},
		{"ordinary Saturday", d("2026-11-21"), false},
		{"ordinary Sunday", d("2026-11-22"), false},
		{"National Day, Thursday", d("2026-10-01"), false},
		{"National Day make-up Saturday", d("2026-10-10"), true},
		{"National Day make-up Sunday", d("2026-09-20"), true},
		{"Mid-autumn Friday", d("2026-09-25"), false},
		{"Spring Festival make-up Saturday 2026", d("2026-02-14"), true},
		{"Spring Festival Monday 2026", d("2026-02-23"), false},
		{"after Spring Festival 2026", d("2026-02-24"), true},
		{"2025 National Day Wednesday 10-08", d("2025-10-08"), false},
		{"2025 make-up Saturday 10-11", d("2025-10-11"), true},
		{"2024 Spring Festival make-up Sunday", d("2024-02-18"), true},
		{"year without overrides: fixed New Year's Day", d("2027-01-01"), false},
		{"year without overrides: ordinary Monday", d("2027-01-04"), true},
		{"Saturday 00:30 CST given in UTC", time.Date(2026, 11, 20, 16, 30, 0, 0, time.UTC), false},
		{"Friday 23:59 CST given in UTC", time.Date(2026, 11, 20, 15, 59, 0, 0, time.UTC), true},
	}
	for _, tc := range tests {
		if got := c.IsWorkingDay(tc.t); got != tc.want {
			t.Errorf("%s: IsWorkingDay(%s) = %v, want %v", tc.name, DateOf(tc.t), got, tc.want)
		}
	}
}

// Expected dates were counted by hand from the published 2026 arrangement.
func TestAddWorkingDays(t *testing.T) {
	c := New(Seed())
	tests := []struct {
		name string
		from time.Time
		n    int
		want string
	}{
		{"Friday + 3 skips the weekend", d("2026-11-20"), 3, "2026-11-25"},
		{"Friday + 1 is Monday", d("2026-11-20"), 1, "2026-11-23"},
		{"Saturday + 1 is Monday", d("2026-11-21"), 1, "2026-11-23"},
		{"Sunday + 5 is Friday", d("2026-11-22"), 5, "2026-11-27"},
		{"Monday + 5 is next Monday", d("2026-11-16"), 5, "2026-11-23"},
		{"n = 0 returns from's date", d("2026-11-21"), 0, "2026-11-21"},
		{"n < 0 returns from's date", d("2026-11-20"), -4, "2026-11-20"},
		{"00:30 CST Friday given in UTC", time.Date(2026, 11, 19, 16, 30, 0, 0, time.UTC), 3, "2026-11-25"},
		{"23:59 CST Thursday given in UTC", time.Date(2026, 11, 19, 15, 59, 0, 0, time.UTC), 3, "2026-11-24"},
		{"before Mid-autumn and National Day", d("2026-09-24"), 3, "2026-09-30"},
		{"across National Day to make-up Saturday", d("2026-09-24"), 6, "2026-10-10"},
		{"across National Day past make-up Saturday", d("2026-09-24"), 7, "2026-10-12"},
		{"make-up Sunday counted", d("2026-09-18"), 1, "2026-09-20"},
		{"accepted on a holiday", d("2026-10-04"), 1, "2026-10-08"},
		{"accepted on first day of National Day", d("2026-10-01"), 3, "2026-10-10"},
		{"accepted on a make-up Saturday", d("2026-10-10"), 1, "2026-10-12"},
		{"Spring Festival make-up Saturday counted", d("2026-02-13"), 1, "2026-02-14"},
		{"across Spring Festival", d("2026-02-12"), 3, "2026-02-24"},
		{"second Spring Festival make-up Saturday", d("2026-02-27"), 1, "2026-02-28"},
		{"低保 30 WD across National Day", d("2026-09-14"), 30, "2026-10-30"},
		{"across 2025 National Day", d("2025-09-30"), 1, "2025-10-09"},
		{"2025 Spring Festival make-up Sunday", d("2025-01-24"), 1, "2025-01-26"},
		{"across New Year 2026", d("2025-12-31"), 2, "2026-01-05"}, // 1-4 Sun make-up is #1
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := c.AddWorkingDays(tc.from, tc.n)
			if DateOf(got) != tc.want {
				t.Fatalf("AddWorkingDays(%s, %d) = %s, want %s", DateOf(tc.from), tc.n, DateOf(got), tc.want)
			}
			if h, m, s := got.In(cst).Clock(); h+m+s != 0 || got.Location() != cst {
				t.Fatalf("AddWorkingDays returned %v, want 00:00 CST", got)
			}
		})
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	c := New(Seed())
	tests := []struct {
		name     string
		from, to time.Time
		want     int
	}{
		{"Friday to Wednesday", d("2026-11-20"), d("2026-11-25"), 3},
		{"same day", d("2026-11-20"), d("2026-11-20").Add(11 * time.Hour), 0},
		{"to before from", d("2026-11-25"), d("2026-11-20"), 0},
		{"Friday to Sunday", d("2026-11-20"), d("2026-11-22"), 0},
		{"across Spring Festival", d("2026-02-12"), d("2026-02-24"), 3},
		{"低保 30 WD", d("2026-09-14"), d("2026-10-30"), 30},
		{"whole National Day week", d("2026-09-30"), d("2026-10-07"), 0},
		{"to given in UTC on the CST next day", d("2026-11-20"), time.Date(2026, 11, 24, 16, 30, 0, 0, time.UTC), 3},
	}
	for _, tc := range tests {
		if got := c.WorkingDaysBetween(tc.from, tc.to); got != tc.want {
			t.Errorf("%s: WorkingDaysBetween(%s, %s) = %d, want %d", tc.name, DateOf(tc.from), DateOf(tc.to), got, tc.want)
		}
	}
}

// AddWorkingDays and WorkingDaysBetween agree on every start date of the seeded years.
func TestAddAndBetweenAgree(t *testing.T) {
	c := New(Seed())
	for from := d("2024-01-01"); from.Year() < 2027; from = from.AddDate(0, 0, 1) {
		for _, n := range []int{1, 2, 3, 5, 10, 15, 20, 30, 45} {
			due := c.AddWorkingDays(from, n)
			if !c.IsWorkingDay(due) {
				t.Fatalf("AddWorkingDays(%s, %d) = %s is not a working day", DateOf(from), n, DateOf(due))
			}
			if got := c.WorkingDaysBetween(from, due); got != n {
				t.Fatalf("WorkingDaysBetween(%s, %s) = %d, want %d", DateOf(from), DateOf(due), got, n)
			}
		}
	}
}

func TestReplace(t *testing.T) {
	c := New(Seed())
	if got := DateOf(c.AddWorkingDays(d("2026-09-30"), 1)); got != "2026-10-08" {
		t.Fatalf("before Replace: %s, want 2026-10-08", got)
	}
	c.Replace(nil)
	// Without overrides only the fixed-date holidays (1–3 October) remain.
	if got := DateOf(c.AddWorkingDays(d("2026-09-30"), 1)); got != "2026-10-05" {
		t.Fatalf("after Replace(nil): %s, want 2026-10-05", got)
	}
	c.Replace([]model.CalendarDay{
		{Date: "2026-11-23", Kind: model.DayHoliday, Name: "地方假日"},
		{Date: "2026-11-28", Kind: model.DayWorkday, Name: "调休上班"},
	})
	tests := []struct {
		from time.Time
		n    int
		want string
	}{
		{d("2026-11-20"), 3, "2026-11-26"},
		{d("2026-11-27"), 1, "2026-11-28"},
		{d("2026-09-30"), 1, "2026-10-05"},
	}
	for _, tc := range tests {
		if got := DateOf(c.AddWorkingDays(tc.from, tc.n)); got != tc.want {
			t.Errorf("after Replace: AddWorkingDays(%s, %d) = %s, want %s", DateOf(tc.from), tc.n, got, tc.want)
		}
	}
}

func TestNewSkipsInvalidAndLastWins(t *testing.T) {
	c := New([]model.CalendarDay{
		{Date: "2026/11/23", Kind: model.DayHoliday},
		{Date: "2026-11-24", Kind: "vacation"},
		{Date: "2026-11-25", Kind: model.DayHoliday},
		{Date: "2026-11-25", Kind: model.DayWorkday},
	})
	for _, s := range []string{"2026-11-23", "2026-11-24", "2026-11-25"} {
		if !c.IsWorkingDay(d(s)) {
			t.Errorf("%s should be a working day", s)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		days []model.CalendarDay
		ok   bool
	}{
		{"seed", Seed(), true},
		{"empty", nil, true},
		{"bad date", []model.CalendarDay{{Date: "2026-2-30", Kind: model.DayHoliday}}, false},
		{"impossible date", []model.CalendarDay{{Date: "2026-02-30", Kind: model.DayHoliday}}, false},
		{"bad kind", []model.CalendarDay{{Date: "2026-02-03", Kind: "off"}}, false},
		{"duplicate", []model.CalendarDay{{Date: "2026-02-03", Kind: model.DayHoliday}, {Date: "2026-02-03", Kind: model.DayWorkday}}, false},
	}
	for _, tc := range tests {
		if err := Validate(tc.days); (err == nil) != tc.ok {
			t.Errorf("%s: Validate = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

type fakeLoader struct {
	days    []model.CalendarDay
	years   []model.CalendarYear
	version int64
	err     error
	queries int // CalendarVersion calls
}

func (f *fakeLoader) ListCalendarDays(context.Context) ([]model.CalendarDay, error) {
	return f.days, f.err
}

func (f *fakeLoader) ListCalendarYears(context.Context) ([]model.CalendarYear, error) {
	return f.years, f.err
}

func (f *fakeLoader) CalendarVersion(context.Context) (int64, error) {
	f.queries++
	return f.version, f.err
}

func TestLoad(t *testing.T) {
	boom := errors.New("db down")
	tests := []struct {
		name    string
		l       fakeLoader
		wantErr bool
		oct5    bool // IsWorkingDay(2026-10-05): a National Day holiday only in the seeded table
	}{
		{"seeded table", fakeLoader{days: Seed()}, false, false},
		{"empty table", fakeLoader{}, false, true},
		{"loader error", fakeLoader{err: boom}, true, false},
		{"invalid row", fakeLoader{days: []model.CalendarDay{{Date: "2026-13-01", Kind: model.DayHoliday}}}, true, false},
	}
	for _, tc := range tests {
		c, err := Load(context.Background(), &tc.l, Options{})
		if (err != nil) != tc.wantErr {
			t.Errorf("%s: Load error = %v, want error=%v", tc.name, err, tc.wantErr)
			continue
		}
		if tc.l.err != nil && !errors.Is(err, boom) {
			t.Errorf("%s: Load error %v does not wrap the loader's", tc.name, err)
		}
		if err == nil && c.IsWorkingDay(d("2026-10-05")) != tc.oct5 {
			t.Errorf("%s: IsWorkingDay(2026-10-05) = %v, want %v", tc.name, !tc.oct5, tc.oct5)
		}
	}
}

func TestConcurrentReplace(t *testing.T) {
	c := New(Seed())
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				c.AddWorkingDays(d("2026-09-24"), 10)
				c.WorkingDaysBetween(d("2026-09-24"), d("2026-10-30"))
			}
		}()
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				c.Replace(Seed())
			}
		}()
	}
	wg.Wait()
}

func BenchmarkAddWorkingDays30(b *testing.B) {
	c := New(Seed())
	from := d("2026-09-14")
	b.ReportAllocs()
	for b.Loop() {
		_ = c.AddWorkingDays(from, 30)
	}
}
