package crypto

import (
	"bytes"
	"crypto/cipher"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
)

var (
	testDataKey  = mustHex("0123456789abcdeffedcba9876543210")
	testIndexKey = bytes.Repeat([]byte{0x5a}, 32)
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func newTestCipher(t testing.TB, keyID byte, dataKey, indexKey []byte) Cipher {
	t.Helper()
	c, err := NewSM(keyID, dataKey, indexKey)
	if err != nil {
		t.Fatalf("NewSM: %v", err)
	}
	return c
}

// Known answers from GB/T 32905-2016 (SM3) and GB/T 32907-2016 / RFC 8998 (SM4, SM4-GCM).
func TestKnownAnswers(t *testing.T) {
	if got := hex.EncodeToString(sm3Sum([]byte("abc"))); got != "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0" {
		t.Errorf("SM3(abc) = %s", got)
	}
	block, err := sm4.NewCipher(testDataKey)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]byte, 16)
	block.Encrypt(out, testDataKey)
	if got := hex.EncodeToString(out); got != "681edf34d206965e86b3e94f536e4246" {
		t.Errorf("SM4 block = %s", got)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	pt := mustHex("aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccddddddddddddddddeeeeeeeeeeeeeeeeffffffffffffffffeeeeeeeeeeeeeeeeaaaaaaaaaaaaaaaa")
	sealed := aead.Seal(nil, mustHex("00001234567800000000abcd"), pt, mustHex("feedfacedeadbeeffeedfacedeadbeefabaddad2"))
	want := "17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735d82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d" +
		"83de3541e4c2b58177e065a9bf7b62ec"
	if got := hex.EncodeToString(sealed); got != want {
		t.Errorf("SM4-GCM = %s\nwant      %s", got, want)
	}
}

func sm3Sum(b []byte) []byte {
	h := sm3.New()
	h.Write(b)
	return h.Sum(nil)
}

// hmacSM3 is an independent RFC 2104 construction, to check BlindIndex without trusting crypto/hmac wiring.
func hmacSM3(key, msg []byte) []byte {
	k := make([]byte, 64)
	if len(key) > 64 {
		copy(k, sm3Sum(key))
	} else {
		copy(k, key)
	}
	ipad, opad := make([]byte, 64), make([]byte, 64)
	for i := range k {
		ipad[i], opad[i] = k[i]^0x36, k[i]^0x5c
	}
	inner := sm3Sum(append(ipad, msg...))
	return sm3Sum(append(opad, inner...))
}

func TestRoundTrip(t *testing.T) {
	c := newTestCipher(t, 1, testDataKey, testIndexKey)
	for _, pt := range []string{"", "11010519491231002X", "13800138000", "张三", strings.Repeat("长文本", 1000)} {
		ct, err := c.EncryptString(pt)
		if err != nil {
			t.Fatal(err)
		}
		if len(ct) != len(pt)+Overhead || ct[0] != 1 {
			t.Errorf("ciphertext length %d / key id %d, want %d / 1", len(ct), ct[0], len(pt)+Overhead)
		}
		if pt != "" && bytes.Contains(ct, []byte(pt)) {
			t.Errorf("ciphertext contains the plaintext")
		}
		got, err := c.DecryptString(ct)
		if err != nil || got != pt {
			t.Errorf("DecryptString = %q, %v; want %q", got, err, pt)
		}
	}
}

func TestEncryptIsRandomised(t *testing.T) {
	c := newTestCipher(t, 1, testDataKey, testIndexKey)
	a, _ := c.EncryptString("11010519491231002X")
	b, _ := c.EncryptString("11010519491231002X")
	if bytes.Equal(a, b) {
		t.Fatal("two encryptions of the same plaintext are equal")
	}
	if bytes.Equal(a[1:1+NonceSize], b[1:1+NonceSize]) {
		t.Fatal("nonce reused")
	}
}

