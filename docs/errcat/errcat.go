// Package errcat builds the catalogue of palmaid's error codes from the source: every
// model.E(kind, code, message) and model.Invalid(code, message) with literal arguments —
// the one way an error is made — gives one row with the HTTP status its Kind maps to
// (httpx.Status, the one mapping). docs/gen writes it to docs/ERRORS.md; a test fails when
// the file is stale or when an error is built from a code that is not a literal.
package errcat

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"palmaid/api/httpx"
	"palmaid/model"
)

// Entry is one error code.
type Entry struct {
	Code     string
	Statuses []int    // the HTTP status; two when the code is built with two Kinds (a bug to fix)
	Messages []string // distinct messages built with this code
	Packages []string // where it is built
	Sites    []string // every declaration (file:line); one, except the codes still to fold
}

var kinds = map[string]model.Kind{
	"KindInternal": model.KindInternal, "KindInvalid": model.KindInvalid, "KindUnauthorized": model.KindUnauthorized,
	"KindForbidden": model.KindForbidden, "KindNotFound": model.KindNotFound, "KindConflict": model.KindConflict,
	"KindTooLarge": model.KindTooLarge, "KindUnprocessable": model.KindUnprocessable,
	"KindRateLimited": model.KindRateLimited, "KindUnavailable": model.KindUnavailable,
	"KindUnsupportedMedia": model.KindUnsupportedMedia,
}

// Problem is a call that builds an error from something other than literals.
type Problem struct{ Pos, Why string }

// Scan reads every non-test Go file under root (the module) and returns the catalogue, by code.
func Scan(root string) ([]Entry, []Problem, error) {
	byCode := map[string]*Entry{}
	var problems []Problem
	// WithMessage variants: a package-level error variable (pkg.Name) is either declared
	// (declared: its code) or another's alias (alias); a variant's message joins the code it
	// traces back to.
	declared, alias := map[string]string{}, map[string]string{}
	type variant struct{ where, ref, code, msg string }
	var variants []variant
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != root && (strings.HasPrefix(n, ".") || n == "testdata" || n == "vendor" || n == "data") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		pkg := filepath.ToSlash(rel)
		inModel := f.Name.Name == "model" && pkg == "model"
		imports := importDirs(f)
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i >= len(vs.Values) {
						break
					}
					key := pkg + "." + name.Name
					if code, ref := origin(vs.Values[i], pkg, inModel, imports); code != "" {
						declared[key] = code
					} else if ref != "" {
						alias[key] = ref
					}
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "WithMessage" && len(call.Args) == 1 {
				pos := fset.Position(call.Pos())
				where := fmt.Sprintf("%s:%d", filepath.ToSlash(mustRel(root, pos.Filename)), pos.Line)
				msg, ok := literal(call.Args[0])
				if !ok {
					msg = firstLiteral(call.Args[0]) + "（运行时填入）"
				}
				code, ref := origin(sel.X, pkg, inModel, imports)
				variants = append(variants, variant{where, ref, code, msg})
				return true
			}
			name := ""
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				if x, ok := fn.X.(*ast.Ident); ok && x.Name == "model" {
					name = fn.Sel.Name
				}
			case *ast.Ident:
				if inModel {
					name = fn.Name
				}
			}
			var kindArg, codeArg, msgArg ast.Expr
			switch {
			case name == "E" && len(call.Args) == 3:
				kindArg, codeArg, msgArg = call.Args[0], call.Args[1], call.Args[2]
			case name == "Invalid" && len(call.Args) == 2:
				codeArg, msgArg = call.Args[0], call.Args[1]
			default:
				return true
			}
			if inModel && (name == "E" || name == "Invalid") && isParam(codeArg) {
				return true // the constructors themselves
			}
			pos := fset.Position(call.Pos())
			where := fmt.Sprintf("%s:%d", filepath.ToSlash(mustRel(root, pos.Filename)), pos.Line)
			kind := model.KindInvalid
			if kindArg != nil {
				k, ok := kindOf(kindArg)
				if !ok {
					problems = append(problems, Problem{where, "the Kind is not a model.Kind constant"})
					return true
				}
				kind = k
			}
			code, ok := literal(codeArg)
			if !ok {
				problems = append(problems, Problem{where, "the error code must be a string literal, so that docs/ERRORS.md lists it"})
				return true
			}
			msg, ok := literal(msgArg)
			if !ok {
				msg = firstLiteral(msgArg) + "（运行时填入）"
			}
			e := byCode[code]
			if e == nil {
				e = &Entry{Code: code}
				byCode[code] = e
			}
			if st := httpx.Status(kind); !containsInt(e.Statuses, st) {
				e.Statuses = append(e.Statuses, st)
			}
			e.Messages = addUnique(e.Messages, msg)
			e.Packages = addUnique(e.Packages, pkg)
			e.Sites = append(e.Sites, where)
			return true
		})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	for _, v := range variants {
		code := v.code
		for ref, hops := v.ref, 0; code == "" && ref != "" && hops < 10; hops++ {
			code, ref = declared[ref], alias[ref]
		}
		e := byCode[code]
		if e == nil {
			problems = append(problems, Problem{v.where, "WithMessage on an error the catalogue cannot trace to its declaration (use a package-level error variable)"})
			continue
		}
		e.Messages = addUnique(e.Messages, v.msg)
	}
	// model.Internal builds the one 500.
	if _, ok := byCode["internal"]; !ok {
		byCode["internal"] = &Entry{Code: "internal", Statuses: []int{http.StatusInternalServerError}, Messages: []string{model.Internal(nil).Message}, Packages: []string{"model"}}
	}
	out := make([]Entry, 0, len(byCode))
	for _, e := range byCode {
		sort.Strings(e.Messages)
		sort.Strings(e.Packages)
		sort.Ints(e.Statuses)
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, problems, nil
}

