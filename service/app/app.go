// Package app builds palmaid's services from a Config: database, Redis, crypto, calendar,
// WeChat and the use cases. main.go and the HTTP tests build the same graph through it, so
// what is tested is what runs. It knows nothing about HTTP.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"palmaid/config"
	"palmaid/model"
	"palmaid/service/areaadmin"
	"palmaid/service/auditlog"
	"palmaid/service/auth"
	"palmaid/service/benefits"
	"palmaid/service/calendar"
	"palmaid/service/calendaradmin"
	"palmaid/service/cases"
	"palmaid/service/cases/application"
	"palmaid/service/cases/deadlines"
	"palmaid/service/cases/progress"
	"palmaid/service/cases/review"
	"palmaid/service/cases/spotcheck"
	"palmaid/service/cases/worklist"
	"palmaid/service/checklist"
	"palmaid/service/contentcheck"
	"palmaid/service/credit"
	"palmaid/service/crypto"
	"palmaid/service/documents"
	"palmaid/service/econcheck"
	"palmaid/service/eligibility"
	"palmaid/service/feedback"
	"palmaid/service/metrics"
	"palmaid/service/notify"
	"palmaid/service/policyadmin"
	"palmaid/service/privacy"
	"palmaid/service/ratelimit"
	"palmaid/service/realname"
	"palmaid/service/residents"
	"palmaid/service/reviews"
	"palmaid/service/scheduler"
	"palmaid/service/seed"
	"palmaid/service/staffadmin"
	"palmaid/service/storage"
	"palmaid/service/store"
	"palmaid/service/wechat"
	"palmaid/service/wechat/wxsim"
)

// Options are the process-level pieces the caller owns.
type Options struct {
	Logger *slog.Logger
	Now    func() time.Time // nil = time.Now().UTC()
	// Simulator is the WeChat simulator the process-wide HTTP client points at (embedded mode);
	// nil in production. The caller installs the client once (wechat.InstallHTTPClient).
	Simulator *wxsim.Simulator
}

// App is the built service graph.
type App struct {
	Config    config.Config
	Log       *slog.Logger
	Now       func() time.Time
	Store     *store.Store
	Redis     redis.UniversalClient
	Cipher    crypto.Cipher
	Calendar  *calendar.Calendar
	WeChat    wechat.Client
	Simulator *wxsim.Simulator // nil unless the simulator is on
	// EconSim answers the economic-status check in embedded mode (nil in production, where the
	// county records results by hand until a provincial 核对 platform adapter is configured).
	EconSim *econcheck.Simulator
	// RealNameSim answers real-name verification in embedded mode (nil in production, where no
	// approved real-name source is wired yet and claims are recorded unverified).
	RealNameSim *realname.Simulator
	// Uploads is the process-wide gate of upload sanitising (PALMAID_UPLOAD_DECODE_SLOTS).
	Uploads *documents.Gate
	// Metrics is the Prometheus registry and its instruments (served when PALMAID_METRICS_ADDR is set).
	Metrics *metrics.Metrics
	// DevClock shifts the service clock in embedded mode (nil otherwise).
	DevClock *DevClock
	// InProcessRedis is the in-process Redis of embedded mode (nil with PALMAID_REDIS_ADDR):
	// tests set its clock (SetTime, FastForward) to run rate limits and lockouts on fake time.
	InProcessRedis *miniredis.Miniredis

	Auth      *auth.Service
	Residents *residents.Service
	// The case workflow: its kernel and the use cases beside it (service/cases/...).
	Cases       *cases.Kernel
	Application *application.Service
	Review      *review.Service
	Worklist    *worklist.Service
	SpotChecks  *spotcheck.Service
	Deadlines   *deadlines.Service
	Progress    *progress.Service
	// Benefits: the recipient records and the monthly payment roster (issue 24).
	Benefits *benefits.Service
	// Reviews: reviews of benefits — periodic, reported changes, deaths (issue 25).
	Reviews *reviews.Service
	// Credit: 失信 records (issue 25).
	Credit *credit.Service
	Notify *notify.Service
	Limits *ratelimit.Limiter
	// Eligibility runs the eligibility engine for the resident's self-check.
	Eligibility *eligibility.Service
	// Content is WeChat's content check on residents' texts that others read.
	Content contentcheck.Checker
	// Feedback: ratings of finished cases and complaints to the county.
	Feedback *feedback.Service
	// Privacy: a resident's copy of their data and account deletion.
	Privacy *privacy.Service
	// Checklist evaluates the one-time list from rules (preview, policy guide, region overrides).
	Checklist *checklist.Service

	CalendarAdmin *calendaradmin.Service
	StaffAdmin    *staffadmin.Service
	AreaAdmin     *areaadmin.Service
	// Policy: administrators read and set the typed regional policy (model.Settings()).
	Policy *policyadmin.Service
	// AuditLog: the auditor's reading of the audit log and the hash-chain check.
	AuditLog *auditlog.Service

	// Storage keeps uploaded documents (local directory or S3-compatible object storage).
	Storage   storage.Storage
	Documents *documents.Service

	closers []func() error
}

