package wxfield

import (
	"strings"
	"testing"
)

func TestLimitTable(t *testing.T) {
	cases := []struct {
		key   string
		limit int
		ok    bool
	}{
		{"thing1", 20, true},
		{"thing12", 20, true},
		{"short_thing3", 5, true},
		{"phrase2", 5, true},
		{"character_string4", 32, true},
		{"number5", 32, true},
		{"letter6", 32, true},
		{"symbol7", 5, true},
		{"name8", 10, true},
		{"amount9", 10, true},
		{"phone_number10", 17, true},
		{"car_number11", 8, true},
		{"time3", 0, false},
		{"date4", 0, false},
		{"unknown1", 0, false},
	}
	for _, c := range cases {
		got, ok := Limit(c.key)
		if got != c.limit || ok != c.ok {
			t.Errorf("Limit(%q) = %d,%v; want %d,%v", c.key, got, ok, c.limit, c.ok)
		}
	}
}

func TestNormalize(t *testing.T) {
	thirty := strings.Repeat("低保审核", 7) + "临时救" // 28+3 = 31 runes
	cases := []struct {
		key, in, want string
	}{
		{"thing1", "", "-"},
		{"thing1", "   ", "-"},
		{"thing1", thirty, string([]rune(thirty)[:20])},
		{"phrase2", "已受理并转交", "已受理并转"},
		{"phrase2", "已受理", "已受理"},
		{"character_string4", strings.Repeat("a", 40), strings.Repeat("a", 32)},
		{"time3", "2024年1月2日 15:04", "2024年1月2日 15:04"},
		{"name8", "欧阳一二三四五六七八九", "欧阳一二三四五六七八"},
		{"thing1", "ok\xffok", "ok\uFFFDok"},
	}
	for _, c := range cases {
		got := Normalize(c.key, c.in)
		if got != c.want {
			t.Errorf("Normalize(%q, %q) = %q; want %q", c.key, c.in, got, c.want)
		}
		if !Valid(c.key, got) {
			t.Errorf("Valid(%q, Normalize(...)=%q) = false", c.key, got)
		}
	}
}

func TestValid(t *testing.T) {
	if Valid("thing1", "") {
		t.Error("empty value must be invalid")
	}
	if Valid("thing1", strings.Repeat("字", 21)) {
		t.Error("21-rune thing must be invalid")
	}
	if !Valid("thing1", strings.Repeat("字", 20)) {
		t.Error("20-rune thing must be valid (limit counts runes, not bytes)")
	}
	if Valid("phrase1", "ab\xff") {
		t.Error("invalid UTF-8 must be invalid")
	}
}
