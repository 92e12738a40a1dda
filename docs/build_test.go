package docs_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"palmaid/docs"
	"palmaid/docs/internal/other"
)

type item struct {
	Name string `json:"name"`
}

type thing struct {
	ID      uint64     `json:"id"`
	At      time.Time  `json:"at"`
	Next    *item      `json:"next"`
	Maybe   *item      `json:"maybe,omitempty"`
	Note    string     `json:"note,omitempty"`
	Items   []item     `json:"items"`
	Done    *time.Time `json:"done,omitempty"`
	private string
}

type createThing struct {
	Name  string      `json:"name"`
	Other other.Thing `json:"other"`
}

func routes() []docs.Route {
	return []docs.Route{
		{Method: "post", Path: "/v1/things", OperationID: "createThing", Tag: "t", Auth: true, Request: createThing{},
			Responses: []docs.Response{
				{Status: 201, Body: thing{}},
				{Status: 400, Description: "`thing.bad`：不行"},
			}},
		{Method: "GET", Path: "/v1/things/{id}", OperationID: "getThing", Tag: "t",
			Query:     []docs.Param{{Name: "limit", Type: "integer"}, {Name: "kind", Enum: []string{"a", "b"}}},
			Responses: []docs.Response{{Status: 200, Body: thing{}}}},
	}
}

func TestBuild(t *testing.T) {
	doc, err := docs.Build(routes())
	if err != nil {
		t.Fatal(err)
	}
	s := doc.Components.Schemas
	// Same type name in two packages (docs_test, other): both prefixed; unique names stay bare.
	if s["TestThing"] == nil || s["OtherThing"] == nil || s["Item"] == nil || s["CreateThing"] == nil {
		t.Fatalf("schema names: %v", keys(s))
	}
	resp := s["TestThing"].Value
	if got := strings.Join(resp.Required, ","); got != "id,at,next,items" {
		t.Errorf("required = %s", got)
	}
	if p := resp.Properties["at"].Value; p.Format != "date-time" || !p.Type.Is("string") {
		t.Errorf("time.Time: %+v", p)
	}
	if p := resp.Properties["next"]; p.Ref != "" || len(p.Value.OneOf) != 2 || p.Value.OneOf[0].Ref != "#/components/schemas/Item" ||
		!p.Value.OneOf[1].Value.Nullable || !p.Value.OneOf[1].Value.Type.Is("object") {
		t.Errorf("pointer without omitempty should be nullable: %+v", p)
	}
	if p := resp.Properties["maybe"]; p.Ref != "#/components/schemas/Item" {
		t.Errorf("pointer with omitempty should be a plain ref: %+v", p)
	}
	if ap := s["CreateThing"].Value.AdditionalProperties.Has; ap == nil || *ap {
		t.Error("request DTOs should refuse additional properties")
	}
	create := doc.Paths.Value("/v1/things").Post
	if create.Security == nil || create.Responses.Status(401) == nil || create.Responses.Status(413) == nil {
		t.Error("auth route with a body lacks security, 401 or 413")
	}
	bad := *create.Responses.Status(400).Value.Description
	for _, code := range []string{"thing.bad", "request.invalid_json", "request.unknown_field"} {
		if !strings.Contains(bad, "`"+code+"`") {
			t.Errorf("400 description lacks %s: %s", code, bad)
		}
	}
	get := doc.Paths.Value("/v1/things/{id}").Get
	if get.Security == nil || len(*get.Security) != 0 || get.Responses.Status(401) != nil || get.Responses.Status(404) == nil || get.Responses.Status(400) == nil {
		t.Error("open route with a path id and a page: want security: [], no 401, a 404 and a 400")
	}
	if p := get.Parameters.GetByInAndName("path", "id"); p == nil || !p.Required {
		t.Error("path parameter id missing")
	}
	if ref := get.Responses.Status(500).Value.Content.Get("application/json").Schema.Ref; ref != "#/components/schemas/Error" {
		t.Errorf("500 body = %q, want the Error envelope", ref)
	}
}

