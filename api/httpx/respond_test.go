package httpx

import (
	"net/http"
	"testing"

	"github.com/gin-gonic/gin"
)

func pageEngine(t *testing.T) *gin.Engine {
	t.Helper()
	r, _ := newEngine(t, 1<<20)
	r.GET("/list", func(c *gin.Context) {
		p, err := ParsePage(c, 20, 100)
		if err != nil {
			Fail(c, err)
			return
		}
		OK(c, http.StatusOK, gin.H{"limit": p.Limit, "cursor": p.Cursor})
	})
	return r
}

func TestParsePage(t *testing.T) {
	r := pageEngine(t)
	cases := []struct {
		query  string
		limit  int
		cursor uint64
	}{
		{"", 20, 0},
		{"?limit=5", 5, 0},
		{"?limit=100", 100, 0},
		{"?limit=1000", 100, 0},
		{"?cursor=" + EncodeCursor(12345), 20, 12345},
		{"?limit=3&cursor=" + EncodeCursor(1<<40+7), 3, 1<<40 + 7},
	}
	for _, tc := range cases {
		res := get(t, r, "/list"+tc.query)
		b := res.json(t)
		if res.Status != 200 || b["limit"] != float64(tc.limit) || uint64(b["cursor"].(float64)) != tc.cursor {
			t.Errorf("%q: got %d %s", tc.query, res.Status, res.Body)
		}
	}
}

func TestParsePageInvalid(t *testing.T) {
	r := pageEngine(t)
	for _, q := range []string{
		"?limit=0", "?limit=-1", "?limit=abc", "?limit=1.5", "?limit=99999999999999999999",
		"?cursor=!!!", "?cursor=AAAA", "?cursor=" + EncodeCursor(5) + "=", "?cursor=12345",
		// ids are signed 64-bit in both databases: a cursor of 2^63 or more answered 500 on SQLite
		"?cursor=" + EncodeCursor(1<<63), "?cursor=" + EncodeCursor(^uint64(0)), "?cursor=" + EncodeCursor(0),
	} {
		res := get(t, r, "/list"+q)
		e := res.envelope(t)
		if res.Status != 400 || e["code"] != "request.invalid_page" || e["message"] != "分页参数不正确" {
			t.Errorf("%q: got %d %s", q, res.Status, res.Body)
		}
	}
}

func TestEncodeCursorIsOpaqueAndURLSafe(t *testing.T) {
	for _, id := range []uint64{1, 255, 1 << 40, ^uint64(0)} {
		c := EncodeCursor(id)
		for _, ch := range c {
			if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_') {
				t.Errorf("cursor %q for %d is not URL-safe", c, id)
			}
		}
	}
}

func TestBearerToken(t *testing.T) {
	r, _ := newEngine(t, 1<<20)
	r.GET("/tok", func(c *gin.Context) { OK(c, http.StatusOK, gin.H{"token": BearerToken(c)}) })
	cases := map[string]string{
		"":                   "",
		"Bearer abc.def":     "abc.def",
		"bearer abc":         "abc",
		"Bearer   spaced  ":  "spaced",
		"Basic dXNlcjpwYXNz": "",
		"Bearer":             "",
		"Bearerabc":          "",
	}
	for h, want := range cases {
		req := mustRequest(t, http.MethodGet, "/tok")
		if h != "" {
			req.Header.Set("Authorization", h)
		}
		if got := do(t, r, req).json(t)["token"]; got != want {
			t.Errorf("Authorization %q: token %q, want %q", h, got, want)
		}
	}
}

func TestOK(t *testing.T) {
	r, _ := newEngine(t, 1<<20)
	r.POST("/a", func(c *gin.Context) { OK(c, http.StatusCreated, gin.H{"id": 1}) })
	r.DELETE("/a", func(c *gin.Context) { OK(c, http.StatusNoContent, nil) })
	if res := do(t, r, mustRequest(t, http.MethodPost, "/a")); res.Status != 201 || res.Body != `{"id":1}` {
		t.Errorf("post: %d %q", res.Status, res.Body)
	}
	if res := do(t, r, mustRequest(t, http.MethodDelete, "/a")); res.Status != 204 || res.Body != "" {
		t.Errorf("delete: %d %q", res.Status, res.Body)
	}
}

func TestParseDatedPage(t *testing.T) {
	r, _ := newEngine(t, 1<<20)
	r.GET("/list", func(c *gin.Context) {
		p, err := ParseDatedPage(c, 20, 100, c.Query("dated") == "1")
		if err != nil {
			Fail(c, err)
			return
		}
		OK(c, http.StatusOK, gin.H{"limit": p.Limit, "cursor": p.Cursor, "date": p.CursorDate})
	})
	for _, tc := range []struct {
		query, date string
		cursor      uint64
	}{
		{"?dated=1", "", 0},
		{"?dated=1&cursor=" + EncodeDatedCursor("2026-11-20", 12345), "2026-11-20", 12345},
		{"?dated=1&cursor=" + EncodeDatedCursor("1970-01-01", 1), "1970-01-01", 1},
		{"?dated=1&cursor=" + EncodeDatedCursor("9999-12-31", 1<<62), "9999-12-31", 1 << 62},
		{"?cursor=" + EncodeCursor(77), "", 77}, // not dated: the plain cursor, as ParsePage
	} {
		res := get(t, r, "/list"+tc.query)
		b := res.json(t)
		if res.Status != 200 || uint64(b["cursor"].(float64)) != tc.cursor || b["date"] != tc.date {
			t.Errorf("%q: got %d %s", tc.query, res.Status, res.Body)
		}
	}
	for _, q := range []string{
		"?dated=1&cursor=" + EncodeCursor(5),                                                                   // a plain cursor on a dated list
		"?cursor=" + EncodeDatedCursor("2026-11-20", 5),                                                        // and the converse
		"?dated=1&cursor=" + EncodeDatedCursor("2026-11-20", 0),                                                // id 0
		"?dated=1&cursor=" + EncodeDatedCursor("2026-11-20", 1<<63),                                            // beyond signed 64 bits
		"?dated=1&cursor=" + cursorEncoding.EncodeToString([]byte{0, 0, 0, 0, 0, 0, 0, 1, 255, 255, 255, 255}), // year > 9999
		"?dated=1&cursor=" + EncodeDatedCursor("2026-11-20", 5) + "A",
		"?dated=1&cursor=!!!",
	} {
		res := get(t, r, "/list"+q)
		if e := res.envelope(t); res.Status != 400 || e["code"] != "request.invalid_page" {
			t.Errorf("%q: got %d %s", q, res.Status, res.Body)
		}
	}
	// ParsePage itself never takes a dated cursor
	if res := get(t, pageEngine(t), "/list?cursor="+EncodeDatedCursor("2026-11-20", 5)); res.Status != 400 {
		t.Errorf("ParsePage took a dated cursor: %d %s", res.Status, res.Body)
	}
	if c := EncodeDatedCursor("2026-02-30", 5); c != "" {
		t.Errorf("a date that does not exist: cursor %q", c)
	}
	if a, b := EncodeDatedCursor("2026-11-20", 5), EncodeDatedCursor("2026-11-21", 5); a == b || len(a) != 16 {
		t.Errorf("dated cursors %q %q", a, b)
	}
}
