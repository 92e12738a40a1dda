package model

import (
	"errors"
	"testing"
	"time"
)

// Check characters below were computed independently (ISO 7064 MOD 11-2 by hand/script),
// not with the code under test.
func TestValidateIDNumber(t *testing.T) {
	today := time.Date(2026, 5, 16, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		id   string
		hint string // "" = valid
	}{
		{"standard example, X check", "11010519491231002X", ""},
		{"lowercase x accepted", "11010519491231002x", ""},
		{"digit check char", "440304199001010011", ""},
		{"leap day 2000", "320102200002290048", ""},
		{"earliest allowed birth date", "11010519000101001X", ""},
		{"born today", "110105202605160014", ""},
		{"wrong check digit", "110105194912310021", hintIDCheck},
		{"wrong check digit instead of X", "110105194912310020", hintIDCheck},
		{"transposed digits", "440304199001010101", hintIDCheck},
		{"February 30th", "110105202402300013", hintIDBirthDate},
		{"February 30th 1999", "110105199902300015", hintIDBirthDate},
		{"1900 is not a leap year", "110105190002290017", hintIDBirthDate},
		{"birth date tomorrow", "11010520260517001X", hintIDBirthDate},
		{"before 1900", "110105189912310010", hintIDBirthDate},
		{"month 13", "110105199913010010", hintIDBirthDate},
		{"17 characters", "11010519491231002", hintIDLength},
		{"19 characters", "11010519491231002X1", hintIDLength},
		{"15-digit old format", "110105491231002", hintIDLength},
		{"empty", "", hintIDLength},
		{"surrounding space not trimmed", " 11010519491231002X", hintIDLength},
		{"letter in body", "1101051949123100AX", hintIDChars},
		{"bad check char", "11010519491231002Y", hintIDChars},
		{"X in the middle", "110105X9491231002X", hintIDChars},
		{"full-width digits", "１１０１０５１９４９１２３１００２X", hintIDLength},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateIDNumber(tc.id, today)
			if tc.hint == "" {
				if err != nil {
					t.Fatalf("ValidateIDNumber(%q) = %v, want nil", tc.id, err)
				}
				return
			}
			if !errors.Is(err, ErrInvalidIDNumber) {
				t.Fatalf("ValidateIDNumber(%q) = %v, want ErrInvalidIDNumber", tc.id, err)
			}
			var e *Error
			if !errors.As(err, &e) || e.Fields["idNumber"] != tc.hint {
				t.Fatalf("ValidateIDNumber(%q) hint = %v, want %q", tc.id, e.Fields, tc.hint)
			}
		})
	}
	if len(ErrInvalidIDNumber.Fields) != 0 {
		t.Fatal("shared ErrInvalidIDNumber was modified")
	}
}

func TestNormalizeIDNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"11010519491231002x", "11010519491231002X"},
		{"  11010519491231002X\t\n", "11010519491231002X"},
		{"\u300011010519491231002x\u3000", "11010519491231002X"},
		{"440304199001010011", "440304199001010011"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := NormalizeIDNumber(tc.in); got != tc.want {
			t.Errorf("NormalizeIDNumber(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestBirthDateFromID(t *testing.T) {
	tests := []struct {
		id     string
		want   string
		wantOK bool
	}{
		{"11010519491231002X", "1949-12-31", true},
		{"320102200002290048", "2000-02-29", true},
		{"110105202402300013", "", false},
		{"1101051949", "", false},
		{"110105ab491231002X", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		got, ok := BirthDateFromID(tc.id)
		if ok != tc.wantOK {
			t.Errorf("BirthDateFromID(%q) ok = %v, want %v", tc.id, ok, tc.wantOK)
			continue
		}
		if ok && got.Format("2006-01-02") != tc.want {
			t.Errorf("BirthDateFromID(%q) = %s, want %s", tc.id, got.Format("2006-01-02"), tc.want)
		}
	}
}

func TestGenderFromID(t *testing.T) {
	tests := []struct{ id, want string }{
		{"11010519491231002X", "female"}, // 17th digit 2
		{"440304199001010011", "male"},   // 17th digit 1
		{"11010519491231009X", "male"},
		{"11010519491231000X", "female"},
		{"short", ""},
		{"1101051949123100AX", ""},
	}
	for _, tc := range tests {
		if got := GenderFromID(tc.id); got != tc.want {
			t.Errorf("GenderFromID(%q) = %q, want %q", tc.id, got, tc.want)
		}
	}
}

func TestMaskIDNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"11010519491231002X", "110105********002X"},
		{"440304199001010011", "440304********0011"},
		{"1101051949", "**********"},
		{"", ""},
		{"张三", "**"},
		{"11010519491231002张", "******************"},
	}
	for _, tc := range tests {
		if got := MaskIDNumber(tc.in); got != tc.want {
			t.Errorf("MaskIDNumber(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13800138000", "138****8000"},
		{"02812345678", "028****5678"},
		{"075512345678", "075*****5678"},
		{"1380013", "*******"},
		{"", ""},
		{"一三八〇〇一三八〇〇〇", "***********"},
	}
	for _, tc := range tests {
		if got := MaskPhone(tc.in); got != tc.want {
			t.Errorf("MaskPhone(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMaskName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"张", "*"},
		{"张三", "张*"},
		{"张小三", "张*三"},
		{"欧阳小锋", "欧**锋"},
		{"阿依古丽·买买提", "阿******提"},
		{"Li", "L*"},
	}
	for _, tc := range tests {
		if got := MaskName(tc.in); got != tc.want {
			t.Errorf("MaskName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
