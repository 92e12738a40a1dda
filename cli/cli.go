// Package cli is the palmaid binary's commands (main.go only wires it). palmaid is the 掌上救助 backend: residents' mini-program API, staff review API and
// the notification worker in one binary.
//
//	palmaid [serve]          run the server (default)
//	palmaid migrate up       apply database migrations (production's explicit step)
//	palmaid migrate status   print the schema version
//	palmaid seed-demo        load the demo county, staff and templates (refused in production)
//	palmaid admin bootstrap  create the first administrator (password from the terminal or stdin)
//	palmaid calendar load    load a year's holiday arrangement from a file
//	palmaid areas import     load administrative areas from the division-code files
//	palmaid healthcheck      GET /healthz on the local server (for container health checks)
//	palmaid version          print the version
//	palmaid help [COMMAND]   usage; every command also takes --help
//
// A failure prints one line — what failed, why, and what to do — and exits 1; a command-line
// mistake prints the usage and exits 2. Configuration comes from PALMAID_* environment
// variables (see README.md); the defaults are the embedded mode, which needs no MySQL, Redis
// or WeChat.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
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

// command is one sub-command: its usage line and what it does.
type command struct {
	name, usage, doc string
}

var commands = []command{
	{"serve", "palmaid [serve]", "run the server (the default command)"},
	{"migrate", "palmaid migrate up|status", "apply the database migrations (production's explicit step) or print the schema version"},
	{"seed-demo", "palmaid seed-demo", "load the demo county, staff and templates (embedded mode only)"},
	{"admin", "palmaid admin bootstrap --username NAME --area CODE [--name DISPLAY]", "create the first administrator; the password is read from the terminal (asked twice) or from stdin, never from an argument"},
	{"calendar", "palmaid calendar load YEAR FILE --as USERNAME", "load a year's holiday arrangement (the JSON of PUT /api/v1/admin/calendar/{year}), audited under an administrator account whose area contains every area; a year already loaded becomes a proposal another administrator confirms"},
	{"areas", "palmaid areas import FILE... --as USERNAME [--within CODE] [--dry-run]\n  palmaid areas extract --within CODE [-o OUT] FILE...", "import: load provinces, cities, counties, towns and villages from the files of github.com/modood/Administrative-divisions-of-China (CSV or JSON), audited under an administrator account; --within limits it to one area and marks that area's missing areas inactive. extract: copy one area's rows and its ancestors' from that dataset's CSV files (provinces/cities/areas/streets/villages.csv) into one CSV that import reads (no database needed)"},
	{"audit", "palmaid audit verify\n  palmaid audit accept-gap --reason TEXT", "verify: recompute the audit log's hash chain, compare it with the latest anchor (PALMAID_AUDIT_ANCHOR) and count the rows not sealed yet; exit 1 when a link is broken, the anchor does not match or rows wait too long for their seal. accept-gap: close an explained id gap that stops the sealer (audit.gap_accepted rows, chained)"},
	{"keys", "palmaid keys rotate [--dry-run] [--batch N]", "re-encrypt every encrypted column and document object sealed with an old data key (PALMAID_OLD_DATA_KEYS) under the current one (PALMAID_KEY_ID); idempotent, resumable, --dry-run only counts"},
	{"healthcheck", "palmaid healthcheck", "GET /healthz on the local server (container health checks)"},
	{"version", "palmaid version", "print the version"},
	{"help", "palmaid help [COMMAND]", "this help; every command also takes --help"},
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "palmaid — 掌上救助 backend. Usage:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-72s %s\n", c.usage, c.doc)
	}
	fmt.Fprintln(w, "Configuration: PALMAID_* environment variables (README.md, \"Configuration\"); the defaults are the embedded mode.")
}

func commandUsage(w io.Writer, name string) bool {
	for _, c := range commands {
		if c.name == name {
			fmt.Fprintf(w, "usage: %s\n  %s\n", c.usage, c.doc)
			return true
		}
	}
	return false
}

func isHelp(s string) bool { return s == "-h" || s == "--help" || s == "-help" || s == "help" }

// errUsage marks a mistake in the command line (exit status 2, usage printed).
type errUsage struct{ cmd, msg string }

func (e errUsage) Error() string { return e.msg }

// Main runs one command of the binary (version is what `palmaid version` prints) and returns
// the process exit status: 0 success, 1 failure (one line on stderr: cause and fix), 2 a
// command-line mistake (with the usage).
func Main(version string, args []string, env func(string) (string, bool), stdin io.Reader, stdout, stderr io.Writer) int {
	err := run(version, args, env, stdin, stdout, stderr)
	if err == nil {
		return 0
	}
	var ue errUsage
	if errors.As(err, &ue) {
		fmt.Fprintln(stderr, "palmaid:", ue.msg)
		if !commandUsage(stderr, ue.cmd) {
			usage(stderr)
		}
		return 2
	}
	fmt.Fprintln(stderr, "palmaid:", app.OneLine(err))
	return 1
}

