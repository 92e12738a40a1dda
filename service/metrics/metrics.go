// Package metrics holds palmaid's Prometheus metrics in a registry of its own (never the
// process-wide default), served on a separate listen address when PALMAID_METRICS_ADDR is set.
package metrics

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the instruments the services and the router record into.
type Metrics struct {
	Registry     *prometheus.Registry
	HTTPRequests *prometheus.CounterVec   // route, method, status
	HTTPDuration *prometheus.HistogramVec // route, method
	Sends        *prometheus.CounterVec   // channel, errcode
	JobRuns      *prometheus.CounterVec   // job, result
	JobDuration  *prometheus.HistogramVec // job
	RateLimited  *prometheus.CounterVec   // limit (the budget's name)
}

// Names lists every metric family palmaid exports (the README lists them too; a test checks).
func Names() []string {
	return []string{
		"palmaid_http_requests_total", "palmaid_http_request_duration_seconds",
		"palmaid_notify_sends_total", "palmaid_outbox_pending", "palmaid_outbox_oldest_age_seconds",
		"palmaid_db_connections_in_use", "palmaid_db_connections_open", "palmaid_db_wait_seconds_total",
		"palmaid_scheduler_runs_total", "palmaid_scheduler_run_duration_seconds", "palmaid_rate_limited_total",
	}
}

// New builds the registry. The store gauges are read at scrape time (one COUNT on the outbox's
// status index, bounded by a 2 s timeout).
func New(st Store, now func() time.Time) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		Registry: reg,
		HTTPRequests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "palmaid_http_requests_total",
			Help: "HTTP requests by route template, method and status."}, []string{"route", "method", "status"}),
		HTTPDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "palmaid_http_request_duration_seconds",
			Help: "HTTP request latency by route template and method.", Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}},
			[]string{"route", "method"}),
		Sends: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "palmaid_notify_sends_total",
			Help: "Notification deliveries by channel (subscribe, in_app) and WeChat errcode (0 = sent)."}, []string{"channel", "errcode"}),
		JobRuns: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "palmaid_scheduler_runs_total",
			Help: "Scheduled job runs on this instance by job and result (ok, error)."}, []string{"job", "result"}),
		JobDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "palmaid_scheduler_run_duration_seconds",
			Help: "Scheduled job run time."}, []string{"job"}),
		RateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "palmaid_rate_limited_total",
			Help: "Requests refused because a limit budget was spent, by budget (e.g. unmask:staff, login:staff)."}, []string{"limit"}),
	}
	// The unmask budget's series exists from the start: an alert rule on it sees 0, not nothing.
	m.RateLimited.WithLabelValues("unmask:staff")
	reg.MustRegister(m.HTTPRequests, m.HTTPDuration, m.Sends, m.JobRuns, m.JobDuration, m.RateLimited, newBacklog(st, now),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "palmaid_db_connections_in_use", Help: "Database connections in use."},
			func() float64 { return float64(st.PoolStats().InUse) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "palmaid_db_connections_open", Help: "Database connections open."},
			func() float64 { return float64(st.PoolStats().OpenConnections) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "palmaid_db_wait_seconds_total", Help: "Time spent waiting for a free database connection."},
			func() float64 { return st.PoolStats().WaitDuration.Seconds() }),
		collectors.NewGoCollector(),
	)
	return m
}

// ObserveRequest records one HTTP request (route is the template, never the raw path).
func (m *Metrics) ObserveRequest(route, method string, status int, d time.Duration) {
	if m == nil {
		return
	}
	if route == "" {
		route = "unmatched"
	}
	m.HTTPRequests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.HTTPDuration.WithLabelValues(route, method).Observe(d.Seconds())
}

// ObserveRateLimited records one request refused by the limit budget name.
func (m *Metrics) ObserveRateLimited(name string) {
	if m == nil {
		return
	}
	m.RateLimited.WithLabelValues(name).Inc()
}

// ObserveSend records one delivery: channel subscribe or in_app, errcode 0 when sent.
func (m *Metrics) ObserveSend(channel string, errcode int) {
	if m == nil {
		return
	}
	m.Sends.WithLabelValues(channel, strconv.Itoa(errcode)).Inc()
}

// ObserveJob records one scheduled run.
func (m *Metrics) ObserveJob(job string, d time.Duration, err error) {
	if m == nil {
		return
	}
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.JobRuns.WithLabelValues(job, result).Inc()
	m.JobDuration.WithLabelValues(job).Observe(d.Seconds())
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// Serve starts the metrics listener on addr (its own server, so /metrics is never on the
// public port) and returns a stop function.
func (m *Metrics) Serve(addr string, log *slog.Logger) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", m.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	log.Info("metrics listening", "addr", ln.Addr().String())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}

// backlog reports the outbox depth and the oldest row's age from one reading per scrape.
type backlog struct {
	st                  Store
	now                 func() time.Time
	pendingDesc, oldest *prometheus.Desc
}

func newBacklog(st Store, now func() time.Time) *backlog {
	return &backlog{st: st, now: now,
		pendingDesc: prometheus.NewDesc("palmaid_outbox_pending", "Outbox rows not yet delivered (-1: the database did not answer).", nil, nil),
		oldest:      prometheus.NewDesc("palmaid_outbox_oldest_age_seconds", "Age of the oldest undelivered outbox row.", nil, nil)}
}

func (b *backlog) Describe(ch chan<- *prometheus.Desc) { ch <- b.pendingDesc; ch <- b.oldest }

func (b *backlog) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	n, age, err := b.st.OutboxBacklog(ctx, b.now())
	pending, oldest := float64(n), age.Seconds()
	if err != nil {
		pending, oldest = -1, -1
	}
	ch <- prometheus.MustNewConstMetric(b.pendingDesc, prometheus.GaugeValue, pending)
	ch <- prometheus.MustNewConstMetric(b.oldest, prometheus.GaugeValue, oldest)
}
