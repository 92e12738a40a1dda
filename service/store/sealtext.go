package store

import (
	"encoding/base64"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// Free text that can hold health or family information (reasons, opinions, visit findings,
// objections, addresses, notes, comments) is sealed with the personal-data cipher in the
// column it always had. A model field opts in with the struct tag `seal:"text"`; the store
// seals such fields on every insert and update and opens them after every query, through
// callbacks registered on this store's own *gorm.DB (the cipher is the one passed to Open: no
// package-level state). Nothing searches these columns, so nothing needs a blind index.
//
// A sealed value is SealedTextPrefix + base64(ciphertext): the ciphertext starts with its key
// id byte (crypto.Cipher), so `palmaid keys rotate` re-encrypts it like the *_enc columns. The
// prefix starts with a control character that model.CheckText refuses in every input, so no
// text a person typed can be mistaken for a ciphertext; a value without it is legacy plaintext
// from before migration 00020, read as it is and sealed by `palmaid keys rotate`.
const SealedTextPrefix = "\x01s:"

// TextCipher is what the store needs of crypto.Cipher to seal free text.
type TextCipher interface {
	Encrypt(plaintext []byte) ([]byte, error)
	Decrypt(ciphertext []byte) ([]byte, error)
}

// ErrNoTextCipher: a sealed value was read (or had to be written) by a store opened without
// a cipher (maintenance commands that never touch free text).
var ErrNoTextCipher = errors.New("store: sealed free text needs the data cipher (store opened without one)")

// IsSealedText reports whether v is a sealed value (not legacy plaintext).
func IsSealedText(v string) bool { return strings.HasPrefix(v, SealedTextPrefix) }

// SealText seals one value ("" stays "": nothing to hide, and empty defaults stay cheap).
func SealText(c TextCipher, plain string) (string, error) {
	if plain == "" || IsSealedText(plain) {
		return plain, nil
	}
	if c == nil {
		return "", ErrNoTextCipher
	}
	ct, err := c.Encrypt([]byte(plain))
	if err != nil {
		return "", err
	}
	return SealedTextPrefix + base64.RawStdEncoding.EncodeToString(ct), nil
}

// OpenText opens a sealed value; legacy plaintext is returned as it is.
func OpenText(c TextCipher, v string) (string, error) {
	if !IsSealedText(v) {
		return v, nil
	}
	if c == nil {
		return "", ErrNoTextCipher
	}
	ct, err := base64.RawStdEncoding.DecodeString(v[len(SealedTextPrefix):])
	if err != nil {
		return "", fmt.Errorf("store: sealed text is not base64: %w", err)
	}
	p, err := c.Decrypt(ct)
	return string(p), err
}

// SealedTextCiphertext returns the ciphertext inside a sealed value (for key rotation).
func SealedTextCiphertext(v string) ([]byte, bool) {
	if !IsSealedText(v) {
		return nil, false
	}
	ct, err := base64.RawStdEncoding.DecodeString(v[len(SealedTextPrefix):])
	return ct, err == nil
}

// SealedTextOf wraps a ciphertext as a sealed value.
func SealedTextOf(ciphertext []byte) string {
	return SealedTextPrefix + base64.RawStdEncoding.EncodeToString(ciphertext)
}

type textSealer struct{ c TextCipher }

const restoreKey = "palmaid:sealed_text_restore"

func registerTextSealer(db *gorm.DB, c TextCipher) error {
	p := &textSealer{c: c}
	cb := db.Callback()
	for _, err := range []error{
		cb.Create().Before("gorm:create").Register("palmaid:seal_text", p.seal),
		cb.Create().After("gorm:create").Register("palmaid:restore_text", p.restore),
		cb.Update().Before("gorm:update").Register("palmaid:seal_text", p.seal),
		cb.Update().After("gorm:update").Register("palmaid:restore_text", p.restore),
		cb.Query().After("gorm:query").Register("palmaid:open_text", p.open),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

func sealedFields(s *schema.Schema) []*schema.Field {
	if s == nil {
		return nil
	}
	var out []*schema.Field
	for _, f := range s.Fields {
		if f.Tag.Get("seal") == "text" && f.DBName != "" && f.FieldType.Kind() == reflect.String {
			out = append(out, f)
		}
	}
	return out
}

// eachRow calls fn for every struct of the schema's type held by v (a struct, a pointer to
// one, or a slice or array of either); values of other types are left alone.
func eachRow(v reflect.Value, typ reflect.Type, fn func(reflect.Value)) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == typ && v.CanAddr() {
			fn(v)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			eachRow(v.Index(i), typ, fn)
		}
	}
}

func (p *textSealer) seal(db *gorm.DB) {
	st := db.Statement
	fields := sealedFields(st.Schema)
	if db.Error != nil || len(fields) == 0 || p.c == nil {
		return
	}
	var undo []func()
	sealRow := func(row reflect.Value) {
		for _, f := range fields {
			v, _ := f.ValueOf(st.Context, row)
			s, _ := v.(string)
			if s == "" || IsSealedText(s) {
				continue
			}
			enc, err := SealText(p.c, s)
			if err != nil {
				_ = db.AddError(err)
				return
			}
			if err := f.Set(st.Context, row, enc); err != nil {
				_ = db.AddError(err)
				return
			}
			undo = append(undo, func() { _ = f.Set(st.Context, row, s) })
		}
	}
	eachRow(st.ReflectValue, st.Schema.ModelType, sealRow)
	if st.Dest != nil && st.Dest != st.Model {
		eachRow(reflect.ValueOf(st.Dest), st.Schema.ModelType, sealRow)
	}
	if m, ok := st.Dest.(map[string]any); ok {
		for k, v := range m {
			f := st.Schema.LookUpField(k)
			s, isString := v.(string)
			if f == nil || f.Tag.Get("seal") != "text" || !isString || s == "" || IsSealedText(s) {
				continue
			}
			enc, err := SealText(p.c, s)
			if err != nil {
				_ = db.AddError(err)
				return
			}
			m[k] = enc
			undo = append(undo, func() { m[k] = s })
		}
	}
	if len(undo) > 0 {
		st.Settings.Store(restoreKey, undo)
	}
}

// restore puts the caller's plaintext back into the structs and maps it passed (they are
// used after the write: responses, later saves of the same case file).
func (p *textSealer) restore(db *gorm.DB) {
	v, ok := db.Statement.Settings.LoadAndDelete(restoreKey)
	if !ok {
		return
	}
	for _, fn := range v.([]func()) {
		fn()
	}
}

func (p *textSealer) open(db *gorm.DB) {
	st := db.Statement
	fields := sealedFields(st.Schema)
	if db.Error != nil || len(fields) == 0 {
		return
	}
	eachRow(st.ReflectValue, st.Schema.ModelType, func(row reflect.Value) {
		for _, f := range fields {
			v, _ := f.ValueOf(st.Context, row)
			s, _ := v.(string)
			if !IsSealedText(s) {
				continue
			}
			plain, err := OpenText(p.c, s)
			if err != nil {
				_ = db.AddError(fmt.Errorf("open %s.%s: %w", st.Schema.Table, f.DBName, err))
				return
			}
			if err := f.Set(st.Context, row, plain); err != nil {
				_ = db.AddError(err)
				return
			}
		}
	})
}
