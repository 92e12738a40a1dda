package config

import (
	"os"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestDefaultsAreEmbeddedAndValid(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Embedded() || c.Database.Driver != "sqlite" || c.Database.DSN != "./data/palmaid.db" || !c.WeChat.Simulator || c.Redis.Addr != "" {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestProductionNeedsItsSettings(t *testing.T) {
	_, err := Load(env(map[string]string{"PALMAID_MODE": "production"}))
	if err == nil {
		t.Fatal("production without settings accepted")
	}
	for _, name := range []string{"PALMAID_DB_DSN", "PALMAID_REDIS_ADDR", "PALMAID_WECHAT_APP_ID", "PALMAID_DATA_KEY", "PALMAID_INDEX_KEY"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
	ok := map[string]string{
		"PALMAID_MODE": "production", "PALMAID_DB_DSN": "u:secretpw@tcp(db:3306)/palmaid", "PALMAID_REDIS_ADDR": "redis:6379",
		"PALMAID_WECHAT_APP_ID": "wx5f3c2a1b9e8d7c6a", "PALMAID_WECHAT_APP_SECRET": "9f86d081884c7d659a2feaa0c55ad015", "PALMAID_REALNAME_VERIFIER": "desk_only",
		"PALMAID_DATA_KEY": strings.Repeat("ab", 16), "PALMAID_INDEX_KEY": strings.Repeat("cd", 32),
	}
	c, err := Load(env(ok))
	if err != nil {
		t.Fatalf("valid production config refused: %v", err)
	}
	if c.WeChat.Simulator || c.DemoSeed || c.Database.AutoMigrate || c.Database.Driver != "mysql" {
		t.Fatalf("production defaults: %+v", c)
	}
	red := c.Redacted()
	if s := strings.Join([]string{red.Database.DSN, red.WeChat.AppSecret, red.Crypto.DataKeyHex}, " "); strings.Contains(s, "secretpw") || strings.Contains(s, "9f86d081") || strings.Contains(s, "abab") {
		t.Fatalf("secret in redacted config: %s", s)
	}
	for k, v := range map[string]string{"PALMAID_WECHAT_SIMULATOR": "true", "PALMAID_DEMO_SEED": "true", "PALMAID_DATA_KEY": DevDataKeyHex} {
		bad := map[string]string{}
		for a, b := range ok {
			bad[a] = b
		}
		bad[k] = v
		if _, err := Load(env(bad)); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s in production: %v", k, v, err)
		}
	}
}

func TestBadValuesNameTheSetting(t *testing.T) {
	for k, v := range map[string]string{
		"PALMAID_MODE": "staging", "PALMAID_SESSION_TTL": "soon", "PALMAID_DB_DRIVER": "postgres",
		"PALMAID_REDIS_DB": "x", "PALMAID_WECHAT_STATE": "beta", "PALMAID_LOG_LEVEL": "loud", "PALMAID_MAX_BODY_BYTES": "10",
	} {
		if _, err := Load(env(map[string]string{k: v})); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%q: %v", k, v, err)
		}
	}
}

// The README's configuration table lists every variable.
func TestReadmeListsEveryVariable(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Vars() {
		if !strings.Contains(string(b), "`"+v.Name+"`") {
			t.Errorf("README.md does not document %s", v.Name)
		}
	}
}

// The password cost is bounded, and production refuses a cost below the default (only tests
// lower it, to keep hashing out of their run time).
func TestPasswordCost(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil || c.Session.PasswordCost != DefaultPasswordCost {
		t.Fatalf("default cost %d, %v", c.Session.PasswordCost, err)
	}
	if c, err := Load(env(map[string]string{"PALMAID_PASSWORD_COST": "4"})); err != nil || c.Session.PasswordCost != 4 {
		t.Fatalf("embedded cost 4: %d %v", c.Session.PasswordCost, err)
	}
	for _, v := range []string{"3", "32", "ten"} {
		if _, err := Load(env(map[string]string{"PALMAID_PASSWORD_COST": v})); err == nil || !strings.Contains(err.Error(), "PALMAID_PASSWORD_COST") {
			t.Errorf("PALMAID_PASSWORD_COST=%s: %v", v, err)
		}
	}
	prod := map[string]string{
		"PALMAID_MODE": "production", "PALMAID_DB_DSN": "u:pw@tcp(db:3306)/palmaid", "PALMAID_REDIS_ADDR": "redis:6379",
		"PALMAID_WECHAT_APP_ID": "wx5f3c2a1b9e8d7c6a", "PALMAID_WECHAT_APP_SECRET": "9f86d081884c7d659a2feaa0c55ad015", "PALMAID_REALNAME_VERIFIER": "desk_only",
		"PALMAID_DATA_KEY": strings.Repeat("ab", 16), "PALMAID_INDEX_KEY": strings.Repeat("cd", 32),
		"PALMAID_PASSWORD_COST": "9",
	}
	if _, err := Load(env(prod)); err == nil || !strings.Contains(err.Error(), "PALMAID_PASSWORD_COST: must be at least 10 in production mode") {
		t.Fatalf("production cost 9: %v", err)
	}
}

// Embedded mode (published demo passwords, /dev routes) listens on loopback unless told
// otherwise; production keeps every interface, behind its reverse proxy.
func TestListenAddressDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil || c.HTTP.Addr != "127.0.0.1:8080" {
		t.Fatalf("embedded default %q, %v", c.HTTP.Addr, err)
	}
	if c, err := Load(env(map[string]string{"PALMAID_HTTP_ADDR": ":9090"})); err != nil || c.HTTP.Addr != ":9090" {
		t.Fatalf("override %q, %v", c.HTTP.Addr, err)
	}
	prod := map[string]string{
		"PALMAID_MODE": "production", "PALMAID_DB_DSN": "u:pw@tcp(db:3306)/palmaid", "PALMAID_REDIS_ADDR": "redis:6379",
		"PALMAID_WECHAT_APP_ID": "wx5f3c2a1b9e8d7c6a", "PALMAID_WECHAT_APP_SECRET": "9f86d081884c7d659a2feaa0c55ad015", "PALMAID_REALNAME_VERIFIER": "desk_only",
		"PALMAID_DATA_KEY": strings.Repeat("ab", 16), "PALMAID_INDEX_KEY": strings.Repeat("cd", 32),
	}
	if c, err := Load(env(prod)); err != nil || c.HTTP.Addr != ":8080" {
		t.Fatalf("production default %q, %v", c.HTTP.Addr, err)
	}
}

func TestCORSOrigins(t *testing.T) {
	c, err := Load(env(map[string]string{"PALMAID_CORS_ORIGINS": " https://console.example.gov.cn/ , http://127.0.0.1:5173"}))
	if err != nil || len(c.HTTP.CORSOrigins) != 2 || c.HTTP.CORSOrigins[0] != "https://console.example.gov.cn" || c.HTTP.CORSOrigins[1] != "http://127.0.0.1:5173" {
		t.Fatalf("origins %q, %v", c.HTTP.CORSOrigins, err)
	}
	if c, _ := Load(env(nil)); len(c.HTTP.CORSOrigins) != 0 {
		t.Fatalf("CORS on by default: %q", c.HTTP.CORSOrigins)
	}
	for _, v := range []string{"*", "console.example.gov.cn", "https://x.example/path", "ftp://x.example"} {
		if _, err := Load(env(map[string]string{"PALMAID_CORS_ORIGINS": v})); err == nil || !strings.Contains(err.Error(), "PALMAID_CORS_ORIGINS") {
			t.Errorf("PALMAID_CORS_ORIGINS=%s: %v", v, err)
		}
	}
}

// The s3 storage driver needs its settings; each bad one is named.
func TestStorageSettings(t *testing.T) {
	c, err := Load(env(map[string]string{"PALMAID_DATA_DIR": "/srv/palmaid"}))
	if err != nil || c.Storage.Driver != "local" || c.StorageDir() != "/srv/palmaid/uploads" {
		t.Fatalf("local default: %q %q %v", c.Storage.Driver, c.StorageDir(), err)
	}
	_, err = Load(env(map[string]string{"PALMAID_STORAGE_DRIVER": "s3"}))
	for _, name := range []string{"PALMAID_STORAGE_ENDPOINT", "PALMAID_STORAGE_BUCKET", "PALMAID_STORAGE_ACCESS_KEY"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("s3 without settings does not name %s: %v", name, err)
		}
	}
	ok := map[string]string{"PALMAID_STORAGE_DRIVER": "s3", "PALMAID_STORAGE_ENDPOINT": "cos.ap-guangzhou.myqcloud.com",
		"PALMAID_STORAGE_REGION": "ap-guangzhou", "PALMAID_STORAGE_BUCKET": "palmaid-1250000000",
		"PALMAID_STORAGE_ACCESS_KEY": "AKID", "PALMAID_STORAGE_SECRET_KEY": "topsecret", "PALMAID_STORAGE_BUCKET_LOOKUP": "dns"}
	c, err = Load(env(ok))
	if err != nil || !c.Storage.UseTLS {
		t.Fatalf("valid s3 settings refused: %v", err)
	}
	if c.Redacted().Storage.SecretKey != "***" {
		t.Fatal("storage secret not redacted")
	}
	for k, v := range map[string]string{"PALMAID_STORAGE_DRIVER": "ftp", "PALMAID_STORAGE_ENDPOINT": "https://cos.ap-guangzhou.myqcloud.com",
		"PALMAID_STORAGE_BUCKET": "Bad_Bucket", "PALMAID_STORAGE_BUCKET_LOOKUP": "virtual", "PALMAID_STORAGE_TLS": "maybe"} {
		bad := map[string]string{}
		for a, b := range ok {
			bad[a] = b
		}
		bad[k] = v
		if _, err := Load(env(bad)); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: %v", k, v, err)
		}
	}
}

