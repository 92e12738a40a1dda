package model

import (
	"errors"
	"testing"
)

func TestNormalizeUsername(t *testing.T) {
	for in, want := range map[string]string{
		"town_west":     "town_west",
		"TowN_west":     "town_west",
		"ｔｏｗｎ＿ｗｅｓｔ":     "town_west", // fullwidth
		" town_west \t": "town_west",
		"Admin.01":      "admin.01",
		"village-e1":    "village-e1",
	} {
		got, err := NormalizeUsername(in)
		if err != nil || got != want {
			t.Errorf("NormalizeUsername(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "ab", "town_west\x00", "town west", "_town", "tоwn_west" /* Cyrillic о */, "town_west\u200b",
		"a234567890123456789012345678901234", "town/west", "镇长"} {
		if got, err := NormalizeUsername(bad); !errors.Is(err, ErrInvalidUsername) {
			t.Errorf("NormalizeUsername(%q) = %q, %v; want ErrInvalidUsername", bad, got, err)
		}
	}
}
