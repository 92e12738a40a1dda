package doctest_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	dt "palmaid/service/documents/doctest"
)

var update = flag.Bool("update", false, "rewrite testdata/hostile from HostileFiles")

// The corpus on disk is the one the recipes describe: same files, same codes. With -update the
// files and the MANIFEST are written again.
func TestHostileCorpus(t *testing.T) {
	recipes := dt.HostileFiles()
	if *update {
		dir := filepath.Join("testdata", "hostile")
		var m strings.Builder
		m.WriteString("# file\tcode\twhat (written by `go test ./service/documents/doctest -run TestHostileCorpus -update`)\n")
		for _, r := range recipes {
			if err := os.WriteFile(filepath.Join(dir, r.File), r.Build(), 0o644); err != nil {
				t.Fatal(err)
			}
			m.WriteString(r.File + "\t" + r.Code + "\t" + r.What + "\n")
		}
		if err := os.WriteFile(filepath.Join(dir, "MANIFEST"), []byte(m.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	corpus, err := dt.HostileCorpus()
	if err != nil {
		t.Fatal(err)
	}
	if len(corpus) != len(recipes) {
		t.Fatalf("corpus has %d files, recipes %d: run with -update", len(corpus), len(recipes))
	}
	for i, h := range corpus {
		if h.File != recipes[i].File || h.Code != recipes[i].Code || len(h.Data) == 0 {
			t.Errorf("corpus %d is %s %s, recipe %s %s: run with -update", i, h.File, h.Code, recipes[i].File, recipes[i].Code)
		}
		if strings.HasSuffix(h.File, ".pdf") && !bytes.HasPrefix(h.Data, []byte("%PDF-")) {
			t.Errorf("%s: not a PDF", h.File)
		}
	}
}
