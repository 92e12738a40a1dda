// Package pdfscan decides whether a PDF may be stored: it tokenises the whole file with a real
// PDF lexer (names decoded from their #xx escapes, strings from their escapes), parses every
// object it meets, inflates the streams that can hold objects (object streams, /Type /ObjStm,
// read at the offsets their header gives, as a reader reads them) and refuses anything that can
// act when the file is opened or clicked: scripts, launch, form submission and data import,
// remote go-to, attachments, rich media, XFA forms, links to anything but http(s) or mailto.
// Encrypted files (nothing in them can be read) and files it cannot read whole are refused too,
// and so is anything another reader could take for an object that this scan did not read as one
// (an "N G obj" inside a string, a comment or stream data). Decoding runs under budgets: bytes
// inflated, the size of one object stream held, tokens read, nesting. Standard library only.
//
// The scan reads every byte of the file in order, whatever the cross-reference table says, so
// it sees a superset of what a reader that follows the table sees; unreferenced objects (old
// revisions of an incrementally updated file) are judged too.
package pdfscan

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// Reason says why a file was refused.
type Reason int

// Reasons.
const (
	Active     Reason = iota + 1 // a name or link that acts (Error.Name says which)
	Malformed                    // not a PDF this scan can read whole (truncated, unbalanced, hidden objects)
	Encrypted                    // /Encrypt: strings and streams cannot be read
	TooComplex                   // a budget ran out (a decompression bomb, deep nesting, endless tokens)
)

// Error is a refusal.
type Error struct {
	Reason Reason
	Name   string // Active: the name (decoded) or "URI" for a link that is not http(s) or mailto
	Detail string
}

func (e *Error) Error() string {
	switch e.Reason {
	case Active:
		return "pdf: active content /" + e.Name + " " + e.Detail
	case Encrypted:
		return "pdf: encrypted"
	case TooComplex:
		return "pdf: over budget: " + e.Detail
	}
	return "pdf: malformed: " + e.Detail
}

func malformed(format string, args ...any) error {
	return &Error{Reason: Malformed, Detail: fmt.Sprintf(format, args...)}
}

func tooComplex(format string, args ...any) error {
	return &Error{Reason: TooComplex, Detail: fmt.Sprintf(format, args...)}
}

// ReasonOf is err's Reason, 0 when err is not a refusal.
func ReasonOf(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return 0
}

// Limits are the scan's budgets.
type Limits struct {
	Inflate int64 // bytes decoded from all streams together
	ObjStm  int64 // bytes of one decoded object stream (held in memory while it is parsed)
	Tokens  int64 // tokens lexed, over the file and its object streams
	Depth   int   // nesting of arrays and dictionaries
}

// DefaultLimits: generous for any document a resident photographs or exports, far below what
// hurts the process. Image streams (/Subtype /Image) are never decoded, so a scan of many pages
// spends nothing on its pixels.
func DefaultLimits() Limits {
	return Limits{Inflate: 128 << 20, ObjStm: 8 << 20, Tokens: 5_000_000, Depth: 64}
}

// denied are the names (compared without case) that make a file refused wherever they occur:
// as a dictionary key or as a value. Action types that only move inside the document (GoTo,
// Named, Thread, SetOCGState, Hide, Trans) and ResetForm (it clears the file's own fields) are
// allowed; URI is allowed for http, https and mailto only (checkURI).
var denied = map[string]bool{
	"javascript": true, "js": true, // scripts: the action type, its code, the document-level name tree
	"aa":         true,                     // additional actions: run on open, close, page view, field focus …
	"launch":     true,                     // starts a program or opens a file
	"submitform": true, "importdata": true, // send form data anywhere / read a file into the form
	"gotor": true, "gotoe": true, // open another (possibly remote, \\host\share) or embedded file
	"embeddedfiles": true, "embeddedfile": true, "ef": true, "fileattachment": true, // attachments
	"richmedia": true, "richmediaexecute": true, "3d": true, // Flash/video and 3D (U3D/PRC) players
	"xfa": true, // XML forms with their own scripting
}

// deniedName is the one place the list is consulted (the scanner and the tests).
func deniedName(n []byte) bool { return denied[strings.ToLower(string(n))] }

// scanner carries the budgets of one Check.
type scanner struct {
	lim      Limits
	tokens   int64
	inflated int64
}

func (s *scanner) spendToken() error {
	s.tokens++
	if s.tokens > s.lim.Tokens {
		return tooComplex("more than %d tokens", s.lim.Tokens)
	}
	return nil
}

