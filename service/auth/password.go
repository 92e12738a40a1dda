package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// argon2id parameters (OWASP's second recommended set: 19 MiB, 2 passes, 1 lane). Stored in
// each hash, so raising them later only affects new hashes; NeedsRehash spots the old ones.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// HashPassword hashes a staff password with argon2id in the PHC string form
// $argon2id$v=19$m=19456,t=2,p=1$salt$hash.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Light argon2id parameters for tests (PALMAID_PASSWORD_COST below 10; production refuses
// them): 64 KiB, one pass.
const (
	lightMemory = 64
	lightTime   = 1
	// StandardCost is the PALMAID_PASSWORD_COST from which the standard parameters apply.
	StandardCost = 10
)

func argonFor(cost int) (memory, passes uint32) {
	if cost > 0 && cost < StandardCost {
		return lightMemory, lightTime
	}
	return argonMemory, argonTime
}

// HashPasswordCost hashes with the parameters of a PALMAID_PASSWORD_COST (0: standard).
func HashPasswordCost(pw string, cost int) (string, error) {
	m, t := argonFor(cost)
	if m == argonMemory && t == argonTime {
		return HashPassword(pw)
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, t, m, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, m, t, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// NeedsRehashCost reports a hash weaker than the parameters of cost (bcrypt always is).
func NeedsRehashCost(hash string, cost int) bool {
	m, t := argonFor(cost)
	p, _, _, err := parseArgon(hash)
	return err != nil || p.m < m || p.t < t
}

// CheckPassword compares pw with an argon2id or (legacy) bcrypt hash.
func CheckPassword(hash, pw string) bool {
	if strings.HasPrefix(hash, "$2") {
		return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
	}
	p, salt, key, err := parseArgon(hash)
	if err != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, p.t, p.m, p.p, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

// NeedsRehash reports a hash made with bcrypt or with weaker argon2id parameters than today's.
func NeedsRehash(hash string) bool {
	p, _, _, err := parseArgon(hash)
	return err != nil || p.m < argonMemory || p.t < argonTime
}

type argonParams struct {
	m, t uint32
	p    uint8
}

func parseArgon(hash string) (argonParams, []byte, []byte, error) {
	var p argonParams
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, errors.New("not an argon2id hash")
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, errors.New("argon2id: unsupported version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.m, &p.t, &p.p); err != nil || p.t == 0 || p.p == 0 {
		return p, nil, nil, errors.New("argon2id: bad parameters")
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, err
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) == 0 {
		return p, nil, nil, errors.New("argon2id: bad key")
	}
	return p, salt, key, nil
}
