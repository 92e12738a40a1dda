package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // RFC 6238 TOTP with HMAC-SHA1 is what authenticator apps implement
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// TOTP (RFC 6238) parameters: what every authenticator app defaults to.
const (
	TOTPPeriod     = 30 * time.Second
	TOTPDigits     = 6
	TOTPSecretSize = 20 // 160 bits, RFC 4226's recommendation for HMAC-SHA1
	// TOTPSkew is how many steps before and after the current one are accepted (clock drift).
	TOTPSkew = 1
	// RecoveryCodes is how many single-use recovery codes an enrolment gives.
	RecoveryCodes = 10
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns a random secret.
func NewTOTPSecret() ([]byte, error) {
	b := make([]byte, TOTPSecretSize)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("totp secret: %w", err)
	}
	return b, nil
}

// TOTPStep is the time step of t.
func TOTPStep(t time.Time) int64 { return t.Unix() / int64(TOTPPeriod/time.Second) }

// HOTP is RFC 4226's code for counter, with digits digits.
func HOTP(secret []byte, counter int64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	m := hmac.New(sha1.New, secret)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// TOTPCode is the 6-digit code of secret at step.
func TOTPCode(secret []byte, step int64) string { return HOTP(secret, step, TOTPDigits) }

// MatchTOTP returns the step (within ±TOTPSkew of now) whose code is code, and whether one
// matched. Comparison is constant-time; a code of a step ≤ after is never accepted (replay).
func MatchTOTP(secret []byte, code string, now time.Time, after int64) (int64, bool) {
	code = strings.TrimSpace(code)
	if len(code) != TOTPDigits {
		return 0, false
	}
	cur := TOTPStep(now)
	var found int64
	ok := 0
	for d := int64(-TOTPSkew); d <= TOTPSkew; d++ {
		step := cur + d
		if subtle.ConstantTimeCompare([]byte(TOTPCode(secret, step)), []byte(code)) == 1 && step > after && ok == 0 {
			found, ok = step, 1
		}
	}
	return found, ok == 1
}

// TOTPURI is the otpauth:// URI an authenticator app scans (as a QR code) or imports.
func TOTPURI(issuer, account string, secret []byte) string {
	label := url.PathEscape(issuer + ":" + account)
	q := url.Values{}
	q.Set("secret", b32.EncodeToString(secret))
	q.Set("issuer", issuer)
	q.Set("algorithm", "SHA1")
	q.Set("digits", fmt.Sprint(TOTPDigits))
	q.Set("period", fmt.Sprint(int(TOTPPeriod/time.Second)))
	return "otpauth://totp/" + label + "?" + q.Encode()
}

// EncodeTOTPSecret is the base32 form people type into an app by hand.
func EncodeTOTPSecret(secret []byte) string { return b32.EncodeToString(secret) }

// NewRecoveryCodes returns n codes of the form xxxxx-xxxxx (base32, 50 bits each).
func NewRecoveryCodes(n int) ([]string, error) {
	out := make([]string, n)
	for i := range out {
		b := make([]byte, 7)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		s := strings.ToLower(b32.EncodeToString(b))[:10]
		out[i] = s[:5] + "-" + s[5:]
	}
	return out, nil
}

// NormalizeRecoveryCode folds what a person may type (case, spaces, a missing dash).
func NormalizeRecoveryCode(code string) string {
	c := strings.ToLower(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(code)))
	if len(c) != 10 {
		return ""
	}
	return c[:5] + "-" + c[5:]
}

// HashRecoveryCode is what is stored for a recovery code (50 random bits: a plain SHA-256
// suffices, the codes are not passwords a person chose).
func HashRecoveryCode(code string) string {
	sum := sha256.Sum256([]byte("palmaid-recovery:" + code))
	return hex.EncodeToString(sum[:])
}
