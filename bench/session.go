package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The client side of a run: residents, households and the measured phases.

// session holds what setup prepared.
type session struct {
	base          string
	c             *http.Client
	staff         string
	dayOffset     int // added to every generated birth date: ID numbers differ between runs
	staffToken    string
	progressToken string
	progressCase  string
	households    []household
	run           string   // this run's tag in resident names and idempotency keys
	afterSubmits  func()   // optional: called when the submits (not yet the replays) are done
	created       []string // the cases the last submit phase created
	ip            atomic.Int64
}

// household is one prepared submit: a resident (identity bound) and its household of four.
type household struct {
	token string
	body  []byte
	key   string
}

func (s *session) call(ctx context.Context, method, path, token string, body any, want int, out any, headers ...string) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	// Every prepared resident logs in from its own (forwarded) address: the login limit is
	// per client IP, and a real town's residents do not share one.
	req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", s.ip.Add(1)>>16&255, s.ip.Load()>>8&255, s.ip.Load()&255))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := s.c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: status %d, want %d: %.300s", method, path, res.StatusCode, want, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// idNumber is a valid 18-digit ID number with the invented region prefix 990101xxxxxxxxxxxx (validation
// checks length, birth date and checksum, not the region, so it can never be a real person's).
func idNumber(birth time.Time, seq int) string {
	body := fmt.Sprintf("990101%s%03d", birth.Format("20060102"), seq%1000)
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(body[i]-'0') * w[i]
	}
	return body + string("10X98765432"[sum%11])
}

const demoVillage = "371522106200" // 孙庄村委会, in 古云镇 (town_east)

// resident logs a simulated resident in and binds the identity of its household's first
// member; it returns the token and the household of four — an adult and three minors, the
// household that files in one request (POST /mp/v1/cases: a draft created and submitted through
// the draft path's code; another adult would have to confirm from their own WeChat) — as a
// submit body with its complete declaration.
func (s *session) resident(ctx context.Context, run string, n int) (household, error) {
	name := fmt.Sprintf("b%s-%d", run, n)
	var login struct {
		Token string `json:"token"`
	}
	if err := s.call(ctx, "POST", "/mp/v1/auth/login", "", map[string]string{"code": "dev:" + name}, 200, &login); err != nil {
		return household{}, err
	}
	// Birth dates move with the run (an -existing database keeps earlier runs' residents).
	days := n/1000 + s.dayOffset
	minor := func(k int) time.Time { // born 2009–2025: a minor whatever the offset
		return time.Date(2009, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration((days+k*2000)%6200) * 24 * time.Hour)
	}
	births := []time.Time{time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(days) * 24 * time.Hour), minor(0), minor(1), minor(2)}
	rels := []string{"self", "child", "child", "child"}
	names := []string{"赵大", "赵二", "赵三", "赵四"}
	members := make([]map[string]any, 4)
	for i := range members {
		members[i] = map[string]any{"relation": rels[i], "name": names[i], "idNumber": idNumber(births[i], n), "hukouType": "local",
			"health": "healthy", "workAbility": "none", "employment": "student"}
	}
	members[0]["health"], members[0]["workAbility"], members[0]["employment"] = "chronic", "partial", "farming"
	if err := s.call(ctx, "PUT", "/mp/v1/me/identity", login.Token, map[string]string{"name": names[0], "idNumber": members[0]["idNumber"].(string)}, 200, nil); err != nil {
		return household{}, err
	}
	body, _ := json.Marshal(map[string]any{"villageCode": demoVillage, "address": fmt.Sprintf("孙庄村委会%d组%d号", 1+n%9, 1+n%97),
		"categories": []string{"minimum_living"}, "reason": "家庭成员患病，收入低于当地低保标准",
		"facts": map[string]any{"residence": "rural", "members": members, "assets": map[string]any{"declared": true, "depositCents": 100000},
			"income": []map[string]any{{"member": 0, "kind": "pension", "amountCents": 15000, "period": "monthly", "source": "城乡居民养老保险"}}},
		"pledgeAccepted": true, "authorizationAccepted": true})
	return household{token: login.Token, body: body, key: fmt.Sprintf("bench-%s-%06d", run, n)}, nil
}

// residentOfFour logs a simulated resident in with the identity of the first of a household of
// four adults (spouse and two grown children: their consents come through the draft path).
func (s *session) residentOfFour(ctx context.Context, run string, n int) (household, []map[string]string, error) {
	name := fmt.Sprintf("b%s-%d", run, n)
	var login struct {
		Token string `json:"token"`
	}
	if err := s.call(ctx, "POST", "/mp/v1/auth/login", "", map[string]string{"code": "dev:" + name}, 200, &login); err != nil {
		return household{}, nil, err
	}
	day := time.Duration(n/1000+s.dayOffset) * 24 * time.Hour
	births := []time.Time{time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1962, 3, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1990, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(1995, 7, 1, 0, 0, 0, 0, time.UTC)}
	rels := []string{"self", "spouse", "child", "child"}
	names := []string{"赵大", "钱二", "赵三", "赵四"}
	members := make([]map[string]string, 4)
	for i := range members {
		members[i] = map[string]string{"relation": rels[i], "name": names[i], "idNumber": idNumber(births[i].Add(day), n)}
	}
	if err := s.call(ctx, "PUT", "/mp/v1/me/identity", login.Token, map[string]string{"name": names[0], "idNumber": members[0]["idNumber"]}, 200, nil); err != nil {
		return household{}, nil, err
	}
	return household{token: login.Token}, members, nil
}

