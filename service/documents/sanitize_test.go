package documents_test

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"runtime"
	"strings"
	"testing"

	"palmaid/model"
	"palmaid/service/documents"
	dt "palmaid/service/documents/doctest"
)

func code(err error) string {
	if err == nil {
		return ""
	}
	return model.AsError(err).Code
}

func TestSanitiseAccepts(t *testing.T) {
	for _, tc := range []struct {
		name, file, declared, mime, stored string
		data                               []byte
	}{
		{"jpeg", "身份证正面.JPG", "image/jpeg", documents.TypeJPEG, "身份证正面.jpg", dt.FixtureJPEG(64, 48)},
		{"png from WeChat (octet-stream)", "wxfile://tmp_abc.png", "application/octet-stream", documents.TypePNG, "tmp_abc.png", dt.FixturePNG(32, 32)},
		{"pdf", "诊断证明.pdf", "application/pdf", documents.TypePDF, "诊断证明.pdf", dt.FixturePDF()},
		{"no extension, no type", "scan", "", documents.TypePDF, "scan.pdf", dt.FixturePDF()},
		{"path in the name", `C:\Users\李\..\..\Windows\户口本.jpeg`, "image/jpg", documents.TypeJPEG, "户口本.jpg", dt.FixtureJPEG(8, 8)},
		{"traversal in the name", "../../etc/passwd.png", "", documents.TypePNG, "passwd.png", dt.FixturePNG(8, 8)},
		{"control characters and quotes", "a\"b\r\nc\x00.pdf", "", documents.TypePDF, "abc.pdf", dt.FixturePDF()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := documents.Sanitise(tc.data, tc.file, tc.declared)
			if err != nil {
				t.Fatal(err)
			}
			if c.MIME != tc.mime || c.FileName != tc.stored {
				t.Fatalf("got %s %q, want %s %q", c.MIME, c.FileName, tc.mime, tc.stored)
			}
			if tc.mime == documents.TypePDF && !bytes.Equal(c.Data, tc.data) {
				t.Fatal("a PDF is stored as sent")
			}
		})
	}
}