// prodSettings is a production configuration that passes: realistic-looking values, none of
// them a placeholder.
func prodSettings() map[string]string {
	return map[string]string{
		"PALMAID_MODE": "production", "PALMAID_DB_DSN": "palmaid:Zq8rT2vLk4@tcp(db:3306)/palmaid", "PALMAID_REDIS_ADDR": "redis:6379",
		"PALMAID_WECHAT_APP_ID": "wx5f3c2a1b9e8d7c6a", "PALMAID_WECHAT_APP_SECRET": "9f86d081884c7d659a2feaa0c55ad015",
		"PALMAID_DATA_KEY": "3b1f0c9e7a5d2846b0e1f3a59c7d8e26", "PALMAID_INDEX_KEY": strings.Repeat("c4d2a7e9", 8), "PALMAID_REALNAME_VERIFIER": "desk_only",
	}
}

// Production refuses what the README, the compose file and the simulator use as placeholders
// or examples (issue 20: a county's IT person pasted `wx…` and palmaid started): one message,
// one clause per variable, naming each; no secret is echoed.
func TestProductionRefusesPlaceholders(t *testing.T) {
	if _, err := Load(env(prodSettings())); err != nil {
		t.Fatalf("realistic production settings refused: %v", err)
	}
	for name, tc := range map[string]struct{ key, value string }{
		"app id ellipsis":       {"PALMAID_WECHAT_APP_ID", "wx…"},
		"app id dots":           {"PALMAID_WECHAT_APP_ID", "wx..."},
		"app id too short":      {"PALMAID_WECHAT_APP_ID", "wx1"},
		"app id of simulator":   {"PALMAID_WECHAT_APP_ID", "wxsimulator0000001"},
		"app id example":        {"PALMAID_WECHAT_APP_ID", "wx0123456789abcdef"},
		"app id angle brackets": {"PALMAID_WECHAT_APP_ID", "<your app id>"},
		"secret ellipsis":       {"PALMAID_WECHAT_APP_SECRET", "…"},
		"secret zeros":          {"PALMAID_WECHAT_APP_SECRET", strings.Repeat("0", 32)},
		"secret of simulator":   {"PALMAID_WECHAT_APP_SECRET", "simulator-secret"},
		"secret word":           {"PALMAID_WECHAT_APP_SECRET", "secret"},
		"secret example":        {"PALMAID_WECHAT_APP_SECRET", "0123456789abcdef0123456789abcdef"},
		"db password example":   {"PALMAID_DB_DSN", "palmaid:secret@tcp(127.0.0.1:3306)/palmaid"},
		"db password ellipsis":  {"PALMAID_DB_DSN", "palmaid:…@tcp(127.0.0.1:3306)/palmaid"},
		"redis password":        {"PALMAID_REDIS_PASSWORD", "changeme"},
		"data key zeros":        {"PALMAID_DATA_KEY", strings.Repeat("0", 32)},
		"index key ones":        {"PALMAID_INDEX_KEY", strings.Repeat("1", 64)},
	} {
		t.Run(name, func(t *testing.T) {
			s := prodSettings()
			s[tc.key] = tc.value
			_, err := Load(env(s))
			if err == nil || !strings.Contains(err.Error(), tc.key+": ") || !strings.Contains(err.Error(), "placeholder") {
				t.Fatalf("%s=%q accepted or not named: %v", tc.key, tc.value, err)
			}
			if strings.Count(err.Error(), "\n") != 0 {
				t.Fatalf("more than one problem for one placeholder: %v", err)
			}
			if tc.key != "PALMAID_WECHAT_APP_ID" && len(tc.value) > 3 && strings.Contains(err.Error(), tc.value) {
				t.Fatalf("the secret is echoed: %v", err)
			}
		})
	}
	// All of the README's old runbook placeholders at once: each named.
	s := prodSettings()
	s["PALMAID_WECHAT_APP_ID"], s["PALMAID_WECHAT_APP_SECRET"] = "wx…", "…"
	s["PALMAID_DB_DSN"] = "palmaid:secret@tcp(127.0.0.1:3306)/palmaid"
	_, err := Load(env(s))
	for _, k := range []string{"PALMAID_WECHAT_APP_ID: ", "PALMAID_WECHAT_APP_SECRET: ", "PALMAID_DB_DSN: "} {
		if err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s not named: %v", k, err)
		}
	}
	// Embedded mode keeps the simulator's values.
	if _, err := Load(env(nil)); err != nil {
		t.Fatalf("embedded defaults: %v", err)
	}
}

