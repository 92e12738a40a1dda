// Package crypto encrypts personal data at rest (ID numbers, phone numbers) and computes keyed
// blind indexes so encrypted columns can still be looked up by exact value.
//
// The SM implementation uses the Chinese national algorithms (国密): SM4 in GCM mode for
// encryption and HMAC-SM3 for blind indexes.
package crypto

import (
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strings"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
)

// Cipher encrypts personal data and derives blind indexes for look-up.
// Implementations are safe for concurrent use.
type Cipher interface {
	// Encrypt seals plaintext. Output: 1 key-id byte || nonce || ciphertext+tag.
	// Two calls with the same plaintext return different outputs.
	Encrypt(plaintext []byte) ([]byte, error)
	// Decrypt opens Encrypt's output. Short, tampered or foreign-key input is an error.
	Decrypt(ciphertext []byte) ([]byte, error)
	EncryptString(s string) ([]byte, error)
	DecryptString(b []byte) (string, error)
	// BlindIndex returns a stable, keyed, 64-char hex digest of value. purpose separates
	// domains ("id_number", "phone") so equal values in different columns do not match.
	BlindIndex(purpose, value string) string
}

// Sizes of the SM implementation.
const (
	DataKeySize     = 16 // SM4 key
	MinIndexKeySize = 32 // HMAC-SM3 key
	NonceSize       = 12 // GCM standard nonce
	TagSize         = 16 // GCM tag
	Overhead        = 1 + NonceSize + TagSize
)

// Errors returned by Decrypt. They carry no detail about the input.
var (
	ErrCiphertextTooShort = errors.New("crypto: ciphertext too short")
	ErrUnknownKeyID       = errors.New("crypto: ciphertext was sealed with an unknown key id")
	ErrAuthFailed         = errors.New("crypto: message authentication failed")
)

type smCipher struct {
	keyID    byte
	aead     cipher.AEAD
	indexKey []byte
}

// NewSM returns a Cipher using SM4-GCM with a 16-byte dataKey and HMAC-SM3 with an indexKey of at
// least 32 bytes. keyID is written as the first byte of every ciphertext so keys can be rotated:
// a later version can hold several data keys and pick one by that byte. The key slices are copied.
func NewSM(keyID byte, dataKey []byte, indexKey []byte) (Cipher, error) {
	if len(dataKey) != DataKeySize {
		return nil, fmt.Errorf("crypto: data key must be %d bytes, got %d", DataKeySize, len(dataKey))
	}
	if len(indexKey) < MinIndexKeySize {
		return nil, fmt.Errorf("crypto: index key must be at least %d bytes, got %d", MinIndexKeySize, len(indexKey))
	}
	block, err := sm4.NewCipher(dataKey)
	if err != nil {
		return nil, fmt.Errorf("crypto: sm4: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("crypto: gcm: %w", err)
	}
	return &smCipher{
		keyID:    keyID,
		aead:     aead,
		indexKey: append([]byte(nil), indexKey...),
	}, nil
}

func (c *smCipher) Encrypt(plaintext []byte) ([]byte, error) {
	out := make([]byte, 1+NonceSize, 1+NonceSize+len(plaintext)+TagSize)
	out[0] = c.keyID
	nonce := out[1 : 1+NonceSize]
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("crypto: nonce: %w", err)
	}
	// The key id is bound as additional data, so changing it breaks authentication.
	return c.aead.Seal(out, nonce, plaintext, out[:1]), nil
}

func (c *smCipher) Decrypt(ciphertext []byte) ([]byte, error) {
	if len(ciphertext) < Overhead {
		return nil, ErrCiphertextTooShort
	}
	if ciphertext[0] != c.keyID {
		return nil, ErrUnknownKeyID
	}
	nonce := ciphertext[1 : 1+NonceSize]
	plain, err := c.aead.Open(nil, nonce, ciphertext[1+NonceSize:], ciphertext[:1])
	if err != nil {
		return nil, ErrAuthFailed
	}
	return plain, nil
}

func (c *smCipher) EncryptString(s string) ([]byte, error) { return c.Encrypt([]byte(s)) }

func (c *smCipher) DecryptString(b []byte) (string, error) {
	p, err := c.Decrypt(b)
	if err != nil {
		return "", err
	}
	return string(p), nil
}

func (c *smCipher) BlindIndex(purpose, value string) string {
	m := hmac.New(func() hash.Hash { return sm3.New() }, c.indexKey)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}

// ParseHexKey decodes a hex key from configuration setting name and checks it has at least
// minLen bytes. Error messages name the setting but never include the key material.
func ParseHexKey(name, hexKey string, minLen int) ([]byte, error) {
	hexKey = strings.TrimSpace(hexKey)
	if hexKey == "" {
		return nil, fmt.Errorf("%s: key is not set (want at least %d bytes as hex, e.g. from `openssl rand -hex %d`)", name, minLen, minLen)
	}
	key, err := hex.DecodeString(hexKey)
	if err != nil {
		return nil, fmt.Errorf("%s: key is not valid hex", name)
	}
	if len(key) < minLen {
		return nil, fmt.Errorf("%s: key is %d bytes, want at least %d", name, len(key), minLen)
	}
	return key, nil
}
