package docs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

const (
	bearerScheme = "bearerAuth"
	// cookieScheme is the staff console's session: an HttpOnly cookie set by
	// /api/v1/auth/console-login (api.ConsoleCookie), accepted on every staff (/api/) route
	// that needs a login; a state-changing request must also carry the session's CSRF token
	// in csrfScheme's header (api.CSRFHeader).
	cookieScheme = "consoleSession"
	csrfScheme   = "consoleCsrf"
	// ConsoleCookie and CSRFHeader name them; a test in api/server checks them against api.
	ConsoleCookie = "palmaid_console"
	CSRFHeader    = "X-CSRF-Token"
)

var pathParamRe = regexp.MustCompile(`\{([^{}/]+)\}`)

// Build generates the OpenAPI 3.0.3 document for routes: component schemas from the DTOs,
// the bearer security scheme, the Error envelope, and for each route its own responses plus
// the errors common to its kind. The result is validated before it is returned.
func Build(routes []Route) (*openapi3.T, error) {
	ix, err := newTypeIndex(routes)
	if err != nil {
		return nil, err
	}
	doc := &openapi3.T{
		OpenAPI: "3.0.3",
		Info: &openapi3.Info{
			Title:   "palmaid 掌上办",
			Version: "1",
			Description: "社会救助“掌上办”服务。居民端（小程序）位于 /mp/v1，工作人员端位于 /api/v1。\n\n" +
				"需要登录的接口在请求头携带 `Authorization: Bearer <token>`（登录接口返回）。\n" +
				"所有 4xx/5xx 响应的响应体均为 `Error` 信封：`{\"error\":{\"code\",\"message\",\"requestId\",\"fields\"}}`；" +
				"客户端应按 `code` 判断错误，`message` 可直接展示。\n\n" +
				"每个响应都带 `X-Request-Id` 头（与信封中的 requestId 相同）；请求可自带该头（8 至 64 位字母、数字、`.`、`_`、`-`）。",
		},
		Servers: openapi3.Servers{{URL: "/", Description: "本服务（与本文档同源：文档由服务本身在 /openapi.json 提供）"}},
		Paths:   openapi3.NewPaths(),
		Components: &openapi3.Components{
			Schemas: openapi3.Schemas{errorSchemaName: errorSchema()},
			SecuritySchemes: openapi3.SecuritySchemes{
				bearerScheme: {Value: openapi3.NewSecurityScheme().
					WithType("http").WithScheme("bearer").WithBearerFormat("opaque").
					WithDescription("登录接口返回的令牌（居民 mp_…，工作人员 st_…）")},
				cookieScheme: {Value: openapi3.NewSecurityScheme().WithType("apiKey").WithIn("cookie").WithName(ConsoleCookie).
					WithDescription("工作台（/console）的会话 Cookie：由 /api/v1/auth/console-login 设置（HttpOnly、SameSite=Strict、Path=/api）；" +
						"只用于工作人员接口（/api/…）。带 Authorization 头的请求不看 Cookie")},
				csrfScheme: {Value: openapi3.NewSecurityScheme().WithType("apiKey").WithIn("header").WithName(CSRFHeader).
					WithDescription("用 Cookie 会话时，每个 POST/PUT/PATCH/DELETE 请求须带的 CSRF 令牌（console-login 返回的 csrfToken）；缺少或不符答复 403 auth.csrf_invalid")},
			},
		},
	}
	ops := map[string]string{}
	for _, r := range routes {
		r.Method = strings.ToUpper(r.Method)
		if err := checkRoute(r, ops); err != nil {
			return nil, err
		}
		op, err := operation(r, ix, doc.Components.Schemas)
		if err != nil {
			return nil, err
		}
		doc.AddOperation(r.Path, r.Method, op)
		if r.Tag != "" && doc.Tags.Get(r.Tag) == nil {
			doc.Tags = append(doc.Tags, &openapi3.Tag{Name: r.Tag})
		}
	}
	ix.nullableRefs(doc.Components.Schemas)
	addExamples(doc.Components.Schemas)
	addInlineExamples(doc)
	if err := validate(doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// Marshal encodes the document as indented JSON with sorted keys and a trailing newline, so
// the committed file is byte-for-byte reproducible.
func Marshal(t *openapi3.T) ([]byte, error) {
	compact, err := json.Marshal(t)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// validate round-trips the document through the loader, as a client would read it.
func validate(doc *openapi3.T) error {
	b, err := Marshal(doc)
	if err != nil {
		return err
	}
	loaded, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		return fmt.Errorf("docs: generated document does not load: %w", err)
	}
	if err := loaded.Validate(context.Background()); err != nil {
		return fmt.Errorf("docs: generated document is invalid: %w", err)
	}
	return nil
}

func checkRoute(r Route, ops map[string]string) error {
	id := r.Method + " " + r.Path
	switch {
	case !strings.HasPrefix(r.Path, "/") || strings.Contains(r.Path, ":"):
		return fmt.Errorf("docs: %s: path must be OpenAPI style (/cases/{id})", id)
	case r.OperationID == "":
		return fmt.Errorf("docs: %s: missing OperationID", id)
	case ops[r.OperationID] != "":
		return fmt.Errorf("docs: %s: OperationID %q already used by %s", id, r.OperationID, ops[r.OperationID])
	case ops["route "+id] != "":
		return fmt.Errorf("docs: %s listed twice", id)
	case r.Request != nil && r.Form != nil:
		return fmt.Errorf("docs: %s: a JSON request and a form at once", id)
	}
	ops[r.OperationID], ops["route "+id] = id, id
	seen, success := map[int]bool{}, false
	for _, resp := range r.Responses {
		if resp.Status < 100 || resp.Status > 599 || seen[resp.Status] {
			return fmt.Errorf("docs: %s: bad or repeated status %d", id, resp.Status)
		}
		if len(resp.Binary) > 0 && resp.Body != nil {
			return fmt.Errorf("docs: %s: status %d has a JSON body and a binary one", id, resp.Status)
		}
		seen[resp.Status] = true
		success = success || resp.Status/100 == 2
	}
	if !success {
		return fmt.Errorf("docs: %s: no 2xx response", id)
	}
	return nil
}

func operation(r Route, ix *typeIndex, schemas openapi3.Schemas) (*openapi3.Operation, error) {
	op := openapi3.NewOperation()
	op.OperationID, op.Summary = r.OperationID, r.Summary
	if r.Tag != "" {
		op.Tags = []string{r.Tag}
	}
	op.Security = security(r)
	for _, m := range pathParamRe.FindAllStringSubmatch(r.Path, -1) {
		p := openapi3.NewPathParameter(m[1]).WithDescription("路径中的公开编号").WithSchema(openapi3.NewStringSchema())
		for _, pp := range r.PathParams {
			if pp.Name == m[1] {
				p = param(openapi3.NewPathParameter(m[1]), pp)
			}
		}
		op.AddParameter(p)
	}
	for _, q := range r.Query {
		op.AddParameter(param(openapi3.NewQueryParameter(q.Name), q))
	}
	for _, h := range r.Headers {
		op.AddParameter(param(openapi3.NewHeaderParameter(h.Name), h))
	}
	if r.Request != nil {
		ref, err := ix.schemaRef(r.Request, schemas)
		if err != nil {
			return nil, err
		}
		op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).WithJSONSchemaRef(ref)}
	}
	if r.Form != nil {
		op.RequestBody = &openapi3.RequestBodyRef{Value: formBody(r.Form)}
	}
	responses, err := buildResponses(r, ix, schemas)
	if err != nil {
		return nil, err
	}
	op.Responses = responses
	return op, nil
}