func TestAuditAnchorAndPolicyHorizon(t *testing.T) {
	c, err := Load(env(map[string]string{"PALMAID_DATA_DIR": "/srv/palmaid"}))
	if err != nil || c.AuditAnchorFile() != "/srv/palmaid/audit-anchors.jsonl" || c.Policy.Horizon != 17568*time.Hour {
		t.Fatalf("defaults: %q %s %v", c.AuditAnchorFile(), c.Policy.Horizon, err)
	}
	for v, file := range map[string]string{"file:/var/log/palmaid/anchors": "/var/log/palmaid/anchors", "syslog": "", "off": ""} {
		if c, err := Load(env(map[string]string{"PALMAID_AUDIT_ANCHOR": v})); err != nil || c.AuditAnchorFile() != file {
			t.Errorf("%s: %q %v", v, c.AuditAnchorFile(), err)
		}
	}
	for _, v := range []string{"file:", "file:relative", "s3", ""} {
		if _, err := Load(env(map[string]string{"PALMAID_AUDIT_ANCHOR": v})); err == nil || !strings.Contains(err.Error(), "PALMAID_AUDIT_ANCHOR") {
			t.Errorf("PALMAID_AUDIT_ANCHOR=%q accepted: %v", v, err)
		}
	}
	for _, v := range []string{"1h", "100000h", "x"} {
		if _, err := Load(env(map[string]string{"PALMAID_POLICY_HORIZON": v})); err == nil || !strings.Contains(err.Error(), "PALMAID_POLICY_HORIZON") {
			t.Errorf("PALMAID_POLICY_HORIZON=%q accepted: %v", v, err)
		}
	}
}

