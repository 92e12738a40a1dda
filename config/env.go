package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Var documents one environment variable and applies it.
type Var struct {
	Name    string
	Default string // as shown in the README (embedded mode)
	Doc     string
	apply   func(c *Config, v string) error
}

func str(p func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error { *p(c) = v; return nil }
}

func dur(p func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("not a duration like 30s or 12h")
		}
		*p(c) = d
		return nil
	}
}

func integer(p func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("not an integer")
		}
		*p(c) = n
		return nil
	}
}

func boolean(p func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("not true or false")
		}
		*p(c) = b
		return nil
	}
}

// Vars lists every setting. PALMAID_MODE is applied first, so mode defaults come before
// the other overrides.
func Vars() []Var {
	return []Var{
		{"PALMAID_MODE", "embedded", "`embedded` (SQLite, in-process Redis, WeChat simulator) or `production` (MySQL/MariaDB, Redis, live WeChat; no simulator, no demo data)", str(func(c *Config) *string { return &c.Mode })},
		{"PALMAID_DATA_DIR", "./data", "where embedded mode keeps its SQLite file and uploads", str(func(c *Config) *string { return &c.DataDir })},
		{"PALMAID_HTTP_ADDR", "127.0.0.1:8080 (production: :8080)", "listen address; embedded mode listens on loopback only unless this says otherwise (e.g. `:8080`)", str(func(c *Config) *string { return &c.HTTP.Addr })},
		{"PALMAID_MAX_BODY_BYTES", "1048576", "largest JSON request body accepted (413 above)", func(c *Config, v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Errorf("not an integer")
			}
			c.HTTP.MaxBodyBytes = n
			return nil
		}},
		{"PALMAID_TRUSTED_PROXIES", "(none)", "comma-separated IPs/CIDRs of reverse proxies whose X-Forwarded-For is trusted for the client IP (rate limits, audit); none by default", func(c *Config, v string) error {
			c.HTTP.TrustedProxies = nil
			for _, p := range strings.Split(v, ",") {
				if p = strings.TrimSpace(p); p != "" {
					c.HTTP.TrustedProxies = append(c.HTTP.TrustedProxies, p)
				}
			}
			return nil
		}},
		{"PALMAID_STAFF_2FA_ROLES", "(none)", "comma-separated staff roles that must use a second factor (TOTP or a recovery code) to log in, e.g. `admin,county_leader,county_officer`; until they enrol one, their sessions may only enrol it (`POST /api/v1/me/second-factor`). An unknown role name refuses to start", func(c *Config, v string) error {
			c.Session.SecondFactorRoles = nil
			for _, p := range strings.Split(v, ",") {
				if p = strings.TrimSpace(p); p != "" {
					c.Session.SecondFactorRoles = append(c.Session.SecondFactorRoles, p)
				}
			}
			return nil
		}},
		{"PALMAID_CORS_ORIGINS", "(none)", "comma-separated browser origins (e.g. `https://console.example.gov.cn`) allowed to call the API from another origin — a staff console; CORS is off when empty", func(c *Config, v string) error {
			c.HTTP.CORSOrigins = nil
			for _, o := range strings.Split(v, ",") {
				if o = strings.TrimRight(strings.TrimSpace(o), "/"); o != "" {
					c.HTTP.CORSOrigins = append(c.HTTP.CORSOrigins, o)
				}
			}
			return nil
		}},
		{"PALMAID_DB_DRIVER", "sqlite", "`sqlite` (embedded) or `mysql` (MySQL 8 / MariaDB ≥ 10.6, utf8mb4)", str(func(c *Config) *string { return &c.Database.Driver })},
		{"PALMAID_DB_DSN", "(DATA_DIR/palmaid.db)", "database DSN, e.g. `palmaid:pw@tcp(db:3306)/palmaid?parseTime=true&charset=utf8mb4&loc=UTC&interpolateParams=true`", str(func(c *Config) *string { return &c.Database.DSN })},
		{"PALMAID_DB_MAX_OPEN_CONNS", "20", "connection pool size", integer(func(c *Config) *int { return &c.Database.MaxOpenConns })},
		{"PALMAID_DB_REQUEST_TIMEOUT", "10s", "deadline of one request's database work (503 when exceeded); shorter than PALMAID_HTTP_WRITE_TIMEOUT", dur(func(c *Config) *time.Duration { return &c.Database.RequestTimeout })},
		{"PALMAID_DB_LOCK_WAIT", "5s", "MySQL: how long a request waits for a row another session holds (`innodb_lock_wait_timeout`, whole seconds; then 503 with Retry-After); shorter than PALMAID_DB_REQUEST_TIMEOUT", dur(func(c *Config) *time.Duration { return &c.Database.LockWait })},
		{"PALMAID_AUTO_MIGRATE", "true (production: false)", "migrate at start; in production run `palmaid migrate up` instead", boolean(func(c *Config) *bool { return &c.Database.AutoMigrate })},
		{"PALMAID_REDIS_ADDR", "(empty: in-process)", "Redis host:port; empty runs an in-process Redis (embedded mode only)", str(func(c *Config) *string { return &c.Redis.Addr })},
		{"PALMAID_REDIS_PASSWORD", "", "Redis password", str(func(c *Config) *string { return &c.Redis.Password })},
		{"PALMAID_REDIS_DB", "0", "Redis database number", integer(func(c *Config) *int { return &c.Redis.DB })},
		{"PALMAID_REDIS_PREFIX", "palmaid:", "prefix of every Redis key", str(func(c *Config) *string { return &c.Redis.KeyPrefix })},
		{"PALMAID_WECHAT_APP_ID", "wxsimulator0000001", "mini-program app id", str(func(c *Config) *string { return &c.WeChat.AppID })},
		{"PALMAID_WECHAT_APP_SECRET", "(simulator's)", "mini-program app secret (never logged)", str(func(c *Config) *string { return &c.WeChat.AppSecret })},
		{"PALMAID_REALNAME_VERIFIER", "(embedded: simulator; production: required)", "which real-name source confirms identity bindings (PUT /mp/v1/me/identity): `wechat_cityservice` (WeChat's city-service real-name check, checkrealnameinfo; needs the platform's approval) or `desk_only` (the county accepts desk verification only: bindings are recorded unverified and an officer's desk verification assures them, see docs/SECURITY.md); `none` is `desk_only` in embedded mode; empty: the simulator in embedded mode; production refuses to start without one of the first two", str(func(c *Config) *string { return &c.WeChat.RealNameVerifier })},
		{"PALMAID_WECHAT_SIMULATOR", "true (production: false)", "answer WeChat calls from the built-in simulator on loopback", boolean(func(c *Config) *bool { return &c.WeChat.Simulator })},
		{"PALMAID_WECHAT_STATE", "developer (production: formal)", "`miniprogram_state` sent with subscribe messages: developer, trial or formal", str(func(c *Config) *string { return &c.WeChat.MiniprogramState })},
		{"PALMAID_WECHAT_TIMEOUT", "5s", "timeout of every WeChat HTTP call", dur(func(c *Config) *time.Duration { return &c.WeChat.Timeout })},
		{"PALMAID_KEY_ID", "1", "id of the current data key, stored with each ciphertext", integer(func(c *Config) *int { return &c.Crypto.KeyID })},
		{"PALMAID_DATA_KEY", "(published dev key)", "SM4 key for personal data at rest, 32 hex chars; required in production", str(func(c *Config) *string { return &c.Crypto.DataKeyHex })},
		{"PALMAID_OLD_DATA_KEYS", "(none)", "earlier data keys still to be read during a key rotation, `ID:HEX` pairs separated by commas (e.g. `1:70616c…`); new data is sealed with PALMAID_KEY_ID's key, `palmaid keys rotate` re-encrypts the rest, then remove the old key", str(func(c *Config) *string { return &c.Crypto.OldDataKeys })},
		{"PALMAID_INDEX_KEY", "(published dev key)", "SM3-HMAC key for blind indexes, ≥ 64 hex chars; required in production", str(func(c *Config) *string { return &c.Crypto.IndexKeyHex })},
		{"PALMAID_SESSION_TTL", "168h", "resident session lifetime", dur(func(c *Config) *time.Duration { return &c.Session.ResidentTTL })},
		{"PALMAID_STAFF_SESSION_TTL", "12h", "staff session lifetime (absolute: a session ends this long after login however busy)", dur(func(c *Config) *time.Duration { return &c.Session.StaffTTL })},
		{"PALMAID_STAFF_IDLE_TIMEOUT", "30m", "a staff session unused this long ends", dur(func(c *Config) *time.Duration { return &c.Session.StaffIdle })},
		{"PALMAID_MAX_OPEN_DRAFTS", "5", "drafts (unsubmitted applications) one resident account may hold at once; the next answers 409 `case.too_many_drafts` until one is submitted or withdrawn (1..100)", integer(func(c *Config) *int { return &c.Limits.MaxOpenDrafts })},
		{"PALMAID_UNMASK_PER_HOUR", "30", "ID-number unmasks one officer may make in an hour (`POST /api/v1/cases/{id}/unmask`); the next answers 429 `unmask.budget_spent`, logged as an alert and counted in `palmaid_unmask_refused_total` (1..1000)", integer(func(c *Config) *int { return &c.Limits.UnmaskPerHour })},
		{"PALMAID_RATE_LIMIT_SCALE", "1", "multiplies the rate and burst of every route's limit class (docs/SECURITY.md, \"Limits\"; the unmask budget excepted): a load-test knob (the bench sets it); production refuses more than 10", integer(func(c *Config) *int { return &c.Limits.RateScale })},
		{"PALMAID_PASSWORD_COST", "10", "strength of new staff password hashes: 10 or more (the default, and what production requires) is argon2id with 19 MiB and 2 passes; 4..9 is a light argon2id for tests only (the tests use 4)", integer(func(c *Config) *int { return &c.Session.PasswordCost })},
		{"PALMAID_NOTIFY_INTERVAL", "2s", "how often the notification worker polls the outbox", dur(func(c *Config) *time.Duration { return &c.Notify.Interval })},
		{"PALMAID_NOTIFY_TEMPLATES", "(embedded: the simulator's template)", "the subscribe-template registry: a JSON file mapping our values to each template's keyword ids (see the README); checked at start", str(func(c *Config) *string { return &c.Notify.TemplatesFile })},
		{"PALMAID_NOTIFY_LONG_TERM", "false", "WeChat granted the mini-program long-term subscriptions (长期订阅, government and some public-service categories): registry templates may be `\"kind\":\"long_term\"`", boolean(func(c *Config) *bool { return &c.Notify.LongTerm })},
		{"PALMAID_METRICS_ADDR", "(empty: off)", "listen address of the Prometheus `/metrics` endpoint, kept off the public port, e.g. `127.0.0.1:9090`", str(func(c *Config) *string { return &c.Metrics.Addr })},
		{"PALMAID_STORAGE_DRIVER", "local", "where uploaded documents are kept: `local` (a directory; one instance only) or `s3` (S3-compatible object storage: MinIO, Tencent COS, Aliyun OSS)", str(func(c *Config) *string { return &c.Storage.Driver })},
		{"PALMAID_STORAGE_DIR", "(DATA_DIR/uploads)", "local driver: the directory (created mode 0700)", str(func(c *Config) *string { return &c.Storage.Dir })},
		{"PALMAID_STORAGE_ENDPOINT", "", "s3 driver: host[:port] without scheme, e.g. `cos.ap-guangzhou.myqcloud.com`, `oss-cn-hangzhou.aliyuncs.com`, `minio:9000`", str(func(c *Config) *string { return &c.Storage.Endpoint })},
		{"PALMAID_STORAGE_REGION", "", "s3 driver: region (`ap-guangzhou`, `cn-hangzhou`, `us-east-1` …); empty asks the service", str(func(c *Config) *string { return &c.Storage.Region })},
		{"PALMAID_STORAGE_BUCKET", "", "s3 driver: the bucket (must exist; checked at start)", str(func(c *Config) *string { return &c.Storage.Bucket })},
		{"PALMAID_STORAGE_ACCESS_KEY", "", "s3 driver: access key id (COS SecretId, OSS AccessKeyId)", str(func(c *Config) *string { return &c.Storage.AccessKey })},
		{"PALMAID_STORAGE_SECRET_KEY", "", "s3 driver: secret key (never logged)", str(func(c *Config) *string { return &c.Storage.SecretKey })},
		{"PALMAID_STORAGE_TLS", "true", "s3 driver: HTTPS to the endpoint (required in production)", boolean(func(c *Config) *bool { return &c.Storage.UseTLS })},
		{"PALMAID_STORAGE_BUCKET_LOOKUP", "auto", "s3 driver: `dns` (bucket.endpoint: COS, OSS), `path` (endpoint/bucket: MinIO) or `auto`", str(func(c *Config) *string { return &c.Storage.Lookup })},
		{"PALMAID_UPLOAD_MAX_PIXELS", "16777216", "largest image accepted, in pixels (width × height, read from the header before anything is decoded; 4096×4096 by default: a 12–16 MP phone photo fits); 1000000..50000000. Decoding costs about 4 bytes a pixel", integer(func(c *Config) *int { return &c.Uploads.MaxPixels })},
		{"PALMAID_UPLOAD_DECODE_SLOTS", "2", "uploads sanitised at once in the process (image decoded and re-encoded, PDF scanned); others wait (PALMAID_UPLOAD_DECODE_WAIT), then 503 `document.busy` with Retry-After; 1..64. Memory at the default ceiling: about 130 MB a slot", integer(func(c *Config) *int { return &c.Uploads.DecodeSlots })},
		{"PALMAID_UPLOAD_DECODE_WAIT", "10s", "how long an upload waits for a sanitising slot before 503 `document.busy`; 0s..1m", dur(func(c *Config) *time.Duration { return &c.Uploads.DecodeWait })},
		{"PALMAID_UPLOAD_PER_ACCOUNT", "2", "uploads one account (resident or officer) may have in progress in the process, reading the body included; one more is 429 `document.upload_in_progress`; 1..16", integer(func(c *Config) *int { return &c.Uploads.PerAccount })},
		{"PALMAID_DEMO_SEED", "true (production: false)", "load the demo county, staff accounts and simulator templates at start (idempotent)", boolean(func(c *Config) *bool { return &c.DemoSeed })},
		{"PALMAID_AUDIT_ANCHOR", "file", "where the audit chain's head (last sealed row, row count, hash) is written every hour outside the database: `file` (appended to `DATA_DIR/audit-anchors.jsonl`), `file:/path`, `syslog` or `off`; `palmaid audit verify` compares the chain with the latest file anchor, so removed newest rows are found", str(func(c *Config) *string { return &c.Audit.Anchor })},
		{"PALMAID_POLICY_HORIZON", "17568h", "how far ahead an administrator may date a regional policy change (`effectiveFrom` no later than today plus this; two years)", dur(func(c *Config) *time.Duration { return &c.Policy.Horizon })},
		{"PALMAID_LOG_LEVEL", "info", "debug, info, warn or error", str(func(c *Config) *string { return &c.LogLevel })},
	}
}

// Load builds the configuration from defaults and the given environment lookup
// (os.LookupEnv in main; a map in tests), then validates it.
func Load(lookup func(string) (string, bool)) (Config, error) {
	c := Default()
	if v, ok := lookup("PALMAID_MODE"); ok {
		c.Mode = strings.TrimSpace(v)
	}
	c.applyModeDefaults()
	for _, v := range Vars() {
		if v.Name == "PALMAID_MODE" {
			continue
		}
		raw, ok := lookup(v.Name)
		if !ok {
			continue
		}
		if err := v.apply(&c, strings.TrimSpace(raw)); err != nil {
			return c, fmt.Errorf("%s: %w", v.Name, err)
		}
	}
	if c.Database.Driver == "sqlite" && c.Database.DSN == "" {
		c.Database.DSN = strings.TrimRight(c.DataDir, "/") + "/palmaid.db"
	}
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("invalid configuration: %w", err)
	}
	return c, nil
}