func TestDecryptRejects(t *testing.T) {
	c := newTestCipher(t, 1, testDataKey, testIndexKey)
	ct, _ := c.EncryptString("11010519491231002X")
	flip := func(i int) []byte {
		b := append([]byte(nil), ct...)
		b[i] ^= 0x01
		return b
	}
	otherKey := newTestCipher(t, 1, mustHex("fedcba98765432100123456789abcdef"), testIndexKey)
	otherID := newTestCipher(t, 2, testDataKey, testIndexKey)
	tests := []struct {
		name string
		c    Cipher
		in   []byte
		want error
	}{
		{"nil", c, nil, ErrCiphertextTooShort},
		{"key id only", c, ct[:1], ErrCiphertextTooShort},
		{"one byte short of a tag", c, ct[:Overhead-1], ErrCiphertextTooShort},
		{"truncated body", c, ct[:len(ct)-1], ErrAuthFailed},
		{"flipped nonce bit", c, flip(1), ErrAuthFailed},
		{"flipped ciphertext bit", c, flip(1 + NonceSize), ErrAuthFailed},
		{"flipped tag bit", c, flip(len(ct) - 1), ErrAuthFailed},
		{"changed key id", c, flip(0), ErrUnknownKeyID},
		{"wrong data key", otherKey, ct, ErrAuthFailed},
		{"other key id", otherID, ct, ErrUnknownKeyID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.c.Decrypt(tc.in)
			if err != tc.want || got != nil {
				t.Fatalf("Decrypt = %q, %v; want nil, %v", got, err, tc.want)
			}
		})
	}
}

func TestKeyIDIsAuthenticated(t *testing.T) {
	// Same key under two ids: rewriting the id byte must still fail authentication.
	c1 := newTestCipher(t, 1, testDataKey, testIndexKey)
	c2 := newTestCipher(t, 2, testDataKey, testIndexKey)
	ct, _ := c1.EncryptString("x")
	ct[0] = 2
	if _, err := c2.Decrypt(ct); err != ErrAuthFailed {
		t.Fatalf("Decrypt after key-id swap = %v, want ErrAuthFailed", err)
	}
}

func TestBlindIndex(t *testing.T) {
	c := newTestCipher(t, 1, testDataKey, testIndexKey)
	other := newTestCipher(t, 1, testDataKey, bytes.Repeat([]byte{0xa5}, 32))
	id := "11010519491231002X"
	bi := c.BlindIndex("id_number", id)
	if len(bi) != 64 || strings.ToLower(bi) != bi {
		t.Fatalf("BlindIndex = %q, want 64 lower-case hex chars", bi)
	}
	if want := hex.EncodeToString(hmacSM3(testIndexKey, []byte("id_number\x00"+id))); bi != want {
		t.Errorf("BlindIndex = %s, want HMAC-SM3 %s", bi, want)
	}
	tests := []struct {
		name       string
		a, b       string
		wantEquals bool
	}{
		{"stable", c.BlindIndex("id_number", id), c.BlindIndex("id_number", id), true},
		{"stable across instances", bi, newTestCipher(t, 9, testDataKey, testIndexKey).BlindIndex("id_number", id), true},
		{"purpose separates", c.BlindIndex("id_number", "13800138000"), c.BlindIndex("phone", "13800138000"), false},
		{"separator prevents shifting", c.BlindIndex("ab", "c"), c.BlindIndex("a", "bc"), false},
		{"key dependent", bi, other.BlindIndex("id_number", id), false},
		{"value dependent", bi, c.BlindIndex("id_number", "440304199001010011"), false},
		{"case sensitive (callers normalise)", bi, c.BlindIndex("id_number", "11010519491231002x"), false},
	}
	for _, tc := range tests {
		if (tc.a == tc.b) != tc.wantEquals {
			t.Errorf("%s: %s vs %s, want equal=%v", tc.name, tc.a, tc.b, tc.wantEquals)
		}
	}
}

func TestNewSMValidatesKeys(t *testing.T) {
	tests := []struct {
		name     string
		data, ix []byte
		ok       bool
	}{
		{"ok", testDataKey, testIndexKey, true},
		{"long index key ok", testDataKey, bytes.Repeat([]byte{1}, 64), true},
		{"data key 15", testDataKey[:15], testIndexKey, false},
		{"data key 32", bytes.Repeat([]byte{1}, 32), testIndexKey, false},
		{"index key 31", testDataKey, testIndexKey[:31], false},
		{"nil keys", nil, nil, false},
	}
	for _, tc := range tests {
		c, err := NewSM(1, tc.data, tc.ix)
		if (err == nil) != tc.ok || (c != nil) != tc.ok {
			t.Errorf("%s: NewSM = %v, %v; want ok=%v", tc.name, c, err, tc.ok)
		}
	}
}

