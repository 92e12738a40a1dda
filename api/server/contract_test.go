package server_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"palmaid/docs"
)

// contractRouter is the committed document's router, loaded once for the test binary.
var contractRouter = sync.OnceValues(func() (routers.Router, error) {
	doc, err := openapi3.NewLoader().LoadFromData(docs.OpenAPI)
	if err != nil {
		return nil, err
	}
	doc.Servers = nil // match on the path alone: the test server's address is not a documented one
	return legacy.NewRouter(doc)
})

// checkContract validates one answer of the real router against docs/openapi.json: its status
// is one the operation documents, and its body matches that status's schema (no null where
// the schema says array, no missing required field, …). Every request a harness sends goes
// through it, so every test of this package is also a contract test of the routes it uses; a
// route the document does not list is TestOpenAPIMatchesRouter's business and is skipped here.
func checkContract(t testing.TB, req *http.Request, status int, header http.Header, body []byte) {
	t.Helper()
	if req.Method == http.MethodHead || req.Method == http.MethodOptions {
		return
	}
	router, err := contractRouter()
	if err != nil {
		t.Fatalf("docs/openapi.json: %v", err)
	}
	probe := req.Clone(context.Background())
	probe.Body = http.NoBody
	route, params, err := router.FindRoute(probe)
	if err != nil {
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: probe, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		msg := err.Error()
		if len(msg) > 1500 {
			msg = msg[:1500] + "…"
		}
		t.Errorf("contract: %s %s answered %d, which docs/openapi.json (operation %s) does not allow: %s\nbody: %s",
			req.Method, req.URL.Path, status, route.Operation.OperationID, strings.TrimSpace(msg), clip(body))
	}
}

func clip(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}
