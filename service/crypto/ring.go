package crypto

import (
	"fmt"
	"sort"
)

// KeyIDOf returns the key id a ciphertext was sealed with (its first byte).
func KeyIDOf(ciphertext []byte) (byte, bool) {
	if len(ciphertext) < Overhead {
		return 0, false
	}
	return ciphertext[0], true
}

// Ring is a Cipher holding the current data key and older ones: it seals with the current key
// and opens a ciphertext with the key its id byte names. A service started with the old keys
// as well reads everything while `palmaid keys rotate` re-encrypts, so rotation needs no stop.
type Ring struct {
	*smCipher // the current key: Encrypt, BlindIndex
	byID      map[byte]*smCipher
}

// NewRing builds a Ring: currentID's key seals; every key in dataKeys (the current one
// included) opens. All share the blind-index key, which rotation does not change.
func NewRing(currentID byte, dataKeys map[byte][]byte, indexKey []byte) (*Ring, error) {
	if _, ok := dataKeys[currentID]; !ok {
		return nil, fmt.Errorf("crypto: no data key for the current key id %d", currentID)
	}
	r := &Ring{byID: map[byte]*smCipher{}}
	for id, key := range dataKeys {
		c, err := NewSM(id, key, indexKey)
		if err != nil {
			return nil, fmt.Errorf("crypto: key id %d: %w", id, err)
		}
		r.byID[id] = c.(*smCipher)
	}
	r.smCipher = r.byID[currentID]
	return r, nil
}

// CurrentKeyID is the id new ciphertexts carry.
func (r *Ring) CurrentKeyID() byte { return r.keyID }

// KeyIDs lists the ids the ring can open, ascending.
func (r *Ring) KeyIDs() []byte {
	out := make([]byte, 0, len(r.byID))
	for id := range r.byID {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Decrypt opens a ciphertext of any key in the ring.
func (r *Ring) Decrypt(ciphertext []byte) ([]byte, error) {
	if len(ciphertext) < Overhead {
		return nil, ErrCiphertextTooShort
	}
	c, ok := r.byID[ciphertext[0]]
	if !ok {
		return nil, ErrUnknownKeyID
	}
	return c.Decrypt(ciphertext)
}

// DecryptString opens a string ciphertext of any key in the ring.
func (r *Ring) DecryptString(b []byte) (string, error) {
	p, err := r.Decrypt(b)
	return string(p), err
}

// Reseal re-encrypts a ciphertext under the current key; changed is false (and out is the
// input) when it already is under it.
func (r *Ring) Reseal(ciphertext []byte) (out []byte, changed bool, err error) {
	if id, ok := KeyIDOf(ciphertext); ok && id == r.keyID {
		return ciphertext, false, nil
	}
	plain, err := r.Decrypt(ciphertext)
	if err != nil {
		return nil, false, err
	}
	out, err = r.Encrypt(plain)
	return out, err == nil, err
}
