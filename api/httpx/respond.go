package httpx

import (
	"encoding/base64"
	"encoding/binary"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/model"
)

// OK writes v as JSON with status; a nil v writes the status alone (e.g. 204). Nil slices and
// maps in v are written as [] and {} (EmptyLists), as the OpenAPI document promises.
func OK(c *gin.Context, status int, v any) {
	if v == nil {
		c.Status(status)
		return
	}
	c.JSON(status, EmptyLists(v))
}

// Page is a keyset page request: at most Limit items with ids below Cursor (0: from the top).
// A list ordered by a date first (ParseDatedPage) reads its items after (CursorDate, Cursor).
type Page struct {
	Limit      int
	Cursor     uint64
	CursorDate string // YYYY-MM-DD; only from ParseDatedPage, and then set with Cursor
}

var cursorEncoding = base64.RawURLEncoding.Strict()

// EncodeCursor turns the last id of a page into the opaque cursor clients send back.
func EncodeCursor(id uint64) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], id)
	return cursorEncoding.EncodeToString(b[:])
}

// EncodeDatedCursor is the cursor of a list ordered by (date, id): the last item's date
// (YYYY-MM-DD) and id, opaque to clients like EncodeCursor's and distinct from it (12 bytes:
// the id, then the date as days since 1970-01-01). "" for a date that does not parse.
func EncodeDatedCursor(date string, id uint64) string {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil || d.Year() < 1970 {
		return ""
	}
	var b [12]byte
	binary.BigEndian.PutUint64(b[:8], id)
	binary.BigEndian.PutUint32(b[8:], uint32(d.Unix()/86400))
	return cursorEncoding.EncodeToString(b[:])
}

// ParsePage reads the limit and cursor query parameters. A missing limit is def, a limit above
// max is clamped to max; a non-numeric or non-positive limit, or a cursor EncodeCursor did not
// produce, is 400 request.invalid_page.
func ParsePage(c *gin.Context, def, max int) (Page, error) {
	return ParseDatedPage(c, def, max, false)
}

// ParseDatedPage is ParsePage for a list that is ordered by a date first when dated is true:
// its cursor must then be one of EncodeDatedCursor's, and otherwise one of EncodeCursor's (a
// cursor of the other kind, e.g. from another list, is 400 request.invalid_page).
func ParseDatedPage(c *gin.Context, def, max int, dated bool) (Page, error) {
	invalid := model.ErrInvalidPage
	p := Page{Limit: def}
	if s := strings.TrimSpace(c.Query("limit")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return Page{}, invalid.WithField("limit", "请填写1到"+strconv.Itoa(max)+"之间的整数")
		}
		p.Limit = n
	}
	p.Limit = min(p.Limit, max)
	if s := c.Query("cursor"); s != "" {
		b, err := cursorEncoding.DecodeString(s)
		size := 8
		if dated {
			size = 12
		}
		// ids are positive signed 64-bit integers in both databases
		if err != nil || len(b) != size || binary.BigEndian.Uint64(b) == 0 || binary.BigEndian.Uint64(b) > math.MaxInt64 {
			return Page{}, invalid.WithField("cursor", "分页标记无效，请从第一页重新加载")
		}
		p.Cursor = binary.BigEndian.Uint64(b)
		if dated {
			d := time.Unix(int64(binary.BigEndian.Uint32(b[8:]))*86400, 0).UTC()
			if d.Year() > 9999 {
				return Page{}, invalid.WithField("cursor", "分页标记无效，请从第一页重新加载")
			}
			p.CursorDate = d.Format(time.DateOnly)
		}
	}
	return p, nil
}

// BearerToken returns the token of an "Authorization: Bearer <token>" header, or "".
func BearerToken(c *gin.Context) string {
	h := strings.TrimSpace(c.GetHeader("Authorization"))
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}
