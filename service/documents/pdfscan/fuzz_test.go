package pdfscan

import (
	"testing"

	dt "palmaid/service/documents/doctest"
)

// FuzzCheck: whatever bytes arrive, the scan ends (within its budgets) without panicking, and
// every refusal carries a reason; a file it accepts holds no denied name spelled plainly as a
// name token at the top level (a second, naive look: the lexer over the file alone). Seeds: the
// hostile corpus (service/documents/doctest/testdata/hostile) and the clean fixtures. This
// package imports nothing but the standard library, so the fuzzing build stays small.
// Run long: go test ./service/documents/pdfscan/ -run '^$' -fuzz FuzzCheck -fuzztime 10m
// (FuzzSanitise in service/documents fuzzes the whole sanitiser, images included.)
func FuzzCheck(f *testing.F) {
	corpus, err := dt.HostileCorpus()
	if err != nil {
		f.Fatal(err)
	}
	for _, h := range corpus {
		f.Add(h.Data)
	}
	for _, b := range [][]byte{dt.FixturePDF(), dt.FixturePDFLinks(), dt.FixturePDFObjStm()} {
		f.Add(b)
	}
	lim := Limits{Inflate: 8 << 20, ObjStm: 1 << 20, Tokens: 200_000, Depth: 32}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := Check(data, lim)
		if err != nil {
			if ReasonOf(err) == 0 {
				t.Fatalf("a refusal without a reason: %v", err)
			}
			return
		}
		s := &scanner{lim: lim}
		l := &lexer{data: data, s: s, onText: func([]byte) error { return nil }}
		for {
			tk, err := l.next()
			if err != nil || tk.kind == tEOF {
				return
			}
			if tk.kind == tName && deniedName(tk.val) {
				t.Fatalf("accepted a file with /%s at %d", tk.val, tk.pos)
			}
			if tk.kind == tKeyword && string(tk.val) == "stream" {
				return // stream data follows: the naive look stops here
			}
		}
	})
}