func run(version string, args []string, env func(string) (string, bool), stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd = args[0]
	}
	if cmd == "help" || cmd == "-h" || cmd == "--help" {
		if len(args) > 1 && commandUsage(stdout, args[1]) {
			return nil
		}
		usage(stdout)
		return nil
	}
	if len(args) > 1 && isHelp(args[len(args)-1]) {
		if !commandUsage(stdout, cmd) {
			return errUsage{"", fmt.Sprintf("unknown command %q", cmd)}
		}
		return nil
	}
	switch cmd {
	case "version":
		fmt.Fprintln(stdout, "palmaid", version)
		return nil
	case "healthcheck":
		return healthcheck(env)
	case "migrate":
		if len(args) < 2 {
			return errUsage{"migrate", "migrate needs a sub-command: up or status"}
		}
		if args[1] != "up" && args[1] != "status" {
			return errUsage{"migrate", fmt.Sprintf("unknown migrate command %q", args[1])}
		}
	case "admin":
		if len(args) < 2 || args[1] != "bootstrap" {
			return errUsage{"admin", "admin needs a sub-command: bootstrap"}
		}
	case "calendar":
		if len(args) < 2 || args[1] != "load" {
			return errUsage{"calendar", "calendar needs a sub-command: load"}
		}
	case "areas":
		if len(args) < 2 || args[1] != "import" && args[1] != "extract" {
			return errUsage{"areas", "areas needs a sub-command: import or extract"}
		}
		if args[1] == "extract" {
			return areasExtract(args[2:], stdout)
		}
	case "keys":
		if len(args) < 2 || args[1] != "rotate" {
			return errUsage{"keys", "keys needs a sub-command: rotate"}
		}
	case "audit":
		if len(args) < 2 || args[1] != "verify" && args[1] != "accept-gap" {
			return errUsage{"audit", "audit needs a sub-command: verify or accept-gap"}
		}
	case "serve", "seed-demo":
	default:
		return errUsage{"", fmt.Sprintf("unknown command %q", cmd)}
	}
	cfg, err := config.Load(env)
	if err != nil {
		return fmt.Errorf("%s — fix the variables named here (README.md, \"Configuration\")", app.OneLine(err))
	}
	log := httpx.NewLogger(stdout, parseLevel(cfg.LogLevel))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch cmd {
	case "migrate":
		return migrate(ctx, cfg, args[1], stdout)
	case "seed-demo":
		return seedDemo(ctx, cfg, stdout)
	case "admin":
		return adminBootstrap(ctx, cfg, args[2:], stdin, stdout, stderr)
	case "calendar":
		return calendarLoad(ctx, cfg, args[2:], stdout, log)
	case "areas":
		return areasImport(ctx, cfg, args[2:], stdout)
	case "audit":
		if args[1] == "accept-gap" {
			return auditAcceptGap(ctx, cfg, args[2:], stdout)
		}
		return auditVerify(ctx, cfg, stdout)
	case "keys":
		return keysRotate(ctx, cfg, args[2:], stdout, log)
	}
	return serve(ctx, version, cfg, log)
}

func parseLevel(s string) slog.Level {
	var l slog.Level
	_ = l.UnmarshalText([]byte(strings.ToUpper(s)))
	return l
}