// New builds the graph. In embedded mode (or with AutoMigrate) it migrates; otherwise it
// refuses a database whose schema is not this binary's.
func New(ctx context.Context, cfg config.Config, opts Options) (a *App, err error) {
	if cfg.WeChat.Simulator && opts.Simulator == nil {
		return nil, errors.New("app: the WeChat simulator is configured but none was started")
	}
	if !cfg.WeChat.Simulator {
		opts.Simulator = nil
	}
	a = &App{Config: cfg, Log: opts.Logger, Now: opts.Now, Simulator: opts.Simulator}
	built := a // `return nil, err` sets a to nil before the deferred cleanup runs
	if a.Log == nil {
		a.Log = slog.New(slog.DiscardHandler)
	}
	if a.Now == nil {
		// microseconds: what MySQL DATETIME(6) keeps, so both backends read back the same instant
		a.Now = func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
		if opts.Simulator != nil && cfg.Embedded() {
			// embedded mode only: walkthroughs move time forward (a 7-day public notice)
			a.DevClock = &DevClock{base: a.Now}
			a.Now = a.DevClock.Now
		}
	}
	defer func() {
		if err != nil {
			_ = built.Close()
		}
	}()
	if a.Cipher, err = newCipher(cfg); err != nil {
		return nil, err
	}
	if err := a.openStore(ctx); err != nil {
		return nil, DatabaseError(cfg, err)
	}
	if err := a.openRedis(ctx); err != nil {
		return nil, redisError(cfg, err)
	}
	// Every transaction that changes a case tells the progress views' cache before it commits
	// (store.CaseWatch): wired before anything else uses the store.
	views := progress.NewReadCache(a.Redis, cfg.Redis.KeyPrefix, 10*time.Minute, a.Log)
	a.Store.WatchCases(views)
	if err := seed.Calendar(ctx, a.Store, a.Now()); err != nil {
		return nil, fmt.Errorf("seed calendar: %w", err)
	}
	if err := seed.Checklist(ctx, a.Store, a.Now()); err != nil {
		return nil, fmt.Errorf("seed checklist rules: %w", err)
	}
	if err := a.loadTemplates(ctx, cfg); err != nil {
		return nil, err
	}
	if cfg.DemoSeed {
		if err := seed.Demo(ctx, a.Store, a.Now(), cfg.Session.PasswordCost); err != nil {
			return nil, fmt.Errorf("seed demo data: %w", err)
		}
	}
	if a.Calendar, err = calendar.Load(ctx, a.Store, calendar.Options{Now: a.Now}); err != nil {
		return nil, fmt.Errorf("load calendar: %w", err)
	}
	a.closers = append(a.closers, a.Calendar.StartSync(a.Log))
	if w := a.Calendar.CoverageWarning(a.Now()); w != "" {
		a.Log.WarnContext(ctx, "calendar coverage", "warning", w, "loaded_years", a.Calendar.LoadedYears())
	}
	a.WeChat, err = wechat.New(wechat.Config{
		AppID: cfg.WeChat.AppID, AppSecret: cfg.WeChat.AppSecret, CacheKeyPrefix: cfg.Redis.KeyPrefix + "wx",
		MiniprogramState: cfg.WeChat.MiniprogramState, Lang: "zh_CN",
	}, a.Redis)
	if err != nil {
		return nil, fmt.Errorf("wechat: %w", err)
	}
	var mfaRoles []model.Role
	for _, r := range cfg.Session.SecondFactorRoles {
		if !model.Role(r).Valid() {
			return nil, fmt.Errorf("PALMAID_STAFF_2FA_ROLES: unknown role %q", r)
		}
		mfaRoles = append(mfaRoles, model.Role(r))
	}
	a.Auth = auth.New(auth.Config{AppID: cfg.WeChat.AppID, KeyPrefix: cfg.Redis.KeyPrefix,
		ResidentTTL: cfg.Session.ResidentTTL, StaffTTL: cfg.Session.StaffTTL, StaffIdle: cfg.Session.StaffIdle, PasswordCost: cfg.Session.PasswordCost,
		Cipher: a.Cipher, SecondFactorRoles: mfaRoles}, a.Store, a.WeChat, a.Redis, a.Now, a.Log)
	var verifier realname.Verifier = realname.Unverified{}
	switch {
	case cfg.WeChat.RealNameVerifier == "wechat_cityservice":
		verifier = realname.WeChatCityService{WX: a.WeChat}
	case cfg.WeChat.RealNameVerifier == "" && a.Simulator != nil:
		a.RealNameSim = realname.NewSimulator()
		verifier = a.RealNameSim
	case cfg.WeChat.RealNameVerifier == "desk_only":
		a.Log.InfoContext(ctx, "real-name verification: desk_only — identity bindings are recorded unverified and only an officer's desk verification lets an account become a beneficiary, open an invitation, take a case over, export it or object (docs/SECURITY.md, identity assurance; PALMAID_REALNAME_VERIFIER=desk_only)",
			"realname_verifier", "desk_only")
	default:
		a.Log.WarnContext(ctx, "no real-name verifier is configured: identity bindings are recorded unverified and only an officer's desk verification assures them (docs/SECURITY.md, identity assurance; PALMAID_REALNAME_VERIFIER)")
	}
	a.Residents = residents.New(a.Store, a.Cipher, a.WeChat, a.Now, residents.WithVerifier(verifier))
	var econ econcheck.Source
	if a.Simulator != nil {
		a.EconSim = econcheck.NewSimulator()
		econ = a.EconSim
	}
	a.Content = contentcheck.New(a.Store, a.WeChat, a.Log)
	// The resident's progress view is cached in Redis by case and version (service/cases readcache).
	// A decision creates or changes the recipient record in its own transaction.
	a.Benefits = benefits.New(a.Store.Benefits(), a.Cipher, a.Calendar, model.China(), a.Now)
	a.Reviews = reviews.New(a.Store.Reviews(), a.Benefits, a.Calendar, model.China(), a.Now)
	a.Credit = credit.New(a.Store.Credit(), a.Calendar, model.China(), a.Now)
	a.Checklist = checklist.New(a.Store, a.Now)
	a.Cases = cases.NewKernel(cases.Deps{Store: a.Store, Cipher: a.Cipher, Calendar: a.Calendar, Now: a.Now, Log: a.Log, Content: a.Content})
	a.Progress = progress.New(a.Cases, views, a.Auth)
	a.Application = application.New(a.Cases, application.Options{Rules: a.Checklist, MaxDrafts: cfg.Limits.MaxOpenDrafts, Mine: a.Progress})
	a.Review = review.New(a.Cases, review.Options{Econ: econ, Sharing: a.Checklist, Decided: a.Benefits})
	a.Worklist = worklist.New(a.Cases)
	a.SpotChecks = spotcheck.New(a.Cases)
	a.Deadlines = deadlines.New(a.Cases)
	a.Feedback = feedback.New(a.Store, a.Cipher, a.Content, a.Now)
	a.Privacy = privacy.New(a.Store, a.Cipher, a.Auth, a.Now)
	a.Metrics = metrics.New(a.Store, a.Now)
	a.Notify = notify.New(a.Store, a.WeChat, a.Now, a.Log, notify.WithSendObserver(a.Metrics.ObserveSend))
	a.Eligibility = eligibility.New(a.Store, a.Now)
	a.StaffAdmin = staffadmin.New(a.Store, a.Now)
	a.AreaAdmin = areaadmin.New(a.Store, a.Now, a.Log)
	a.Policy = policyadmin.New(a.Store, a.Now, cfg.Policy.Horizon)
	anchors, err := auditlog.NewAnchors(cfg.Audit.Anchor, cfg.AuditAnchorFile())
	if err != nil {
		return nil, err
	}
	a.AuditLog = auditlog.New(a.Store, anchors, a.Now)
	if err := a.openStorage(ctx); err != nil {
		return nil, err
	}
	a.Uploads = documents.NewGate(a.Config.Uploads.DecodeSlots, a.Config.Uploads.DecodeWait)
	san := documents.DefaultSanitiser()
	san.MaxPixels = int64(a.Config.Uploads.MaxPixels)
	a.Documents = documents.New(a.Store, a.Storage, a.Cipher, a.Now, a.Log,
		documents.WithSanitiser(san), documents.WithGate(a.Uploads), documents.WithPerAccount(a.Config.Uploads.PerAccount))
	a.CalendarAdmin = calendaradmin.New(a.Store, a.Calendar, a.Now, a.Log, calendaradmin.Options{OnYearLoaded: a.Deadlines.RecomputeProvisional})
	return a, nil
}

