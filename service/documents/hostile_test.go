package documents_test

import (
	"testing"

	"palmaid/model"
	"palmaid/service/documents"
	dt "palmaid/service/documents/doctest"
)

// Every file of the hostile corpus (doctest/testdata/hostile) is refused with its code, a 422
// a resident understands, never an internal error.
func TestSanitiseRefusesHostileCorpus(t *testing.T) {
	corpus, err := dt.HostileCorpus()
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range corpus {
		t.Run(h.File, func(t *testing.T) {
			c, err := documents.Sanitise(h.Data, h.File, "")
			if code(err) != h.Code {
				t.Fatalf("%s: got %q (%v, stored %v), want %s", h.What, code(err), err, c != nil, h.Code)
			}
			if k := model.AsError(err).Kind; k != model.KindUnprocessable {
				t.Fatalf("kind %v, want unprocessable", k)
			}
		})
	}
}

// What ordinary documents carry is not refused: objects in a compressed object stream with a
// cross-reference stream, an /OpenAction that shows the first page, http(s) and mailto links,
// internal links, a ResetForm button, compressed content.
func TestSanitiseAcceptsOrdinaryPDFs(t *testing.T) {
	for name, data := range map[string][]byte{
		"object stream": dt.FixturePDFObjStm(),
		"links":         dt.FixturePDFLinks(),
		"minimal":       dt.FixturePDF(),
	} {
		if _, err := documents.Sanitise(data, name+".pdf", "application/pdf"); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