func serve(ctx context.Context, version string, cfg config.Config, log *slog.Logger) error {
	log.Info("starting palmaid", "version", version, "mode", cfg.Mode, "realname_verifier", cfg.RealNameVerifierName(), "config", fmt.Sprintf("%+v", cfg.Redacted()))
	sim, stopSim, err := installWeChatClient(cfg, log)
	if err != nil {
		return err
	}
	defer stopSim()
	a, err := app.New(ctx, cfg, app.Options{Logger: log, Simulator: sim})
	if err != nil {
		return err
	}
	defer a.Close()
	if cfg.Metrics.Addr != "" {
		stopMetrics, err := a.Metrics.Serve(cfg.Metrics.Addr, log)
		if err != nil {
			return fmt.Errorf("metrics listener (PALMAID_METRICS_ADDR=%s): %w", cfg.Metrics.Addr, err)
		}
		defer stopMetrics()
	}

	gin.SetMode(gin.ReleaseMode)
	srv := &http.Server{
		Addr: cfg.HTTP.Addr, Handler: server.New(a, log),
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: cfg.HTTP.ReadTimeout, WriteTimeout: cfg.HTTP.WriteTimeout,
		IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
	}
	ln, err := net.Listen("tcp", cfg.HTTP.Addr)
	if err != nil {
		return &app.StartError{Step: "listen on " + cfg.HTTP.Addr, Err: err, Fix: "stop what is using that address, or set PALMAID_HTTP_ADDR"}
	}
	workerCtx, stopWorker := context.WithCancel(context.Background())
	workerDone := make(chan struct{})
	go func() { defer close(workerDone); a.Notify.Run(workerCtx, cfg.Notify.Interval) }()
	stopScheduler, err := a.StartScheduler()
	if err != nil {
		stopWorker()
		return fmt.Errorf("scheduler: %w", err)
	}
	defer stopScheduler()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("palmaid listening", "addr", ln.Addr().String(), "embedded", cfg.Embedded(), "loopback_only", isLoopback(ln.Addr()))
	if cfg.Embedded() && isLoopback(ln.Addr()) {
		log.Info("embedded mode answers on this machine only (demo passwords, /dev routes); set PALMAID_HTTP_ADDR=:8080 to listen on every interface")
	}

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
func installWeChatClient(cfg config.Config, log *slog.Logger) (*wxsim.Simulator, func(), error) {
	if !cfg.WeChat.Simulator {
		wechat.InstallHTTPClient(wechat.NewHTTPClient(cfg.WeChat.Timeout, nil))
		return nil, func() {}, nil
	}
	sim := wxsim.New(wxsim.Options{AppID: cfg.WeChat.AppID, AppSecret: cfg.WeChat.AppSecret, Templates: seed.SimulatorTemplateIDs(), TemplateKeywords: seed.SimulatorTemplateKeywords(),
		RequireSubscriptionFor: seed.SimulatorLongTermTemplateIDs(), LongTerm: seed.SimulatorLongTermTemplateIDs()})
	base, stop, err := sim.Start()
	if err != nil {
		return nil, nil, fmt.Errorf("start WeChat simulator: %w", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		_ = stop()
		return nil, nil, err
	}
	wechat.InstallHTTPClient(wechat.NewHTTPClient(cfg.WeChat.Timeout, wechat.NewRewritingTransport(u, nil)))
	log.Warn("WeChat simulator on: calls to api.weixin.qq.com are answered locally (embedded mode only)", "simulator", base)
	return sim, func() { _ = stop() }, nil
}

func isLoopback(a net.Addr) bool {
	t, ok := a.(*net.TCPAddr)
	return ok && t.IP.IsLoopback()
}

func migrate(ctx context.Context, cfg config.Config, sub string, stdout io.Writer) error {
	st, err := store.Open(store.Options{Driver: cfg.Database.Driver, DSN: cfg.Database.DSN, MaxOpenConns: 2})
	if err != nil {
		return app.DatabaseError(cfg, err)
	}
	defer st.Close()
	switch sub {
	case "up":
		v, err := st.MigrateUp(ctx)
		if err != nil {
			return app.DatabaseError(cfg, &app.StartError{Step: "migrate up", Err: err})
		}
		fmt.Fprintln(stdout, "schema at version", v)
		return nil
	default: // status
		cur, latest, err := st.SchemaVersion(ctx)
		if err != nil {
			return app.DatabaseError(cfg, &app.StartError{Step: "read the schema version", Err: err})
		}
		fmt.Fprintf(stdout, "schema version %d, binary needs %d\n", cur, latest)
		return nil
	}
}

func seedDemo(ctx context.Context, cfg config.Config, stdout io.Writer) error {
	if !cfg.Embedded() {
		return errors.New("seed-demo is refused in production mode (demo data and published passwords) — create the first administrator with `palmaid admin bootstrap`")
	}
	st, err := store.Open(store.Options{Driver: cfg.Database.Driver, DSN: cfg.Database.DSN, MaxOpenConns: 2})
	if err != nil {
		return app.DatabaseError(cfg, err)
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
	fmt.Fprintln(stdout, "demo data loaded: county", seed.DemoCounty, "— staff password:", seed.DemoPassword)
	return nil
}

func healthcheck(env func(string) (string, bool)) error {
	addr, _ := env("PALMAID_HTTP_ADDR")
	if addr == "" || strings.HasPrefix(addr, ":") {
		addr = "127.0.0.1" + addr
		if addr == "127.0.0.1" {
			addr += ":8080"
		}
	}
	c := http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get("http://" + addr + "/healthz")
	if err != nil {
		return fmt.Errorf("%w — is palmaid running on %s? (PALMAID_HTTP_ADDR)", err, addr)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthz answered %d", resp.StatusCode)
	}
	return nil
}