// security is the route's security requirement: a bearer token, or on a staff route the
// console's cookie session (with its CSRF header when the request changes state); an empty
// list — explicitly public — when the route needs no login.
func security(r Route) *openapi3.SecurityRequirements {
	if !r.Auth {
		return &openapi3.SecurityRequirements{}
	}
	reqs := openapi3.SecurityRequirements{{bearerScheme: []string{}}}
	if strings.HasPrefix(r.Path, "/api/") {
		cookie := openapi3.SecurityRequirement{cookieScheme: []string{}}
		if changes(r) {
			cookie[csrfScheme] = []string{}
		}
		reqs = append(reqs, cookie)
	}
	return &reqs
}

func param(p *openapi3.Parameter, in Param) *openapi3.Parameter {
	s := openapi3.NewStringSchema()
	if in.Type != "" {
		s.Type = &openapi3.Types{in.Type}
	}
	for _, v := range in.Enum {
		s.Enum = append(s.Enum, v)
	}
	p.Description = in.Description
	if in.Required {
		p.Required = true
	}
	return p.WithSchema(s)
}

func buildResponses(r Route, ix *typeIndex, schemas openapi3.Schemas) (*openapi3.Responses, error) {
	out := openapi3.NewResponses()
	out.Delete("default")
	own, custom := map[int]string{}, map[int]bool{}
	for _, resp := range r.Responses {
		if resp.Status >= 400 && resp.Body == nil {
			own[resp.Status] = resp.Description
			continue
		}
		custom[resp.Status] = true
		desc := resp.Description
		if desc == "" {
			desc = http.StatusText(resp.Status)
		}
		res := openapi3.NewResponse().WithDescription(desc)
		if len(resp.Binary) > 0 {
			res.Content = openapi3.Content{}
			for _, mt := range resp.Binary {
				res.Content[mt] = openapi3.NewMediaType().WithSchema(binarySchema())
			}
		}
		for _, h := range resp.Headers {
			if res.Headers == nil {
				res.Headers = openapi3.Headers{}
			}
			res.Headers[h.Name] = &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: *param(&openapi3.Parameter{}, h)}}
		}
		if resp.Body != nil {
			ref, err := ix.schemaRef(resp.Body, schemas)
			if err != nil {
				return nil, err
			}
			res.WithJSONSchemaRef(ref)
		}
		out.Set(strconv.Itoa(resp.Status), &openapi3.ResponseRef{Value: res})
	}
	for status, lines := range errorLines(r, own) {
		if custom[status] {
			continue // the route documents its own body for this status (e.g. /readyz 503)
		}
		desc := errorTitle(status) + "\n\n" + strings.Join(lines, "\n")
		res := openapi3.NewResponse().WithDescription(desc).WithJSONSchemaRef(openapi3.NewSchemaRef("#/components/schemas/"+errorSchemaName, nil))
		out.Set(strconv.Itoa(status), &openapi3.ResponseRef{Value: res})
	}
	return out, nil
}

