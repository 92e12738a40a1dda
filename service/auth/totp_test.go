package auth

import (
	"strings"
	"testing"
	"time"
)

// RFC 6238 appendix B, SHA-1 rows (8 digits), and the 6-digit codes apps show.
func TestTOTPRFC6238Vectors(t *testing.T) {
	secret := []byte("12345678901234567890")
	for _, v := range []struct {
		unix int64
		want string
	}{{59, "94287082"}, {1111111109, "07081804"}, {1111111111, "14050471"}, {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}} {
		step := TOTPStep(time.Unix(v.unix, 0))
		if got := HOTP(secret, step, 8); got != v.want {
			t.Errorf("T=%d: %s, want %s", v.unix, got, v.want)
		}
		if got := TOTPCode(secret, step); got != v.want[2:] {
			t.Errorf("T=%d 6 digits: %s, want %s", v.unix, got, v.want[2:])
		}
	}
}

func TestMatchTOTPWindowAndReplay(t *testing.T) {
	secret := []byte("12345678901234567890")
	now := time.Unix(1111111111, 0)
	cur := TOTPStep(now)
	for d, want := range map[int64]bool{-2: false, -1: true, 0: true, 1: true, 2: false} {
		step, ok := MatchTOTP(secret, TOTPCode(secret, cur+d), now, 0)
		if ok != want || (ok && step != cur+d) {
			t.Errorf("offset %d: ok=%v step=%d", d, ok, step)
		}
	}
	// A code of the last used step (or before) is a replay.
	if _, ok := MatchTOTP(secret, TOTPCode(secret, cur), now, cur); ok {
		t.Error("replayed code accepted")
	}
	if _, ok := MatchTOTP(secret, TOTPCode(secret, cur+1), now, cur); !ok {
		t.Error("next step refused after the current one was used")
	}
	for _, bad := range []string{"", "12345", "1234567", "abcdef"} {
		if _, ok := MatchTOTP(secret, bad, now, 0); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestTOTPURIAndRecoveryCodes(t *testing.T) {
	uri := TOTPURI("palmaid", "town_west", []byte("12345678901234567890"))
	if !strings.HasPrefix(uri, "otpauth://totp/palmaid:town_west?") || !strings.Contains(uri, "secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ") ||
		!strings.Contains(uri, "digits=6") || !strings.Contains(uri, "period=30") || !strings.Contains(uri, "issuer=palmaid") {
		t.Fatalf("uri: %s", uri)
	}
	codes, err := NewRecoveryCodes(RecoveryCodes)
	if err != nil || len(codes) != 10 {
		t.Fatal(err, codes)
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 11 || c[5] != '-' || seen[c] || NormalizeRecoveryCode(strings.ToUpper(strings.ReplaceAll(c, "-", " "))) != c {
			t.Fatalf("code %q", c)
		}
		seen[c] = true
	}
	if NormalizeRecoveryCode("short") != "" || HashRecoveryCode(codes[0]) == HashRecoveryCode(codes[1]) {
		t.Fatal("normalise/hash")
	}
}
