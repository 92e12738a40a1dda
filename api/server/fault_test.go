package server_test

import (
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
// refused): staff requests answer 503 with Retry-After, none 500; when it is back, the next
// request succeeds without a restart.
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
	h.expect(h.do("GET", "/api/v1/cases", tok, nil), 200)

	proxy.cut()
	counts := map[int]int{}
	for i := 0; i < 20; i++ {
		r := h.do("GET", "/api/v1/cases", tok, nil)
		counts[r.Status]++
		if r.Status == 503 && r.Header.Get("Retry-After") == "" {
			t.Fatal("503 without Retry-After")
		}
	}
	if counts[503] != 20 {
		t.Fatalf("during the outage: status counts %v, want 20 × 503", counts)
	}
	proxy.restore()
	h.expect(h.do("GET", "/api/v1/cases", tok, nil), 200)
}
