package httpx

import (
	"crypto/rand"
	"encoding/base32"
	"strings"

	"github.com/gin-gonic/gin"

	"palmaid/service/reqmeta"
)

// HeaderRequestID carries the request id in both directions.
const HeaderRequestID = "X-Request-Id"

const (
	minRequestIDLen = 8
	maxRequestIDLen = 64
)

type requestIDKey struct{}

// RequestID accepts an incoming X-Request-Id only if it matches ^[A-Za-z0-9._-]{8,64}$ and
// otherwise generates one (16 random bytes, lower-case base32: letters and the digits 2–7, so a generated id can never look like a phone number to the log masker, which would break correlation). The id is echoed in the response header,
// kept on the gin context (RequestIDFrom) and put in the request context with the client IP
// (reqmeta.MetaFrom) so service code can log and audit it.
func RequestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader(HeaderRequestID)
		if !validRequestID(id) {
			id = newRequestID()
		}
		c.Set(requestIDKey{}, id)
		c.Header(HeaderRequestID, id)
		meta := reqmeta.RequestMeta{RequestID: id, ClientIP: c.ClientIP()}
		c.Request = c.Request.WithContext(reqmeta.WithRequestMeta(c.Request.Context(), meta))
		c.Next()
	}
}

// RequestIDFrom returns the request id RequestID assigned ("" when it is not mounted).
func RequestIDFrom(c *gin.Context) string {
	if v, ok := c.Get(requestIDKey{}); ok {
		if id, ok := v.(string); ok {
			return id
		}
	}
	if c.Request == nil {
		return ""
	}
	return reqmeta.MetaFrom(c.Request.Context()).RequestID
}

func validRequestID(id string) bool {
	if len(id) < minRequestIDLen || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch b := id[i]; {
		case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9', b == '.', b == '_', b == '-':
		default:
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (Go ≥ 1.24 crashes the program instead)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}
