package pdfscan

import (
	"bytes"
	"strconv"
)

// The lexer: PDF 1.7 (ISO 32000-1) §7.2–7.3 tokens. Names come out decoded (#xx escapes
// applied), literal strings with their escapes applied, hex strings as bytes. Comments are
// skipped but handed to the scanner first (a reader told to look inside one by the
// cross-reference table would read what it holds).

type kind uint8

const (
	tEOF kind = iota
	tName
	tInt
	tReal
	tString // literal or hex, decoded
	tKeyword
	tDictOpen
	tDictClose
	tArrayOpen
	tArrayClose
)

type token struct {
	kind kind
	val  []byte // name (decoded, without the slash), string bytes, keyword text
	num  int64  // tInt
	pos  int    // offset of the token's first byte
}

func isWhite(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func isRegular(c byte) bool { return !isWhite(c) && !isDelim(c) }

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// lexer reads tokens from data. Every token is counted against the scan's work budget; every
// string and comment is shown to the scanner (onText) as it is written in the file.
type lexer struct {
	data   []byte
	pos    int
	s      *scanner
	onText func(b []byte) error
}

func (l *lexer) next() (token, error) {
	for {
		for l.pos < len(l.data) && isWhite(l.data[l.pos]) {
			l.pos++
		}
		if l.pos >= len(l.data) {
			return token{kind: tEOF, pos: l.pos}, nil
		}
		if l.data[l.pos] != '%' {
			break
		}
		start := l.pos
		for l.pos < len(l.data) && l.data[l.pos] != '\r' && l.data[l.pos] != '\n' {
			l.pos++
		}
		if err := l.onText(l.data[start:l.pos]); err != nil {
			return token{}, err
		}
	}
	if err := l.s.spendToken(); err != nil {
		return token{}, err
	}
	start := l.pos
	c := l.data[l.pos]
	switch c {
	case '/':
		l.pos++
		var name []byte
		for l.pos < len(l.data) && isRegular(l.data[l.pos]) {
			b := l.data[l.pos]
			if b == '#' && l.pos+2 < len(l.data) {
				hi, ok1 := unhex(l.data[l.pos+1])
				lo, ok2 := unhex(l.data[l.pos+2])
				if ok1 && ok2 {
					name = append(name, hi<<4|lo)
					l.pos += 3
					continue
				}
			}
			name = append(name, b)
			l.pos++
		}
		return token{kind: tName, val: name, pos: start}, nil
	case '(':
		s, err := l.literal()
		if err != nil {
			return token{}, err
		}
		return token{kind: tString, val: s, pos: start}, l.onText(l.data[start:l.pos])
	case '<':
		if l.pos+1 < len(l.data) && l.data[l.pos+1] == '<' {
			l.pos += 2
			return token{kind: tDictOpen, pos: start}, nil
		}
		s, err := l.hexString()
		if err != nil {
			return token{}, err
		}
		return token{kind: tString, val: s, pos: start}, l.onText(l.data[start:l.pos])
	case '>':
		if l.pos+1 < len(l.data) && l.data[l.pos+1] == '>' {
			l.pos += 2
			return token{kind: tDictClose, pos: start}, nil
		}
		return token{}, malformed("a lone '>' at %d", start)
	case '[':
		l.pos++
		return token{kind: tArrayOpen, pos: start}, nil
	case ']':
		l.pos++
		return token{kind: tArrayClose, pos: start}, nil
	case ')', '{', '}':
		// braces only occur inside PostScript calculator streams, never among objects
		return token{}, malformed("unexpected %q at %d", c, start)
	}
	for l.pos < len(l.data) && isRegular(l.data[l.pos]) {
		l.pos++
	}
	word := l.data[start:l.pos]
	if n, err := strconv.ParseInt(string(word), 10, 64); err == nil && isIntText(word) {
		return token{kind: tInt, num: n, val: word, pos: start}, nil
	}
	if isRealText(word) {
		return token{kind: tReal, val: word, pos: start}, nil
	}
	return token{kind: tKeyword, val: word, pos: start}, nil
}

func isIntText(w []byte) bool {
	if len(w) > 0 && (w[0] == '+' || w[0] == '-') {
		w = w[1:]
	}
	if len(w) == 0 {
		return false
	}
	for _, c := range w {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func isRealText(w []byte) bool {
	if len(w) > 0 && (w[0] == '+' || w[0] == '-') {
		w = w[1:]
	}
	digits, dots := 0, 0
	for _, c := range w {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			dots++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}

// literal reads a (string) with balanced parentheses and escapes (§7.3.4.2).
func (l *lexer) literal() ([]byte, error) {
	start := l.pos
	l.pos++ // (
	depth := 1
	var out []byte
	for l.pos < len(l.data) {
		c := l.data[l.pos]
		l.pos++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return out, nil
			}
		case '\\':
			if l.pos >= len(l.data) {
				return nil, malformed("string at %d never ends", start)
			}
			e := l.data[l.pos]
			l.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r': // a line continuation
				if l.pos < len(l.data) && l.data[l.pos] == '\n' {
					l.pos++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && l.pos < len(l.data) && l.data[l.pos] >= '0' && l.data[l.pos] <= '7'; k++ {
						v = v*8 + int(l.data[l.pos]-'0')
						l.pos++
					}
					c = byte(v)
				} else {
					c = e // \( \) \\ and any other escaped character stand for themselves
				}
			}
		}
		out = append(out, c)
	}
	return nil, malformed("string at %d never ends", start)
}

// hexString reads <4a 53> (§7.3.4.3); an odd last digit counts as followed by 0.
func (l *lexer) hexString() ([]byte, error) {
	start := l.pos
	l.pos++ // <
	var out []byte
	var hi byte
	half := false
	for l.pos < len(l.data) {
		c := l.data[l.pos]
		l.pos++
		if c == '>' {
			if half {
				out = append(out, hi<<4)
			}
			return out, nil
		}
		if isWhite(c) {
			continue
		}
		v, ok := unhex(c)
		if !ok {
			return nil, malformed("bad hex string at %d", start)
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	return nil, malformed("hex string at %d never ends", start)
}

// skipEOL moves past the end of line that follows the stream keyword (CRLF or LF; a lone CR
// is tolerated as readers do).
func (l *lexer) skipEOL() {
	if l.pos < len(l.data) && l.data[l.pos] == '\r' {
		l.pos++
	}
	if l.pos < len(l.data) && l.data[l.pos] == '\n' {
		l.pos++
	}
}

func (l *lexer) hasKeywordAt(pos int, kw string) bool {
	for pos < len(l.data) && isWhite(l.data[pos]) {
		pos++
	}
	return bytes.HasPrefix(l.data[pos:], []byte(kw)) && (pos+len(kw) == len(l.data) || !isRegular(l.data[pos+len(kw)]))
}