func (a *App) openStore(ctx context.Context) error {
	st, err := store.Open(store.Options{Driver: a.Config.Database.Driver, DSN: a.Config.Database.DSN, MaxOpenConns: a.Config.Database.MaxOpenConns, Cipher: a.Cipher,
		LockWait: a.Config.Database.LockWait})
	if err != nil {
		return err
	}
	a.Store = st
	a.closers = append(a.closers, st.Close)
	if a.Config.Database.AutoMigrate {
		v, err := st.MigrateUp(ctx)
		if err != nil {
			return &StartError{Step: "migrate the database", Err: err}
		}
		a.Log.InfoContext(ctx, "database migrated", "driver", a.Config.Database.Driver, "version", v)
		return nil
	}
	if err := st.EnsureCurrent(ctx); err != nil {
		return &StartError{Step: "database schema", Err: err, Fix: "run `palmaid migrate up` with the same PALMAID_* settings, then start again"}
	}
	return nil
}

// openStorage opens the document storage the configuration names; an S3 bucket is checked now.
func (a *App) openStorage(ctx context.Context) error {
	c := a.Config.Storage
	if c.Driver == "s3" {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		s3, err := storage.NewS3(sctx, storage.S3Config{Endpoint: c.Endpoint, Region: c.Region, Bucket: c.Bucket,
			AccessKey: c.AccessKey, SecretKey: c.SecretKey, UseTLS: c.UseTLS, Lookup: c.Lookup})
		if err != nil {
			return &StartError{Step: "document storage", Err: err, Fix: "check the PALMAID_STORAGE_* settings named here"}
		}
		a.Storage = s3
		return nil
	}
	dir := a.Config.StorageDir()
	local, err := storage.NewLocal(dir)
	if err != nil {
		return &StartError{Step: "document storage", Err: err, Fix: "PALMAID_STORAGE_DIR (or PALMAID_DATA_DIR) must be a writable directory"}
	}
	a.closers = append(a.closers, local.Close)
	a.Storage = local
	if !a.Config.Embedded() {
		a.Log.WarnContext(ctx, "documents are stored on this machine's disk (PALMAID_STORAGE_DRIVER=local): run one instance only, or use the s3 driver", "dir", dir)
	}
	return nil
}

