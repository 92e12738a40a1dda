package docs

import (
	"fmt"
	"palmaid/model"
	"palmaid/service/eligibility"
	"reflect"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"
)

// errorSchemaName is the component every 4xx/5xx response references.
const errorSchemaName = "Error"

// typeIndex knows every struct type reachable from the routes' bodies before any schema is
// generated, so that component names are stable and unambiguous: a DTO is named after its
// type ("CaseView"), and prefixed with its package only when two packages use the same name
// ("BffLoginRequest", "ApiLoginRequest").
type typeIndex struct {
	names    map[reflect.Type]string
	request  map[reflect.Type]bool // reachable from a request body
	response map[reflect.Type]bool // reachable from a response body
}

var timeType = reflect.TypeFor[time.Time]()

// keptNames keeps the published component names of DTOs whose package or name collisions
// changed, so that the document does not change with the code's rooms (issue 23: the household
// declaration moved from service/cases to model, and the engine's facts no longer share a name
// with it).
var keptNames = map[reflect.Type]string{
	reflect.TypeFor[model.HouseholdFacts](): "CasesFacts",
	reflect.TypeFor[model.MemberFacts]():    "CasesMemberFacts",
	reflect.TypeFor[eligibility.Facts]():    "EligibilityFacts",
}

func newTypeIndex(routes []Route) (*typeIndex, error) {
	ix := &typeIndex{names: map[reflect.Type]string{}, request: map[reflect.Type]bool{}, response: map[reflect.Type]bool{}}
	for _, r := range routes {
		if r.Request != nil {
			ix.walk(reflect.TypeOf(r.Request), ix.request)
		}
		for _, resp := range r.Responses {
			if resp.Body != nil {
				ix.walk(reflect.TypeOf(resp.Body), ix.response)
			}
		}
	}
	byName := map[string][]reflect.Type{}
	for t := range ix.request {
		byName[upperFirst(t.Name())] = append(byName[upperFirst(t.Name())], t)
	}
	for t := range ix.response {
		if !ix.request[t] {
			byName[upperFirst(t.Name())] = append(byName[upperFirst(t.Name())], t)
		}
	}
	taken := map[string]reflect.Type{errorSchemaName: nil}
	for bare, ts := range byName {
		for _, t := range ts {
			name := bare
			if len(ts) > 1 {
				name = packagePrefix(t) + bare
			}
			if kept, ok := keptNames[t]; ok {
				name = kept
			}
			if other, dup := taken[name]; dup {
				return nil, fmt.Errorf("docs: schema name %q of %v collides with %v", name, t, other)
			}
			taken[name] = t
			ix.names[t] = name
		}
	}
	return ix, nil
}

// walk records the named struct types reachable from t in seen.
func (ix *typeIndex) walk(t reflect.Type, seen map[reflect.Type]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == timeType || t.Name() == "" || seen[t] {
		return
	}
	seen[t] = true
	for _, f := range jsonFields(t) {
		ix.walk(f.typ, seen)
	}
}

// name is the openapi3gen type-name generator.
func (ix *typeIndex) name(t reflect.Type) string {
	if n, ok := ix.names[t]; ok {
		return n
	}
	return upperFirst(t.Name())
}

// customize is the openapi3gen schema customizer: response DTOs list their always-present
// fields as required; request DTOs refuse unknown fields (the server decodes strictly).
func (ix *typeIndex) customize(_ string, t reflect.Type, _ reflect.StructTag, s *openapi3.Schema) error {
	switch t.Kind() {
	case reflect.Uint, reflect.Uint64:
		s.Max = nil // 2^64-1 as a float helps no client
	case reflect.Struct:
		if _, named := ix.names[t]; !named {
			return nil
		}
		if ix.response[t] && !ix.request[t] {
			s.Required = nil
			for _, f := range jsonFields(t) {
				if !f.omitEmpty {
					s.Required = append(s.Required, f.name)
				}
			}
		}
		if ix.request[t] && !ix.response[t] {
			no := false
			s.AdditionalProperties = openapi3.AdditionalProperties{Has: &no}
			s.Required = nil
			for _, f := range jsonFields(t) {
				if f.required {
					s.Required = append(s.Required, f.name)
				}
			}
		}
	}
	return nil
}

