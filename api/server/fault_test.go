package server_test

import (
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"palmaid/service/testenv"
)

// tcpProxy forwards a local port to target until cut; restore listens on the same port again.
type tcpProxy struct {
	t      *testing.T
	addr   string
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func newTCPProxy(t *testing.T, target string) *tcpProxy {
	p := &tcpProxy{t: t, target: target}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *tcpProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); up.Close() }()
			go func() { _, _ = io.Copy(c, up); c.Close() }()
		}
	}()
}

// cut refuses new connections and breaks the open ones: the database is unreachable.
func (p *tcpProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *tcpProxy) restore() {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatalf("re-listen on %s: %v", p.addr, err)
	}
	p.serve(ln)
}

// Finding 6, as a fault test: MariaDB becomes unreachable (connections broken, new ones
// refused): staff and resident requests answer 503 service.unavailable with Retry-After, none
// 500; restored, the service answers 200 again without a restart. It logs the figures: the
// requests during the outage, their status counts, and the seconds from the restore to the
// first 200 (polled every 50 ms).
func TestDatabaseUnreachableThenRecovers(t *testing.T) {
	testenv.Require(t, "mariadb")
	be := testenv.New(t, "mariadb")
	cfg, err := mysql.ParseDSN(be.Config.Database.DSN)
	testenv.Must(t, err)
	proxy := newTCPProxy(t, cfg.Addr)
	cfg.Addr = proxy.addr
	be.Config.Database.DSN = cfg.FormatDSN()
	h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
	tok := h.staffLogin("town_east")
	res := h.residentLogin(testenv.UniqueName("outage"))
	h.expect(h.do("GET", "/api/v1/cases", tok, nil), 200)
	h.expect(h.do("GET", "/mp/v1/cases", res, nil), 200)

	// During the outage: the staff worklist and a resident's own cases, alternately.
	proxy.cut()
	cutAt := time.Now()
	counts := map[string]int{}
	paths := []struct{ path, tok string }{{"/api/v1/cases", tok}, {"/mp/v1/cases", res}}
	const n = 20
	for i := 0; i < n; i++ {
		p := paths[i%len(paths)]
		r := h.do("GET", p.path, p.tok, nil)
		if r.Status >= 400 {
			counts[fmt.Sprintf("%d %s", r.Status, r.errCode(t))]++
		} else {
			counts[fmt.Sprint(r.Status)]++
		}
		if r.Status == 503 && r.Header.Get("Retry-After") == "" {
			t.Fatal("503 without Retry-After")
		}
	}
	outage := time.Since(cutAt)
	if counts["503 service.unavailable"] != n {
		t.Fatalf("during the outage: status counts %v, want %d × 503 service.unavailable", counts, n)
	}

	// Restored: poll (no restart) until the worklist answers 200; every answer on the way is
	// 503 or 200, and the time from the restore to the first 200 is reported.
	proxy.restore()
	restoredAt := time.Now()
	polls, deadline := 0, time.Now().Add(time.Minute)
	for {
		polls++
		r := h.do("GET", "/api/v1/cases", tok, nil)
		if r.Status == 200 {
			break
		}
		if r.Status != 503 {
			t.Fatalf("recovering: %d %s", r.Status, r.Body)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no 200 within a minute of the restore (%d polls)", polls)
		}
		time.Sleep(50 * time.Millisecond)
	}
	recovered := time.Since(restoredAt)
	t.Logf("database unreachable: %d requests during the outage, status counts %v, answered in %.2f s together; "+
		"first 200 %.3f s after the restore (%d polls)", n, counts, outage.Seconds(), recovered.Seconds(), polls)
}
