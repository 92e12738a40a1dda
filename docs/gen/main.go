// Command gen writes docs/openapi.json from the route tables (server.Docs). Run it from
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
	if out == "" {
		root, err := moduleRoot()
		if err != nil {
			return err
		}
		out = filepath.Join(root, "docs", "openapi.json")
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
