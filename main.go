// Command palmaid is the 掌上救助 backend: residents' mini-program API, staff review API and
// the notification worker in one binary.
//
//	palmaid [serve]        run the server (default)
//	palmaid migrate up     apply database migrations (production's explicit step)
//	palmaid migrate status print the schema version
//	palmaid seed-demo      load the demo county, staff and templates (refused in production)
//	palmaid healthcheck    GET /healthz on the local server (for container health checks)
//	palmaid version        print the version
//
// Configuration comes from PALMAID_* environment variables (see README.md); the defaults are
// the embedded mode, which needs no MySQL, Redis or WeChat.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/api/server"
	"palmaid/config"
	"palmaid/service/app"
	"palmaid/service/seed"
	"palmaid/service/store"
	"palmaid/service/wechat"
	"palmaid/service/wechat/wxsim"
)

var version = "dev" // set by -ldflags "-X main.version=…"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "palmaid:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd = args[0]
	}
	switch cmd {
	case "version":
		fmt.Println("palmaid", version)
		return nil
	case "healthcheck":
		return healthcheck()
	}
	cfg, err := config.Load(os.LookupEnv)
	if err != nil {
		return err
	}
	log := httpx.NewLogger(os.Stdout, parseLevel(cfg.LogLevel))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch cmd {
	case "serve":
		return serve(ctx, cfg, log)
	case "migrate":
		return migrate(ctx, cfg, args[1:])
	case "seed-demo":
		return seedDemo(ctx, cfg)
	}
	return fmt.Errorf("unknown command %q (serve, migrate up|status, seed-demo, healthcheck, version)", cmd)
}

func parseLevel(s string) slog.Level {
	var l slog.Level
	_ = l.UnmarshalText([]byte(strings.ToUpper(s)))
	return l
}

func serve(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	log.Info("starting palmaid", "version", version, "mode", cfg.Mode, "config", fmt.Sprintf("%+v", cfg.Redacted()))
	sim, err := installWeChatClient(cfg, log)
	if err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, app.Options{Logger: log, Simulator: sim})
	if err != nil {
		return err
	}
	defer a.Close()

	gin.SetMode(gin.ReleaseMode)
	srv := &http.Server{
		Addr: cfg.HTTP.Addr, Handler: server.New(a, log),
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: cfg.HTTP.ReadTimeout, WriteTimeout: cfg.HTTP.WriteTimeout,
		IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
	}
	ln, err := net.Listen("tcp", cfg.HTTP.Addr)
	if err != nil {
		return err
	}
	workerCtx, stopWorker := context.WithCancel(context.Background())
	workerDone := make(chan struct{})
	go func() { defer close(workerDone); a.Notify.Run(workerCtx, cfg.Notify.Interval) }()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("palmaid listening", "addr", ln.Addr().String(), "embedded", cfg.Embedded())

	select {
	case err := <-errc:
		stopWorker()
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: draining requests")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.HTTP.ShutdownTimeout)
	defer cancel()
	err = srv.Shutdown(sctx)
	stopWorker()
	<-workerDone
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	log.Info("stopped")
	return err
}

// installWeChatClient sets the SDK's process-wide HTTP client once: with a timeout always, and
// in embedded mode pointed at the simulator on loopback (it refuses every other host).
func installWeChatClient(cfg config.Config, log *slog.Logger) (*wxsim.Simulator, error) {
	if !cfg.WeChat.Simulator {
		wechat.InstallHTTPClient(wechat.NewHTTPClient(cfg.WeChat.Timeout, nil))
		return nil, nil
	}
	sim := wxsim.New(wxsim.Options{AppID: cfg.WeChat.AppID, AppSecret: cfg.WeChat.AppSecret, Templates: []string{seed.SimulatorTemplateID}})
	base, _, err := sim.Start()
	if err != nil {
		return nil, fmt.Errorf("start WeChat simulator: %w", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	wechat.InstallHTTPClient(wechat.NewHTTPClient(cfg.WeChat.Timeout, wechat.NewRewritingTransport(u, nil)))
	log.Warn("WeChat simulator on: calls to api.weixin.qq.com are answered locally (embedded mode only)", "simulator", base)
	return sim, nil
}

func migrate(ctx context.Context, cfg config.Config, args []string) error {
	sub := "up"
	if len(args) > 0 {
		sub = args[0]
	}
	st, err := store.Open(store.Options{Driver: cfg.Database.Driver, DSN: cfg.Database.DSN, MaxOpenConns: 2})
	if err != nil {
		return err
	}
	defer st.Close()
	switch sub {
	case "up":
		v, err := st.MigrateUp(ctx)
		if err != nil {
			return err
		}
		fmt.Println("schema at version", v)
		return nil
	case "status":
		cur, latest, err := st.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		fmt.Printf("schema version %d, binary needs %d\n", cur, latest)
		return nil
	}
	return fmt.Errorf("unknown migrate command %q (up, status)", sub)
}

func seedDemo(ctx context.Context, cfg config.Config) error {
	if !cfg.Embedded() {
		return errors.New("seed-demo is refused in production mode")
	}
	st, err := store.Open(store.Options{Driver: cfg.Database.Driver, DSN: cfg.Database.DSN, MaxOpenConns: 2})
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.MigrateUp(ctx); err != nil {
		return err
	}
	now := time.Now().UTC()
	if err := seed.Calendar(ctx, st, now); err != nil {
		return err
	}
	if err := seed.Demo(ctx, st, now, cfg.Session.PasswordCost); err != nil {
		return err
	}
	fmt.Println("demo data loaded: county", seed.DemoCounty, "— staff password:", seed.DemoPassword)
	return nil
}

func healthcheck() error {
	addr := os.Getenv("PALMAID_HTTP_ADDR")
	if addr == "" || strings.HasPrefix(addr, ":") {
		addr = "127.0.0.1" + addr
		if addr == "127.0.0.1" {
			addr += ":8080"
		}
	}
	c := http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get("http://" + addr + "/healthz")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthz answered %d", resp.StatusCode)
	}
	return nil
}
