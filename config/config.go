// Package config holds palmaid's one typed configuration. Defaults are the embedded mode
// (SQLite file, in-process Redis, WeChat simulator, uploads on local disk); environment
// variables PALMAID_* override them (see Vars for the list, which README.md reproduces).
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Modes.
const (
	ModeEmbedded   = "embedded"
	ModeProduction = "production"
)

// DevDataKeyHex and DevIndexKeyHex are the embedded mode's published demo keys. Production
// refuses them.
const (
	DevDataKeyHex  = "70616c6d6169642d6465762d6b657921"                                 // "palmaid-dev-key!"
	DevIndexKeyHex = "70616c6d6169642d6465762d626c696e642d696e6465782d6b65792d30303031" // "palmaid-dev-blind-index-key-0001"
)

// Bcrypt costs (golang.org/x/crypto/bcrypt's MinCost, DefaultCost and MaxCost).
const (
	MinPasswordCost     = 4
	DefaultPasswordCost = 10
	MaxPasswordCost     = 31
)

// Config is the whole configuration.
type Config struct {
	Mode    string
	DataDir string // SQLite file and uploads in embedded mode

	HTTP struct {
		Addr            string
		ReadTimeout     time.Duration
		WriteTimeout    time.Duration
		ShutdownTimeout time.Duration
		MaxBodyBytes    int64
		TrustedProxies  []string // CIDRs or IPs whose X-Forwarded-For is believed; none by default
		CORSOrigins     []string // browser origins (scheme://host[:port]) allowed to call the API; none by default
	}
	Database struct {
		Driver       string // "sqlite" | "mysql"
		DSN          string // empty with sqlite = DataDir/palmaid.db
		MaxOpenConns int
		// RequestTimeout bounds the database work of one HTTP request (its context deadline);
		// shorter than HTTP.WriteTimeout, so a stalled database answers 503, not a cut connection.
		RequestTimeout time.Duration
		// LockWait is the MySQL session's row-lock wait budget (innodb_lock_wait_timeout, whole
		// seconds): a request waiting on a row another session holds gives up after it and
		// answers 503 with Retry-After. Shorter than RequestTimeout.
		LockWait    time.Duration
		AutoMigrate bool // migrate at start (embedded default); production runs `palmaid migrate up`
	}
	Redis struct {
		Addr      string // empty = in-process miniredis (embedded only)
		Password  string
		DB        int
		KeyPrefix string
	}
	WeChat struct {
		AppID            string
		AppSecret        string
		Simulator        bool
		MiniprogramState string
		Timeout          time.Duration
		// RealNameVerifier confirms identity bindings: "wechat_cityservice" (WeChat's
		// city-service real-name check); "desk_only" (the county accepts desk verification only:
		// bindings are recorded unverified and only an officer's desk verification assures them);
		// "none" (the same, embedded mode only); "" = the simulator in embedded mode. Production
		// refuses to start with "" or "none" (docs/SECURITY.md, "Identity assurance").
		RealNameVerifier string
	}
	Crypto struct {
		KeyID       int
		DataKeyHex  string
		IndexKeyHex string
		// OldDataKeys are earlier data keys still to be read ("ID:HEX,ID:HEX"), while
		// `palmaid keys rotate` re-encrypts what they sealed.
		OldDataKeys string
	}
	Session struct {
		ResidentTTL time.Duration
		StaffTTL    time.Duration
		StaffIdle   time.Duration // a staff session unused this long ends (等保: 30 minutes)
		// PasswordCost is the strength of new staff password hashes (argon2id: ≥ 10 standard, below light for tests) (existing hashes keep
		// the cost they were made with). Tests lower it to bcrypt's minimum; production refuses
		// anything below the default.
		PasswordCost int
		// SecondFactorRoles must use a second factor (TOTP) to log in; their sessions may only
		// enrol one until they have (role names, e.g. admin, county_leader).
		SecondFactorRoles []string
	}
	Notify struct {
		Interval time.Duration
		// TemplatesFile is the template registry (JSON). Empty: in embedded mode the simulator's
		// template; in production no subscribe messages (in-app only, a warning at start).
		TemplatesFile string
		// LongTerm: WeChat granted this mini-program long-term subscriptions (长期订阅; some
		// public-service categories such as government services): the registry may declare
		// long_term templates, whose accepts are not used up by sending.
		LongTerm bool
	}
	Metrics struct {
		Addr string // Prometheus /metrics listen address; empty: off
	}
	// Storage is where uploaded documents are kept: "local" (a directory, DataDir/uploads by
	// default) or "s3" (S3-compatible object storage: MinIO, Tencent COS, Aliyun OSS).
	Storage struct {
		Driver    string
		Dir       string // local; empty = DataDir/uploads
		Endpoint  string // s3: host[:port], no scheme
		Region    string
		Bucket    string
		AccessKey string
		SecretKey string
		UseTLS    bool
		Lookup    string // auto | dns (virtual-hosted: COS, OSS) | path (MinIO)
	}
	Audit struct {
		// Anchor is where the audit chain's head (last sealed id, row count, hash) is written
		// every hour, outside the database: "file" (appended to DataDir/audit-anchors.jsonl),
		// "file:/path" (appended there), "syslog" (the local syslog daemon, facility auth) or
		// "off". `palmaid audit verify` compares the chain with the latest file anchor.
		Anchor string
	}
	Policy struct {
		// Horizon is how far ahead an administrator may date a regional policy change
		// (effectiveFrom no later than today + Horizon).
		Horizon time.Duration
	}
	// Uploads bounds what sanitising uploaded documents may cost (service/documents/limits.go).
	Uploads struct {
		MaxPixels   int           // images: width × height, from the header, before decoding
		DecodeSlots int           // sanitisations (decode + re-encode, PDF scan) at once, process-wide
		DecodeWait  time.Duration // how long an upload waits for a slot before 503 document.busy
		PerAccount  int           // uploads one account may have in progress (429 beyond)
	}
	// Limits bounds what one account or one officer may do, beyond the per-route rates
	// (docs/SECURITY.md, "Limits").
	Limits struct {
		MaxOpenDrafts int // drafts one resident account may hold at once
		UnmaskPerHour int // unmasks of ID numbers one officer may make in an hour
		// RateScale multiplies every route's rate and burst (the unmask budget excepted):
		// for load tests, which read one case from one account thousands of times a second.
		RateScale int
	}
	DemoSeed bool // embedded: load the demo county, staff and templates at start
	LogLevel string
}

