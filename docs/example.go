package docs

import (
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// addExamples gives every component schema (the DTOs of every request and response body, and
// the Error envelope) an example generated from the schema itself: every property filled, the
// first value of an enum, the present branch of a nullable reference, one item per array. The
// document's validation (Build → validate) checks each example against its schema.
func addExamples(schemas openapi3.Schemas) {
	for _, s := range schemas {
		if s != nil && s.Value != nil && s.Value.Example == nil {
			s.Value.Example = exampleOf(s, schemas, 0)
		}
	}
}

func exampleOf(ref *openapi3.SchemaRef, schemas openapi3.Schemas, depth int) any {
	if ref == nil {
		return nil
	}
	s := ref.Value
	if ref.Ref != "" {
		s = nil
		if target := schemas[strings.TrimPrefix(ref.Ref, "#/components/schemas/")]; target != nil {
			s = target.Value
		}
	}
	if s == nil || depth > 16 {
		return nil
	}
	if s.Example != nil {
		return s.Example
	}
	if len(s.Enum) > 0 {
		return s.Enum[0]
	}
	if len(s.OneOf) > 0 {
		return exampleOf(s.OneOf[0], schemas, depth+1)
	}
	if len(s.AllOf) > 0 {
		return exampleOf(s.AllOf[0], schemas, depth+1)
	}
	switch {
	case s.Type.Is("object"):
		out := map[string]any{}
		for name, p := range s.Properties {
			out[name] = exampleOf(p, schemas, depth+1)
		}
		if len(s.Properties) == 0 && s.AdditionalProperties.Schema != nil {
			out["key"] = exampleOf(s.AdditionalProperties.Schema, schemas, depth+1)
		}
		return out
	case s.Type.Is("array"):
		return []any{exampleOf(s.Items, schemas, depth+1)}
	case s.Type.Is("integer"):
		if s.Min != nil && *s.Min > 1 {
			return int64(*s.Min)
		}
		return 1
	case s.Type.Is("number"):
		return 1.5
	case s.Type.Is("boolean"):
		return true
	case s.Type.Is("string"):
		switch s.Format {
		case "date-time":
			return "2026-12-07T09:30:00+08:00"
		case "date":
			return "2026-12-07"
		case "binary", "byte":
			return ""
		}
		return "示例"
	}
	return "示例" // a schema of any type ({}), e.g. a setting's value
}

// addInlineExamples gives the inline JSON body schemas of the operations (those that are not a
// component, e.g. /openapi.json's free-form object) their example.
func addInlineExamples(doc *openapi3.T) {
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			var bodies []*openapi3.MediaType
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				bodies = append(bodies, op.RequestBody.Value.Content.Get("application/json"))
			}
			for _, r := range op.Responses.Map() {
				if r.Value != nil {
					bodies = append(bodies, r.Value.Content.Get("application/json"))
				}
			}
			for _, mt := range bodies {
				if mt != nil && mt.Schema != nil && mt.Schema.Ref == "" && mt.Schema.Value != nil && mt.Schema.Value.Example == nil {
					mt.Schema.Value.Example = exampleOf(mt.Schema, doc.Components.Schemas, 0)
				}
			}
		}
	}
}
