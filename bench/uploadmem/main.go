// Command uploadmem measures what a burst of image uploads costs the server's memory (issue 19,
// "image decoding is unbounded"): it builds palmaid (or takes -bin), starts it embedded on
// loopback in a fresh data directory, prepares residents whose cases ask for documents, then
// fires each scenario's uploads at once and reports the server's peak RSS (VmHWM, reset before
// each scenario through /proc/PID/clear_refs) and the answers. It is a bounded measurement, not
// a test: it judges nothing but prints the numbers. Linux only (reads /proc).
//
//	go run ./bench/uploadmem                     # the defaults of the settings
//	go run ./bench/uploadmem -env 'PALMAID_UPLOAD_MAX_PIXELS=40000000 PALMAID_UPLOAD_DECODE_SLOTS=64 PALMAID_UPLOAD_PER_ACCOUNT=16'
//
// The second line approximates the code before the bounds (40 MP ceiling, no gate, no
// per-account limit) for comparison.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	dt "palmaid/service/documents/doctest"
)

const (
	village  = "371522106200" // the demo county's village of town_east
	password = "palmaid-demo-2026"
)

func main() {
	bin := flag.String("bin", "", "palmaid binary (default: go build into a temporary directory)")
	port := flag.Int("port", 0, "listen port (default: a free one)")
	extra := flag.String("env", "", "extra server environment, space-separated NAME=VALUE")
	parallel := flag.Int("n", 12, "uploads fired at once per scenario")
	flag.Parse()
	if err := run(*bin, *port, *extra, *parallel); err != nil {
		fmt.Fprintln(os.Stderr, "uploadmem:", err)
		os.Exit(1)
	}
}

type client struct {
	base string
	http *http.Client
}

func run(bin string, port int, extra string, n int) error {
	tmp, err := os.MkdirTemp("", "uploadmem")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if bin == "" {
		bin = filepath.Join(tmp, "palmaid")
		b := exec.Command("go", "build", "-o", bin, ".")
		b.Stdout, b.Stderr = os.Stderr, os.Stderr
		if err := b.Run(); err != nil {
			return fmt.Errorf("go build: %w", err)
		}
	}
	if port == 0 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		port = l.Addr().(*net.TCPAddr).Port
		_ = l.Close()
	}
	srv := exec.Command(bin, "serve")
	srv.Env = append(os.Environ(), "PALMAID_DATA_DIR="+filepath.Join(tmp, "data"), fmt.Sprintf("PALMAID_HTTP_ADDR=127.0.0.1:%d", port), "PALMAID_LOG_LEVEL=error")
	srv.Env = append(srv.Env, strings.Fields(extra)...)
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() { _ = srv.Process.Kill(); _, _ = srv.Process.Wait() }()
	c := &client{base: fmt.Sprintf("http://127.0.0.1:%d", port), http: &http.Client{Timeout: 3 * time.Minute,
		Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	if err := c.waitReady(); err != nil {
		return err
	}
	pid := srv.Process.Pid

	// accounts: 0 and 1 for the one-account bursts, 2.. for the many-account ones
	accts, err := c.prepare(n + 2)
	if err != nil {
		return err
	}
	big, err := corpusFile("png-6300x6300.png")
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "building the 4096×4096 images …")
	atCeilingPNG := dt.SolidPNG(4096, 4096)
	atCeilingJPEG := dt.FixtureJPEGWithGPS(4096, 4096) // EXIF orientation 6: decoded, turned, re-encoded
	rss0 := status(pid, "VmRSS")
	fmt.Printf("server after start and setup: RSS %s; extra env: %q\n\n", mb(rss0), extra)
	fmt.Printf("%-52s %8s %10s %s\n", "scenario", "peak RSS", "wall", "answers")
	for _, sc := range []struct {
		name     string
		file     string
		data     []byte
		accounts []account
	}{
		{fmt.Sprintf("1 account × %d: PNG 6300×6300 (%d KB)", n, len(big)>>10), "big.png", big, repeat(accts[0], n)},
		{fmt.Sprintf("%d accounts × 1: PNG 6300×6300", n), "big.png", big, accts[2 : 2+n]},
		{fmt.Sprintf("1 account × %d: PNG 4096×4096 (%d KB)", n, len(atCeilingPNG)>>10), "ceiling.png", atCeilingPNG, repeat(accts[1], n)},
		{fmt.Sprintf("%d accounts × 1: PNG 4096×4096", n), "ceiling.png", atCeilingPNG, accts[2 : 2+n]},
		{fmt.Sprintf("%d accounts × 1: JPEG 4096×4096 turned (%d KB)", n, len(atCeilingJPEG)>>10), "ceiling.jpg", atCeilingJPEG, accts[2 : 2+n]},
	} {
		if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0); err != nil {
			return fmt.Errorf("reset the peak RSS: %w", err)
		}
		start := time.Now()
		answers := c.burst(sc.accounts, sc.file, sc.data)
		fmt.Printf("%-52s %8s %9.1fs %s\n", sc.name, mb(status(pid, "VmHWM")), time.Since(start).Seconds(), answers)
		time.Sleep(2 * time.Second) // let the rate limiter's window and the GC settle between scenarios
	}
	return nil
}

