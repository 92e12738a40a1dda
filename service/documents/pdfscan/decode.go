package pdfscan

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/ascii85"
	"errors"
	"io"
)

// Stream decoding (§7.4): FlateDecode (zlib, or raw deflate as some writers produce), with PNG
// and TIFF predictors; ASCIIHexDecode, ASCII85Decode, RunLengthDecode. Image filters (DCT, JPX,
// CCITTFax, JBIG2) end a chain: what follows is pixels, which nothing reads as objects, so it is
// not decoded. LZWDecode is not implemented: a stream that must be read (an object stream) with
// it is refused; others are left undecoded. A Crypt filter means an encrypted file.

var errUnsupported = errors.New("pdf: filter not supported")

// errIndirectFilter: /Filter or /DecodeParms is a reference. Writers put them in the stream
// dictionary; such a stream is left undecoded unless it must be read (an object stream).
var errIndirectFilter = errors.New("pdf: /Filter or /DecodeParms not written in the stream dictionary")

func imageFilter(f string) bool {
	switch f {
	case "DCTDecode", "DCT", "JPXDecode", "CCITTFaxDecode", "CCF", "JBIG2Decode":
		return true
	}
	return false
}

// filters reads /Filter and /DecodeParms: both a name or dictionary, or arrays of them.
func filters(dict value) ([]string, []value, error) {
	f, ok := dict.get("Filter")
	if !ok || f.kind == tKeyword { // absent or null
		return nil, nil, nil
	}
	var names []string
	switch f.kind {
	case tName:
		names = []string{string(f.b)}
	case tArrayOpen:
		if f.more {
			return nil, nil, malformed("more than %d filters", maxKeptElements)
		}
		for _, e := range f.arr {
			if e.kind != tName {
				return nil, nil, malformed("a filter that is not a name")
			}
			names = append(names, string(e.b))
		}
	default:
		return nil, nil, errIndirectFilter
	}
	parms := make([]value, len(names))
	if p, ok := dict.get("DecodeParms"); ok {
		switch {
		case p.kind == tDictOpen && len(names) >= 1:
			parms[0] = p
		case p.kind == tArrayOpen:
			for i := range min(len(p.arr), len(parms)) {
				parms[i] = p.arr[i]
			}
		case p.kind == tRef:
			return nil, nil, errIndirectFilter
		}
	}
	return names, parms, nil
}

// decode judges one stream's data: object streams are decoded in memory and their objects
// parsed; other streams are decoded only to count their size against the budget (a
// decompression bomb is refused even where nothing reads it here); images are not decoded.
func (s *scanner) decode(dict value, raw []byte) error {
	declared := dict.name("Type") == "ObjStm" || dict.has("First")
	candidate := !declared && dict.has("N") // a reader told by the xref stream would read it as one
	names, parms, err := filters(dict)
	if errors.Is(err, errIndirectFilter) {
		if declared {
			return malformed("an object stream whose filter is not written in its dictionary")
		}
		return nil
	}
	if err != nil {
		return err
	}
	for _, n := range names {
		if n == "Crypt" {
			return &Error{Reason: Encrypted, Detail: "Crypt filter"}
		}
	}
	cut := len(names)
	for i, n := range names {
		if imageFilter(n) {
			cut = i
			break
		}
	}
	if cut < len(names) || (!declared && !candidate && dict.name("Subtype") == "Image") {
		return nil // pixels
	}
	names, parms = names[:cut], parms[:cut]
	if !declared && !candidate {
		return s.count(raw, names)
	}
	d, err := s.decodeAll(raw, names, parms)
	if err != nil {
		if errors.Is(err, errUnsupported) {
			if declared {
				return malformed("an object stream with a filter this scan does not decode")
			}
			return nil
		}
		return err
	}
	return s.objectStream(d, dict, declared)
}

// reader chains the decoders.
func reader(raw []byte, names []string) (io.Reader, error) {
	var r io.Reader = bytes.NewReader(raw)
	for _, n := range names {
		switch n {
		case "FlateDecode", "Fl":
			r = inflate(r)
		case "ASCIIHexDecode", "AHx":
			r = &hexReader{r: bufio.NewReader(r)}
		case "ASCII85Decode", "A85":
			r = ascii85.NewDecoder(&until85{r: bufio.NewReader(r)})
		case "RunLengthDecode", "RL":
			r = &runLengthReader{r: bufio.NewReader(r)}
		default:
			return nil, errUnsupported
		}
	}
	return r, nil
}

