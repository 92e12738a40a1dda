package errcat

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// docs/ERRORS.md is what `go run ./docs/gen` writes from the source, and every error code in
// the source is a literal the catalogue can list.
func TestErrorsMDUpToDate(t *testing.T) {
	entries, problems, err := Scan("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", p.Pos, p.Why)
	}
	want := Markdown(entries)
	got, err := os.ReadFile("../ERRORS.md")
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("docs/ERRORS.md is out of date with the error codes in the source: run `go run ./docs/gen` and commit it (%v)", err)
	}
	byCode := map[string]Entry{}
	for _, e := range entries {
		byCode[e.Code] = e
	}
	for code, status := range map[string]int{
		"auth.locked": 429, "request.rate_limited": 429, "case.not_found": 404, "internal": 500,
		"village.invalid_query": 400, "calendar.invalid_year": 400, "request.method_not_allowed": 400,
	} {
		if e, ok := byCode[code]; !ok || len(e.Statuses) != 1 || e.Statuses[0] != status {
			t.Errorf("%s: %+v, want status %d", code, e, status)
		}
	}
}

// A code means one thing: one HTTP status and one message wherever it is built.
func TestEveryCodeHasOneStatusAndOneMessage(t *testing.T) {
	entries, _, err := Scan("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if len(e.Statuses) != 1 || len(e.Messages) > 1 {
			t.Errorf("%s: statuses %v, messages %q (built in %v): declare it once", e.Code, e.Statuses, e.Messages, e.Packages)
		}
	}
}

// Every error code is declared once — one model.E / model.Invalid call — and reused (variants by
// WithField), so that a code cannot drift to two statuses or two meanings.
func TestEachCodeDeclaredOnce(t *testing.T) {
	entries, _, err := Scan("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if len(e.Sites) > 1 {
			t.Errorf("%s is declared %d times: %s", e.Code, len(e.Sites), strings.Join(e.Sites, ", "))
		}
	}
}
