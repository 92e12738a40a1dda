package server_test

import (
	"fmt"
	"testing"

	dt "palmaid/service/documents/doctest"
	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// TestDraftSubmitRetry: the mini-program sends POST /mp/v1/cases/{id}/submit with an
// Idempotency-Key; when the answer is lost on a weak network it sends the same request again.
// The retry answers 200 with the case as the first submission left it (one submit in its
// history), not 409; without the key, or with a malformed one, nothing changes: the version
// still admits one submission, and the second answers 409 as before.
func TestDraftSubmitRetry(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		draft := func(name string, seq int) (tok, id string, version any) {
			selfID := makeID("990101", "19520101", seq)
			tok = h.residentLogin(testenv.UniqueName(name))
			h.expect(h.do("PUT", "/mp/v1/me/identity", tok, map[string]string{"name": "王秀英", "idNumber": selfID}), 200)
			cs := h.expect(h.do("POST", "/mp/v1/drafts", tok, map[string]any{"villageCode": seed.DemoVillageE1, "categories": []string{"minimum_living"},
				"reason": "年老多病，收入很低", "facts": motherFacts(selfID)}), 201)
			id = cs["id"].(string)
			for gap := range cs["application"].(map[string]any)["gaps"].(map[string]any) {
				var item uint64
				if _, err := fmt.Sscanf(gap, "items[%d]", &item); err == nil {
					h.expect(h.upload(tok, id, item, "证明.pdf", "application/pdf", dt.FixturePDF()), 201)
				}
			}
			cur := h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
			return tok, id, cur["version"]
		}
		body := func(v any) map[string]any {
			return map[string]any{"version": v, "pledgeAccepted": true, "authorizationAccepted": true}
		}
		refused := func(r resp, status int, code string) {
			t.Helper()
			if r.Status != status || r.errCode(t) != code {
				t.Fatalf("answered %d %s, want %d %s: %s", r.Status, r.errCode(t), status, code, r.Body)
			}
		}
		submits := func(tok, id string) int {
			n := 0
			for _, e := range h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)["timeline"].([]any) {
				if e.(map[string]any)["action"] == "submit" {
					n++
				}
			}
			return n
		}

		tok, id, v := draft("submit-retry", 71)
		first := h.expect(h.do("POST", "/mp/v1/cases/"+id+"/submit", tok, body(v), "Idempotency-Key", "submit-"+id), 200)
		again := h.do("POST", "/mp/v1/cases/"+id+"/submit", tok, body(v), "Idempotency-Key", "submit-"+id)
		if again.Status != 200 {
			t.Fatalf("the retried submit answered %d, want 200 (the first submission): %s", again.Status, again.Body)
		}
		if got := again.json(t); got["status"] != first["status"] || got["version"] != first["version"] {
			t.Fatalf("the retry answered status %v version %v, the first %v %v", got["status"], got["version"], first["status"], first["version"])
		}
		if n := submits(tok, id); n != 1 {
			t.Fatalf("%d submissions in the history after a retry, want 1", n)
		}

		// Someone else's case is still not theirs: the key opens nothing.
		other := h.residentLogin(testenv.UniqueName("submit-retry-other"))
		if r := h.do("POST", "/mp/v1/cases/"+id+"/submit", other, body(v), "Idempotency-Key", "submit-"+id); r.Status != 404 {
			t.Fatalf("another resident's retry answered %d, want 404: %s", r.Status, r.Body)
		}

		// Without a key: the second submission is refused as before.
		tok2, id2, v2 := draft("submit-nokey", 72)
		h.expect(h.do("POST", "/mp/v1/cases/"+id2+"/submit", tok2, body(v2)), 200)
		refused(h.do("POST", "/mp/v1/cases/"+id2+"/submit", tok2, body(v2)), 409, "case.version_conflict")

		// A malformed key is refused before anything happens.
		tok3, id3, v3 := draft("submit-badkey", 73)
		refused(h.do("POST", "/mp/v1/cases/"+id3+"/submit", tok3, body(v3), "Idempotency-Key", "短"), 400, "request.invalid_idempotency_key")
		if n := submits(tok3, id3); n != 0 {
			t.Fatalf("a refused key submitted the draft (%d submissions)", n)
		}
	})
}