// count decodes a stream nobody here reads, only to measure it. Decoding errors end it quietly:
// what a reader cannot decode it cannot act on either.
func (s *scanner) count(raw []byte, names []string) error {
	if len(names) == 0 {
		return nil
	}
	r, err := reader(raw, names)
	if err != nil {
		return nil // errUnsupported: left undecoded
	}
	left := s.lim.Inflate - s.inflated
	n, _ := io.Copy(io.Discard, io.LimitReader(r, left+1))
	s.inflated += n
	if n > left {
		return tooComplex("streams inflate to more than %d bytes", s.lim.Inflate)
	}
	return nil
}

// decodeAll decodes a stream to be parsed, keeping what decoded before an error (a reader
// gets that much too), then applies the last filter's predictor.
func (s *scanner) decodeAll(raw []byte, names []string, parms []value) ([]byte, error) {
	r, err := reader(raw, names)
	if err != nil {
		return nil, err
	}
	limit := min(s.lim.ObjStm, s.lim.Inflate-s.inflated)
	var buf bytes.Buffer
	n, _ := buf.ReadFrom(io.LimitReader(r, limit+1))
	s.inflated += n
	if n > limit {
		return nil, tooComplex("an object stream inflates to more than %d bytes", limit)
	}
	d := buf.Bytes()
	for i, p := range parms {
		pred, _ := p.int("Predictor")
		if pred <= 1 {
			continue
		}
		if i != len(parms)-1 || (names[i] != "FlateDecode" && names[i] != "Fl") {
			return nil, malformed("a predictor on a filter other than the last FlateDecode")
		}
		return unpredict(d, p)
	}
	return d, nil
}