func binarySchema() *openapi3.Schema {
	s := openapi3.NewStringSchema()
	s.Format = "binary"
	return s
}

// formBody is a multipart/form-data request body: one property per part, files as binary
// strings with their allowed media types in the part's encoding.
func formBody(f *Form) *openapi3.RequestBody {
	schema := openapi3.NewObjectSchema()
	mt := openapi3.NewMediaType()
	for _, fld := range f.Fields {
		var p *openapi3.Schema
		if fld.File {
			p = binarySchema()
			if len(fld.ContentTypes) > 0 {
				if mt.Encoding == nil {
					mt.Encoding = map[string]*openapi3.Encoding{}
				}
				mt.Encoding[fld.Name] = &openapi3.Encoding{ContentType: strings.Join(fld.ContentTypes, ", ")}
			}
		} else {
			p = openapi3.NewStringSchema()
			if fld.Type != "" {
				p.Type = &openapi3.Types{fld.Type}
			}
		}
		p.Description = fld.Description
		schema.WithProperty(fld.Name, p)
		if fld.Required {
			schema.Required = append(schema.Required, fld.Name)
		}
	}
	mt.WithSchema(schema)
	return openapi3.NewRequestBody().WithRequired(true).WithContent(openapi3.Content{"multipart/form-data": mt})
}
