package model

import (
	"errors"
	"testing"
	"time"
)

func TestParseID(t *testing.T) {
	for s, want := range map[string]uint64{"1": 1, "42": 42, "0042": 42, "9223372036854775807": 1<<63 - 1} {
		if got, err := ParseID(s); err != nil || got != want {
			t.Errorf("ParseID(%q) = %d, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "0", "-1", "+1", " 1", "1e3", "0x10", "9223372036854775808", "18446744073709551615",
		"18446744073709551616", "99999999999999999999999", "１"} {
		if _, err := ParseID(s); !errors.Is(err, ErrInvalidID) {
			t.Errorf("ParseID(%q) = %v, want request.invalid_id", s, err)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, s := range []string{"2000-01-01", "2026-11-20", "2100-12-31"} {
		if _, ok := ParseDate(s, time.UTC); !ok {
			t.Errorf("ParseDate(%q) refused", s)
		}
	}
	for _, s := range []string{"", "0000-01-01", "1999-12-31", "2101-01-01", "9999-12-31", "2026-02-30", "2026-1-1", " 2026-01-01", "+2026-01-01"} {
		if _, ok := ParseDate(s, time.UTC); ok {
			t.Errorf("ParseDate(%q) accepted", s)
		}
	}
}

func TestAgeBand(t *testing.T) {
	for age, want := range map[int]string{0: "未满18岁", 17: "未满18岁", 18: "18–59岁", 59: "18–59岁", 60: "60–69岁", 70: "70–79岁", 80: "80岁以上", 104: "80岁以上"} {
		if got := AgeBand(age); got != want {
			t.Errorf("AgeBand(%d) = %s, want %s", age, got, want)
		}
	}
}
