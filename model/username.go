package model

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// ErrInvalidUsername refuses a username outside the allowed form.
var ErrInvalidUsername = E(KindInvalid, "staff.invalid_username", "用户名为3至32位小写字母、数字、点、下划线或连字符，以字母或数字开头")

// NormalizeUsername is the one form of a staff username, applied at creation and at login:
// Unicode NFKC (fullwidth ｔｏｗｎ becomes town), lower case, surrounding white space removed,
// then 3–32 characters of [a-z0-9._-] starting with a letter or digit. Anything else (an inner
// space, a NUL, a letter that only looks Latin) is refused rather than folded, so two spellings
// can never reach one account by different routes.
func NormalizeUsername(s string) (string, error) {
	n := strings.ToLower(strings.TrimSpace(norm.NFKC.String(s)))
	if len(n) < 3 || len(n) > 32 {
		return "", ErrInvalidUsername
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		alnum := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || c != '.' && c != '_' && c != '-') {
			return "", ErrInvalidUsername
		}
	}
	return n, nil
}
