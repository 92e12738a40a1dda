package server_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"palmaid/service/testenv"
)

// redisKeys lists the keys under the backend's prefix that start with what (sorted).
func redisKeys(t *testing.T, h *harness, be *testenv.Backend, what string) []string {
	t.Helper()
	var out []string
	iter := h.app.Redis.Scan(context.Background(), 0, be.Config.Redis.KeyPrefix+what+"*", 1000).Iterator()
	for iter.Next(context.Background()) {
		out = append(out, iter.Val())
	}
	testenv.Must(t, iter.Err())
	sort.Strings(out)
	return out
}

// TestProgressReadWritesNothingForMadeUpIDs (issue 19, "Redis can be filled from one account"):
// the progress read started a generation key in Redis (10-minute TTL) for any id before
// anything checked it, so one account filled Redis with made-up ids of up to ~64 KB. Now an id
// of the wrong form, a well-formed id of no case and another resident's case all answer the
// same 404 and leave no key behind.
func TestProgressReadWritesNothingForMadeUpIDs(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, friday)
		owner, theirs := residentWithCase(h, "fill-owner-"+be.Name)
		h.expect(h.do("GET", "/mp/v1/cases/"+theirs, owner, nil), 200)
		attacker := h.residentLogin(testenv.UniqueName("fill-" + be.Name))
		before := redisKeys(t, h, be, "caseview:")
		ids := []string{
			strings.Repeat("a", 8000),    // far too long
			"abcdefghijklmnopqrstuvwxyz", // the form's length with letters outside base32
			"aaaaaaaaaaaaaaaaaaaaaaaaaa", // well-formed, no such case
			theirs[:len(theirs)-1] + "7", // well-formed, no such case
			"NOT-AN-ID%00%ff",            // not an id
			theirs,                       // another resident's case
		}
		var first string
		for _, id := range ids {
			r := h.do("GET", "/mp/v1/cases/"+id, attacker, nil)
			if r.Status != 404 || r.errCode(t) != "case.not_found" {
				t.Fatalf("GET /mp/v1/cases/%.40s: %d %s", id, r.Status, r.Body)
			}
			e := r.json(t)["error"].(map[string]any)
			if got := e["code"].(string) + " " + e["message"].(string); first == "" {
				first = got
			} else if got != first {
				t.Fatalf("not found and not yours answer differently: %s / %s", first, got)
			}
		}
		if after := redisKeys(t, h, be, "caseview:"); strings.Join(after, "\n") != strings.Join(before, "\n") {
			for i := range after {
				after[i] = after[i][:min(len(after[i]), 80)]
			}
			t.Fatalf("made-up ids left Redis keys: before %d keys, after %d:\n%s", len(before), len(after), strings.Join(after, "\n"))
		}
	})
}