func (a *App) openRedis(ctx context.Context) error {
	addr := a.Config.Redis.Addr
	if addr == "" {
		if !a.Config.Embedded() {
			return errors.New("PALMAID_REDIS_ADDR: required in production mode")
		}
		mr := miniredis.NewMiniRedis()
		if err := mr.StartAddr("127.0.0.1:0"); err != nil {
			return fmt.Errorf("start in-process redis: %w", err)
		}
		a.closers = append(a.closers, func() error { mr.Close(); return nil })
		a.InProcessRedis = mr
		addr = mr.Addr()
		a.Log.InfoContext(ctx, "in-process redis started (embedded mode)")
	}
	// One plain dial first: the client would retry and log every failed dial on stderr.
	conn, err := (&net.Dialer{Timeout: 3 * time.Second}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return &StartError{Step: "Redis at " + addr, Err: err}
	}
	_ = conn.Close()
	// A short retry budget: with Redis gone, a request answers 503 in about a tenth of a second
	// instead of waiting out go-redis's default retries (3 commands × 5 dials, 100 ms apart: ≈ 0.7 s each,
	// measured by TestRedisOutage); one retry still rides over a dropped idle connection.
	rdb := redis.NewClient(&redis.Options{Addr: addr, Password: a.Config.Redis.Password, DB: a.Config.Redis.DB,
		MaxRetries: 1, MinRetryBackoff: 8 * time.Millisecond, MaxRetryBackoff: 64 * time.Millisecond, DialTimeout: time.Second,
		DialerRetries: 1, DialerRetryTimeout: 20 * time.Millisecond})
	a.Redis = rdb
	a.Limits = ratelimit.New(rdb, a.Config.Redis.KeyPrefix, a.Log)
	a.closers = append(a.closers, rdb.Close)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := rdb.Ping(pctx).Err(); err != nil {
		return &StartError{Step: "Redis at " + addr, Err: err}
	}
	return nil
}