func TestBuildDeterministic(t *testing.T) {
	var outs [][]byte
	for range 5 {
		doc, err := docs.Build(routes())
		if err != nil {
			t.Fatal(err)
		}
		b, err := docs.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, b)
	}
	for _, b := range outs[1:] {
		if !bytes.Equal(b, outs[0]) {
			t.Fatal("Build+Marshal is not deterministic")
		}
	}
	if !bytes.HasSuffix(outs[0], []byte("}\n")) {
		t.Error("no trailing newline")
	}
}

func TestBuildRefusesBadTables(t *testing.T) {
	ok := docs.Response{Status: 200}
	for name, rs := range map[string][]docs.Route{
		"duplicate operationId": {{Method: "GET", Path: "/a", OperationID: "x", Responses: []docs.Response{ok}}, {Method: "GET", Path: "/b", OperationID: "x", Responses: []docs.Response{ok}}},
		"duplicate route":       {{Method: "GET", Path: "/a", OperationID: "x", Responses: []docs.Response{ok}}, {Method: "get", Path: "/a", OperationID: "y", Responses: []docs.Response{ok}}},
		"gin-style path":        {{Method: "GET", Path: "/a/:id", OperationID: "x", Responses: []docs.Response{ok}}},
		"no success":            {{Method: "GET", Path: "/a", OperationID: "x", Responses: []docs.Response{{Status: 404}}}},
		"no operationId":        {{Method: "GET", Path: "/a", Responses: []docs.Response{ok}}},
	} {
		if _, err := docs.Build(rs); err == nil {
			t.Errorf("%s: Build accepted it", name)
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// An upload route declares a multipart form (a file part and a plain one) and a download route
// binary responses with their headers.
func TestBuildFormAndBinary(t *testing.T) {
	doc, err := docs.Build([]docs.Route{
		{Method: "POST", Path: "/v1/things/{id}/files", OperationID: "upload", Auth: true,
			Form: &docs.Form{Fields: []docs.FormField{
				{Name: "file", File: true, Required: true, ContentTypes: []string{"image/png", "application/pdf"}, Description: "文件"},
				{Name: "note", Description: "说明"},
			}},
			Responses: []docs.Response{{Status: 201, Body: item{}}, {Status: 415, Description: "`file.type`：类型不对"}}},
		{Method: "GET", Path: "/v1/things/{id}/files/{fileId}", OperationID: "download",
			PathParams: []docs.Param{{Name: "fileId", Type: "integer"}},
			Responses: []docs.Response{{Status: 200, Binary: []string{"image/png", "application/pdf"},
				Headers: []docs.Param{{Name: "Content-Disposition", Description: "attachment"}}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	up := doc.Paths.Value("/v1/things/{id}/files").Post
	mt := up.RequestBody.Value.Content.Get("multipart/form-data")
	if mt == nil || up.RequestBody.Value.Content.Get("application/json") != nil {
		t.Fatalf("upload body: %+v", up.RequestBody.Value.Content)
	}
	file := mt.Schema.Value.Properties["file"].Value
	if !file.Type.Is("string") || file.Format != "binary" || strings.Join(mt.Schema.Value.Required, ",") != "file" {
		t.Fatalf("file part: %+v required %v", file, mt.Schema.Value.Required)
	}
	if mt.Encoding["file"].ContentType != "image/png, application/pdf" {
		t.Fatalf("file encoding: %+v", mt.Encoding["file"])
	}
	bad := *up.Responses.Status(400).Value.Description
	if !strings.Contains(bad, "multipart/form-data") || strings.Contains(bad, "request.invalid_json") {
		t.Fatalf("form route 400: %s", bad)
	}
	dl := doc.Paths.Value("/v1/things/{id}/files/{fileId}").Get.Responses.Status(200).Value
	for _, ct := range []string{"image/png", "application/pdf"} {
		if s := dl.Content.Get(ct); s == nil || s.Schema.Value.Format != "binary" {
			t.Fatalf("download %s: %+v", ct, dl.Content)
		}
	}
	if dl.Headers["Content-Disposition"] == nil {
		t.Fatal("download headers not documented")
	}
	if _, err := docs.Build([]docs.Route{{Method: "POST", Path: "/x", OperationID: "x", Request: item{}, Form: &docs.Form{},
		Responses: []docs.Response{{Status: 200}}}}); err == nil {
		t.Fatal("a JSON body and a form at once accepted")
	}
}
