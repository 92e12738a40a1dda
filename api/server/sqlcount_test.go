package server_test

import (
	"io"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"palmaid/service/testenv"
)

// sqlCounter counts the statements the app sends to MariaDB/MySQL, on the wire: the app's DSN
// points at a loopback proxy that forwards every byte both ways and counts the client's
// COM_QUERY and COM_STMT_EXECUTE commands (with interpolateParams every statement is one
// COM_QUERY, BEGIN and COMMIT included: what MariaDB's Questions counter counts). Nothing
// else on the server is counted, unlike the global status counters.
type sqlCounter struct{ n atomic.Int64 }

// Statements is the number of statements sent so far.
func (c *sqlCounter) Statements() int64 { return c.n.Load() }

// countSQL puts the counting proxy in front of a MySQL DSN; it is closed with tb.
func countSQL(tb testing.TB, dsn string) (string, *sqlCounter) {
	tb.Helper()
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	c := &sqlCounter{}
	var mu sync.Mutex
	var conns []net.Conn
	track := func(cs ...net.Conn) {
		mu.Lock()
		conns = append(conns, cs...)
		mu.Unlock()
	}
	upstream := cfg.Addr
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", upstream)
			if err != nil {
				_ = client.Close()
				continue
			}
			track(client, server)
			go func() { _, _ = io.Copy(client, server); _ = client.Close() }()
			go func() { c.pump(server, client); _ = server.Close() }()
		}
	}()
	tb.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, x := range conns {
			_ = x.Close()
		}
	})
	cfg.Addr = ln.Addr().String()
	return cfg.FormatDSN(), c
}

// pump copies the client's packets to the server, counting commands: a packet with sequence
// number 0 starts a command (the handshake response has sequence 1).
func (c *sqlCounter) pump(dst io.Writer, src io.Reader) {
	const comQuery, comStmtExecute = 0x03, 0x17
	hdr := make([]byte, 4)
	for {
		if _, err := io.ReadFull(src, hdr); err != nil {
			return
		}
		n := int(hdr[0]) | int(hdr[1])<<8 | int(hdr[2])<<16
		payload := make([]byte, n)
		if _, err := io.ReadFull(src, payload); err != nil {
			return
		}
		if hdr[3] == 0 && n > 0 && (payload[0] == comQuery || payload[0] == comStmtExecute) {
			c.n.Add(1)
		}
		if _, err := dst.Write(append(hdr, payload...)); err != nil {
			return
		}
	}
}

// countedHarness is a harness whose database connections go through the statement counter. The
// count is read on the MySQL wire protocol: other backends skip the test.
func countedHarness(t *testing.T, be *testenv.Backend, now time.Time) (*harness, *sqlCounter) {
	t.Helper()
	if be.Config.Database.Driver != "mysql" {
		t.Skip("counted on the MySQL wire protocol")
	}
	var sql *sqlCounter
	be.Config.Database.DSN, sql = countSQL(t, be.Config.Database.DSN)
	return newHarness(t, be, now), sql
}

// withinBudget fails unless the fewest statements of per (one count per request) are within
// budget: the fewest, because a background job's statement may fall into a request's count.
func withinBudget(t *testing.T, what string, per []int64, budget int64) {
	t.Helper()
	if least := slices.Min(per); least > budget {
		t.Fatalf("%s sends %d statements (budget %d): %v", what, least, budget, per)
	}
}
