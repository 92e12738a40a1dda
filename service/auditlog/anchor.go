package auditlog

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/syslog"
	"os"
	"path/filepath"
	"time"

	"palmaid/service/store"
)

// Anchor is the audit chain's head written outside the database (one JSON line): removing the
// newest sealed rows, or recomputing the chain, no longer goes unnoticed once an anchor names a
// row after them (store.CheckAuditAnchor).
type Anchor struct {
	At time.Time `json:"at"`
	store.AuditHead
}

// Anchors is where anchors go. Latest answers nil when nothing was anchored there yet and
// ErrUnreadable when the destination cannot be read back (syslog).
type Anchors interface {
	Write(ctx context.Context, a Anchor) error
	Latest() (*Anchor, error)
	String() string
}

// ErrUnreadable: the anchors went where palmaid cannot read them back (syslog).
var ErrUnreadable = errors.New("the audit anchors cannot be read back from here")

// NewAnchors builds the destination of a PALMAID_AUDIT_ANCHOR setting: file (path given),
// syslog, or off (nil).
func NewAnchors(setting, file string) (Anchors, error) {
	switch {
	case setting == "off":
		return nil, nil
	case setting == "syslog":
		return syslogAnchors{}, nil
	case file != "":
		return FileAnchors{Path: file}, nil
	}
	return nil, fmt.Errorf("PALMAID_AUDIT_ANCHOR: unknown destination %q", setting)
}

// FileAnchors appends one line per anchor to a file (O_APPEND, synced): keep it on another
// disk or ship it (chattr +a makes it append-only for root too).
type FileAnchors struct{ Path string }

func (f FileAnchors) String() string { return "file " + f.Path }

// Write appends a.
func (f FileAnchors) Write(_ context.Context, a Anchor) error {
	line, err := json.Marshal(a)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(f.Path), 0o700); err != nil {
		return err
	}
	fh, err := os.OpenFile(f.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if _, err := fh.Write(append(line, '\n')); err != nil {
		fh.Close()
		return err
	}
	if err := fh.Sync(); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}

// Latest reads the last complete line of the file (its last 64 KiB).
func (f FileAnchors) Latest() (*Anchor, error) {
	fh, err := os.Open(f.Path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	off := max(fi.Size()-64<<10, 0)
	buf, err := io.ReadAll(io.NewSectionReader(fh, off, fi.Size()-off))
	if err != nil {
		return nil, err
	}
	var latest *Anchor
	sc := bufio.NewScanner(bytes.NewReader(buf))
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for sc.Scan() {
		var a Anchor
		if json.Unmarshal(sc.Bytes(), &a) == nil && a.LastID > 0 {
			latest = &a
		}
	}
	return latest, sc.Err()
}

type syslogAnchors struct{}

func (syslogAnchors) String() string { return "syslog" }

func (syslogAnchors) Write(_ context.Context, a Anchor) error {
	w, err := syslog.New(syslog.LOG_NOTICE|syslog.LOG_AUTH, "palmaid-audit")
	if err != nil {
		return err
	}
	defer w.Close()
	line, err := json.Marshal(a)
	if err != nil {
		return err
	}
	return w.Notice("audit anchor " + string(line))
}

func (syslogAnchors) Latest() (*Anchor, error) { return nil, ErrUnreadable }

// WriteAnchor writes the chain's current head to anchors (nothing when nothing is sealed or
// the head is the one anchored last).
func WriteAnchor(ctx context.Context, st Store, anchors Anchors, now time.Time) (*Anchor, error) {
	if anchors == nil {
		return nil, nil
	}
	head, err := st.AuditHead(ctx)
	if err != nil || head.LastID == 0 {
		return nil, err
	}
	if prev, err := anchors.Latest(); err == nil && prev != nil && prev.AuditHead == head {
		return prev, nil
	}
	a := Anchor{At: now.UTC(), AuditHead: head}
	return &a, anchors.Write(ctx, a)
}
