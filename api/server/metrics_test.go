package server_test

import (
	"context"
	"io"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"palmaid/service/metrics"
	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// /metrics after a little traffic: requests per route template (never the raw path, which
// would hold case ids), the outbox backlog, sends by errcode and the pool; every name is in
// the README.
func TestMetricsScrape(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, friday)
		tok := h.residentLogin("metrics-" + be.Name)
		h.expect(h.do("PUT", "/mp/v1/me/identity", tok, map[string]string{"name": "张三", "idNumber": aliceID}), 200)
		id := h.expect(h.do("POST", "/mp/v1/cases", tok, application(seed.DemoVillageE1)), 201)["id"].(string)
		h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
		h.do("GET", "/mp/v1/cases/nosuchcase", tok, nil)
		h.expect(h.do("POST", "/api/v1/cases/"+id+"/accept", h.staffLogin("town_east"), map[string]any{"version": 2}), 200)

		scrape := func() string {
			rec := httptest.NewRecorder()
			h.app.Metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
			b, _ := io.ReadAll(rec.Body)
			return string(b)
		}
		before := scrape()
		for _, want := range []string{
			`palmaid_http_requests_total{method="GET",route="/mp/v1/cases/:id",status="200"} 1`,
			`palmaid_http_requests_total{method="GET",route="/mp/v1/cases/:id",status="404"} 1`,
			`palmaid_http_requests_total{method="POST",route="/api/v1/cases/:id/accept",status="200"} 1`,
			"palmaid_outbox_pending 1", "palmaid_db_connections_open ",
		} {
			if !strings.Contains(before, want) {
				t.Errorf("metrics lack %q", want)
			}
		}
		if strings.Contains(before, id) {
			t.Fatal("a case id reached the metrics labels")
		}
		h.expect(h.do("POST", "/dev/v1/notify/run", "", nil), 200)
		testenv.Must(t, h.app.RunJob(context.Background(), "deadline-sweep"))
		after := scrape()
		if !strings.Contains(after, `palmaid_scheduler_runs_total{job="deadline-sweep",result="ok"} 1`) {
			t.Errorf("job run not counted: %s", grep(after, "palmaid_scheduler"))
		}
		if !strings.Contains(after, `palmaid_notify_sends_total{channel="in_app",errcode="0"} 1`) || !strings.Contains(after, "palmaid_outbox_pending 0") {
			t.Fatalf("after delivery: %s", grep(after, "palmaid_notify|palmaid_outbox"))
		}
		readme, err := os.ReadFile("../../README.md")
		testenv.Must(t, err)
		for _, n := range metrics.Names() {
			if !strings.Contains(after, n) {
				t.Errorf("%s not exported", n)
			}
			if !strings.Contains(string(readme), n) {
				t.Errorf("%s is not listed in the README", n)
			}
		}
	})
}

func grep(s, prefixes string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		for _, p := range strings.Split(prefixes, "|") {
			if strings.HasPrefix(l, p) {
				out = append(out, l)
			}
		}
	}
	return strings.Join(out, "\n")
}
