package documents_test

import (
	"bytes"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"testing"

	"palmaid/model"
	"palmaid/service/documents"
	dt "palmaid/service/documents/doctest"
	"palmaid/service/documents/pdfscan"
)

// FuzzSanitise: whatever bytes arrive, Sanitise never panics and never fails inside (every
// refusal is a resident's 4xx); what it accepts is a JPEG, PNG or PDF within the limits — an
// image decodes and has at most MaxPixels pixels, a PDF is stored as sent and passes the scan
// again. Seeds: the hostile corpus (doctest/testdata/hostile) and the clean fixtures.
// Run long: go test ./service/documents/ -run '^$' -fuzz FuzzSanitise -fuzztime 10m
func FuzzSanitise(f *testing.F) {
	corpus, err := dt.HostileCorpus()
	if err != nil {
		f.Fatal(err)
	}
	for _, h := range corpus {
		f.Add(h.Data)
	}
	for _, b := range [][]byte{dt.FixturePDF(), dt.FixturePDFLinks(), dt.FixturePDFObjStm(), dt.FixturePNG(16, 16), dt.FixtureJPEGWithGPS(16, 12)} {
		f.Add(b)
	}
	// small limits keep each run short; the properties do not depend on them
	z := documents.Sanitiser{MaxPixels: 1 << 20, PDF: pdfscan.Limits{Inflate: 8 << 20, ObjStm: 1 << 20, Tokens: 200_000, Depth: 32}}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := z.Sanitise(data, "", "")
		if err != nil {
			if e := model.AsError(err); e.Kind == model.KindInternal || e.Code == "" {
				t.Fatalf("internal error: %v", err)
			}
			return
		}
		switch c.MIME {
		case documents.TypePDF:
			if !bytes.Equal(c.Data, data) {
				t.Fatal("a PDF is stored as sent")
			}
			if err := pdfscan.Check(c.Data, z.PDF); err != nil {
				t.Fatalf("accepted PDF fails its own scan: %v", err)
			}
		case documents.TypeJPEG, documents.TypePNG:
			cfg, _, err := image.DecodeConfig(bytes.NewReader(c.Data))
			if err != nil {
				t.Fatalf("stored image does not decode: %v", err)
			}
			if int64(cfg.Width)*int64(cfg.Height) > z.MaxPixels {
				t.Fatalf("stored %d×%d over the ceiling", cfg.Width, cfg.Height)
			}
		default:
			t.Fatalf("accepted %q", c.MIME)
		}
	})
}