func TestNewSMCopiesKeys(t *testing.T) {
	ix := append([]byte(nil), testIndexKey...)
	c := newTestCipher(t, 1, testDataKey, ix)
	before := c.BlindIndex("phone", "13800138000")
	ix[0] ^= 0xff
	if c.BlindIndex("phone", "13800138000") != before {
		t.Fatal("index key aliased to the caller's slice")
	}
}

func TestParseHexKey(t *testing.T) {
	tests := []struct {
		name, in string
		min      int
		wantLen  int
		wantErr  string // substring; "" = no error
	}{
		{"16 bytes", "0123456789abcdeffedcba9876543210", 16, 16, ""},
		{"upper case and spaces", "  0123456789ABCDEFFEDCBA9876543210\n", 16, 16, ""},
		{"longer than min", strings.Repeat("ab", 40), 32, 40, ""},
		{"empty", "", 16, 0, "not set"},
		{"not hex", "zz23456789abcdeffedcba9876543210", 16, 0, "not valid hex"},
		{"odd length", "0123456789abcdeffedcba987654321", 16, 0, "not valid hex"},
		{"too short", "0123456789abcdef", 16, 0, "8 bytes, want at least 16"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			key, err := ParseHexKey("PALMAID_DATA_KEY", tc.in, tc.min)
			if tc.wantErr == "" {
				if err != nil || len(key) != tc.wantLen {
					t.Fatalf("ParseHexKey = %d bytes, %v; want %d bytes", len(key), err, tc.wantLen)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "PALMAID_DATA_KEY") {
				t.Fatalf("ParseHexKey error = %v, want it to name the setting and contain %q", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), strings.TrimSpace(tc.in)) && tc.in != "" {
				t.Fatalf("error leaks key material: %v", err)
			}
		})
	}
}

func BenchmarkEncryptDecryptID(b *testing.B) {
	c := newTestCipher(b, 1, testDataKey, testIndexKey)
	id := []byte("11010519491231002X")
	b.ReportAllocs()
	for b.Loop() {
		ct, err := c.Encrypt(id)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Decrypt(ct); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBlindIndex(b *testing.B) {
	c := newTestCipher(b, 1, testDataKey, testIndexKey)
	b.ReportAllocs()
	for b.Loop() {
		_ = c.BlindIndex("id_number", "11010519491231002X")
	}
}

func TestConcurrentUse(t *testing.T) {
	c := newTestCipher(t, 1, testDataKey, testIndexKey)
	done := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func() {
			for j := 0; j < 200; j++ {
				ct, err := c.EncryptString("13800138000")
				if err == nil {
					_, err = c.DecryptString(ct)
				}
				_ = c.BlindIndex("phone", "13800138000")
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for i := 0; i < 8; i++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

func TestRingOpensOldKeysSealsWithCurrent(t *testing.T) {
	index := bytes.Repeat([]byte{7}, 32)
	k1, k2 := bytes.Repeat([]byte{1}, 16), bytes.Repeat([]byte{2}, 16)
	old, err := NewSM(1, k1, index)
	if err != nil {
		t.Fatal(err)
	}
	ct1, _ := old.EncryptString("110105194912310021")
	ring, err := NewRing(2, map[byte][]byte{1: k1, 2: k2}, index)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := ring.DecryptString(ct1); err != nil || p != "110105194912310021" {
		t.Fatalf("old ciphertext: %q %v", p, err)
	}
	ct2, changed, err := ring.Reseal(ct1)
	if err != nil || !changed || ct2[0] != 2 {
		t.Fatalf("reseal: %v %v %x", changed, err, ct2[:1])
	}
	if same, changed, _ := ring.Reseal(ct2); changed || !bytes.Equal(same, ct2) {
		t.Fatal("resealing a current ciphertext changed it")
	}
	if _, err := old.Decrypt(ct2); err != ErrUnknownKeyID {
		t.Fatalf("old key opened the new ciphertext: %v", err)
	}
	if ring.BlindIndex("id_number", "x") != old.BlindIndex("id_number", "x") {
		t.Fatal("blind index changed with the data key")
	}
	if _, err := NewRing(3, map[byte][]byte{1: k1}, index); err == nil {
		t.Fatal("ring without its current key")
	}
	// Tampering with the id byte still fails authentication.
	bad := append([]byte{1}, ct2[1:]...)
	if _, err := ring.Decrypt(bad); err != ErrAuthFailed {
		t.Fatalf("swapped key id: %v", err)
	}
}
