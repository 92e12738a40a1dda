package model

import "time"

// The years a date in a request may name (a query filter, an effective date, a visit): both
// databases store them, and nothing palmaid records lies outside. A date outside is refused
// as invalid input before it reaches a query (MariaDB refused 0000-01-01 with an error that
// answered 500).
const (
	MinDateYear = 2000
	MaxDateYear = 2100
)

// ParseDate reads a civil date YYYY-MM-DD (exactly ten characters, a real day) in loc and
// reports whether it is one, inside MinDateYear..MaxDateYear.
func ParseDate(s string, loc *time.Location) (time.Time, bool) {
	if len(s) != 10 {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil || t.Year() < MinDateYear || t.Year() > MaxDateYear {
		return time.Time{}, false
	}
	return t, true
}
