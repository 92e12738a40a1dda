package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Local keeps objects as files under one directory: <dir>/<first two key characters>/<key>,
// written to a temporary file and renamed into place, mode 0600. Every access goes through an
// os.Root opened on the directory (no path can leave it, symlinks included), and keys are
// checked first (ValidKey), so a traversal is impossible twice over.
type Local struct {
	root *os.Root
	dir  string
}

// NewLocal opens (creating it, mode 0700) the directory.
func NewLocal(dir string) (*Local, error) {
	if dir == "" {
		return nil, errors.New("storage: empty directory")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("storage: create %s: %w", dir, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", dir, err)
	}
	return &Local{root: root, dir: dir}, nil
}

// Close releases the directory handle.
func (l *Local) Close() error { return l.root.Close() }

func rel(key string) (string, error) {
	if !ValidKey(key) {
		return "", ErrBadKey
	}
	return key[:2] + "/" + key, nil
}

// Put writes the object; a short or long body is an error and leaves nothing behind.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, size int64, _ string) (err error) {
	name, err := rel(key)
	if err != nil {
		return err
	}
	if err := l.root.MkdirAll(key[:2], 0o700); err != nil {
		return fmt.Errorf("storage: %w", err)
	}
	tmpKey, err := NewKey()
	if err != nil {
		return err
	}
	tmp := key[:2] + "/.tmp-" + tmpKey
	f, err := l.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("storage: %w", err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = l.root.Remove(tmp)
		}
	}()
	n, err := io.Copy(f, io.LimitReader(ctxReader{ctx, r}, size+1))
	if err != nil {
		return fmt.Errorf("storage: write: %w", err)
	}
	if n != size {
		return fmt.Errorf("storage: body of %d bytes, declared %d", n, size)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("storage: sync: %w", err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("storage: close: %w", err)
	}
	if err = l.root.Rename(tmp, name); err != nil {
		return fmt.Errorf("storage: %w", err)
	}
	return nil
}

// Get opens the object for reading.
func (l *Local) Get(_ context.Context, key string) (io.ReadCloser, Info, error) {
	name, err := rel(key)
	if err != nil {
		return nil, Info{}, err
	}
	f, err := l.root.Open(name)
	if err != nil {
		return nil, Info{}, notExist(err)
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, Info{}, err
	}
	return f, Info{Key: key, Size: st.Size(), Modified: st.ModTime()}, nil
}

// Stat describes the object.
func (l *Local) Stat(_ context.Context, key string) (Info, error) {
	name, err := rel(key)
	if err != nil {
		return Info{}, err
	}
	st, err := l.root.Stat(name)
	if err != nil {
		return Info{}, notExist(err)
	}
	return Info{Key: key, Size: st.Size(), Modified: st.ModTime()}, nil
}

// Delete removes the object; a missing one is not an error.
func (l *Local) Delete(_ context.Context, key string) error {
	name, err := rel(key)
	if err != nil {
		return err
	}
	if err := l.root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("storage: %w", err)
	}
	return nil
}

// Keys lists every stored object (temporary files of a write in progress excluded).
func (l *Local) Keys(_ context.Context) ([]string, error) {
	var out []string
	err := fs.WalkDir(l.root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && ValidKey(filepath.Base(p)) && !strings.HasPrefix(d.Name(), ".") {
			out = append(out, d.Name())
		}
		return nil
	})
	return out, err
}

func notExist(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return ErrNotFound
	}
	return fmt.Errorf("storage: %w", err)
}

// ctxReader stops a copy when the context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
