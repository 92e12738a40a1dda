package calendar

import (
	"strings"
	"testing"
	"time"

	"palmaid/model"
)

func TestSeedShape(t *testing.T) {
	days := Seed()
	if err := Validate(days); err != nil {
		t.Fatalf("Validate(Seed()) = %v", err)
	}
	kinds := map[model.DayKind]int{}
	years := map[int]int{}
	for _, o := range days {
		day, err := time.Parse(dateLayout, o.Date)
		if err != nil {
			t.Fatalf("%s: %v", o.Date, err)
		}
		years[day.Year()]++
		kinds[o.Kind]++
		if o.Name == "" {
			t.Errorf("%s has no name", o.Date)
		}
		weekend := day.Weekday() == time.Saturday || day.Weekday() == time.Sunday
		if o.Kind == model.DayWorkday && (!weekend || !strings.HasSuffix(o.Name, "调休上班")) {
			t.Errorf("make-up day %s (%s, %s) should be a weekend named …调休上班", o.Date, day.Weekday(), o.Name)
		}
	}
	for y := range years {
		if y < 2024 || y > 2026 {
			t.Errorf("Seed has a date in %d", y)
		}
	}
	for _, y := range []int{2024, 2025, 2026} {
		if years[y] == 0 {
			t.Errorf("Seed has nothing for %d", y)
		}
	}
	if kinds[model.DayHoliday] == 0 || kinds[model.DayWorkday] == 0 || len(kinds) != 2 {
		t.Errorf("Seed kinds = %v, want both holiday and workday only", kinds)
	}
}

func TestSeedIsFresh(t *testing.T) {
	a := Seed()
	a[0].Kind = model.DayWorkday
	if Seed()[0].Kind != model.DayHoliday {
		t.Fatal("Seed returned shared storage")
	}
}

// TestSeedMatchesNotices checks Seed against the State Council General Office notices
// (国办发明电〔2023〕7号 for 2024, 〔2024〕12号 for 2025, 〔2025〕7号 for 2026) as transcribed by hand,
// independently of the generated table: every listed day off is a holiday, every listed
// make-up day is a workday, and each year has no other make-up days.
func TestSeedMatchesNotices(t *testing.T) {
	type span struct{ from, to string } // inclusive
	notices := []struct {
		name    string
		off     []span
		makeUps []string
	}{
		{"2024 元旦", []span{{"2024-01-01", "2024-01-01"}}, nil},
		{"2024 春节", []span{{"2024-02-10", "2024-02-17"}}, []string{"2024-02-04", "2024-02-18"}},
		{"2024 清明节", []span{{"2024-04-04", "2024-04-06"}}, []string{"2024-04-07"}},
		{"2024 劳动节", []span{{"2024-05-01", "2024-05-05"}}, []string{"2024-04-28", "2024-05-11"}},
		{"2024 端午节", []span{{"2024-06-10", "2024-06-10"}}, nil},
		{"2024 中秋节", []span{{"2024-09-15", "2024-09-17"}}, []string{"2024-09-14"}},
		{"2024 国庆节", []span{{"2024-10-01", "2024-10-07"}}, []string{"2024-09-29", "2024-10-12"}},
		{"2025 元旦", []span{{"2025-01-01", "2025-01-01"}}, nil},
		{"2025 春节", []span{{"2025-01-28", "2025-02-04"}}, []string{"2025-01-26", "2025-02-08"}},
		{"2025 清明节", []span{{"2025-04-04", "2025-04-06"}}, nil},
		{"2025 劳动节", []span{{"2025-05-01", "2025-05-05"}}, []string{"2025-04-27"}},
		{"2025 端午节", []span{{"2025-05-31", "2025-06-02"}}, nil},
		{"2025 国庆节、中秋节", []span{{"2025-10-01", "2025-10-08"}}, []string{"2025-09-28", "2025-10-11"}},
		{"2026 元旦", []span{{"2026-01-01", "2026-01-03"}}, []string{"2026-01-04"}},
		{"2026 春节", []span{{"2026-02-15", "2026-02-23"}}, []string{"2026-02-14", "2026-02-28"}},
		{"2026 清明节", []span{{"2026-04-04", "2026-04-06"}}, nil},
		{"2026 劳动节", []span{{"2026-05-01", "2026-05-05"}}, []string{"2026-05-09"}},
		{"2026 端午节", []span{{"2026-06-19", "2026-06-21"}}, nil},
		{"2026 中秋节", []span{{"2026-09-25", "2026-09-27"}}, nil},
		{"2026 国庆节", []span{{"2026-10-01", "2026-10-07"}}, []string{"2026-09-20", "2026-10-10"}},
	}
	seed := map[string]model.CalendarDay{}
	for _, o := range Seed() {
		seed[o.Date] = o
	}
	allMakeUps := map[string]bool{}
	for _, n := range notices {
		holidayName := strings.Fields(n.name)[1]
		for _, s := range n.off {
			from, _ := time.Parse(dateLayout, s.from)
			to, _ := time.Parse(dateLayout, s.to)
			for day := from; !day.After(to); day = day.AddDate(0, 0, 1) {
				o, ok := seed[day.Format(dateLayout)]
				if !ok || o.Kind != model.DayHoliday || o.Name != holidayName {
					t.Errorf("%s: %s = %+v, want holiday %q", n.name, day.Format(dateLayout), o, holidayName)
				}
			}
		}
		for _, m := range n.makeUps {
			allMakeUps[m] = true
			if o := seed[m]; o.Kind != model.DayWorkday {
				t.Errorf("%s: make-up day %s = %+v, want workday", n.name, m, o)
			}
		}
	}
	for date, o := range seed {
		if o.Kind == model.DayWorkday && !allMakeUps[date] {
			t.Errorf("Seed has make-up day %s (%s) not in any notice", date, o.Name)
		}
	}
}
