package model

// ErrInvalidText refuses free text holding characters no person types: NUL and other control
// characters, bidirectional overrides (which can make a reason read backwards on screen) and
// zero-width characters (which hide text or make two equal-looking values differ).
var ErrInvalidText = Invalid("request.invalid_text", "内容包含无法识别的字符")

// CheckText reports free text with a forbidden character, naming field. Line feeds and tabs
// are allowed.
func CheckText(field, v string) error {
	for _, r := range v {
		if InvisibleRune(r) {
			return ErrInvalidText.WithField(field, "请删除不可见字符")
		}
	}
	return nil
}

// InvisibleRune is a control, bidi-control or zero-width character (not \n, \r, \t).
func InvisibleRune(r rune) bool {
	switch {
	case r == '\n' || r == '\r' || r == '\t':
		return false
	case r < 0x20 || r >= 0x7F && r < 0xA0: // C0, DEL, C1
		return true
	case r >= 0x200B && r <= 0x200F, // zero-width space/joiners, LRM, RLM
		r >= 0x202A && r <= 0x202E, // embeddings and overrides
		r >= 0x2060 && r <= 0x2064, // word joiner, invisible operators
		r >= 0x2066 && r <= 0x2069, // isolates
		r == 0x061C, r == 0xFEFF, r == 0x00AD:
		return true
	}
	return false
}

// Truncate keeps the first n characters (runes) of s: never half a character, and n counts
// what a VARCHAR(n) column counts. The one truncate of the code.
func Truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}
