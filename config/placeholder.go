package config

import (
	"regexp"
	"strings"
)

// Placeholders: production refuses the values that documentation, the compose file and the
// simulator use as stand-ins, so a copied example never reaches a live deployment. Each refusal
// names the variable and never repeats a secret.

// appIDRe is the shape of a mini-program AppID: wx and 16 hex characters.
var appIDRe = regexp.MustCompile(`^wx[0-9a-f]{16}$`)

// appSecretRe is the shape of a mini-program AppSecret: 32 hex characters.
var appSecretRe = regexp.MustCompile(`^[0-9a-f]{32}$`)

// exampleValues are values that appear in this repository's documents, tests or simulator.
var exampleValues = map[string]bool{
	"wxsimulator0000001": true, "simulator-secret": true, // embedded mode's simulator
	"wx0123456789abcdef": true, "0123456789abcdef0123456789abcdef": true, // wxsim.DefaultAppID / DefaultAppSecret
	"secret": true, "s3cret": true, "changeme": true, "change-me": true, "password": true, "passw0rd": true,
	"example": true, "placeholder": true, "todo": true, "xxx": true,
}

// isPlaceholder reports a value that stands in for a real one: an ellipsis, angle brackets,
// a documented example, or one character repeated (00000000…).
func isPlaceholder(v string) bool {
	s := strings.ToLower(strings.TrimSpace(v))
	if s == "" {
		return false
	}
	if strings.Contains(s, "…") || strings.Contains(s, "...") || strings.ContainsAny(s, "<>") || exampleValues[s] {
		return true
	}
	return len(s) >= 8 && strings.Count(s, s[:1]) == len(s)
}

// dsnPassword is the password of a user:pass@tcp(...) DSN ("" when there is none).
func dsnPassword(dsn string) string {
	at := strings.LastIndex(dsn, "@")
	if at < 0 {
		return ""
	}
	if i := strings.Index(dsn[:at], ":"); i >= 0 {
		return dsn[i+1 : at]
	}
	return ""
}

// validatePlaceholders adds one refusal per production setting that still holds a placeholder.
func (c *Config) validatePlaceholders(bad func(env, why string)) {
	if c.Mode != ModeProduction {
		return
	}
	const fill = "is a placeholder or example value: "
	if id := c.WeChat.AppID; id != "" && (!appIDRe.MatchString(id) || exampleValues[id]) {
		bad("PALMAID_WECHAT_APP_ID", "is a placeholder, an example or not an AppID: set the mini-program's AppID, wx and 16 hex characters (小程序管理后台 → 开发管理 → 开发设置)")
	}
	if s := c.WeChat.AppSecret; s != "" && (!appSecretRe.MatchString(s) || isPlaceholder(s)) {
		bad("PALMAID_WECHAT_APP_SECRET", "is a placeholder, an example or not an AppSecret: set the mini-program's AppSecret, 32 hex characters (开发管理 → 开发设置)")
	}
	if isPlaceholder(dsnPassword(c.Database.DSN)) {
		bad("PALMAID_DB_DSN", fill+"the database password must be the real one (e.g. openssl rand -hex 16 when creating the user)")
	}
	if isPlaceholder(c.Redis.Password) {
		bad("PALMAID_REDIS_PASSWORD", fill+"set Redis's real password, or leave it empty")
	}
	if isPlaceholder(c.Storage.SecretKey) {
		bad("PALMAID_STORAGE_SECRET_KEY", fill+"set the access key's real secret")
	}
	if isPlaceholder(c.Crypto.DataKeyHex) {
		bad("PALMAID_DATA_KEY", fill+"generate a key with openssl rand -hex 16 and keep it")
	}
	if isPlaceholder(c.Crypto.IndexKeyHex) {
		bad("PALMAID_INDEX_KEY", fill+"generate a key with openssl rand -hex 32 and keep it")
	}
}
