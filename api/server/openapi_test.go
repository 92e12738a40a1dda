package server_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"palmaid/api"
	"palmaid/api/server"
	"palmaid/docs"
	"palmaid/service/testenv"
)

const regenerate = "run `go run ./docs/gen` (or `go generate ./docs`) and commit docs/openapi.json"

func loadCommitted(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(docs.OpenAPI)
	if err != nil {
		t.Fatalf("docs/openapi.json does not load: %v", err)
	}
	return doc
}

// TestOpenAPIValid: the committed document is a valid OpenAPI 3 document.
func TestOpenAPIValid(t *testing.T) {
	doc := loadCommitted(t)
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("docs/openapi.json is invalid: %v", err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi = %q, want 3.0.3", doc.OpenAPI)
	}
}

// TestOpenAPIUpToDate: the committed document is exactly what the route tables generate.
func TestOpenAPIUpToDate(t *testing.T) {
	doc, err := docs.Build(server.Docs())
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	want, err := docs.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(docs.OpenAPI, want) {
		t.Fatalf("docs/openapi.json is out of date with server.Docs(): %s\n%s", regenerate, firstDiff(docs.OpenAPI, want))
	}
}

// firstDiff shows the first differing line, so the failure says where the drift is.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "first difference at line " + strconv.Itoa(i+1) + ":\n committed: " + gl + "\n generated: " + wl
		}
	}
	return ""
}

var (
	ginParam     = regexp.MustCompile(`[:*]([^/]+)`)
	openAPIParam = regexp.MustCompile(`\{[^}]+\}`)
)

