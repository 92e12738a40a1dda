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