// Bounds of the upload settings.
const (
	MinUploadPixels = 1_000_000  // 1 MP: still a legible photographed page
	MaxUploadPixels = 50_000_000 // 50 MP: the largest phone sensors; ~200 MB to decode
)

// Default returns the embedded-mode defaults.
func Default() Config {
	var c Config
	c.Mode = ModeEmbedded
	c.DataDir = "./data"
	c.HTTP.Addr = "127.0.0.1:8080" // embedded: loopback only (demo passwords, /dev routes)
	c.HTTP.ReadTimeout = 15 * time.Second
	c.HTTP.WriteTimeout = 30 * time.Second
	c.HTTP.ShutdownTimeout = 20 * time.Second
	c.HTTP.MaxBodyBytes = 1 << 20
	c.Database.Driver = "sqlite"
	c.Database.MaxOpenConns = 20
	c.Database.RequestTimeout = 10 * time.Second
	c.Database.LockWait = 5 * time.Second
	c.Database.AutoMigrate = true
	c.Redis.KeyPrefix = "palmaid:"
	c.WeChat.AppID = "wxsimulator0000001"
	c.WeChat.AppSecret = "simulator-secret"
	c.WeChat.Simulator = true
	c.WeChat.MiniprogramState = "developer"
	c.WeChat.Timeout = 5 * time.Second
	c.Crypto.KeyID = 1
	c.Crypto.DataKeyHex = DevDataKeyHex
	c.Crypto.IndexKeyHex = DevIndexKeyHex
	c.Session.ResidentTTL = 7 * 24 * time.Hour
	c.Session.StaffTTL = 12 * time.Hour
	c.Session.StaffIdle = 30 * time.Minute
	c.Session.PasswordCost = DefaultPasswordCost
	c.Notify.Interval = 2 * time.Second
	c.Storage.Driver = "local"
	c.Storage.UseTLS = true
	c.Uploads.MaxPixels = 1 << 24 // 4096×4096: a 16 MP phone photo fits
	c.Uploads.DecodeSlots = 2
	c.Uploads.DecodeWait = 10 * time.Second
	c.Uploads.PerAccount = 2
	c.Storage.Lookup = "auto"
	c.Limits.MaxOpenDrafts = 5
	c.Limits.UnmaskPerHour = 30
	c.Limits.RateScale = 1
	c.DemoSeed = true
	c.LogLevel = "info"
	c.Audit.Anchor = "file"
	c.Policy.Horizon = 2 * 366 * 24 * time.Hour
	return c
}

