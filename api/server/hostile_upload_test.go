package server_test

import (
	"context"
	"fmt"
	"testing"

	dt "palmaid/service/documents/doctest"
	"palmaid/service/testenv"
)

// Issue 19, "documents that cannot carry code": every file of the hostile corpus
// (service/documents/doctest/testdata/hostile: the seven PDF variants stored before — escaped
// names, JavaScript in an object stream, attachments, SubmitForm, XFA — and more, images of
// huge dimensions, truncated and malformed files) is refused through both upload routes, the
// resident's and the officer's, with its code, and nothing is stored: no row, no object, the
// case unchanged. A clean PDF with an object stream and ordinary links is then accepted on
// both, so the refusals are the scan's and not the route's.
func TestHostileCorpusRefusedThroughUploads(t *testing.T) {
	corpus, err := dt.HostileCorpus()
	if err != nil {
		t.Fatal(err)
	}
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		tok, id, items := returnedCase(t, h, r, "hostile-"+be.Name, 311)
		before := r.version(id)
		faces := []struct{ name, path, token string }{
			{"resident", fmt.Sprintf("/mp/v1/cases/%s/items/%d/documents", id, items[0]), tok},
			{"officer", fmt.Sprintf("/api/v1/cases/%s/items/%d/documents", id, items[1]), r.staff("town_east")},
		}
		for _, f := range faces {
			for _, c := range corpus {
				t.Run(f.name+"/"+c.File, func(t *testing.T) {
					resetRateLimits(t, h) // 30 uploads a minute per account: the corpus is longer
					body, ct := multipartBody(t, "file", c.File, "", c.Data)
					res := h.send("POST", f.path, f.token, ct, body, false)
					if res.Status != 422 || res.errCode(t) != c.Code {
						t.Fatalf("%s: %d %s, want 422 %s", c.What, res.Status, res.Body, c.Code)
					}
					if rows, objects := stored(t, h); rows != 0 || objects != 0 {
						t.Fatalf("refused upload stored %d rows, %d objects", rows, objects)
					}
				})
			}
		}
		if v := r.version(id); v != before {
			t.Fatalf("refused uploads changed the case: version %d → %d", before, v)
		}
		resetRateLimits(t, h)
		for _, f := range faces {
			body, ct := multipartBody(t, "file", "证明.pdf", "application/pdf", dt.FixturePDFLinks())
			if res := h.send("POST", f.path, f.token, ct, body, false); res.Status != 201 {
				t.Fatalf("%s: a clean PDF: %d %s", f.name, res.Status, res.Body)
			}
			body, ct = multipartBody(t, "file", "证明2.pdf", "application/pdf", dt.FixturePDFObjStm())
			if res := h.send("POST", f.path, f.token, ct, body, false); res.Status != 201 {
				t.Fatalf("%s: a clean PDF with an object stream: %d %s", f.name, res.Status, res.Body)
			}
		}
	})
}

// resetRateLimits forgets every rate-limit bucket of the harness's Redis prefix.
func resetRateLimits(t *testing.T, h *harness) {
	t.Helper()
	ctx := context.Background()
	keys, err := h.app.Redis.Keys(ctx, h.app.Limits.Key("*")).Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) > 0 {
		if err := h.app.Redis.Del(ctx, keys...).Err(); err != nil {
			t.Fatal(err)
		}
	}
}