func inflate(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	h, _ := br.Peek(2)
	if len(h) == 2 && h[0]&0x0f == 8 && (uint16(h[0])<<8|uint16(h[1]))%31 == 0 {
		zr, err := zlib.NewReader(br)
		if err != nil {
			return errReader{err}
		}
		return zr
	}
	return flate.NewReader(br) // raw deflate, as some writers store it
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// unpredict reverses a PNG (10–15) or TIFF (2, 8 bits per component) predictor (§7.4.4.4).
func unpredict(d []byte, p value) ([]byte, error) {
	pred, _ := p.int("Predictor")
	colors, bpc, cols := int64(1), int64(8), int64(1)
	if v, ok := p.int("Colors"); ok {
		colors = v
	}
	if v, ok := p.int("BitsPerComponent"); ok {
		bpc = v
	}
	if v, ok := p.int("Columns"); ok {
		cols = v
	}
	if colors < 1 || colors > 32 || (bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16) || cols < 1 || cols > 1<<20 {
		return nil, malformed("predictor parameters out of range")
	}
	bpp := int(max(1, colors*bpc/8))
	row := int((colors*bpc*cols + 7) / 8)
	switch {
	case pred == 2:
		if bpc != 8 {
			return nil, malformed("TIFF predictor with %d bits per component", bpc)
		}
		out := append([]byte(nil), d...)
		for r := 0; r+row <= len(out); r += row {
			for i := bpp; i < row; i++ {
				out[r+i] += out[r+i-bpp]
			}
		}
		return out, nil
	case pred >= 10 && pred <= 15:
		out := make([]byte, 0, len(d))
		prev := make([]byte, row)
		for r := 0; r < len(d); r += row + 1 {
			if r+1+row > len(d) {
				break // a partial last row, as readers drop it
			}
			ft, cur := d[r], append([]byte(nil), d[r+1:r+1+row]...)
			for i := range cur {
				var a, c byte
				if i >= bpp {
					a, c = cur[i-bpp], prev[i-bpp]
				}
				b := prev[i]
				switch ft {
				case 0:
				case 1:
					cur[i] += a
				case 2:
					cur[i] += b
				case 3:
					cur[i] += byte((int(a) + int(b)) / 2)
				case 4:
					cur[i] += paeth(a, b, c)
				default:
					return nil, malformed("PNG predictor row type %d", ft)
				}
			}
			out = append(out, cur...)
			prev = cur
		}
		return out, nil
	}
	return nil, malformed("predictor %d", pred)
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// hexReader decodes ASCIIHexDecode up to its '>'.
type hexReader struct {
	r    *bufio.Reader
	done bool
}

func (h *hexReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && !h.done {
		var v [2]byte
		k := 0
		for k < 2 {
			c, err := h.r.ReadByte()
			if err != nil || c == '>' {
				h.done = true
				break
			}
			if isWhite(c) {
				continue
			}
			x, ok := unhex(c)
			if !ok {
				return n, malformed("bad ASCIIHex data")
			}
			v[k] = x
			k++
		}
		if k > 0 {
			p[n] = v[0]<<4 | v[1]
			n++
		}
	}
	if n == 0 && h.done {
		return 0, io.EOF
	}
	return n, nil
}

// until85 ends ASCII85 data at its "~>" (encoding/ascii85 does not know the PDF terminator).
type until85 struct {
	r    *bufio.Reader
	done bool
}

func (u *until85) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && !u.done {
		c, err := u.r.ReadByte()
		if err != nil || c == '~' {
			u.done = true
			break
		}
		p[n] = c
		n++
	}
	if n == 0 && u.done {
		return 0, io.EOF
	}
	return n, nil
}

// runLengthReader decodes RunLengthDecode (§7.4.5).
type runLengthReader struct {
	r       *bufio.Reader
	lit     int  // literal bytes left to copy
	rep     int  // repeats left of b
	b       byte // the repeated byte
	stopped bool
}

func (d *runLengthReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		switch {
		case d.rep > 0:
			p[n] = d.b
			d.rep--
			n++
			continue
		case d.lit > 0:
			c, err := d.r.ReadByte()
			if err != nil {
				d.stopped, d.lit = true, 0
				continue
			}
			p[n] = c
			d.lit--
			n++
			continue
		case d.stopped:
			if n == 0 {
				return 0, io.EOF
			}
			return n, nil
		}
		l, err := d.r.ReadByte()
		if err != nil || l == 128 {
			d.stopped = true
			continue
		}
		if l < 128 {
			d.lit = int(l) + 1
			continue
		}
		c, err := d.r.ReadByte()
		if err != nil {
			d.stopped = true
			continue
		}
		d.b, d.rep = c, 257-int(l)
	}
	return n, nil
}

// objectStream parses an object stream as readers do (§7.5.7): N pairs of object number and
// offset, then one object at First + each offset. declared: /Type /ObjStm or /First; a stream
// with only /N that does not start with N integer pairs is not an object stream to any reader.
func (s *scanner) objectStream(d []byte, dict value, declared bool) error {
	n, okN := dict.int("N")
	first, _ := dict.int("First")
	if declared && !okN {
		return malformed("an object stream without /N")
	}
	if n < 0 || first < 0 || first > int64(len(d)) || n > int64(len(d)) {
		if declared {
			return malformed("object stream /N %d /First %d out of range", n, first)
		}
		return nil
	}
	head := d
	if first > 0 {
		head = d[:first]
	}
	hl := &lexer{data: head, s: s, onText: hiddenObject}
	offsets := make([]int64, 0, min(n, 1<<16))
	for i := int64(0); i < n; i++ {
		var pair [2]int64
		for k := range pair {
			t, err := hl.next()
			if err == nil && t.kind != tInt {
				err = malformed("object stream header is not integer pairs")
			}
			if err != nil {
				if !declared && ReasonOf(err) != TooComplex {
					return nil
				}
				return err
			}
			pair[k] = t.num
		}
		offsets = append(offsets, pair[1])
	}
	for _, off := range offsets {
		if off < 0 || first+off >= int64(len(d)) {
			return malformed("object stream offset %d out of range", off)
		}
		l := &lexer{data: d, pos: int(first + off), s: s, onText: hiddenObject}
		p := &parser{l: l, s: s}
		t, err := l.next()
		if err != nil {
			return err
		}
		if _, err := p.object(t, 0); err != nil {
			return err
		}
	}
	return nil
}
