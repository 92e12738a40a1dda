package pdfscan

import "strconv"

// The object parser (§7.3): every value is read and every name in it judged; only what the scan
// needs afterwards is kept (the few dictionary entries that describe a stream, the first
// elements of an array), so a file of a million tiny objects costs no more memory than one.

const tRef kind = 100 // a value kind beside the token kinds: an indirect reference "12 0 R"

// value is a parsed object, reduced to what the scan uses.
type value struct {
	kind kind // tName, tInt, tReal, tString, tKeyword (true/false/null), tRef, tDictOpen, tArrayOpen
	b    []byte
	num  int64
	dict map[string]value // dictionaries: the kept entries
	arr  []value          // arrays: the first maxKeptElements elements
	more bool             // arrays: elements were dropped
}

const maxKeptElements = 32

// kept are the dictionary entries the scan reads after parsing (stream descriptions and the
// parameters of their filters).
var kept = map[string]bool{
	"Length": true, "Filter": true, "DecodeParms": true, "Type": true, "Subtype": true, "N": true, "First": true,
	"Predictor": true, "Colors": true, "BitsPerComponent": true, "Columns": true,
}

func (v value) get(key string) (value, bool) {
	if v.kind != tDictOpen {
		return value{}, false
	}
	e, ok := v.dict[key]
	return e, ok
}

func (v value) int(key string) (int64, bool) {
	e, ok := v.get(key)
	if !ok || e.kind != tInt {
		return 0, false
	}
	return e.num, true
}

func (v value) name(key string) string {
	e, ok := v.get(key)
	if !ok || e.kind != tName {
		return ""
	}
	return string(e.b)
}

func (v value) has(key string) bool {
	_, ok := v.get(key)
	return ok
}

type parser struct {
	l *lexer
	s *scanner
}

// object reads the value that starts with t.
func (p *parser) object(t token, depth int) (value, error) {
	switch t.kind {
	case tName:
		if deniedName(t.val) {
			return value{}, &Error{Reason: Active, Name: string(t.val), Detail: "at " + itoa(t.pos)}
		}
		return value{kind: tName, b: t.val}, nil
	case tInt:
		// 12 0 R is a reference; anything else leaves the lexer where it was
		save := p.l.pos
		if g, err := p.l.next(); err == nil && g.kind == tInt {
			if r, err := p.l.next(); err == nil && r.kind == tKeyword && string(r.val) == "R" {
				return value{kind: tRef, num: t.num}, nil
			}
		}
		p.l.pos = save
		return value{kind: tInt, num: t.num}, nil
	case tReal, tString:
		return value{kind: t.kind, b: t.val}, nil
	case tKeyword:
		switch string(t.val) {
		case "true", "false", "null":
			return value{kind: tKeyword, b: t.val}, nil
		}
		return value{}, malformed("keyword %q inside an object at %d", excerpt(t.val), t.pos)
	case tDictOpen:
		return p.dict(depth + 1)
	case tArrayOpen:
		return p.array(depth + 1)
	case tEOF:
		return value{}, malformed("the file ends inside an object")
	}
	return value{}, malformed("unbalanced %s at %d", map[kind]string{tDictClose: ">>", tArrayClose: "]"}[t.kind], t.pos)
}

func (p *parser) dict(depth int) (value, error) {
	if depth > p.s.lim.Depth {
		return value{}, tooComplex("nesting deeper than %d", p.s.lim.Depth)
	}
	v := value{kind: tDictOpen}
	for {
		k, err := p.l.next()
		if err != nil {
			return value{}, err
		}
		if k.kind == tDictClose {
			return v, nil
		}
		if k.kind != tName {
			if k.kind == tEOF {
				return value{}, malformed("the file ends inside a dictionary")
			}
			return value{}, malformed("a dictionary key that is not a name at %d", k.pos)
		}
		key, err := p.object(k, depth) // judges the key
		if err != nil {
			return value{}, err
		}
		t, err := p.l.next()
		if err != nil {
			return value{}, err
		}
		if t.kind == tDictClose {
			return value{}, malformed("a dictionary key without a value at %d", k.pos)
		}
		e, err := p.object(t, depth)
		if err != nil {
			return value{}, err
		}
		switch name := string(key.b); name {
		case "URI":
			if err := checkURI(e); err != nil {
				return value{}, err
			}
		case "Encrypt":
			return value{}, &Error{Reason: Encrypted, Detail: "/Encrypt at " + itoa(k.pos)}
		default:
			if kept[name] {
				if v.dict == nil {
					v.dict = map[string]value{}
				}
				v.dict[name] = e
			}
		}
	}
}

func (p *parser) array(depth int) (value, error) {
	if depth > p.s.lim.Depth {
		return value{}, tooComplex("nesting deeper than %d", p.s.lim.Depth)
	}
	v := value{kind: tArrayOpen}
	for {
		t, err := p.l.next()
		if err != nil {
			return value{}, err
		}
		if t.kind == tArrayClose {
			return v, nil
		}
		if t.kind == tEOF {
			return value{}, malformed("the file ends inside an array")
		}
		e, err := p.object(t, depth)
		if err != nil {
			return value{}, err
		}
		if len(v.arr) < maxKeptElements {
			v.arr = append(v.arr, e)
		} else {
			v.more = true
		}
	}
}

// excerpt: the first 20 bytes of a PDF token, quoted (%q) in an error message.
func excerpt(b []byte) string {
	if len(b) > 20 {
		b = b[:20]
	}
	return string(b)
}

func itoa(n int) string { return strconv.Itoa(n) }
