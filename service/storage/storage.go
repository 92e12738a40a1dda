// Package storage keeps uploaded files (documents) as objects under random keys. Two
// implementations: the local disk (embedded mode's default, under the data directory) and
// S3-compatible object storage (MinIO, Tencent COS, Aliyun OSS) through minio-go. Keys are made
// here (crypto/rand) and checked on every call, so a key can never name a path outside the
// store.
package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"time"
)

// ErrNotFound: no object under that key.
var ErrNotFound = errors.New("storage: object not found")

// ErrBadKey: the key is not one NewKey makes (refused before touching the store).
var ErrBadKey = errors.New("storage: malformed key")

// Info describes a stored object.
type Info struct {
	Key         string
	Size        int64
	ContentType string
	Modified    time.Time
}

// Storage is where documents live. Put streams exactly size bytes; Get streams them back (the
// caller closes the reader).
type Storage interface {
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	Get(ctx context.Context, key string) (io.ReadCloser, Info, error)
	Stat(ctx context.Context, key string) (Info, error)
	Delete(ctx context.Context, key string) error
}

// Lister lists every key (tests, and an orphan sweep).
type Lister interface {
	Keys(ctx context.Context) ([]string, error)
}

const keyBytes = 16

// NewKey returns a fresh random key: 32 lowercase hex characters (128 bits from crypto/rand).
func NewKey() (string, error) {
	b := make([]byte, keyBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// ValidKey reports whether k is a key NewKey could have made.
func ValidKey(k string) bool {
	if len(k) != 2*keyBytes {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