func TestSanitiseRefuses(t *testing.T) {
	png := dt.FixturePNG(16, 16)
	pdf := dt.FixturePDF()
	for _, tc := range []struct {
		name, file, declared, code string
		data                       []byte
	}{
		{"PNG renamed .pdf", "证明.pdf", "", "document.type_mismatch", png},
		{"PNG declared as PDF", "证明", "application/pdf", "document.type_mismatch", png},
		{"PDF renamed .jpg", "证明.jpg", "image/jpeg", "document.type_mismatch", pdf},
		{"PNG named .exe", "x.exe", "", "document.type_mismatch", png},
		{"bad declared type", "x.png", "image/", "document.type_mismatch", png},
		{"empty", "a.png", "image/png", "document.empty", nil},
		{"HTML", "a.html", "text/html", "document.type_not_allowed", []byte("<html><script>alert(1)</script></html>")},
		{"GIF", "a.gif", "", "document.type_not_allowed", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")},
		{"ZIP", "a.zip", "", "document.type_not_allowed", []byte("PK\x03\x04\x14\x00\x00\x00\x00\x00")},
		{"text", "a.txt", "", "document.type_not_allowed", []byte("hello")},
		{"PDF+HTML polyglot", "a.pdf", "", "document.polyglot", dt.FixturePolyglotPDFHTML()},
		{"PDF+ZIP polyglot", "a.pdf", "", "document.polyglot", dt.FixturePolyglotPDFZIP()},
		{"JPEG+PDF polyglot", "a.jpg", "", "document.polyglot", dt.FixturePolyglotJPEGPDF()},
		{"PDF with something after %%EOF", "a.pdf", "", "document.polyglot", append(append([]byte{}, pdf...), "<script>x</script>"...)},
		{"PDF without %%EOF", "a.pdf", "", "document.unreadable", pdf[:len(pdf)-7]},
		{"PDF with JavaScript", "a.pdf", "", "document.pdf_active_content",
			bytes.Replace(pdf, []byte("/Type /Catalog"), []byte("/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), 1)},
		{"PDF with an embedded file", "a.pdf", "", "document.pdf_active_content",
			bytes.Replace(pdf, []byte("/Type /Catalog"), []byte("/Type /Catalog /Names << /EmbeddedFiles << >> >> /X /EmbeddedFile"), 1)},
		{"truncated JPEG", "a.jpg", "", "document.unreadable", dt.FixtureJPEG(64, 64)[:200]},
		{"PNG bomb 50000×50000", "a.png", "", "document.too_many_pixels", dt.FixturePNGBomb(50000, 50000)},
		{"PNG just over 40 MP", "a.png", "", "document.too_many_pixels", dt.FixturePNGBomb(8000, 5001)},
		{"too large", "a.pdf", "", "document.too_large", append(pdf, make([]byte, documents.MaxBytes)...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := documents.Sanitise(tc.data, tc.file, tc.declared)
			if code(err) != tc.code {
				t.Fatalf("got %v (%v), want %s", code(err), c, tc.code)
			}
			if s := model.AsError(err).Kind; s == model.KindInternal {
				t.Fatalf("internal error: %v", err)
			}
		})
	}
	// /JSON is not /JS: a name only matches whole.
	ok := bytes.Replace(pdf, []byte("/Type /Catalog"), []byte("/Type /Catalog /JSON 1"), 1)
	if _, err := documents.Sanitise(ok, "a.pdf", ""); err != nil {
		t.Fatalf("/JSON refused: %v", err)
	}
}

// The bomb's header is refused before any pixel buffer exists: far less than one row of the
// 50 000-pixel-wide image (150 kB) is allocated.
func TestSanitiseBombAllocatesNothing(t *testing.T) {
	bomb := dt.FixturePNGBomb(50000, 50000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := documents.Sanitise(bomb, "bomb.png", "image/png")
	runtime.ReadMemStats(&after)
	if code(err) != "document.too_many_pixels" {
		t.Fatalf("bomb: %v", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 100_000 {
		t.Fatalf("refusing the bomb allocated %d bytes", n)
	}
}

// EXIF (and its GPS block) does not survive; the photo is turned as its Orientation said, so it
// still reads upright, and it still decodes.
func TestSanitiseStripsEXIFAndGPS(t *testing.T) {
	in := dt.FixtureJPEGWithGPS(40, 30)
	if !bytes.Contains(in, []byte(dt.GPSMarker)) || !bytes.Contains(in, []byte("Exif\x00\x00")) {
		t.Fatal("fixture lacks its EXIF/GPS block")
	}
	c, err := documents.Sanitise(in, "photo.jpg", "image/jpeg")
	if err != nil {
		t.Fatal(err)
	}
	for _, needle := range []string{dt.GPSMarker, "Exif", "\xFF\xE1"} {
		if bytes.Contains(c.Data, []byte(needle)) {
			t.Errorf("stored image still holds %q", needle)
		}
	}
	img, err := jpeg.Decode(bytes.NewReader(c.Data))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 30 || b.Dy() != 40 || c.Width != 30 || c.Height != 40 {
		t.Fatalf("orientation 6 not applied: %v (%dx%d)", b, c.Width, c.Height)
	}
}

// Anything appended to an image (a script, an archive) is gone after re-encoding.
func TestSanitiseDropsTrailingPayload(t *testing.T) {
	for name, data := range map[string][]byte{
		"png": append(dt.FixturePNG(20, 20), "<script>alert(1)</script>PK\x05\x06"...),
		"jpg": append(dt.FixtureJPEG(20, 20), "<script>alert(1)</script>PK\x05\x06"...),
	} {
		c, err := documents.Sanitise(data, "x."+name, "")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if bytes.Contains(c.Data, []byte("<script>")) || bytes.Contains(c.Data, []byte("PK\x05\x06")) {
			t.Fatalf("%s: payload survived", name)
		}
		var decode func(io.Reader) (image.Image, error) = png.Decode
		if name == "jpg" {
			decode = jpeg.Decode
		}
		if _, err := decode(bytes.NewReader(c.Data)); err != nil {
			t.Fatalf("%s: re-encoded image does not decode: %v", name, err)
		}
	}
}

// countingReader counts what was read of an endless stream.
type countingReader struct{ n int64 }

func (c *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	c.n += int64(len(p))
	return len(p), nil
}

func TestReadLimitedStopsAtTheLimit(t *testing.T) {
	r := &countingReader{}
	_, err := documents.ReadLimited(r, documents.MaxBytes)
	if code(err) != "document.too_large" {
		t.Fatalf("endless body: %v", err)
	}
	if r.n > documents.MaxBytes+64<<10 { // limit+1, in whole read buffers
		t.Fatalf("read %d bytes of an endless body", r.n)
	}
	if _, err := documents.ReadLimited(strings.NewReader(""), documents.MaxBytes); code(err) != "document.empty" {
		t.Fatalf("empty: %v", err)
	}
	b, err := documents.ReadLimited(bytes.NewReader(make([]byte, documents.MaxBytes)), documents.MaxBytes)
	if err != nil || len(b) != documents.MaxBytes {
		t.Fatalf("exactly the limit: %d %v", len(b), err)
	}
	if !errors.Is(documents.ErrTooLarge, documents.ErrTooLarge) {
		t.Fatal("unreachable")
	}
}

func BenchmarkSanitisePhoto(b *testing.B) {
	photo := dt.FixtureJPEGWithGPS(4000, 3000) // a 12 MP phone photo, turned
	b.SetBytes(int64(len(photo)))
	for b.Loop() {
		if _, err := documents.Sanitise(photo, "p.jpg", "image/jpeg"); err != nil {
			b.Fatal(err)
		}
	}
}
