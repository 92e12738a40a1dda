package storage_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"palmaid/service/storage"
	"palmaid/service/storage/fakes3"
)

// contract runs the same checks on every implementation.
func contract(t *testing.T, s storage.Storage) {
	ctx := context.Background()
	key, err := storage.NewKey()
	if err != nil || !storage.ValidKey(key) {
		t.Fatalf("NewKey: %q %v", key, err)
	}
	if other, _ := storage.NewKey(); other == key {
		t.Fatal("two keys alike")
	}
	body := bytes.Repeat([]byte("palmaid-"), 100_000) // 800 kB: more than one read buffer
	if err := s.Put(ctx, key, bytes.NewReader(body), int64(len(body)), "application/pdf"); err != nil {
		t.Fatal(err)
	}
	info, err := s.Stat(ctx, key)
	if err != nil || info.Size != int64(len(body)) {
		t.Fatalf("stat: %+v %v", info, err)
	}
	rc, info, err := s.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	_ = rc.Close()
	if err != nil || !bytes.Equal(got, body) || info.Size != int64(len(body)) {
		t.Fatalf("get: %d bytes (want %d), %+v, %v", len(got), len(body), info, err)
	}
	if l, ok := s.(storage.Lister); ok {
		keys, err := l.Keys(ctx)
		if err != nil || len(keys) != 1 || keys[0] != key {
			t.Fatalf("keys: %v %v", keys, err)
		}
	} else {
		t.Fatal("implementation does not list its keys")
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stat(ctx, key); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("stat after delete: %v", err)
	}
	if _, _, err := s.Get(ctx, key); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatalf("deleting twice: %v", err)
	}
	// A body shorter than declared is refused and leaves nothing behind.
	short, _ := storage.NewKey()
	if err := s.Put(ctx, short, strings.NewReader("abc"), 10, "image/png"); err == nil {
		t.Fatal("short body accepted")
	}
	if _, err := s.Stat(ctx, short); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("short body left an object: %v", err)
	}
	// Keys that are not ours never reach the store.
	for _, bad := range []string{"", "../../etc/passwd", "..", "/etc/passwd", "ab/../../x", strings.Repeat("g", 32),
		strings.ToUpper(key), key + "/", "./" + key[2:], `ab\..\..\windows`} {
		if err := s.Put(ctx, bad, strings.NewReader("x"), 1, "image/png"); !errors.Is(err, storage.ErrBadKey) {
			t.Errorf("put %q: %v", bad, err)
		}
		if _, _, err := s.Get(ctx, bad); !errors.Is(err, storage.ErrBadKey) {
			t.Errorf("get %q: %v", bad, err)
		}
		if _, err := s.Stat(ctx, bad); !errors.Is(err, storage.ErrBadKey) {
			t.Errorf("stat %q: %v", bad, err)
		}
		if err := s.Delete(ctx, bad); !errors.Is(err, storage.ErrBadKey) {
			t.Errorf("delete %q: %v", bad, err)
		}
	}
}

func TestLocalStorage(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "uploads")
	s, err := storage.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	contract(t, s)
	key, _ := storage.NewKey()
	if err := s.Put(context.Background(), key, strings.NewReader("secret"), 6, "image/png"); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, key[:2], key))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("object file: %v %v", st, err)
	}
	if d, _ := os.Stat(dir); d.Mode().Perm() != 0o700 {
		t.Fatalf("directory mode %v", d.Mode().Perm())
	}
}

// A symbolic link planted inside the directory cannot lead a read or a write outside it: every
// access goes through os.Root.
func TestLocalStorageSymlinkEscape(t *testing.T) {
	base := t.TempDir()
	dir, outside := filepath.Join(base, "uploads"), filepath.Join(base, "outside")
	if err := os.MkdirAll(outside, 0o700); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(outside, "ffffffffffffffffffffffffffffffff")
	if err := os.WriteFile(secret, []byte("not yours"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := storage.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := os.Symlink(outside, filepath.Join(dir, "ff")); err != nil {
		t.Fatal(err)
	}
	key := "ffffffffffffffffffffffffffffffff"
	if _, _, err := s.Get(context.Background(), key); err == nil {
		t.Fatal("read through a symlink out of the directory")
	}
	if err := s.Put(context.Background(), key, strings.NewReader("x"), 1, "image/png"); err == nil {
		t.Fatal("wrote through a symlink out of the directory")
	}
	if b, _ := os.ReadFile(secret); string(b) != "not yours" {
		t.Fatalf("file outside changed: %q", b)
	}
}

// The S3 implementation against a real S3-protocol server (gofakes3) started in the test.
func TestS3Storage(t *testing.T) {
	srv := fakes3.Start(t, "palmaid-docs")
	s, err := storage.NewS3(context.Background(), srv.Config("palmaid-docs"))
	if err != nil {
		t.Fatal(err)
	}
	contract(t, s)
	key, _ := storage.NewKey()
	if err := s.Put(context.Background(), key, strings.NewReader("%PDF-"), 5, "application/pdf"); err != nil {
		t.Fatal(err)
	}
	if info, err := s.Stat(context.Background(), key); err != nil || info.ContentType != "application/pdf" {
		t.Fatalf("content type kept: %+v %v", info, err)
	}
	obj, err := srv.Backend.HeadObject("palmaid-docs", key)
	if err != nil || obj.Size != 5 {
		t.Fatalf("the server holds %+v, %v", obj, err)
	}
}

// A bucket that does not exist is reported at start, naming the setting.
func TestS3StorageMissingBucket(t *testing.T) {
	srv := fakes3.Start(t, "palmaid-docs")
	_, err := storage.NewS3(context.Background(), srv.Config("no-such-bucket"))
	if err == nil || !strings.Contains(err.Error(), "PALMAID_STORAGE_BUCKET") || !strings.Contains(err.Error(), "no-such-bucket") {
		t.Fatalf("missing bucket: %v", err)
	}
	cfg := srv.Config("palmaid-docs")
	cfg.Lookup = "sideways"
	if _, err := storage.NewS3(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "PALMAID_STORAGE_BUCKET_LOOKUP") {
		t.Fatalf("bad lookup: %v", err)
	}
}