func newCipher(cfg config.Config) (crypto.Cipher, error) {
	dk, err := crypto.ParseHexKey("PALMAID_DATA_KEY", cfg.Crypto.DataKeyHex, 16)
	if err != nil {
		return nil, err
	}
	ik, err := crypto.ParseHexKey("PALMAID_INDEX_KEY", cfg.Crypto.IndexKeyHex, 32)
	if err != nil {
		return nil, err
	}
	keys := map[byte][]byte{byte(cfg.Crypto.KeyID): dk}
	for _, pair := range strings.Split(cfg.Crypto.OldDataKeys, ",") {
		if pair = strings.TrimSpace(pair); pair == "" {
			continue
		}
		idStr, hexKey, _ := strings.Cut(pair, ":")
		id, err := strconv.Atoi(idStr)
		if err != nil || id < 1 || id > 255 || id == cfg.Crypto.KeyID {
			return nil, errors.New("PALMAID_OLD_DATA_KEYS: each entry is ID:HEX with an id 1..255 other than PALMAID_KEY_ID")
		}
		k, err := crypto.ParseHexKey("PALMAID_OLD_DATA_KEYS", hexKey, 16)
		if err != nil {
			return nil, err
		}
		keys[byte(id)] = k
	}
	return crypto.NewRing(byte(cfg.Crypto.KeyID), keys, ik)
}

// Ready checks the database and Redis.
func (a *App) Ready() map[string]func(context.Context) error {
	return map[string]func(context.Context) error{
		"database": a.Store.Ping,
		"redis":    func(ctx context.Context) error { return a.Redis.Ping(ctx).Err() },
	}
}

// Close releases everything, last opened first.
func (a *App) Close() error {
	var errs []error
	for i := len(a.closers) - 1; i >= 0; i-- {
		errs = append(errs, a.closers[i]())
	}
	a.closers = nil
	return errors.Join(errs...)
}

// DevClock is the embedded mode's clock: real time plus an offset a developer can advance.
type DevClock struct {
	base   func() time.Time
	mu     sync.Mutex
	offset time.Duration
}

// Now is the shifted time.
func (d *DevClock) Now() time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.base().Add(d.offset)
}

// Advance moves the clock forward and returns the new time.
func (d *DevClock) Advance(by time.Duration) time.Time {
	d.mu.Lock()
	d.offset += by
	d.mu.Unlock()
	return d.Now()
}

// loadTemplates reads the subscribe-template registry (a file, or the simulator's template in
// embedded mode), validates it and writes it to notify_templates.
func (a *App) loadTemplates(ctx context.Context, cfg config.Config) error {
	var reg notify.Registry
	switch {
	case cfg.Notify.TemplatesFile != "":
		r, err := notify.LoadRegistry(cfg.Notify.TemplatesFile)
		if err != nil {
			return fmt.Errorf("%w (PALMAID_NOTIFY_TEMPLATES=%s)", err, cfg.Notify.TemplatesFile)
		}
		if err := r.CheckKinds(cfg.Notify.LongTerm); err != nil {
			return fmt.Errorf("%w (PALMAID_NOTIFY_TEMPLATES=%s)", err, cfg.Notify.TemplatesFile)
		}
		reg = r
	case a.Simulator != nil:
		reg = notify.SimulatorRegistry(seed.SimulatorTemplateID)
	default:
		a.Log.WarnContext(ctx, "no subscribe templates configured (PALMAID_NOTIFY_TEMPLATES): residents get in-app messages only")
		return nil
	}
	if err := a.Store.UpsertNotifyTemplates(ctx, reg.Rows()); err != nil {
		return fmt.Errorf("notify templates: %w", err)
	}
	return nil
}