// nullableRefs marks pointer-to-struct fields without omitempty, which encode as null when
// empty: a bare $ref cannot carry "nullable" in OpenAPI 3.0, and {nullable, allOf: [$ref]}
// still refuses null in validators that apply the $ref's type (Prism), so they become
// {oneOf: [$ref, {type: object, nullable: true, enum: [null]}]}: exactly one branch matches.
func (ix *typeIndex) nullableRefs(schemas openapi3.Schemas) {
	for t, name := range ix.names {
		s := schemas[name]
		if s == nil || s.Value == nil {
			continue
		}
		for _, f := range jsonFields(t) {
			if f.omitEmpty || f.typ.Kind() != reflect.Pointer || f.typ.Elem().Kind() != reflect.Struct || f.typ.Elem() == timeType {
				continue
			}
			if p := s.Value.Properties[f.name]; p != nil && p.Ref != "" {
				null := &openapi3.Schema{Type: &openapi3.Types{"object"}, Nullable: true, Enum: []any{nil}, Description: "无（null）"}
				s.Value.Properties[f.name] = &openapi3.SchemaRef{Value: &openapi3.Schema{OneOf: openapi3.SchemaRefs{{Ref: p.Ref}, {Value: null}}}}
			}
		}
	}
}

// schemaRef generates the schema of v's type into schemas and returns a reference to it.
func (ix *typeIndex) schemaRef(v any, schemas openapi3.Schemas) (*openapi3.SchemaRef, error) {
	g := openapi3gen.NewGenerator(
		openapi3gen.CreateComponentSchemas(openapi3gen.ExportComponentSchemasOptions{ExportComponentSchemas: true, ExportTopLevelSchema: true}),
		openapi3gen.CreateTypeNameGenerator(ix.name),
		openapi3gen.SchemaCustomizer(ix.customize),
		openapi3gen.ThrowErrorOnCycle(),
	)
	ref, err := g.NewSchemaRefForValue(v, schemas)
	if err != nil {
		return nil, fmt.Errorf("docs: schema of %T: %w", v, err)
	}
	return ref, nil
}

type jsonField struct {
	name      string
	omitEmpty bool
	typ       reflect.Type
	// required: a request field the handler refuses when it is missing, marked `docs:"required"`
	// on the DTO (the request schema lists it as required).
	required bool
}

// jsonFields lists the fields encoding/json writes for struct t (embedded structs flattened).
func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				out = append(out, jsonFields(ft)...)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, jsonField{name: name, omitEmpty: strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,"), typ: ft,
			required: f.Tag.Get("docs") == "required"})
	}
	return out
}

// packagePrefix is the last alphanumeric run of t's import path, capitalised: palmaid/api
// gives "Api", palmaid/miniprogram-bff "Bff".
func packagePrefix(t reflect.Type) string {
	p := t.PkgPath()
	if i := strings.LastIndexFunc(p, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }); i >= 0 {
		p = p[i+1:]
	}
	return upperFirst(p)
}

func upperFirst(s string) string {
	if s == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// errorSchema is the envelope httpx writes for every failure.
func errorSchema() *openapi3.SchemaRef {
	str := func(desc string) *openapi3.SchemaRef {
		s := openapi3.NewStringSchema()
		s.Description = desc
		return &openapi3.SchemaRef{Value: s}
	}
	body := openapi3.NewObjectSchema()
	body.Properties = openapi3.Schemas{
		"code":      str("稳定的机器可读错误码，如 case.not_found"),
		"message":   str("可直接展示给用户的简短中文说明"),
		"requestId": str("本次请求的编号，反馈问题时请提供"),
		"fields": {Value: &openapi3.Schema{
			Type:                 &openapi3.Types{"object"},
			Description:          "校验失败时：字段 → 中文提示",
			AdditionalProperties: openapi3.AdditionalProperties{Schema: &openapi3.SchemaRef{Value: openapi3.NewStringSchema()}},
		}},
	}
	body.Required = []string{"code", "message", "requestId"}
	env := openapi3.NewObjectSchema().WithProperty("error", body)
	env.Required = []string{"error"}
	env.Description = "错误信封：所有 4xx/5xx 响应的响应体"
	return &openapi3.SchemaRef{Value: env}
}
