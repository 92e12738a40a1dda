package httpx_test

import (
	"io"
	"log/slog"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"

	"palmaid/api/httpx"
	"palmaid/service/ratelimit"
)

// A route's class is recorded under its full path; a class that cannot work is refused when
// the route is registered (at start), not when a request comes: "none" without a reason, or a
// per-account class on a router that knows no account.
func TestRouterRecordsAndRefusesClasses(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	defer rdb.Close()
	book := httpx.NewRouteBook()
	l := httpx.NewLimits(ratelimit.New(rdb, "p:", nil), slog.New(slog.NewTextHandler(io.Discard, nil)), nil, book, 1)
	e := gin.New()
	r := httpx.NewRouter(e.Group("/mp/v1"), l)
	ok := func(c *gin.Context) { c.Status(204) }
	r.GET("/villages/:code", httpx.IPClass("public", ratelimit.PerMinute(5)), ok)
	r.Group("/x").Keyed(httpx.PerAccount, func(*gin.Context) string { return "1" }).POST("/y/", httpx.AccountClass("w", ratelimit.PerMinute(1)), ok)
	if cl, found := book.Class("GET", "/mp/v1/villages/:code"); !found || cl.Name != "public" {
		t.Fatalf("GET /mp/v1/villages/:code: %+v %v (book %v)", cl, found, book.Routes())
	}
	if _, found := book.Class("POST", "/mp/v1/x/y/"); !found {
		t.Fatalf("POST /mp/v1/x/y/ not recorded: %v", book.Routes())
	}
	for name, register := range map[string]func(){
		"none without a reason":     func() { r.GET("/a", httpx.Unlimited(""), ok) },
		"account class without key": func() { r.POST("/b", httpx.AccountClass("w", ratelimit.PerMinute(1)), ok) },
		"no rate":                   func() { r.POST("/c", httpx.IPClass("z", ratelimit.Limit{}), ok) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: registered", name)
				}
			}()
			register()
		}()
	}
}
