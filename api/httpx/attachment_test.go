package httpx

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/model"
)

func TestContentDisposition(t *testing.T) {
	for name, want := range map[string]string{
		"收入证明.pdf":        `attachment; filename="____.pdf"; filename*=UTF-8''%E6%94%B6%E5%85%A5%E8%AF%81%E6%98%8E.pdf`,
		"scan 1.png":      `attachment; filename="scan 1.png"; filename*=UTF-8''scan%201.png`,
		"a\"b\\c\r\n.jpg": `attachment; filename="abc.jpg"; filename*=UTF-8''a%22b%5Cc%0D%0A.jpg`,
	} {
		if got := ContentDisposition(name); got != want {
			t.Errorf("%q: %s, want %s", name, got, want)
		}
	}
}

// An upload route gets its own body cap and error, and more time than the server's read timeout:
// a body trickling in over longer than that arrives whole on the upload route and is cut elsewhere.
func TestRouteLimits(t *testing.T) {
	tooBig := model.E(model.KindTooLarge, "document.too_large", "文件太大")
	limits := []RouteLimit{{Path: "/upload", Max: 4096, Err: tooBig, Time: 5 * time.Second}}
	gin.SetMode(gin.TestMode)
	r := gin.New()
	r.Use(Errors(nil), Deadline(time.Second, limits...), BodyLimit(1024, limits...))
	read := func(c *gin.Context) {
		b, err := io.ReadAll(c.Request.Body)
		if err != nil {
			c.String(499, err.Error())
			return
		}
		dl, _ := c.Request.Context().Deadline()
		c.String(200, "%d %v", len(b), time.Until(dl) > 2*time.Second) // more than the common second left
	}
	r.POST("/upload", read)
	r.POST("/json", read)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: r, ReadTimeout: 300 * time.Millisecond}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	url := "http://" + ln.Addr().String()

	post := func(path string, body io.Reader, n int64) (int, string) {
		req, _ := http.NewRequest("POST", url+path, body)
		req.ContentLength = n
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, body := post("/upload", strings.NewReader(strings.Repeat("x", 5000)), 5000); code != 413 || !strings.Contains(body, "document.too_large") {
		t.Fatalf("upload over its cap: %d %s", code, body)
	}
	if code, body := post("/json", strings.NewReader(strings.Repeat("x", 2000)), 2000); code != 413 || !strings.Contains(body, "request.too_large") {
		t.Fatalf("json over the common cap: %d %s", code, body)
	}
	trickle := func() io.Reader {
		pr, pw := io.Pipe()
		go func() {
			for range 4 {
				time.Sleep(200 * time.Millisecond)
				_, _ = pw.Write([]byte(strings.Repeat("y", 500)))
			}
			_ = pw.Close()
		}()
		return pr
	}
	if code, body := post("/upload", trickle(), 2000); code != 200 || body != "2000 true" {
		t.Fatalf("slow upload: %d %s", code, body)
	}
	if code, _ := post("/json", trickle(), 2000); code == 200 {
		t.Fatal("a slow body on another route outlived the read timeout")
	}
}
