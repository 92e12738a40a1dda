// Package wxfield knows the per-type length limits of WeChat subscribe-message
// fields. The adapter uses it to truncate values before sending and the
// simulator uses it to reject over-long values with 47003, so both sides agree
// on one table.
//
// A field key is a type name followed by a number: "thing1", "phrase2",
// "character_string4". Limits count characters (runes), not bytes.
package wxfield

import (
	"strings"
	"unicode/utf8"
)

// limit returns the maximum length in runes of a field type. Types that carry a
// formatted value (time, date) have no length limit here: truncating them would
// only corrupt the format. A switch rather than a map keeps the table immutable.
func limit(typ string) (int, bool) {
	switch typ {
	case "thing":
		return 20, true
	case "character_string", "number", "letter":
		return 32, true
	case "short_thing", "phrase", "symbol":
		return 5, true
	case "name", "amount":
		return 10, true
	case "phone_number":
		return 17, true
	case "car_number":
		return 8, true
	default:
		return 0, false
	}
}

// Type returns the field type of key: the key with its trailing digits removed
// ("character_string4" -> "character_string").
func Type(key string) string {
	return strings.TrimRight(key, "0123456789")
}

// Limit returns the maximum number of runes allowed for key's type, and false
// when the type has no length limit (time, date, unknown types).
func Limit(key string) (int, bool) {
	return limit(Type(key))
}

// Placeholder replaces empty values: WeChat answers 47003 for an empty value.
const Placeholder = "-"

// Normalize returns the value to send for key: invalid UTF-8 repaired, blank
// values replaced by Placeholder, and values cut to the type's rune limit.
func Normalize(key, value string) string {
	value = strings.ToValidUTF8(value, "\uFFFD")
	if strings.TrimSpace(value) == "" {
		return Placeholder
	}
	if n, ok := Limit(key); ok && utf8.RuneCountInString(value) > n {
		r := []rune(value)
		value = string(r[:n])
	}
	return value
}

// Valid reports whether WeChat would accept value for key: non-blank and
// within the rune limit of the key's type.
func Valid(key, value string) bool {
	if strings.TrimSpace(value) == "" || !utf8.ValidString(value) {
		return false
	}
	n, ok := Limit(key)
	return !ok || utf8.RuneCountInString(value) <= n
}
