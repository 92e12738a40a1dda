package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/model"
)

// BodyLimit caps request bodies at max bytes: a declared Content-Length over the cap is
// answered 413 at once, and reading past the cap fails inside BindJSON (also 413). max must
// be positive; a zero or negative cap is a wiring mistake and panics. A route listed in
// routes (an upload) has its own cap and its own 413 error instead.
func BodyLimit(max int64, routes ...RouteLimit) gin.HandlerFunc {
	if max <= 0 {
		panic("httpx.BodyLimit: max must be positive")
	}
	own := map[string]RouteLimit{}
	for _, r := range routes {
		if r.Max <= 0 || r.Err == nil {
			panic("httpx.BodyLimit: route " + r.Path + " needs a positive cap and an error")
		}
		own[r.Path] = r
	}
	return func(c *gin.Context) {
		limit, tooLarge := max, model.ErrBodyTooLarge
		if r, ok := own[c.FullPath()]; ok {
			limit, tooLarge = r.Max, r.Err
		}
		if c.Request.ContentLength > limit {
			writeEnvelope(c, Status(tooLarge.Kind), tooLarge)
			return
		}
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		}
		c.Next()
	}
}

// RouteLimit is one route's own body cap (BodyLimit) and time (Deadline): Path is the route
// template as Gin reports it (c.FullPath(), e.g. /mp/v1/cases/:id/items/:itemId/documents).
type RouteLimit struct {
	Path string
	Max  int64
	Err  *model.Error  // answered (413) for a declared Content-Length over Max
	Time time.Duration // the request's deadline; 0: the common one
}

// BindJSON decodes the request body into dst strictly: Content-Type must be application/json,
// unknown fields are refused (request.unknown_field naming the field), the body must hold
// exactly one JSON value (empty bodies and trailing data are request.invalid_json), keys must
// match a field's name exactly (no case folding) and appear once (request.duplicate_field), and a body
// over BodyLimit is request.too_large. A type mismatch names the field when encoding/json
// knows it. A *model.Error returned by a custom UnmarshalJSON is passed through unchanged.
func BindJSON(c *gin.Context, dst any) error {
	if !isJSON(c.GetHeader("Content-Type")) {
		return model.ErrContentType
	}
	if c.Request.Body == nil {
		return model.ErrInvalidJSON
	}
	data, err := io.ReadAll(c.Request.Body)
	if err != nil {
		if tooLarge(err) {
			return model.ErrBodyTooLarge.WithCause(err)
		}
		return model.ErrInvalidJSON.WithCause(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	// Exactly one value: anything but whitespace after it is refused.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return model.ErrInvalidJSON.WithCause(errors.New("trailing data after the JSON value"))
	}
	// encoding/json folds case (and ſ to s) and keeps the last of repeated keys; neither is
	// accepted here.
	if err := checkDuplicateKeys(data); err != nil {
		return err
	}
	return checkExactNames(data, reflect.TypeOf(dst))
}

func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/json"
}

func tooLarge(err error) bool {
	var mb *http.MaxBytesError
	return errors.As(err, &mb)
}

// decodeError maps an encoding/json error to the shared request errors.
func decodeError(err error) error {
	var (
		typeErr   *json.UnmarshalTypeError
		invalid   *json.InvalidUnmarshalError
		modelErr  *model.Error
		syntaxErr *json.SyntaxError
	)
	switch {
	case errors.Is(err, io.EOF):
		return model.ErrInvalidJSON.WithCause(errors.New("empty body"))
	case tooLarge(err):
		return model.ErrBodyTooLarge.WithCause(err)
	case errors.As(err, &invalid):
		return model.Internal(err) // dst is not a non-nil pointer: a programming error
	case errors.As(err, &modelErr):
		return modelErr
	case errors.As(err, &typeErr):
		if typeErr.Field != "" {
			return model.ErrInvalidJSON.WithField(typeErr.Field, "格式不正确").WithCause(err)
		}
		return model.ErrInvalidJSON.WithCause(err)
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		return model.ErrInvalidJSON.WithCause(err)
	}
	if field, ok := unknownField(err); ok {
		return model.ErrUnknownField.WithField(field, "无法识别的字段").WithCause(err)
	}
	return model.ErrInvalidJSON.WithCause(err)
}

// unknownField extracts the name from encoding/json's `json: unknown field "name"`, the only
// form in which the decoder reports it.
func unknownField(err error) (string, bool) {
	const prefix = "json: unknown field "
	msg := err.Error()
	if !strings.HasPrefix(msg, prefix) {
		return "", false
	}
	name, uerr := strconv.Unquote(msg[len(prefix):])
	if uerr != nil {
		return "", false
	}
	return name, true
}
