// Package wxfield knows what WeChat accepts in each subscribe-message field type. The adapter
// formats every value with Format before sending, and the simulator rejects with 47003 what
// Valid refuses, so both sides agree on one table and tests catch what WeChat would reject.
//
// A keyword id is a type name followed by a number: "thing1", "phrase2", "character_string4";
// the numbers belong to the library template a mini-program picked, the types are WeChat's.
// Limits count characters (runes), not bytes.
package wxfield

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Types lists the field types we know (Format and Valid accept exactly these).
func Types() []string {
	return []string{"thing", "short_thing", "phrase", "character_string", "number", "letter", "symbol",
		"name", "amount", "phone_number", "car_number", "time", "date"}
}

// Known reports whether typ is a field type of Types.
func Known(typ string) bool {
	for _, t := range Types() {
		if t == typ {
			return true
		}
	}
	return false
}

// limit returns the maximum length in runes of a field type; time and date have formats
// instead. A switch rather than a map keeps the table immutable.
func limit(typ string) (int, bool) {
	switch typ {
	case "thing":
		return 20, true
	case "character_string", "number", "letter":
		return 32, true
	case "short_thing", "phrase", "symbol":
		return 5, true
	case "name":
		return 10, true
	case "amount":
		return 13, true // "¥" + 10 digits with a decimal part, or digits + "元"
	case "phone_number":
		return 17, true
	case "car_number":
		return 8, true
	default:
		return 0, false
	}
}

// Type returns the field type of a keyword id: the key with its trailing digits removed
// ("character_string4" -> "character_string").
func Type(key string) string {
	return strings.TrimRight(key, "0123456789")
}

// Limit returns the maximum number of runes allowed for key's type, and false when the type
// has no length limit (time, date, unknown types).
func Limit(key string) (int, bool) {
	return limit(Type(key))
}

var (
	amountRe = regexp.MustCompile(`^(?:[¥￥]\d{1,10}(?:\.\d{1,2})?|\d{1,10}(?:\.\d{1,2})?元)$`)
	numberRe = regexp.MustCompile(`^\d{1,32}(?:\.\d{1,8})?$`)
	phoneRe  = regexp.MustCompile(`^\+?[0-9][0-9-]{0,16}$`)
	timeRe   = regexp.MustCompile(`^(?:\d{4}年\d{1,2}月\d{1,2}日 )?\d{1,2}:\d{2}$|^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$`)
	dateRe   = regexp.MustCompile(`^\d{4}年\d{1,2}月\d{1,2}日$|^\d{4}-\d{2}-\d{2}$`)
)

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func isASCIILetter(r rune) bool { return r < utf8.RuneSelf && unicode.IsLetter(r) }

func isASCIIGraphic(r rune) bool { return r > ' ' && r < 0x7f }

func isSymbol(r rune) bool { return isASCIIGraphic(r) && !unicode.IsLetter(r) && !unicode.IsDigit(r) }

func all(s string, ok func(rune) bool) bool {
	for _, r := range s {
		if !ok(r) {
			return false
		}
	}
	return true
}

// ValidType reports whether WeChat would accept value for a field of type typ.
func ValidType(typ, value string) bool {
	if strings.TrimSpace(value) == "" || !utf8.ValidString(value) {
		return false
	}
	if n, ok := limit(typ); ok && utf8.RuneCountInString(value) > n {
		return false
	}
	switch typ {
	case "thing", "short_thing", "car_number":
		return all(value, unicode.IsPrint)
	case "phrase":
		return all(value, isHan)
	case "character_string":
		return all(value, isASCIIGraphic)
	case "letter":
		return all(value, isASCIILetter)
	case "symbol":
		return all(value, isSymbol)
	case "number":
		return numberRe.MatchString(value)
	case "name":
		return all(value, func(r rune) bool { return isHan(r) || r == '·' }) ||
			(utf8.RuneCountInString(value) <= 20 && all(value, func(r rune) bool { return isASCIILetter(r) || r == ' ' }))
	case "amount":
		return amountRe.MatchString(value)
	case "phone_number":
		return phoneRe.MatchString(value)
	case "time":
		return timeRe.MatchString(value)
	case "date":
		return dateRe.MatchString(value)
	}
	return false
}