// Issue 19: production refuses to start without a real-name source unless the county says it
// accepts desk verification only (PALMAID_REALNAME_VERIFIER=desk_only).
func TestProductionNeedsRealNameVerifier(t *testing.T) {
	prod := map[string]string{
		"PALMAID_MODE": "production", "PALMAID_DB_DSN": "u:pw@tcp(db:3306)/palmaid", "PALMAID_REDIS_ADDR": "redis:6379",
		"PALMAID_WECHAT_APP_ID": "wx5f3c2a1b9e8d7c6a", "PALMAID_WECHAT_APP_SECRET": "9f86d081884c7d659a2feaa0c55ad015",
		"PALMAID_DATA_KEY": strings.Repeat("ab", 16), "PALMAID_INDEX_KEY": strings.Repeat("cd", 32),
	}
	for _, v := range []string{"", "none"} {
		prod["PALMAID_REALNAME_VERIFIER"] = v
		if _, err := Load(env(prod)); err == nil || !strings.Contains(err.Error(), "PALMAID_REALNAME_VERIFIER") || !strings.Contains(err.Error(), "desk_only") {
			t.Fatalf("production with verifier %q: %v", v, err)
		}
	}
	for _, v := range []string{"desk_only", "wechat_cityservice"} {
		prod["PALMAID_REALNAME_VERIFIER"] = v
		c, err := Load(env(prod))
		if err != nil {
			t.Fatalf("production with verifier %q refused: %v", v, err)
		}
		if c.RealNameVerifierName() != v {
			t.Fatalf("start-up name of %q: %s", v, c.RealNameVerifierName())
		}
	}
	// Embedded: none is desk_only, and the simulator answers when nothing is set.
	c, err := Load(env(map[string]string{"PALMAID_REALNAME_VERIFIER": "none"}))
	if err != nil || c.RealNameVerifierName() != "desk_only" {
		t.Fatalf("embedded none: %v %s", err, c.RealNameVerifierName())
	}
}

