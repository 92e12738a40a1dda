package config

import (
	"os"
	"strings"
	"testing"
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
		"PALMAID_WECHAT_APP_ID": "wx1", "PALMAID_WECHAT_APP_SECRET": "s3cret",
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
	if s := strings.Join([]string{red.Database.DSN, red.WeChat.AppSecret, red.Crypto.DataKeyHex}, " "); strings.Contains(s, "secretpw") || strings.Contains(s, "s3cret") || strings.Contains(s, "abab") {
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
		"PALMAID_WECHAT_APP_ID": "wx1", "PALMAID_WECHAT_APP_SECRET": "s3cret",
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
		"PALMAID_WECHAT_APP_ID": "wx1", "PALMAID_WECHAT_APP_SECRET": "s3cret",
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