// Valid reports whether WeChat would accept value for the keyword key.
func Valid(key, value string) bool { return ValidType(Type(key), value) }

// Fallbacks: a real value of each type for when nothing of the input survives (WeChat refuses
// blanks, and "-" is not valid for every type).
func fallback(typ string) string {
	switch typ {
	case "phrase":
		return "有更新"
	case "character_string", "letter":
		return "NA"
	case "number":
		return "0"
	case "symbol":
		return "-"
	case "name":
		return "申请人"
	case "amount":
		return "0元"
	case "phone_number":
		return "0"
	case "car_number":
		return "无"
	default:
		return "无"
	}
}

func keep(s string, ok func(rune) bool, n int) string {
	var b strings.Builder
	c := 0
	for _, r := range s {
		if c == n {
			break
		}
		if ok(r) {
			b.WriteRune(r)
			c++
		}
	}
	return b.String()
}

// Times are given to Format in one of these layouts (China Standard Time already applied).
var timeLayouts = []string{"2006-01-02 15:04", "2006-01-02T15:04:05Z07:00", "2006-01-02"}

// Format turns value into what a field of type typ accepts: characters the type does not
// allow dropped, cut to its rune limit, times and dates in WeChat's layout, and a real value
// of the type when nothing is left. It never returns something ValidType refuses.
func Format(typ, value string) string {
	value = strings.TrimSpace(strings.ToValidUTF8(value, ""))
	n, _ := limit(typ)
	var out string
	switch typ {
	case "thing", "short_thing", "car_number":
		out = keep(value, unicode.IsPrint, n)
	case "phrase":
		out = keep(value, isHan, n)
	case "character_string":
		out = keep(value, isASCIIGraphic, n)
	case "letter":
		out = keep(value, isASCIILetter, n)
	case "symbol":
		out = keep(value, isSymbol, n)
	case "number":
		out = keep(value, func(r rune) bool { return r >= '0' && r <= '9' }, n)
	case "name":
		if h := keep(value, isHan, n); h != "" {
			out = h
		} else {
			out = strings.TrimSpace(keep(value, func(r rune) bool { return isASCIILetter(r) || r == ' ' }, 20))
		}
	case "amount":
		out = formatAmount(value)
	case "phone_number":
		out = keep(value, func(r rune) bool { return r >= '0' && r <= '9' || r == '-' || r == '+' }, n)
		if out != "" && out[0] == '-' {
			out = strings.TrimLeft(out, "-")
		}
	case "time", "date":
		for _, l := range timeLayouts {
			if t, err := time.Parse(l, value); err == nil {
				if typ == "date" {
					return t.Format("2006年01月02日")
				}
				return t.Format("2006年01月02日 15:04")
			}
		}
		if ValidType(typ, value) {
			return value
		}
		return ""
	default:
		out = keep(value, unicode.IsPrint, 20)
	}
	if !ValidType(typ, out) {
		return fallback(typ)
	}
	return out
}

// formatAmount accepts "1200", "1200.5", "1200.50元" or "¥1200.50" and writes "1200.50元".
func formatAmount(v string) string {
	v = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(v, "¥"), "￥"), "元")
	whole, frac, _ := strings.Cut(v, ".")
	if whole == "" || len(whole) > 10 || !all(whole, func(r rune) bool { return r >= '0' && r <= '9' }) {
		return ""
	}
	if frac == "" {
		return whole + "元"
	}
	if len(frac) > 2 || !all(frac, func(r rune) bool { return r >= '0' && r <= '9' }) {
		return ""
	}
	return whole + "." + frac + "元"
}

// Normalize is Format for a keyword id (its type taken from the key). Unknown types keep at
// most 20 printable characters.
func Normalize(key, value string) string { return Format(Type(key), value) }