// Production applies the production-mode defaults on top of Default: no embedded pieces.
func (c *Config) applyModeDefaults() {
	if c.Mode != ModeProduction {
		return
	}
	c.HTTP.Addr = ":8080"
	c.Database.Driver = "mysql"
	c.Database.AutoMigrate = false
	c.WeChat.Simulator = false
	c.WeChat.AppID, c.WeChat.AppSecret = "", ""
	c.WeChat.MiniprogramState = "formal"
	c.Crypto.DataKeyHex, c.Crypto.IndexKeyHex = "", ""
	c.DemoSeed = false
}

// Embedded reports whether the embedded mode is on.
func (c *Config) Embedded() bool { return c.Mode == ModeEmbedded }

// Validate names the first problem setting by its environment variable.
func (c *Config) Validate() error {
	var errs []error
	bad := func(env, why string) { errs = append(errs, fmt.Errorf("%s: %s", env, why)) }
	switch c.Mode {
	case ModeEmbedded, ModeProduction:
	default:
		bad("PALMAID_MODE", "must be embedded or production")
	}
	switch c.Database.Driver {
	case "sqlite":
		if c.Mode == ModeProduction {
			bad("PALMAID_DB_DRIVER", "production mode needs mysql")
		}
	case "mysql":
		if c.Database.DSN == "" {
			bad("PALMAID_DB_DSN", "required with the mysql driver")
		}
	default:
		bad("PALMAID_DB_DRIVER", "must be sqlite or mysql")
	}
	if c.Database.RequestTimeout <= 0 || c.HTTP.WriteTimeout > 0 && c.Database.RequestTimeout >= c.HTTP.WriteTimeout {
		bad("PALMAID_DB_REQUEST_TIMEOUT", fmt.Sprintf("must be positive and shorter than PALMAID_HTTP_WRITE_TIMEOUT (%s)", c.HTTP.WriteTimeout))
	}
	if c.Database.LockWait < time.Second || c.Database.LockWait%time.Second != 0 || c.Database.LockWait >= c.Database.RequestTimeout {
		bad("PALMAID_DB_LOCK_WAIT", fmt.Sprintf("must be whole seconds, at least 1s and shorter than PALMAID_DB_REQUEST_TIMEOUT (%s)", c.Database.RequestTimeout))
	}
	if c.Database.MaxOpenConns < 1 {
		bad("PALMAID_DB_MAX_OPEN_CONNS", "must be at least 1")
	}
	if c.HTTP.Addr == "" {
		bad("PALMAID_HTTP_ADDR", "must not be empty")
	}
	for _, p := range c.HTTP.TrustedProxies {
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			bad("PALMAID_TRUSTED_PROXIES", fmt.Sprintf("%q is neither an IP address nor a CIDR", p))
		}
	}
	for _, o := range c.HTTP.CORSOrigins {
		if u, err := url.Parse(o); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.User != nil {
			bad("PALMAID_CORS_ORIGINS", fmt.Sprintf("%q is not an origin like https://console.example.gov.cn (scheme and host, no path; * is not accepted)", o))
		}
	}
	if c.HTTP.MaxBodyBytes < 1024 {
		bad("PALMAID_MAX_BODY_BYTES", "must be at least 1024")
	}
	if c.Mode == ModeProduction {
		if c.Redis.Addr == "" {
			bad("PALMAID_REDIS_ADDR", "required in production mode")
		}
		if c.WeChat.Simulator {
			bad("PALMAID_WECHAT_SIMULATOR", "the simulator is never available in production mode")
		}
		if c.DemoSeed {
			bad("PALMAID_DEMO_SEED", "demo data is refused in production mode")
		}
		if c.Crypto.DataKeyHex == DevDataKeyHex || c.Crypto.IndexKeyHex == DevIndexKeyHex {
			bad("PALMAID_DATA_KEY/PALMAID_INDEX_KEY", "the published development keys are refused in production mode")
		}
	}
	if !c.WeChat.Simulator && (c.WeChat.AppID == "" || c.WeChat.AppSecret == "") {
		bad("PALMAID_WECHAT_APP_ID/PALMAID_WECHAT_APP_SECRET", "required when the simulator is off")
	}
	switch c.WeChat.MiniprogramState {
	case "developer", "trial", "formal":
	default:
		bad("PALMAID_WECHAT_STATE", "must be developer, trial or formal")
	}
	if len(c.Crypto.DataKeyHex) != 32 || !isHex(c.Crypto.DataKeyHex) {
		bad("PALMAID_DATA_KEY", "must be 32 hex characters (a 128-bit SM4 key)")
	}
	if len(c.Crypto.IndexKeyHex) < 64 || !isHex(c.Crypto.IndexKeyHex) {
		bad("PALMAID_INDEX_KEY", "must be at least 64 hex characters (a 256-bit HMAC key)")
	}
	if c.Crypto.KeyID < 1 || c.Crypto.KeyID > 255 {
		bad("PALMAID_KEY_ID", "must be 1..255")
	}
	switch c.WeChat.RealNameVerifier {
	case "", "none":
		if c.Mode == ModeProduction {
			bad("PALMAID_REALNAME_VERIFIER", "production needs a real-name source (wechat_cityservice), or desk_only where the county accepts desk verification only (docs/SECURITY.md, identity assurance)")
		}
	case "desk_only", "wechat_cityservice":
	default:
		bad("PALMAID_REALNAME_VERIFIER", "must be wechat_cityservice, desk_only or none")
	}
	if c.Session.StaffIdle < time.Minute || c.Session.StaffIdle > c.Session.StaffTTL {
		bad("PALMAID_STAFF_IDLE_TIMEOUT", "must be at least 1m and at most PALMAID_STAFF_SESSION_TTL")
	}
	if c.Session.ResidentTTL < time.Minute || c.Session.StaffTTL < time.Minute {
		bad("PALMAID_SESSION_TTL/PALMAID_STAFF_SESSION_TTL", "must be at least 1m")
	}
	if c.Session.PasswordCost < MinPasswordCost || c.Session.PasswordCost > MaxPasswordCost {
		bad("PALMAID_PASSWORD_COST", fmt.Sprintf("must be %d..%d", MinPasswordCost, MaxPasswordCost))
	} else if c.Mode == ModeProduction && c.Session.PasswordCost < DefaultPasswordCost {
		bad("PALMAID_PASSWORD_COST", fmt.Sprintf("must be at least %d in production mode", DefaultPasswordCost))
	}
	if c.Notify.Interval < 100*time.Millisecond {
		bad("PALMAID_NOTIFY_INTERVAL", "must be at least 100ms")
	}
	if c.Limits.MaxOpenDrafts < 1 || c.Limits.MaxOpenDrafts > 100 {
		bad("PALMAID_MAX_OPEN_DRAFTS", "must be 1..100")
	}
	if c.Limits.UnmaskPerHour < 1 || c.Limits.UnmaskPerHour > 1000 {
		bad("PALMAID_UNMASK_PER_HOUR", "must be 1..1000")
	}
	if c.Limits.RateScale < 1 || c.Limits.RateScale > 100_000 {
		bad("PALMAID_RATE_LIMIT_SCALE", "must be 1..100000")
	} else if c.Mode == ModeProduction && c.Limits.RateScale > 10 {
		bad("PALMAID_RATE_LIMIT_SCALE", "must be at most 10 in production mode (higher values are for load tests)")
	}
	c.validateStorage(bad)
	c.validatePlaceholders(bad)
	if a := c.Audit.Anchor; a != "file" && a != "syslog" && a != "off" && (!strings.HasPrefix(a, "file:/") || len(a) < 7) {
		bad("PALMAID_AUDIT_ANCHOR", "must be file, file:/absolute/path, syslog or off")
	}
	if c.Policy.Horizon < 24*time.Hour || c.Policy.Horizon > 10*366*24*time.Hour {
		bad("PALMAID_POLICY_HORIZON", "must be between 24h and 87840h (ten years)")
	}
	if c.Uploads.MaxPixels < MinUploadPixels || c.Uploads.MaxPixels > MaxUploadPixels {
		bad("PALMAID_UPLOAD_MAX_PIXELS", fmt.Sprintf("must be %d..%d", MinUploadPixels, MaxUploadPixels))
	}
	if c.Uploads.DecodeSlots < 1 || c.Uploads.DecodeSlots > 64 {
		bad("PALMAID_UPLOAD_DECODE_SLOTS", "must be 1..64")
	}
	if c.Uploads.DecodeWait < 0 || c.Uploads.DecodeWait > time.Minute {
		bad("PALMAID_UPLOAD_DECODE_WAIT", "must be 0s..1m")
	}
	if c.Uploads.PerAccount < 1 || c.Uploads.PerAccount > 16 {
		bad("PALMAID_UPLOAD_PER_ACCOUNT", "must be 1..16")
	}
	switch strings.ToLower(c.LogLevel) {
	case "debug", "info", "warn", "error":
	default:
		bad("PALMAID_LOG_LEVEL", "must be debug, info, warn or error")
	}
	return errors.Join(errs...)
}