// TestOpenAPIMatchesRouter: every route the real router serves (embedded mode, simulator on,
// so the /dev routes too) is in the document, and every operation of the document is served.
// It also checks each operation's security against the router: an operation marked bearer
// answers 401 auth.required without a token, and one not marked never does.
func TestOpenAPIMatchesRouter(t *testing.T) {
	h := newHarness(t, testenv.New(t, "embedded"), friday)
	engine := server.New(h.app, slog.New(slog.NewTextHandler(io.Discard, nil)))

	served := map[string]bool{}
	for _, r := range engine.Routes() {
		served[r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	if !served["GET /dev/v1/wechat/messages"] {
		t.Fatal("the harness router has no /dev routes: this test must run with the simulator on")
	}
	doc := loadCommitted(t)
	documented := map[string]*openapi3.Operation{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			documented[method+" "+path] = op
		}
	}
	for _, k := range slices.Sorted(maps.Keys(served)) {
		if documented[k] == nil {
			t.Errorf("%s is served but not in docs/openapi.json: add it to a Docs() table, then %s", k, regenerate)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(documented)) {
		if !served[k] {
			t.Errorf("%s is in docs/openapi.json but not served: remove it from its Docs() table, then %s", k, regenerate)
			continue
		}
		checkSecurity(t, h, k, documented[k])
	}
}

func checkSecurity(t *testing.T, h *harness, route string, op *openapi3.Operation) {
	t.Helper()
	method, path, _ := strings.Cut(route, " ")
	path = openAPIParam.ReplaceAllString(path, "no-such-id")
	r := h.do(method, path, "", nil)
	bearer := op.Security != nil && len(*op.Security) > 0
	switch {
	case bearer && (r.Status != http.StatusUnauthorized || r.errCode(t) != "auth.required"):
		t.Errorf("%s is documented as needing a bearer token, but without one answers %d: %s", route, r.Status, r.Body)
	case !bearer && r.Status == http.StatusUnauthorized:
		t.Errorf("%s is documented as open, but without a token answers 401: %s", route, r.Body)
	case bearer && op.Responses.Status(http.StatusUnauthorized) == nil:
		t.Errorf("%s needs a token but documents no 401", route)
	}
}

// TestOpenAPISecurityAndServers: issue 21's contract findings — every operation states its
// security (public ones `security: []`), staff operations accept the console's cookie session
// (with the CSRF header when they change state) under the names the api package really uses,
// the document names its server, and no schema is nullable without a type.
func TestOpenAPISecurityAndServers(t *testing.T) {
	doc := loadCommitted(t)
	if len(doc.Servers) == 0 {
		t.Error("docs/openapi.json has no servers")
	}
	cookie := doc.Components.SecuritySchemes["consoleSession"]
	csrf := doc.Components.SecuritySchemes["consoleCsrf"]
	switch {
	case cookie == nil || cookie.Value.In != "cookie" || cookie.Value.Name != api.ConsoleCookie:
		t.Errorf("the console's cookie session is not declared as an apiKey in cookie %q: %+v", api.ConsoleCookie, cookie)
	case csrf == nil || csrf.Value.In != "header" || csrf.Value.Name != api.CSRFHeader:
		t.Errorf("the console's CSRF header is not declared as an apiKey in header %q: %+v", api.CSRFHeader, csrf)
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			id := method + " " + path
			if op.Security == nil {
				t.Errorf("%s does not state its security (public operations say security: [])", id)
				continue
			}
			if len(*op.Security) == 0 || !strings.HasPrefix(path, "/api/") {
				continue
			}
			var hasCookie bool
			for _, req := range *op.Security {
				if _, ok := req["consoleSession"]; ok {
					hasCookie = true
					_, withCSRF := req["consoleCsrf"]
					if changing := method != http.MethodGet; changing != withCSRF {
						t.Errorf("%s: the cookie session's CSRF header is required = %v, want %v", id, withCSRF, changing)
					}
				}
			}
			if !hasCookie {
				t.Errorf("%s is a staff operation but does not accept the console's cookie session", id)
			}
		}
	}
	for name, s := range doc.Components.Schemas {
		walkSchemas(s, name, func(at string, s *openapi3.Schema) {
			if s.Nullable && (s.Type == nil || len(*s.Type) == 0) {
				t.Errorf("schema %s is nullable without a type", at)
			}
		})
	}
}

func walkSchemas(ref *openapi3.SchemaRef, at string, f func(string, *openapi3.Schema)) {
	if ref == nil || ref.Ref != "" || ref.Value == nil {
		return
	}
	s := ref.Value
	f(at, s)
	for name, p := range s.Properties {
		walkSchemas(p, at+"."+name, f)
	}
	walkSchemas(s.Items, at+"[]", f)
	for i, sub := range append(append(append(openapi3.SchemaRefs{}, s.AllOf...), s.OneOf...), s.AnyOf...) {
		walkSchemas(sub, at+"/"+strconv.Itoa(i), f)
	}
	if s.AdditionalProperties.Schema != nil {
		walkSchemas(s.AdditionalProperties.Schema, at+"{}", f)
	}
}

// TestOpenAPIRequestsAndExamples: request schemas mark the fields their handlers refuse when
// missing (every case action's `version`, the login credentials), and every request and
// response body's schema carries an example that validates against it.
func TestOpenAPIRequestsAndExamples(t *testing.T) {
	doc := loadCommitted(t)
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			id := method + " " + path
			var bodies []*openapi3.MediaType
			if op.RequestBody != nil {
				if mt := op.RequestBody.Value.Content.Get("application/json"); mt != nil {
					bodies = append(bodies, mt)
					s := mt.Schema.Value
					if _, ok := s.Properties["version"]; ok && !slices.Contains(s.Required, "version") {
						t.Errorf("%s: the request's version is not marked required (the handler refuses a missing one)", id)
					}
					if strings.HasSuffix(path, "/auth/login") && len(s.Required) == 0 {
						t.Errorf("%s: the login request marks no field required", id)
					}
				}
			}
			for status, r := range op.Responses.Map() {
				if mt := r.Value.Content.Get("application/json"); mt != nil {
					bodies = append(bodies, mt)
				} else if len(r.Value.Content) == 0 && status[0] == '2' && status != "204" {
					continue
				}
			}
			for _, mt := range bodies {
				s := mt.Schema.Value
				if s.Example == nil {
					t.Errorf("%s: body schema %s has no example", id, mt.Schema.Ref)
					continue
				}
				if err := s.VisitJSON(s.Example); err != nil {
					t.Errorf("%s: the example of %s does not validate: %v", id, mt.Schema.Ref, err)
				}
			}
		}
	}
}