// Jobs are the office's periodic work (run on one replica at a time: see service/scheduler).
func (a *App) Jobs() []scheduler.Job {
	return []scheduler.Job{
		{Name: "deadline-sweep", Every: 10 * time.Minute, Run: func(ctx context.Context) error {
			n, err := a.Deadlines.SweepDeadlines(ctx)
			if n > 0 {
				a.Log.InfoContext(ctx, "deadline sweep", "new_reminders", n)
			}
			return err
		}},
		{Name: "retention", Every: 24 * time.Hour, Run: func(ctx context.Context) error {
			n, err := a.Deadlines.Purge(ctx)
			a.Log.InfoContext(ctx, "retention purge", "deleted", n)
			return err
		}},
		{Name: "audit-seal", Every: time.Minute, Run: func(ctx context.Context) error {
			// rows older than two minutes: longer than any request's database deadline, so no
			// row with a smaller id can still commit after them
			// A row the sealer refuses (an id gap, a back-dated time) and every later one stay
			// unsealed: logged at ERROR and counted as a failed run (palmaid_scheduler_runs_total
			// {job="audit-seal",result="error"}) every minute until someone looks.
			_, err := a.Store.SealAudit(ctx, a.Now().Add(-2*time.Minute), 5000)
			var refused *store.AuditRefused
			if errors.As(err, &refused) {
				a.Log.ErrorContext(ctx, "audit chain: a row was refused, it and later rows stay unsealed — find out who wrote it; an explained gap is closed with palmaid audit accept-gap",
					"row", refused.ID, "reason", refused.Reason)
			}
			return err
		}},
		{Name: "audit-anchor", Every: time.Hour, Run: func(ctx context.Context) error {
			// the chain's head outside the database (PALMAID_AUDIT_ANCHOR)
			an, err := a.AuditLog.WriteAnchor(ctx)
			if an != nil && err == nil {
				a.Log.InfoContext(ctx, "audit anchor", "last", an.LastID, "count", an.Count)
			}
			return err
		}},
		{Name: "roster-drafts", Every: time.Hour, Run: func(ctx context.Context) error {
			// the month's payment rosters as drafts from the 1st (China time), once per county,
			// month and category; the county checks, approves and exports them
			n, err := a.Benefits.BuildMonth(ctx)
			if n > 0 {
				a.Log.InfoContext(ctx, "payment rosters built", "rosters", n)
			}
			if err != nil {
				return err
			}
			// drafts past the towns' confirmation deadline are checked, once
			if n, err = a.Benefits.LapseConfirmations(ctx); n > 0 {
				a.Log.InfoContext(ctx, "payment rosters checked at the towns' deadline", "rosters", n)
			}
			return err
		}},
		{Name: "benefit-reviews", Every: time.Hour, Run: func(ctx context.Context) error {
			// periodic reviews opened review.lead_days before each benefit's next review date,
			// once per benefit and date (a unique key), whichever replica runs it
			n, err := a.Reviews.OpenDue(ctx)
			if n > 0 {
				a.Log.InfoContext(ctx, "benefit reviews opened", "reviews", n)
			}
			return err
		}},
		{Name: "calendar-coverage", Every: 24 * time.Hour, Run: func(ctx context.Context) error {
			if w := a.Calendar.CoverageWarning(a.Now()); w != "" {
				a.Log.WarnContext(ctx, "calendar coverage", "warning", w, "loaded_years", a.Calendar.LoadedYears())
			}
			return nil
		}},
	}
}

// StartScheduler starts the periodic jobs; the returned function stops them.
func (a *App) StartScheduler() (func(), error) {
	host, _ := os.Hostname()
	s, err := scheduler.New(scheduler.Options{Redis: a.Redis, KeyPrefix: a.Config.Redis.KeyPrefix,
		InstanceID: fmt.Sprintf("%s-%d-%d", host, os.Getpid(), time.Now().UnixNano()), Log: a.Log, OnRun: a.Metrics.ObserveJob}, a.Jobs()...)
	if err != nil {
		return nil, err
	}
	s.Start()
	return func() { _ = s.Stop() }, nil
}

// RunJob runs one periodic job now on this instance (embedded /dev route, tests), recorded in
// the metrics like a scheduled run.
func (a *App) RunJob(ctx context.Context, name string) error {
	for _, j := range a.Jobs() {
		if j.Name == name {
			start := time.Now()
			err := j.Run(ctx)
			a.Metrics.ObserveJob(name, time.Since(start), err)
			return err
		}
	}
	return fmt.Errorf("no job %q", name)
}
