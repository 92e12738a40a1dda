package httpx

import (
	"errors"
	"fmt"
	"log/slog"
	"path"
	"sort"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/model"
	"palmaid/service/ratelimit"
)

// Every route belongs to a limit class, declared where the route is registered (issue 19: "a
// limit on every write and every expensive read"). Routes are registered through a Router,
// which puts the class's limiter in front of the handlers and records the class in a RouteBook;
// api/server's TestEveryRouteHasALimitClass walks gin's routes and fails for any route the
// book does not know (one registered on gin directly).

// Scope is whose budget a route's requests spend.
type Scope string

// Scopes.
const (
	PerIP      Scope = "ip"      // the client IP: anonymous routes
	PerAccount Scope = "account" // the resident's account (routes behind its session)
	PerOfficer Scope = "officer" // the staff member (routes behind a staff session)
	NoLimit    Scope = "none"    // public, cheap and writing nothing; Reason says why
)

// Class is a route's limit class.
type Class struct {
	Scope Scope
	// Name is the budget: routes whose classes share a Name and a Scope share a budget.
	Name  string
	Limit ratelimit.Limit
	// Local: counted in this process only (no Redis round trip), for hot reads, where each
	// replica allowing the rate is acceptable.
	Local bool
	// Deferred: the handler spends the budget itself (SpendDeferred) once it knows the
	// account, because it checks the session in its own Redis round trip (the progress read).
	Deferred bool
	// Alert: a refusal is an alert (logged at error level with the caller's key), for budgets
	// whose exhaustion means misuse (the unmask budget).
	Alert bool
	// Refusal answers a spent budget instead of request.rate_limited (its Retry-After is set).
	Refusal *model.Error
	// Reason, for NoLimit only: why the route needs no limit.
	Reason string
}

// IPClass is a budget per client IP.
func IPClass(name string, lim ratelimit.Limit) Class {
	return Class{Scope: PerIP, Name: name, Limit: lim}
}

// AccountClass is a budget per resident account.
func AccountClass(name string, lim ratelimit.Limit) Class {
	return Class{Scope: PerAccount, Name: name, Limit: lim}
}

// OfficerClass is a budget per staff member.
func OfficerClass(name string, lim ratelimit.Limit) Class {
	return Class{Scope: PerOfficer, Name: name, Limit: lim}
}

// Unlimited is the class of a public route that needs no limit, with the reason.
func Unlimited(reason string) Class { return Class{Scope: NoLimit, Reason: reason} }

// InProcess returns the class counted in this process only (Local).
func (cl Class) InProcess() Class { cl.Local = true; return cl }

// Alerting returns the class whose refusals are alerts, answered with refusal (nil: the
// generic request.rate_limited).
func (cl Class) Alerting(refusal *model.Error) Class { cl.Alert, cl.Refusal = true, refusal; return cl }

// SpentByHandler returns the class the handler spends itself (Deferred).
func (cl Class) SpentByHandler() Class { cl.Deferred = true; return cl }

func (cl Class) check() error {
	if cl.Scope == NoLimit {
		if len(cl.Reason) < 10 {
			return errors.New("a route without a limit needs a written reason")
		}
		return nil
	}
	if cl.Name == "" || cl.Limit.Rate < 1 || cl.Limit.Burst < 1 || cl.Limit.Period <= 0 {
		return fmt.Errorf("class %q: a name and a positive rate, burst and period", cl.Name)
	}
	return nil
}

// RouteBook records the class of every route registered through a Router ("METHOD /path").
type RouteBook struct {
	mu      sync.Mutex
	classes map[string]Class
}

// NewRouteBook makes an empty book (one per engine).
func NewRouteBook() *RouteBook { return &RouteBook{classes: map[string]Class{}} }

// Class is the class of the route method path (gin's full path template).
func (b *RouteBook) Class(method, path string) (Class, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	cl, ok := b.classes[method+" "+path]
	return cl, ok
}

// Routes lists the routes in the book, sorted.
func (b *RouteBook) Routes() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]string, 0, len(b.classes))
	for k := range b.classes {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (b *RouteBook) add(method, path string, cl Class) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.classes[method+" "+path] = cl
}

// Limits spends the classes' budgets.
type Limits struct {
	limiter *ratelimit.Limiter
	log     *slog.Logger
	refused func(name string) // counts refusals by budget name (a metric); may be nil
	book    *RouteBook
	scale   int // multiplies every class's rate and burst except alerting ones (PALMAID_RATE_LIMIT_SCALE)
}

// NewLimits spends budgets with limiter, logs alerts to log, counts refusals with refused
// (nil: not counted) and records every route's class in book. scale (≥ 1) multiplies the
// rate and burst of every class but the alerting ones: a load-test knob.
func NewLimits(limiter *ratelimit.Limiter, log *slog.Logger, refused func(name string), book *RouteBook, scale int) *Limits {
	return &Limits{limiter: limiter, log: log, refused: refused, book: book, scale: max(scale, 1)}
}

