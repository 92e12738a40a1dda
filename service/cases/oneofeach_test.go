package cases

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// The case cut keeps no truncate and no audit-row builder of its own: text is cut by
// model.Truncate and audit rows are built by reqmeta.Audit, the one of each.
func TestNoOwnTruncateOrAuditRow(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			switch strings.ToLower(fn.Name.Name) {
			case "truncate", "auditrow":
				t.Errorf("%s declares %s: use model.Truncate / reqmeta.Audit", fset.Position(fn.Pos()), fn.Name.Name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
