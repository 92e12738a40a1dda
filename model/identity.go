package model

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Citizen identity numbers (公民身份号码), GB 11643-1999: 6-digit area code, 8-digit birth date
// (YYYYMMDD), 3-digit sequence (odd = male, even = female) and one ISO 7064 MOD 11-2 check
// character (0-9 or X).

const idNumberLen = 18

// idWeights are the MOD 11-2 weights 2^(17-i) mod 11 for positions 0..16.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars maps (weighted sum mod 11) to the check character.
const idCheckChars = "10X98765432"

// earliestBirth is the earliest birth date accepted in an ID number.
var earliestBirth = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// Hints returned in ErrInvalidIDNumber's "idNumber" field.
const (
	hintIDLength    = "身份证号码应为18位"
	hintIDChars     = "身份证号码前17位应为数字，最后一位为数字或X"
	hintIDBirthDate = "身份证号码中的出生日期不正确"
	hintIDCheck     = "身份证号码校验位不正确，请核对"
)

// NormalizeIDNumber trims surrounding white space (including the full-width space U+3000) and
// upper-cases a trailing x. It does not validate.
func NormalizeIDNumber(s string) string {
	s = strings.TrimSpace(s)
	return strings.ToUpper(s)
}

// ValidateIDNumber checks an 18-digit citizen ID number: format, checksum and a real birth date
// between 1900-01-01 and today's date. A lowercase x check character is accepted, although
// callers should store NormalizeIDNumber's output. The error is ErrInvalidIDNumber with a
// Chinese hint in field "idNumber".
func ValidateIDNumber(id string, today time.Time) error {
	if len(id) != idNumberLen {
		return ErrInvalidIDNumber.WithField("idNumber", hintIDLength)
	}
	sum := 0
	for i := 0; i < idNumberLen-1; i++ {
		c := id[i]
		if c < '0' || c > '9' {
			return ErrInvalidIDNumber.WithField("idNumber", hintIDChars)
		}
		sum += int(c-'0') * idWeights[i]
	}
	last := id[idNumberLen-1]
	if last == 'x' {
		last = 'X'
	}
	if (last < '0' || last > '9') && last != 'X' {
		return ErrInvalidIDNumber.WithField("idNumber", hintIDChars)
	}
	birth, ok := BirthDateFromID(id)
	if !ok || birth.Before(earliestBirth) {
		return ErrInvalidIDNumber.WithField("idNumber", hintIDBirthDate)
	}
	y, m, d := today.Date()
	if birth.After(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) {
		return ErrInvalidIDNumber.WithField("idNumber", hintIDBirthDate)
	}
	if idCheckChars[sum%11] != last {
		return ErrInvalidIDNumber.WithField("idNumber", hintIDCheck)
	}
	return nil
}

// BirthDateFromID returns the birth date encoded in characters 7–14 of an 18-digit ID number, at
// midnight UTC (a civil date). ok is false when the input is too short or the date is not a real
// calendar date. It does not check the checksum.
func BirthDateFromID(id string) (time.Time, bool) {
	if len(id) != idNumberLen {
		return time.Time{}, false
	}
	s := id[6:14]
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return time.Time{}, false
		}
	}
	t, err := time.Parse("20060102", s)
	if err != nil { // e.g. February 30th, month 13
		return time.Time{}, false
	}
	return t, true
}

// GenderFromID returns "male" or "female" from the parity of the 17th digit, or "" when the input
// is not 18 characters or that character is not a digit.
func GenderFromID(id string) string {
	if len(id) != idNumberLen {
		return ""
	}
	c := id[16]
	switch {
	case c < '0' || c > '9':
		return ""
	case (c-'0')%2 == 1:
		return "male"
	default:
		return "female"
	}
}

// MaskIDNumber keeps the first 6 and last 4 characters of an 18-character ID number and replaces
// the 8 in between (the birth date) with '*'. Any other input is masked completely, one '*' per
// rune, so garbage never leaks into logs.
func MaskIDNumber(id string) string {
	if len(id) != idNumberLen || !isASCII(id) {
		return strings.Repeat("*", utf8.RuneCountInString(id))
	}
	return id[:6] + strings.Repeat("*", 8) + id[14:]
}

// MaskPhone keeps the first 3 and last 4 digits of an 11-digit mobile number (138****8000).
// Shorter or non-ASCII input is masked completely; longer ASCII input (a landline with area code)
// keeps 3 + 4 with everything in between masked.
func MaskPhone(p string) string {
	if len(p) < 11 || !isASCII(p) {
		return strings.Repeat("*", utf8.RuneCountInString(p))
	}
	return p[:3] + strings.Repeat("*", len(p)-7) + p[len(p)-4:]
}

// MaskName masks a personal name by runes: "*" for one rune, "张*" for two, "张*三" for three,
// and first + stars + last for four or more ("欧**锋").
func MaskName(n string) string {
	r := []rune(n)
	switch len(r) {
	case 0:
		return ""
	case 1:
		return "*"
	case 2:
		return string(r[0]) + "*"
	default:
		return string(r[0]) + strings.Repeat("*", len(r)-2) + string(r[len(r)-1])
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// AgeOn is the age in whole years on day: the birthday itself counts (a person born on
// 1966-03-01 is 60 on 2026-03-01).
func AgeOn(birth, day time.Time) int {
	by, bm, bd := birth.Date()
	y, m, d := day.Date()
	age := y - by
	if m < bm || (m == bm && d < bd) {
		age--
	}
	return age
}

// AgeBand is what staff see beside a masked ID number instead of the exact age: the mask keeps
// the region, the sequence and the check digit, so an exact age (a birth date within one year)
// left about 33 candidate numbers; a band of at least ten years leaves hundreds. The bands keep
// the thresholds the rules use (18, 60, 70, 80); the exact birth date is in the audited unmask.
func AgeBand(age int) string {
	switch {
	case age < 18:
		return "未满18岁"
	case age < 60:
		return "18–59岁"
	case age < 70:
		return "60–69岁"
	case age < 80:
		return "70–79岁"
	}
	return "80岁以上"
}