// spend spends one event of key's budget in class cl; an error is the answer to give.
func (l *Limits) spend(c *gin.Context, cl Class, key string) error {
	k := cl.Name + ":" + key
	lim := cl.Limit
	if !cl.Alert {
		lim.Rate, lim.Burst = lim.Rate*l.scale, lim.Burst*l.scale
	}
	var wait time.Duration
	var err error
	if cl.Local {
		wait, err = l.limiter.AllowLocal(k, lim)
	} else {
		wait, err = l.limiter.Allow(c.Request.Context(), k, lim)
	}
	if err == nil {
		return nil
	}
	if !errors.Is(err, model.ErrRateLimited) { // not a refusal: Allow counts locally when Redis fails
		l.log.WarnContext(c.Request.Context(), "rate limiter failed; request let through", "limit", cl.Name, "err", err)
		return nil
	}
	if l.refused != nil {
		l.refused(cl.Name)
	}
	if cl.Alert {
		l.log.ErrorContext(c.Request.Context(), "ALERT: limit budget spent", "alert", "limit_budget_spent", "limit", cl.Name,
			"scope", string(cl.Scope), "who", key, "route", c.FullPath())
	}
	refusal := model.ErrRateLimited
	if cl.Refusal != nil {
		refusal = cl.Refusal
	}
	return refusal.WithRetryAfter(max(wait, time.Second))
}

const ctxDeferred = "palmaid.limit.deferred"

// SpendDeferred spends the budget of the route's Deferred class for key (the account the
// handler found); an error is the answer to give. A route without a Deferred class spends nothing.
func SpendDeferred(c *gin.Context, key string) error {
	if fn, ok := c.Get(ctxDeferred); ok {
		return fn.(func(string) error)(key)
	}
	return nil
}

// Router registers routes on a gin group, each with its limit class.
type Router struct {
	g    *gin.RouterGroup
	lim  *Limits
	keys map[Scope]func(c *gin.Context) string
}

// NewRouter registers on g. Per-IP budgets are keyed by the client IP (X-Forwarded-For only
// from trusted proxies); a face adds its account or officer key with Keyed.
func NewRouter(g *gin.RouterGroup, l *Limits) *Router {
	return &Router{g: g, lim: l, keys: map[Scope]func(*gin.Context) string{PerIP: func(c *gin.Context) string { return c.ClientIP() }}}
}

// Keyed returns a router whose scope s budgets are keyed by key(c).
func (r *Router) Keyed(s Scope, key func(c *gin.Context) string) *Router {
	keys := make(map[Scope]func(*gin.Context) string, len(r.keys)+1)
	for k, v := range r.keys {
		keys[k] = v
	}
	keys[s] = key
	return &Router{g: r.g, lim: r.lim, keys: keys}
}

// Group is a sub-router under relativePath with middleware mw (e.g. the session check).
func (r *Router) Group(relativePath string, mw ...gin.HandlerFunc) *Router {
	return &Router{g: r.g.Group(relativePath, mw...), lim: r.lim, keys: r.keys}
}

// GET registers a GET route of class cl.
func (r *Router) GET(relativePath string, cl Class, h ...gin.HandlerFunc) {
	r.Handle("GET", relativePath, cl, h...)
}

// POST registers a POST route of class cl.
func (r *Router) POST(relativePath string, cl Class, h ...gin.HandlerFunc) {
	r.Handle("POST", relativePath, cl, h...)
}

// PUT registers a PUT route of class cl.
func (r *Router) PUT(relativePath string, cl Class, h ...gin.HandlerFunc) {
	r.Handle("PUT", relativePath, cl, h...)
}

// DELETE registers a DELETE route of class cl.
func (r *Router) DELETE(relativePath string, cl Class, h ...gin.HandlerFunc) {
	r.Handle("DELETE", relativePath, cl, h...)
}

// Handle registers method relativePath with class cl in front of h. A class that cannot work
// (no reason for NoLimit, no key for its scope) is a programming error: it panics at start.
func (r *Router) Handle(method, relativePath string, cl Class, h ...gin.HandlerFunc) {
	full := joinPaths(r.g.BasePath(), relativePath)
	if err := cl.check(); err != nil {
		panic(fmt.Sprintf("httpx: %s %s: %v", method, full, err))
	}
	r.lim.book.add(method, full, cl)
	if cl.Scope == NoLimit {
		r.g.Handle(method, relativePath, h...)
		return
	}
	var limit gin.HandlerFunc
	if cl.Deferred {
		limit = func(c *gin.Context) {
			c.Set(ctxDeferred, func(key string) error { return r.lim.spend(c, cl, key) })
			c.Next()
		}
	} else {
		key := r.keys[cl.Scope]
		if key == nil {
			panic(fmt.Sprintf("httpx: %s %s: no key for scope %s on this router", method, full, cl.Scope))
		}
		limit = func(c *gin.Context) {
			if err := r.lim.spend(c, cl, key(c)); err != nil {
				Fail(c, err)
				return
			}
			c.Next()
		}
	}
	r.g.Handle(method, relativePath, append([]gin.HandlerFunc{limit}, h...)...)
}

// joinPaths joins a group's base path and a route's relative path as gin does.
func joinPaths(base, rel string) string {
	if rel == "" {
		return base
	}
	p := path.Join(base, rel)
	if rel[len(rel)-1] == '/' && p[len(p)-1] != '/' {
		return p + "/"
	}
	return p
}
