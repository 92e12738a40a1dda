package doctest

import (
	"bytes"
	"compress/zlib"
	"encoding/ascii85"
	"encoding/binary"
	"fmt"
	"strings"
)

// Real small PDFs, built object by object with a correct cross-reference table (or stream), as
// a PDF writer would produce them; the hostile corpus (hostile.go) and the accepted fixtures
// are made with these.

// BuildPDF writes a PDF whose objects are objs (numbered from 1; object 1 is the catalog) with
// a classic xref table; trailer adds entries to the trailer dictionary.
func BuildPDF(objs []string, trailer string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailer, x)
	return b.Bytes()
}

// Stream is the text of a stream object: dict entries (without /Length) and its data.
func Stream(dict string, data []byte) string {
	return fmt.Sprintf("<< /Length %d %s>>\nstream\n%s\nendstream", len(data), dict, data)
}

// Zlib compresses b (FlateDecode).
func Zlib(b []byte) []byte {
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	_, _ = w.Write(b)
	_ = w.Close()
	return z.Bytes()
}

// PageObjects are a catalog (with extra entries), a page tree and one page (with extra
// entries): objects 1, 2 and 3.
func PageObjects(catalogExtra, pageExtra string) []string {
	return []string{
		"<< /Type /Catalog /Pages 2 0 R " + catalogExtra + ">>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + pageExtra + ">>",
	}
}

// ObjStmEncoding encodes an object stream's content: the encoded bytes and the dictionary
// entries that say how (/Filter, /DecodeParms, and /Type /ObjStm unless left out on purpose).
type ObjStmEncoding func(content []byte) (data []byte, dict string)

// FlateObjStm is the usual encoding: /Type /ObjStm /Filter /FlateDecode.
func FlateObjStm(content []byte) ([]byte, string) {
	return Zlib(content), "/Type /ObjStm /Filter /FlateDecode "
}

// BuildPDFObjStm writes a PDF 1.5 file whose objects inner and more (numbered from 1) all sit in one
// compressed object stream (object len(inner)+1), indexed by a cross-reference stream (the
// last object), as modern writers do.
func BuildPDFObjStm(inner []string, enc ObjStmEncoding, more ...string) []byte {
	inner = append(append([]string(nil), inner...), more...)
	var head, body strings.Builder
	for i, o := range inner {
		fmt.Fprintf(&head, "%d %d ", i+1, body.Len())
		body.WriteString(o)
		body.WriteString("\n")
	}
	content := head.String() + body.String()
	data, dict := enc([]byte(content))
	stmNum, xrefNum := len(inner)+1, len(inner)+2

	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	stmOff := b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", stmNum,
		Stream(fmt.Sprintf("%s/N %d /First %d ", dict, len(inner), head.Len()), data))
	xrefOff := b.Len()
	// entries: type (1 byte), field 2 (4 bytes), field 3 (2 bytes)
	var x bytes.Buffer
	row := func(t byte, f2 uint32, f3 uint16) {
		x.WriteByte(t)
		_ = binary.Write(&x, binary.BigEndian, f2)
		_ = binary.Write(&x, binary.BigEndian, f3)
	}
	row(0, 0, 65535)
	for i := range inner {
		row(2, uint32(stmNum), uint16(i))
	}
	row(1, uint32(stmOff), 0)
	row(1, uint32(xrefOff), 0)
	xs := Zlib(x.Bytes())
	fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", xrefNum,
		Stream(fmt.Sprintf("/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode ", xrefNum+1), xs))
	fmt.Fprintf(&b, "startxref\n%d\n%%%%EOF\n", xrefOff)
	return b.Bytes()
}

// PNGPredicted encodes content with FlateDecode and the PNG "Sub" predictor (12), which
// scrambles every name in the compressed bytes' plain form.
func PNGPredicted(content []byte) ([]byte, string) {
	const cols = 16
	for len(content)%cols != 0 {
		content = append(content, ' ')
	}
	var out []byte
	for r := 0; r < len(content); r += cols {
		out = append(out, 1) // Sub
		for i := 0; i < cols; i++ {
			var left byte
			if i > 0 {
				left = content[r+i-1]
			}
			out = append(out, content[r+i]-left)
		}
	}
	return Zlib(out), fmt.Sprintf("/Type /ObjStm /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns %d >> ", cols)
}

// ASCII85Flate encodes content with FlateDecode, then ASCII85.
func ASCII85Flate(content []byte) ([]byte, string) {
	z := Zlib(content)
	out := make([]byte, ascii85.MaxEncodedLen(len(z)))
	out = append(out[:ascii85.Encode(out, z)], "~>"...)
	return out, "/Type /ObjStm /Filter [/ASCII85Decode /FlateDecode] "
}

// UntypedObjStm is FlateObjStm without /Type /ObjStm: readers load it all the same when the
// cross-reference stream points into it.
func UntypedObjStm(content []byte) ([]byte, string) {
	return Zlib(content), "/Filter /FlateDecode "
}

// FixturePDFObjStm is a clean PDF 1.5 with its objects in a compressed object stream.
func FixturePDFObjStm() []byte {
	return BuildPDFObjStm(PageObjects("", ""), FlateObjStm)
}

// FixturePDFLinks is a clean PDF with what ordinary documents carry: an /OpenAction that
// shows the first page, an https link and a mailto link, an internal GoTo link, a ResetForm
// button, and a FlateDecode content stream.
func FixturePDFLinks() []byte {
	content := Zlib([]byte("BT /F1 12 Tf 72 720 Td (https://www.gov.cn) Tj ET\n"))
	objs := PageObjects("/OpenAction [3 0 R /Fit] /PageMode /UseNone ",
		"/Annots [4 0 R 5 0 R 6 0 R 7 0 R] /Contents 8 0 R /Resources << /Font << /F1 9 0 R >> >> ")
	objs = append(objs,
		"<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] /A << /S /URI /URI (https://www.gov.cn/zhengce/) >> >>",
		fmt.Sprintf("<< /Type /Annot /Subtype /Link /Rect [72 680 300 700] /A << /S /URI /URI <%x> >> >>", "mailto:mzj@example.gov.cn"),
		"<< /Type /Annot /Subtype /Link /Rect [72 660 300 680] /Dest [3 0 R /XYZ 0 842 0] /A << /S /GoTo /D [3 0 R /Fit] >> >>",
		"<< /Type /Annot /Subtype /Widget /FT /Btn /Rect [72 640 300 660] /A << /S /ResetForm >> >>",
		Stream("/Filter /FlateDecode ", content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	)
	return BuildPDF(objs, "")
}