// importDirs maps each palmaid import's name in f to its directory in the module.
func importDirs(f *ast.File) map[string]string {
	out := map[string]string{}
	for _, im := range f.Imports {
		path, _ := strconv.Unquote(im.Path.Value)
		if !strings.HasPrefix(path, "palmaid/") {
			continue
		}
		dir := strings.TrimPrefix(path, "palmaid/")
		name := dir[strings.LastIndex(dir, "/")+1:]
		if im.Name != nil {
			name = im.Name.Name
		}
		out[name] = dir
	}
	return out
}

// origin follows an error expression past WithField / WithMessage / WithCause / WithRetryAfter to
// where it starts: a model.E / model.Invalid call with a literal code (code), or a variable
// (ref, as "pkg/dir.Name").
func origin(e ast.Expr, pkg string, inModel bool, imports map[string]string) (code, ref string) {
	for {
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
			continue
		case *ast.CallExpr:
			sel, isSel := x.Fun.(*ast.SelectorExpr)
			if isSel && strings.HasPrefix(sel.Sel.Name, "With") {
				e = sel.X
				continue
			}
			name := ""
			if isSel {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "model" {
					name = sel.Sel.Name
				}
			} else if id, ok := x.Fun.(*ast.Ident); ok && inModel {
				name = id.Name
			}
			var arg ast.Expr
			switch {
			case name == "E" && len(x.Args) == 3:
				arg = x.Args[1]
			case name == "Invalid" && len(x.Args) == 2:
				arg = x.Args[0]
			}
			if arg != nil {
				code, _ = literal(arg)
			}
			return code, ""
		case *ast.Ident:
			return "", pkg + "." + x.Name
		case *ast.SelectorExpr:
			if id, ok := x.X.(*ast.Ident); ok {
				if dir, ok := imports[id.Name]; ok {
					return "", dir + "." + x.Sel.Name
				}
			}
		}
		return "", ""
	}
}

func isParam(e ast.Expr) bool { _, ok := e.(*ast.Ident); return ok }

func mustRel(root, p string) string {
	r, err := filepath.Rel(root, p)
	if err != nil {
		return p
	}
	return r
}

func kindOf(e ast.Expr) (model.Kind, bool) {
	var name string
	switch x := e.(type) {
	case *ast.SelectorExpr:
		name = x.Sel.Name
	case *ast.Ident:
		name = x.Name
	}
	k, ok := kinds[name]
	return k, ok
}

func literal(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// firstLiteral is the first string literal inside e (the format of a fmt.Sprintf).
func firstLiteral(e ast.Expr) string {
	out := ""
	ast.Inspect(e, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && out == "" {
			out, _ = strconv.Unquote(lit.Value)
		}
		return out == ""
	})
	return out
}

func containsInt(list []int, n int) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

func addUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// Markdown renders the catalogue as docs/ERRORS.md.
func Markdown(entries []Entry) []byte {
	var b bytes.Buffer
	b.WriteString("# Error codes\n\n")
	b.WriteString("<!-- Generated by `go run ./docs/gen` from the model.E / model.Invalid calls in the source; do not edit. -->\n\n")
	b.WriteString("Every error answer has the same envelope: `{\"error\":{\"code\":\"…\",\"message\":\"…\",\"requestId\":\"…\",\"fields\":{…}}}`.\n")
	b.WriteString("`code` is stable — program against it; `message` is Chinese text safe to show the user (it may change);\n")
	b.WriteString("`fields` (validation errors only) maps a request field to a hint. Each code has one HTTP status\n")
	b.WriteString("(a code listed with two is an inconsistency still to fix). \"（运行时填入）\" marks a message completed at run time.\n\n")
	b.WriteString("| code | HTTP | message | built in |\n|---|---|---|---|\n")
	for _, e := range entries {
		msgs := make([]string, len(e.Messages))
		for i, m := range e.Messages {
			msgs[i] = strings.ReplaceAll(m, "|", "\\|")
		}
		sts := make([]string, len(e.Statuses))
		for i, st := range e.Statuses {
			sts[i] = strconv.Itoa(st)
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", e.Code, strings.Join(sts, ", "), strings.Join(msgs, "<br>"), strings.Join(e.Packages, ", "))
	}
	return b.Bytes()
}