// setup logs the town officer in, prepares the resident whose case the progress phase reads
// (a household of four, submitted), and n households for the submit phase.
func (s *session) setup(ctx context.Context, n int) error {
	t := time.Now()
	var staff struct {
		Token string `json:"token"`
	}
	if err := s.call(ctx, "POST", "/api/v1/auth/login", "", map[string]string{"username": s.staff, "password": "palmaid-demo-2026"}, 200, &staff); err != nil {
		return err
	}
	s.staffToken = staff.Token
	run := strconv.FormatInt(time.Now().UnixNano()%1e9, 36)
	s.run = run
	s.dayOffset = int(time.Now().UnixNano()/1000) % 9000
	first, err := s.resident(ctx, run, 999)
	if err != nil {
		return err
	}
	var created struct {
		ID string `json:"id"`
	}
	if err := s.call(ctx, "POST", "/mp/v1/cases", first.token, json.RawMessage(first.body), 201, &created); err != nil {
		return err
	}
	s.progressToken, s.progressCase = first.token, created.ID
	s.households = make([]household, n)
	if err := prepare(n, func(i int) (err error) {
		s.households[i], err = s.resident(ctx, run, 1000+i)
		return err
	}); err != nil {
		return err
	}
	fmt.Printf("setup: town officer, the progress case, %d residents with identities in %s\n", n, time.Since(t).Round(time.Millisecond))
	return nil
}

// prepare runs one(i) for i in [0, n) on 8 workers and returns the first error (the workers
// stop taking new i once one failed).
func prepare(n int, one func(i int) error) error {
	var wg sync.WaitGroup
	var firstErr atomic.Value
	next := atomic.Int64{}
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || firstErr.Load() != nil {
					return
				}
				if err := one(i); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	err, _ := firstErr.Load().(error)
	return err
}

// submitPhase posts the prepared households (each once, with its key) for at most d, then
// replays every key that answered: each must return 200 with the same case id — exactly one
// case per idempotency key.
func (s *session) submitPhase(ctx context.Context, conns int, d time.Duration) (result, error) {
	next := atomic.Int64{}
	ids := make([]string, len(s.households))
	idx := make([][]int, conns) // per worker: which household its i-th request was
	for w := range idx {
		idx[w] = []int{}
	}
	var mu sync.Mutex
	p := phase{name: "POST /mp/v1/cases (household of 4, declared: draft + submit in one request)", conns: conns, ok: func(st int) bool { return st == 201 }}
	p.request = func(w, i int) *http.Request {
		k := int(next.Add(1)) - 1
		if k >= len(s.households) {
			return nil
		}
		h := s.households[k]
		mu.Lock()
		idx[w] = append(idx[w], k)
		mu.Unlock()
		req, _ := http.NewRequest(http.MethodPost, s.base+"/mp/v1/cases", bytes.NewReader(h.body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+h.token)
		req.Header.Set("Idempotency-Key", h.key)
		return req
	}
	p.after = func(w, i, status int, body []byte) {
		if status != 201 {
			return
		}
		var v struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(body, &v) == nil {
			mu.Lock()
			ids[idx[w][i]] = v.ID
			mu.Unlock()
		}
	}
	r := run(ctx, p, d)
	if s.afterSubmits != nil {
		s.afterSubmits()
	}
	// Replays: the same key answers the first case, 200, and no second case exists.
	distinct := map[string]bool{}
	replayed := 0
	for k, id := range ids {
		if id == "" {
			continue
		}
		distinct[id] = true
		h := s.households[k]
		var again struct {
			ID string `json:"id"`
		}
		if err := s.call(ctx, "POST", "/mp/v1/cases", h.token, json.RawMessage(h.body), 200, &again, "Idempotency-Key", h.key); err != nil {
			return r, fmt.Errorf("idempotency replay: %w", err)
		}
		if again.ID != id {
			return r, fmt.Errorf("idempotency key %s answered case %s, then %s", h.key, id, again.ID)
		}
		replayed++
	}
	if len(distinct) != r.Requests {
		return r, fmt.Errorf("%d created answers but %d distinct cases", r.Requests, len(distinct))
	}
	var list struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	// Each resident sees exactly its one case.
	for k, id := range ids {
		if id == "" || k%max(1, len(ids)/20) != 0 {
			continue
		}
		if err := s.call(ctx, "GET", "/mp/v1/cases", s.households[k].token, nil, 200, &list); err != nil {
			return r, err
		}
		if len(list.Items) != 1 || list.Items[0].ID != id {
			return r, fmt.Errorf("resident %d sees %d cases after a replay, want exactly %s", k, len(list.Items), id)
		}
	}
	s.created = s.created[:0]
	for _, id := range ids {
		if id != "" {
			s.created = append(s.created, id)
		}
	}
	r.Note = fmt.Sprintf("%d idempotency keys replayed, %d distinct cases (exactly one case per key)", replayed, len(distinct))
	return r, nil
}

// idleRSS opens n keep-alive connections, makes one request on each and leaves them open, then
// reads the server's resident set size.
func (s *session) idleRSS(srv *proc, n int) (int64, error) {
	host := strings.TrimPrefix(s.base, "http://")
	conns := make([]net.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	buf := make([]byte, 4096)
	for i := 0; i < n; i++ {
		c, err := net.Dial("tcp", host)
		if err != nil {
			return 0, fmt.Errorf("idle connection %d: %w", i, err)
		}
		conns = append(conns, c)
		if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n"); err != nil {
			return 0, err
		}
		if _, err := c.Read(buf); err != nil {
			return 0, err
		}
	}
	time.Sleep(500 * time.Millisecond)
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", srv.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("no VmRSS for pid %d", srv.cmd.Process.Pid)
}
