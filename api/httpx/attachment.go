package httpx

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// Attachment streams a stored file as a download: the type the service sniffed (never what the
// client once declared), Content-Disposition: attachment with the name in RFC 6266/5987 form
// (an ASCII fallback and the UTF-8 name), nosniff, no caching anywhere but the client, and a
// sandbox CSP so that even a browser that renders it runs nothing.
func Attachment(c *gin.Context, name, contentType string, size int64, body io.Reader) {
	h := c.Writer.Header()
	h.Set("Content-Disposition", ContentDisposition(name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Type", contentType)
	if size >= 0 {
		h.Set("Content-Length", strconv.FormatInt(size, 10))
	}
	c.Status(http.StatusOK)
	_, _ = io.Copy(c.Writer, body) // a client gone mid-download is not an error of ours
}

// ContentDisposition is `attachment; filename="<ASCII fallback>"; filename*=UTF-8”<name>`.
func ContentDisposition(name string) string {
	var fallback, enc strings.Builder
	for _, r := range name {
		switch {
		case r < 0x20 || r == 0x7f || r == '"' || r == '\\':
		case r < 0x80:
			fallback.WriteRune(r)
		default:
			fallback.WriteByte('_')
		}
	}
	const attrChar = "!#$&+-.^_`|~"
	for _, b := range []byte(name) {
		if b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte(attrChar, b) >= 0 {
			enc.WriteByte(b)
		} else {
			enc.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(b)|0x100, 16)[1:]))
		}
	}
	return `attachment; filename="` + fallback.String() + `"; filename*=UTF-8''` + enc.String()
}
