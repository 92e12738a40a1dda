package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// result is one row of the table.
type result struct {
	Name          string
	Conns         int
	Requests      int
	Errors        int
	Elapsed       time.Duration
	P50, P95, P99 time.Duration
	Note          string
}

func (r result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// request builds worker w's i-th request; ok judges its status. A nil request ends the worker
// (a finite supply: the submit phase runs out of prepared households).
type phase struct {
	name    string
	conns   int
	request func(w, i int) *http.Request
	ok      func(status int) bool
	after   func(w, i int, status int, body []byte) // optional: sees each answer
}

// client is a keep-alive HTTP client with room for conns connections to one host.
func client(conns int) *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns,
		IdleConnTimeout: time.Minute, DisableCompression: true,
	}}
}

// run drives p for d (after a warm-up of d/5 that is not counted) and measures it.
func run(ctx context.Context, p phase, d time.Duration) result {
	c := client(p.conns)
	defer c.CloseIdleConnections()
	warm := d / 5
	start := time.Now()
	measureFrom, end := start.Add(warm), start.Add(warm+d)
	var (
		mu        sync.Mutex
		latencies []time.Duration
		errs      atomic.Int64
		wg        sync.WaitGroup
		firstDone atomic.Int64 // when a finite phase ran dry: the measured window ends there
	)
	for w := 0; w < p.conns; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var mine []time.Duration
			for i := 0; ctx.Err() == nil; i++ {
				t := time.Now()
				if t.After(end) {
					break
				}
				req := p.request(w, i)
				if req == nil {
					firstDone.CompareAndSwap(0, t.UnixNano())
					break
				}
				res, err := c.Do(req.WithContext(ctx))
				status, body := 0, []byte(nil)
				if err == nil {
					if p.after != nil {
						body, _ = io.ReadAll(res.Body)
					} else {
						_, _ = io.Copy(io.Discard, res.Body)
					}
					res.Body.Close()
					status = res.StatusCode
				}
				lat := time.Since(t)
				if p.after != nil {
					p.after(w, i, status, body)
				}
				if err != nil || !p.ok(status) {
					errs.Add(1)
					if errs.Load() <= 3 {
						fmt.Printf("  %s: error: status %d %v %.200s\n", p.name, status, err, body)
					}
					continue
				}
				if t.After(measureFrom) || p.after != nil { // finite phases count every request
					mine = append(mine, lat)
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		}(w)
	}
	wg.Wait()
	stop := time.Now()
	from := measureFrom
	if p.after != nil {
		from = start
	}
	if n := firstDone.Load(); n > 0 && time.Unix(0, n).Before(stop) {
		stop = time.Unix(0, n)
	}
	if stop.After(end) {
		stop = end
	}
	slices.Sort(latencies)
	r := result{Name: p.name, Conns: p.conns, Requests: len(latencies), Errors: int(errs.Load()), Elapsed: stop.Sub(from)}
	if n := len(latencies); n > 0 {
		r.P50 = latencies[n/2]
		r.P95 = latencies[min(n-1, n*95/100)]
		r.P99 = latencies[min(n-1, n*99/100)]
	}
	return r
}