// RealNameVerifierName names the real-name source in force, for the start-up line:
// "wechat_cityservice", "desk_only" (none and desk_only alike), or "simulator" (embedded).
func (c *Config) RealNameVerifierName() string {
	switch v := c.WeChat.RealNameVerifier; {
	case v == "" && c.WeChat.Simulator:
		return "simulator"
	case v == "" || v == "none":
		return "desk_only"
	default:
		return v
	}
}

var bucketRe = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

func (c *Config) validateStorage(bad func(env, why string)) {
	switch c.Storage.Driver {
	case "local":
		return
	case "s3":
	default:
		bad("PALMAID_STORAGE_DRIVER", "must be local or s3")
		return
	}
	if e := c.Storage.Endpoint; e == "" {
		bad("PALMAID_STORAGE_ENDPOINT", "required with the s3 driver (host[:port], e.g. cos.ap-guangzhou.myqcloud.com)")
	} else if strings.Contains(e, "://") || strings.ContainsAny(e, "/ ?#@") {
		bad("PALMAID_STORAGE_ENDPOINT", fmt.Sprintf("%q must be host[:port] without scheme or path (TLS is PALMAID_STORAGE_TLS)", e))
	} else if _, _, err := net.SplitHostPort(e); err != nil && strings.Contains(e, ":") {
		bad("PALMAID_STORAGE_ENDPOINT", fmt.Sprintf("%q is not host[:port]", e))
	}
	if !bucketRe.MatchString(c.Storage.Bucket) || strings.Contains(c.Storage.Bucket, "..") {
		bad("PALMAID_STORAGE_BUCKET", "required: 3 to 63 lowercase letters, digits, dots or hyphens (COS: name-appid)")
	}
	if c.Storage.AccessKey == "" || c.Storage.SecretKey == "" {
		bad("PALMAID_STORAGE_ACCESS_KEY/PALMAID_STORAGE_SECRET_KEY", "required with the s3 driver")
	}
	switch c.Storage.Lookup {
	case "auto", "dns", "path":
	default:
		bad("PALMAID_STORAGE_BUCKET_LOOKUP", "must be auto, dns or path")
	}
	if c.Mode == ModeProduction && !c.Storage.UseTLS {
		bad("PALMAID_STORAGE_TLS", "must be true in production mode (documents are personal data)")
	}
}