// Check scans a whole PDF (the caller has checked the %PDF- header and the %%EOF trailer).
func Check(data []byte, lim Limits) error {
	if i := encryptAt(data); i >= 0 {
		return &Error{Reason: Encrypted, Detail: fmt.Sprintf("/Encrypt at %d", i)}
	}
	s := &scanner{lim: lim}
	return s.top(data)
}

// encryptAt finds /Encrypt spelled plainly, so an encrypted file is named as such before its
// ciphertext strings and streams make the scan call it malformed. (A spelling with escapes is
// found by the scan itself.)
func encryptAt(data []byte) int {
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("/Encrypt"))
		if j < 0 {
			return -1
		}
		end := i + j + len("/Encrypt")
		if end == len(data) || !isRegular(data[end]) {
			return i + j
		}
		i = end
	}
}

// top reads the file's body: objects, cross-reference tables, trailers, in order. A stream's
// data is skipped by its /Length (checked against the endstream keyword) and then decoded.
func (s *scanner) top(data []byte) error {
	l := &lexer{data: data, s: s, onText: hiddenObject}
	p := &parser{l: l, s: s}
	var last value // the dictionary just read, for a following stream keyword
	for {
		t, err := l.next()
		if err != nil {
			return err
		}
		switch t.kind {
		case tEOF:
			return nil
		case tKeyword:
			if string(t.val) == "stream" {
				if last.kind != tDictOpen {
					return malformed("stream without a dictionary at %d", t.pos)
				}
				if err := s.stream(l, last); err != nil {
					return err
				}
			}
			last = value{}
		default:
			v, err := p.object(t, 0)
			if err != nil {
				return err
			}
			last = v
		}
	}
}

// stream reads the data after a stream keyword and decodes it if it may hold objects.
func (s *scanner) stream(l *lexer, dict value) error {
	l.skipEOL()
	start := l.pos
	end := -1
	if n, ok := dict.int("Length"); ok && n >= 0 && int64(len(l.data)-start) >= n && l.hasKeywordAt(start+int(n), "endstream") {
		end = start + int(n)
	} else {
		i := bytes.Index(l.data[start:], []byte("endstream"))
		if i < 0 {
			return malformed("stream at %d never ends", start)
		}
		end = start + i
	}
	raw := l.data[start:end]
	// A reader that looks for endstream rather than trusting /Length, or that rebuilds a
	// damaged cross-reference table by searching for "N G obj", would read objects in here.
	if bytes.Contains(raw, []byte("endstream")) {
		return malformed("endstream inside the stream at %d", start)
	}
	if err := hiddenObject(raw); err != nil {
		return err
	}
	l.pos = end
	t, err := l.next()
	if err != nil {
		return err
	}
	if t.kind != tKeyword || string(t.val) != "endstream" {
		return malformed("stream at %d not closed by endstream", start)
	}
	return s.decode(dict, raw)
}

// hiddenObject refuses text in which a reader could find the start of an object ("12 0 obj")
// that this scan reads as a string, a comment or stream data.
func hiddenObject(b []byte) error {
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte("obj"))
		if j < 0 {
			return nil
		}
		at := i + j
		if (at+3 == len(b) || !isWordByte(b[at+3])) && objectBefore(b, at) { // "obj" whole, as readers match it ("2 3 objects" is text)
			return malformed("something that looks like an object hidden at %d", at)
		}
		i = at + 3
	}
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// objectBefore: b[..at] ends in digits, space, digits, space (the "12 0 " of "12 0 obj").
func objectBefore(b []byte, at int) bool {
	k := at
	for pass := 0; pass < 2; pass++ {
		sp := k
		for k > 0 && (isWhite(b[k-1]) || b[k-1] == '\v') {
			k--
		}
		if k == sp {
			return false
		}
		d := k
		for k > 0 && b[k-1] >= '0' && b[k-1] <= '9' {
			k--
		}
		if k == d {
			return false
		}
	}
	return true
}

// checkURI: a link may open a web page or write a mail; file:, smb:, \\host\share (which hand
// the staff PC's Windows credentials to a stranger's server), javascript: and the rest are
// refused. The address must be written in the link itself.
func checkURI(v value) error {
	if v.kind != tString {
		return &Error{Reason: Active, Name: "URI", Detail: "not a written address"}
	}
	u := strings.ToLower(strings.TrimSpace(string(v.b)))
	for _, ok := range []string{"http://", "https://", "mailto:"} {
		if strings.HasPrefix(u, ok) {
			return nil
		}
	}
	return &Error{Reason: Active, Name: "URI", Detail: "not http, https or mailto"}
}
