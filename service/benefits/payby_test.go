package benefits_test

import (
	"testing"

	"palmaid/service/benefits"
	"palmaid/service/calendar"
)

// The pay-by date is the region's day of the month moved back to the last working day on or
// before it, with the holiday calendar (statutory holidays, 调休 make-up days) and its
// provisional flag past the loaded years.
func TestPayBy(t *testing.T) {
	cal := calendar.New(calendar.Seed(), calendar.SeedYears()...)
	for _, c := range []struct {
		month string
		day   int
		want  string
		prov  bool
	}{
		{"2026-10", 10, "2026-10-10", false}, // a Saturday, but a make-up working day (国庆节调休上班)
		{"2026-10", 7, "2026-09-30", false},  // inside the National Day holiday: back to the last working day before it
		{"2026-05", 5, "2026-04-30", false},  // inside 劳动节
		{"2026-01", 4, "2026-01-04", false},  // a Sunday, but a make-up working day (元旦调休上班)
		{"2026-11", 10, "2026-11-10", false}, // an ordinary Tuesday
		{"2026-01", 1, "2025-12-31", false},  // New Year's Day: back into the year before
		{"2027-01", 10, "2027-01-08", true},  // a Sunday in a year whose calendar is not loaded
	} {
		got, prov := benefits.PayBy(cal, calendar.Location(), c.month, c.day)
		if got != c.want || prov != c.prov {
			t.Errorf("%s day %d: %s (provisional %v), want %s (%v)", c.month, c.day, got, prov, c.want, c.prov)
		}
	}
}
