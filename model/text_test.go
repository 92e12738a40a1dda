package model

import (
	"errors"
	"testing"
)

func TestCheckText(t *testing.T) {
	for _, ok := range []string{"", "家中老人卧床，需护理。", "第一行\n第二行\t缩进", "O'Neil · 阿依古丽"} {
		if err := CheckText("reason", ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"a\x00b", "收入\u202E0001", "隐\u200B藏", "\uFEFF前缀", "\u2066隔离\u2069", "响\x07铃", "\u00AD"} {
		err := CheckText("reason", bad)
		if !errors.Is(err, ErrInvalidText) || AsError(err).Fields["reason"] == "" {
			t.Errorf("%q accepted or unnamed: %v", bad, err)
		}
	}
}

func TestTruncateKeepsWholeCharacters(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{{"申请人张三", 2, "申请"}, {"ab申请", 3, "ab申"}, {"abc", 3, "abc"}, {"abc", 5, "abc"}, {"abc", 0, ""}, {"", 2, ""}} {
		if got := Truncate(c.in, c.n); got != c.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}