type account struct {
	token, caseID string
	items         []int
}

func repeat(a account, n int) []account {
	out := make([]account, n)
	for i := range out {
		out[i] = a
	}
	return out
}

func corpusFile(name string) ([]byte, error) {
	corpus, err := dt.HostileCorpus()
	if err != nil {
		return nil, err
	}
	for _, h := range corpus {
		if h.File == name {
			return h.Data, nil
		}
	}
	return nil, fmt.Errorf("%s not in the corpus", name)
}

// burst sends one upload per account entry at once; answers are counted by status and code.
func (c *client) burst(accts []account, file string, data []byte) string {
	var mu sync.Mutex
	count := map[string]int{}
	var wg sync.WaitGroup
	startGun := make(chan struct{})
	for i, a := range accts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-startGun
			var body bytes.Buffer
			w := multipart.NewWriter(&body)
			p, _ := w.CreateFormFile("file", file)
			_, _ = p.Write(data)
			_ = w.Close()
			path := fmt.Sprintf("/mp/v1/cases/%s/items/%d/documents", a.caseID, a.items[i%len(a.items)])
			st, out, err := c.do("POST", path, a.token, w.FormDataContentType(), &body)
			key := strconv.Itoa(st)
			if err != nil {
				key = "error"
			} else if st >= 400 {
				var e struct {
					Error struct{ Code string } `json:"error"`
				}
				_ = json.Unmarshal(out, &e)
				key += " " + e.Error.Code
			}
			mu.Lock()
			count[key]++
			mu.Unlock()
		}()
	}
	close(startGun)
	wg.Wait()
	var keys []string
	for k, v := range count {
		keys = append(keys, fmt.Sprintf("%d× %s", v, k))
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

func (c *client) do(method, path, token, contentType string, body io.Reader) (int, []byte, error) {
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		return 0, nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	return res.StatusCode, out, err
}

// call sends JSON during the setup, waiting out a 429 as Retry-After says.
func (c *client) call(method, path, token string, in any, want int, out any) error {
	for tries := 0; ; tries++ {
		var body io.Reader
		if in != nil {
			b, _ := json.Marshal(in)
			body = bytes.NewReader(b)
		}
		st, b, err := c.do(method, path, token, "application/json", body)
		if err != nil {
			return err
		}
		if st == 429 && tries < 10 {
			time.Sleep(5 * time.Second)
			continue
		}
		if st != want {
			return fmt.Errorf("%s %s: %d %s", method, path, st, b)
		}
		if out != nil {
			return json.Unmarshal(b, out)
		}
		return nil
	}
}

func (c *client) waitReady() error {
	for i := 0; i < 300; i++ {
		if st, _, err := c.do("GET", "/readyz", "", "", nil); err == nil && st == 200 {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("server not ready")
}

// prepare makes n residents, each with an application the town returned asking for three
// documents.
func (c *client) prepare(n int) ([]account, error) {
	var staff struct{ Token string }
	if err := c.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "town_east", "password": password}, 200, &staff); err != nil {
		return nil, err
	}
	run := time.Now().UnixNano() % 1000
	var out []account
	for i := 0; i < n; i++ {
		var login struct{ Token string }
		if err := c.call("POST", "/mp/v1/auth/login", "", map[string]string{"code": fmt.Sprintf("dev:uploadmem-%d-%d", run, i)}, 200, &login); err != nil {
			return nil, err
		}
		id := idNumber(fmt.Sprintf("19500101%03d", (int(run)*37+i)%1000))
		if err := c.call("PUT", "/mp/v1/me/identity", login.Token, map[string]string{"name": "测试", "idNumber": id}, 200, nil); err != nil {
			return nil, err
		}
		// The one intake path (issue 21): a declared draft (a wage earner: the list asks for an
		// income proof, committed to here), then its submission.
		var cs struct {
			ID          string
			Version     int
			Application struct {
				Checklist []struct {
					ID   int
					Code string
				}
			}
		}
		if err := c.call("POST", "/mp/v1/drafts", login.Token, map[string]any{"villageCode": village, "address": "孙庄村3组6号",
			"categories": []string{"minimum_living"}, "reason": "年老体弱，收入低于当地低保标准",
			"facts": map[string]any{"residence": "rural", "assets": map[string]any{"declared": true},
				"members": []map[string]any{{"relation": "self", "name": "测试", "idNumber": id, "hukouType": "local", "health": "chronic",
					"workAbility": "partial", "employment": "employed"}},
				"income": []map[string]any{{"member": 0, "kind": "wage", "amountCents": 50000, "period": "monthly", "source": "零工"}}}}, 201, &cs); err != nil {
			return nil, err
		}
		for _, it := range cs.Application.Checklist {
			if strings.HasPrefix(it.Code, "income_proof") {
				if err := c.call("POST", fmt.Sprintf("/mp/v1/cases/%s/items/%d/commitment", cs.ID, it.ID), login.Token, map[string]int{"version": cs.Version}, 200, &cs); err != nil {
					return nil, err
				}
			}
		}
		if err := c.call("POST", "/mp/v1/cases/"+cs.ID+"/submit", login.Token, map[string]any{"version": cs.Version,
			"pledgeAccepted": true, "authorizationAccepted": true}, 200, nil); err != nil {
			return nil, err
		}
		var sv struct{ Version int }
		if err := c.call("GET", "/api/v1/cases/"+cs.ID, staff.Token, nil, 200, &sv); err != nil {
			return nil, err
		}
		if err := c.call("POST", "/api/v1/cases/"+cs.ID+"/return", staff.Token, map[string]any{"version": sv.Version,
			"opinion": "请补充材料", "missingItems": []map[string]string{{"name": "家庭财产申报"}, {"name": "收入证明/无收入承诺（家庭成员1）"}}}, 200, nil); err != nil {
			return nil, err
		}
		var view struct {
			MissingItems []struct {
				ID     int
				Status string
			} `json:"missingItems"`
		}
		if err := c.call("GET", "/mp/v1/cases/"+cs.ID, login.Token, nil, 200, &view); err != nil {
			return nil, err
		}
		a := account{token: login.Token, caseID: cs.ID}
		for _, it := range view.MissingItems {
			if it.Status == "missing" { // the list of the round holds shared and provided items too
				a.items = append(a.items, it.ID)
			}
		}
		if len(a.items) == 0 {
			return nil, fmt.Errorf("case %s asks for nothing", cs.ID)
		}
		out = append(out, a)
	}
	return out, nil
}

// idNumber completes a 17-digit body (demo county 990101) with its GB 11643 check character.
func idNumber(birthAndSeq string) string {
	body := ("990101" + birthAndSeq)[:17]
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range body {
		sum += int(body[i]-'0') * w[i]
	}
	return body + string("10X98765432"[sum%11])
}

// status reads a kB field of /proc/PID/status, in bytes.
func status(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field+":") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				return kb << 10
			}
		}
	}
	return -1
}

func mb(b int64) string { return fmt.Sprintf("%d MB", b>>20) }