func TestUploadBounds(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil || c.Uploads.MaxPixels != 1<<24 || c.Uploads.DecodeSlots != 2 || c.Uploads.DecodeWait != 10*time.Second || c.Uploads.PerAccount != 2 {
		t.Fatalf("defaults: %+v %v", c.Uploads, err)
	}
	c, err = Load(env(map[string]string{"PALMAID_UPLOAD_MAX_PIXELS": "12000000", "PALMAID_UPLOAD_DECODE_SLOTS": "1",
		"PALMAID_UPLOAD_DECODE_WAIT": "0s", "PALMAID_UPLOAD_PER_ACCOUNT": "3"}))
	if err != nil || c.Uploads.MaxPixels != 12_000_000 || c.Uploads.DecodeSlots != 1 || c.Uploads.DecodeWait != 0 || c.Uploads.PerAccount != 3 {
		t.Fatalf("set: %+v %v", c.Uploads, err)
	}
	for k, v := range map[string]string{"PALMAID_UPLOAD_MAX_PIXELS": "999999", "PALMAID_UPLOAD_DECODE_SLOTS": "0",
		"PALMAID_UPLOAD_DECODE_WAIT": "-1s", "PALMAID_UPLOAD_PER_ACCOUNT": "17"} {
		if _, err := Load(env(map[string]string{k: v})); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%q: %v", k, v, err)
		}
	}
	if _, err := Load(env(map[string]string{"PALMAID_UPLOAD_MAX_PIXELS": "50000001"})); err == nil {
		t.Error("over 50 MP accepted")
	}
}

// The limits of issue 19 refuse values that would switch them off, naming the setting; a
// load-test scale is refused in production.
func TestLimitSettingsValidated(t *testing.T) {
	for k, v := range map[string]string{"PALMAID_MAX_OPEN_DRAFTS": "0", "PALMAID_UNMASK_PER_HOUR": "0", "PALMAID_RATE_LIMIT_SCALE": "0"} {
		if _, err := Load(env(map[string]string{k: v})); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%q: %v", k, v, err)
		}
	}
	c := Default()
	if c.Limits.MaxOpenDrafts != 5 || c.Limits.UnmaskPerHour != 30 || c.Limits.RateScale != 1 {
		t.Errorf("defaults: %+v", c.Limits)
	}
	c.Mode, c.Limits.RateScale = ModeProduction, 1000
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "PALMAID_RATE_LIMIT_SCALE") {
		t.Errorf("production with scale 1000: %v", err)
	}
}
