package wxfield

import (
	"math/rand"
	"strings"
	"testing"
)

func TestLimitTable(t *testing.T) {
	cases := []struct {
		key   string
		limit int
		ok    bool
	}{
		{"thing1", 20, true}, {"thing12", 20, true}, {"short_thing3", 5, true}, {"phrase2", 5, true},
		{"character_string4", 32, true}, {"number5", 32, true}, {"letter6", 32, true}, {"symbol7", 5, true},
		{"name8", 10, true}, {"amount9", 13, true}, {"phone_number10", 17, true}, {"car_number11", 8, true},
		{"time3", 0, false}, {"date4", 0, false}, {"unknown1", 0, false},
	}
	for _, c := range cases {
		got, ok := Limit(c.key)
		if got != c.limit || ok != c.ok {
			t.Errorf("Limit(%q) = %d,%v; want %d,%v", c.key, got, ok, c.limit, c.ok)
		}
	}
}

// What WeChat refuses, and what it takes, per type.
func TestValidType(t *testing.T) {
	cases := []struct {
		typ, value string
		ok         bool
	}{
		{"thing", "", false}, {"thing", strings.Repeat("字", 20), true}, {"thing", strings.Repeat("字", 21), false},
		{"phrase", "已受理", true}, {"phrase", "OK", false}, {"phrase", "已受理1", false}, {"phrase", "-", false},
		{"phrase", "审核确认通过", false},
		{"character_string", "JZ2026112300000001", true}, {"character_string", "编号1", false}, {"character_string", "a b", false},
		{"number", "123", true}, {"number", "12.5", true}, {"number", "-", false}, {"number", "一二", false},
		{"letter", "abc", true}, {"letter", "ab1", false},
		{"symbol", "-", true}, {"symbol", "a", false},
		{"name", "张三", true}, {"name", "欧阳一二三四五六七八九", false}, {"name", "Li Lei", true}, {"name", "张3", false},
		{"amount", "1200.50元", true}, {"amount", "¥1200", true}, {"amount", "1200", false}, {"amount", "一千元", false},
		{"phone_number", "13912345678", true}, {"phone_number", "+86-10-12345678", true}, {"phone_number", "139abc", false},
		{"time", "2026年11月23日 10:00", true}, {"time", "15:01", true}, {"time", "2026-11-23 10:00", true}, {"time", "昨天", false},
		{"date", "2026年11月23日", true}, {"date", "2026-11-23", true}, {"date", "-", false},
		{"ab\xff", "x", false}, {"thing", "ab\xff", false}, {"unknown", "x", false},
	}
	for _, c := range cases {
		if got := ValidType(c.typ, c.value); got != c.ok {
			t.Errorf("ValidType(%q, %q) = %v, want %v", c.typ, c.value, got, c.ok)
		}
	}
}

func TestFormat(t *testing.T) {
	thirty := strings.Repeat("低保审核", 7) + "临时救"
	cases := []struct{ typ, in, want string }{
		{"thing", "", "无"},
		{"thing", "   ", "无"},
		{"thing", thirty, string([]rune(thirty)[:20])},
		{"thing", "ok\xffok", "okok"},
		{"phrase", "已受理并转交", "已受理并转"},
		{"phrase", "已受理(1)", "已受理"},
		{"phrase", "OK", "有更新"},
		{"character_string", "JZ-2026 编号001", "JZ-2026001"},
		{"character_string", "全中文", "NA"},
		{"number", "共3项", "3"},
		{"name", "欧阳一二三四五六七八九", "欧阳一二三四五六七八"},
		{"amount", "1200.5", "1200.5元"},
		{"amount", "¥85000", "85000元"},
		{"amount", "很多", "0元"},
		{"time", "2026-11-23 10:00", "2026年11月23日 10:00"},
		{"time", "2024年1月2日 15:04", "2024年1月2日 15:04"},
		{"date", "2026-11-23", "2026年11月23日"},
		{"phone_number", "139 1234 5678", "13912345678"},
	}
	for _, c := range cases {
		got := Format(c.typ, c.in)
		if got != c.want {
			t.Errorf("Format(%q, %q) = %q; want %q", c.typ, c.in, got, c.want)
		}
		if !ValidType(c.typ, got) {
			t.Errorf("ValidType(%q, Format(...)=%q) = false", c.typ, got)
		}
	}
}

// Whatever the input, Format gives WeChat something it accepts (times: from our time layouts).
func TestFormatAlwaysValid(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	alphabet := []rune("申请已受理退回补正ABCxyz0123456789 .-_¥元:年月日\u200b\x00\t·")
	for i := 0; i < 20000; i++ {
		n := rng.Intn(40)
		r := make([]rune, n)
		for j := range r {
			r[j] = alphabet[rng.Intn(len(alphabet))]
		}
		for _, typ := range Types() {
			in := string(r)
			if typ == "time" || typ == "date" {
				in = "2026-11-23 10:00"
			}
			if got := Format(typ, in); !ValidType(typ, got) {
				t.Fatalf("Format(%q, %q) = %q, which WeChat refuses", typ, in, got)
			}
		}
	}
}