// AuditAnchorFile is the file audit anchors are appended to ("" when they are not written to
// a file).
func (c *Config) AuditAnchorFile() string {
	switch {
	case c.Audit.Anchor == "file":
		return strings.TrimRight(c.DataDir, "/") + "/audit-anchors.jsonl"
	case strings.HasPrefix(c.Audit.Anchor, "file:"):
		return strings.TrimPrefix(c.Audit.Anchor, "file:")
	}
	return ""
}

// StorageDir is the local storage directory.
func (c *Config) StorageDir() string {
	if c.Storage.Dir != "" {
		return c.Storage.Dir
	}
	return strings.TrimRight(c.DataDir, "/") + "/uploads"
}

func isHex(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

// Redacted is the configuration safe to log: secrets replaced.
func (c Config) Redacted() Config {
	r := c
	if r.WeChat.AppSecret != "" {
		r.WeChat.AppSecret = "***"
	}
	if r.Redis.Password != "" {
		r.Redis.Password = "***"
	}
	r.Crypto.DataKeyHex, r.Crypto.IndexKeyHex = "***", "***"
	if r.Crypto.OldDataKeys != "" {
		r.Crypto.OldDataKeys = "***"
	}
	r.Database.DSN = redactDSN(r.Database.DSN)
	if r.Storage.SecretKey != "" {
		r.Storage.SecretKey = "***"
	}
	return r
}

// redactDSN hides a password in user:pass@tcp(...) DSNs.
func redactDSN(dsn string) string {
	at := strings.LastIndex(dsn, "@")
	if at < 0 {
		return dsn
	}
	cred := dsn[:at]
	if i := strings.Index(cred, ":"); i >= 0 {
		return cred[:i] + ":***" + dsn[at:]
	}
	return dsn
}
