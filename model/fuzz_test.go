package model

import (
	"strings"
	"testing"
	"time"
)

// FuzzIDNumber: the ID parser never panics; a number it accepts is 18 characters of digits
// (and a final X), its mask keeps only the first 6 and last 4, and its birth date parses.
// Run long: go test ./model/ -run '^$' -fuzz FuzzIDNumber -fuzztime 10m
func FuzzIDNumber(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "110105194912310021", " 11010519491231002x ", "", "１１０１０５１９４９１２３１００２Ｘ", "\x00", "99999999999999999X"} {
		f.Add(s)
	}
	today := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		id := NormalizeIDNumber(s)
		if ValidateIDNumber(id, today) != nil {
			return
		}
		if len(id) != 18 || strings.Trim(id[:17], "0123456789") != "" || strings.Trim(id[17:], "0123456789X") != "" {
			t.Fatalf("accepted %q (from %q)", id, s)
		}
		m := MaskIDNumber(id)
		if m[:6] != id[:6] || m[14:] != id[14:] || strings.Trim(m[6:14], "*") != "" {
			t.Fatalf("mask %q of %q", m, id)
		}
		if _, ok := BirthDateFromID(id); !ok {
			t.Fatalf("valid %q without a birth date", id)
		}
	})
}

// FuzzUsername: normalisation is idempotent and its output is within the strict set.
func FuzzUsername(f *testing.F) {
	for _, s := range []string{"town_west", "TowN_west", "ｔｏｗｎ＿ｗｅｓｔ", "town_west\x00", " a.b-c "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := NormalizeUsername(s)
		if err != nil {
			return
		}
		again, err := NormalizeUsername(n)
		if err != nil || again != n || strings.Trim(n, "abcdefghijklmnopqrstuvwxyz0123456789._-") != "" {
			t.Fatalf("%q → %q → %q, %v", s, n, again, err)
		}
	})
}
