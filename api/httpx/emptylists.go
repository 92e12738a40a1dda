package httpx

import (
	"encoding"
	"encoding/json"
	"reflect"
)

var (
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// EmptyLists returns v with every nil slice and nil map it reaches replaced by an empty one, so
// that encoding/json writes [] and {} where the OpenAPI document promises an array or an object
// (encoding/json writes null for a nil slice, which validating clients and proxies refuse).
// v itself is never modified — a DTO may be shared, e.g. by a read cache — and it is returned
// as is when it holds no nil list. Values with their own JSON encoding are left alone.
func EmptyLists(v any) any {
	if v == nil {
		return nil
	}
	out, changed := emptyLists(reflect.ValueOf(v))
	if !changed {
		return v
	}
	return out.Interface()
}

// emptyLists returns a copy of v with nil slices and maps made empty, and whether anything
// changed (when nothing did, the returned value is v itself).
func emptyLists(v reflect.Value) (reflect.Value, bool) {
	t := v.Type()
	if t.Implements(jsonMarshalerType) || t.Implements(textMarshalerType) {
		return v, false
	}
	switch t.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v, false
		}
		if t.Elem().Kind() == reflect.Struct && (reflect.PointerTo(t.Elem()).Implements(jsonMarshalerType) || reflect.PointerTo(t.Elem()).Implements(textMarshalerType)) {
			return v, false
		}
		e, changed := emptyLists(v.Elem())
		if !changed {
			return v, false
		}
		p := reflect.New(t.Elem())
		p.Elem().Set(e)
		return p, true
	case reflect.Interface:
		if v.IsNil() {
			return v, false
		}
		e, changed := emptyLists(v.Elem())
		if !changed {
			return v, false
		}
		out := reflect.New(t).Elem()
		out.Set(e)
		return out, true
	case reflect.Slice:
		if v.IsNil() {
			return reflect.MakeSlice(t, 0, 0), true
		}
		if t.Elem().Kind() == reflect.Uint8 {
			return v, false // []byte encodes as a base64 string
		}
		var out reflect.Value
		for i := range v.Len() {
			e, changed := emptyLists(v.Index(i))
			if !changed {
				continue
			}
			if !out.IsValid() {
				out = reflect.MakeSlice(t, v.Len(), v.Len())
				reflect.Copy(out, v)
			}
			out.Index(i).Set(e)
		}
		if !out.IsValid() {
			return v, false
		}
		return out, true
	case reflect.Array:
		var out reflect.Value
		for i := range v.Len() {
			e, changed := emptyLists(v.Index(i))
			if !changed {
				continue
			}
			if !out.IsValid() {
				out = reflect.New(t).Elem()
				out.Set(v)
			}
			out.Index(i).Set(e)
		}
		if !out.IsValid() {
			return v, false
		}
		return out, true
	case reflect.Map:
		if v.IsNil() {
			return reflect.MakeMap(t), true
		}
		var out reflect.Value
		iter := v.MapRange()
		for iter.Next() {
			e, changed := emptyLists(iter.Value())
			if !changed {
				continue
			}
			if !out.IsValid() {
				out = reflect.MakeMapWithSize(t, v.Len())
				iter2 := v.MapRange()
				for iter2.Next() {
					out.SetMapIndex(iter2.Key(), iter2.Value())
				}
			}
			out.SetMapIndex(iter.Key(), e)
		}
		if !out.IsValid() {
			return v, false
		}
		return out, true
	case reflect.Struct:
		var out reflect.Value
		for i := range t.NumField() {
			if !t.Field(i).IsExported() {
				continue // encoding/json does not write it (an embedded unexported struct's fields are rare in DTOs)
			}
			e, changed := emptyLists(v.Field(i))
			if !changed {
				continue
			}
			if !out.IsValid() {
				out = reflect.New(t).Elem()
				out.Set(v)
			}
			out.Field(i).Set(e)
		}
		if !out.IsValid() {
			return v, false
		}
		return out, true
	}
	return v, false
}
