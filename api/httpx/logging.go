package httpx

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/model"
	"palmaid/service/reqmeta"
)

// redacted replaces the value of a deny-listed attribute.
const redacted = "***"

// NewLogger returns a JSON logger that masks personal data in every record it writes:
//
//   - the message and every string attribute (in groups too, and the text of error values) have
//     ID numbers (18-digit and old 15-digit) and mainland mobile numbers masked
//     (110105********002X, 138****8000);
//   - attributes whose key is deny-listed (password, secret, session_key, token, authorization,
//     id_number, phone; case, '_' and '-' ignored, so idNumber and sessionKey count) become "***";
//   - records logged with a context carrying reqmeta get a request_id attribute.
//
// Structured values (maps, structs, slices passed with slog.Any) are not inspected: log scalars.
func NewLogger(w io.Writer, level slog.Level) *slog.Logger {
	h := slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: redactAttr})
	return slog.New(requestIDHandler{Handler: h})
}

// requestIDHandler adds request_id from the context unless the record already has one.
type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if ctx == nil {
		return h.Handler.Handle(ctx, r)
	}
	id := reqmeta.MetaFrom(ctx).RequestID
	if id == "" {
		return h.Handler.Handle(ctx, r)
	}
	has := false
	r.Attrs(func(a slog.Attr) bool {
		has = a.Key == "request_id"
		return !has
	})
	if !has {
		r = r.Clone()
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{Handler: h.Handler.WithAttrs(as)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{Handler: h.Handler.WithGroup(name)}
}

// redactAttr is the JSON handler's ReplaceAttr hook; slog calls it for every non-group
// attribute, group members included, after resolving LogValuers.
func redactAttr(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && (a.Key == slog.TimeKey || a.Key == slog.LevelKey || a.Key == slog.SourceKey) {
		return a
	}
	if deniedKey(a.Key) {
		return slog.String(a.Key, redacted)
	}
	switch a.Value.Kind() {
	case slog.KindString:
		if s := a.Value.String(); s != "" {
			return slog.String(a.Key, maskPersonal(s))
		}
	case slog.KindAny:
		if err, ok := a.Value.Any().(error); ok && err != nil {
			return slog.String(a.Key, maskPersonal(err.Error()))
		}
	}
	return a
}

// deniedKey reports whether an attribute key names a secret or personal datum. Keys are
// compared lower-cased with '_' and '-' removed.
func deniedKey(key string) bool {
	var b strings.Builder
	b.Grow(len(key))
	for i := 0; i < len(key); i++ {
		switch c := key[i]; {
		case c == '_' || c == '-':
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		default:
			b.WriteByte(c)
		}
	}
	switch b.String() {
	case "password", "secret", "sessionkey", "token", "authorization", "idnumber", "phone":
		return true
	}
	return false
}

// maskPersonal masks ID numbers and mobile numbers in s. It looks at maximal runs of ASCII
// digits (an 18-character ID may end in X): a run of 18 is an ID number, 15 an old-form ID
// number, 11 starting 1[3-9] a mobile number, and 13 starting 86 a mobile number with the
// country code. Other runs (timestamps, case numbers) are left alone.
func maskPersonal(s string) string {
	var out []byte // allocated on the first match only
	last := 0
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		end := i
		for end < len(s) && isDigit(s[end]) {
			end++
		}
		if end-i == 17 && end < len(s) && (s[end] == 'X' || s[end] == 'x') {
			end++
		}
		if m, ok := maskRun(s[i:end]); ok {
			if out == nil {
				out = make([]byte, 0, len(s))
			}
			out = append(out, s[last:i]...)
			out = append(out, m...)
			last = end
		}
		i = end
	}
	if out == nil {
		return s
	}
	return string(append(out, s[last:]...))
}

func maskRun(r string) (string, bool) {
	switch {
	case len(r) == 18:
		return model.MaskIDNumber(r), true
	case len(r) == 15:
		return r[:6] + "******" + r[12:], true
	case len(r) == 11 && isMobile(r):
		return model.MaskPhone(r), true
	case len(r) == 13 && r[:2] == "86" && isMobile(r[2:]):
		return "86" + model.MaskPhone(r[2:]), true
	}
	return "", false
}

func isMobile(r string) bool { return r[0] == '1' && r[1] >= '3' && r[1] <= '9' }

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// AccessLog writes one line per request: method, route pattern (c.FullPath(), never the raw
// URL, whose query may hold personal data), status, duration, response bytes, request id and
// client IP. 5xx responses are logged at warn.
func AccessLog(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		status := c.Writer.Status()
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelWarn
		}
		log.LogAttrs(c.Request.Context(), level, "request",
			slog.String("method", c.Request.Method),
			slog.String("route", route(c)),
			slog.Int("status", status),
			slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
			slog.Int("bytes", max(c.Writer.Size(), 0)),
			slog.String("request_id", RequestIDFrom(c)),
			slog.String("client_ip", c.ClientIP()))
	}
}
