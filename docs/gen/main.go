// Command gen writes docs/openapi.json from the route tables (server.Docs) and docs/ERRORS.md
// from the error codes built in the source (docs/errcat). Run it from
// anywhere inside the module — `go run ./docs/gen` at the root, or `go generate ./docs` —
// after changing a route, a DTO or an error; a test in api/server fails until you do.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"palmaid/api/server"
	"palmaid/docs"
	"palmaid/docs/errcat"
)

func main() {
	out := flag.String("o", "", "output file (default: docs/openapi.json of the enclosing module)")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "docs/gen:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	if out == "" {
		out = filepath.Join(root, "docs", "openapi.json")
	}
	if err := writeErrors(root); err != nil {
		return err
	}
	doc, err := docs.Build(server.Docs())
	if err != nil {
		return err
	}
	b, err := docs.Marshal(doc)
	if err != nil {
		return err
	}
	if old, err := os.ReadFile(out); err == nil && bytes.Equal(old, b) {
		return nil // unchanged: keep the file's timestamp
	}
	return os.WriteFile(out, b, 0o644)
}

// writeErrors regenerates docs/ERRORS.md.
func writeErrors(root string) error {
	entries, problems, err := errcat.Scan(root)
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintf(os.Stderr, "docs/gen: error catalogue: %s: %s\n", p.Pos, p.Why)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d problem(s) in the error catalogue", len(problems))
	}
	out := filepath.Join(root, "docs", "ERRORS.md")
	b := errcat.Markdown(entries)
	if old, err := os.ReadFile(out); err == nil && bytes.Equal(old, b) {
		return nil
	}
	return os.WriteFile(out, b, 0o644)
}

// moduleRoot walks up from the working directory to the directory holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory; pass -o")
		}
		dir = parent
	}
}
