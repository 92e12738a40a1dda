package store_test

import (
	"strings"
	"testing"

	"palmaid/service/store"
)

// A MySQL DSN gets parseTime, UTC, utf8mb4 and client-side parameter interpolation (one round
// trip per query instead of prepare, execute, close) unless it sets them itself.
func TestMySQLDSNDefaults(t *testing.T) {
	got := store.MySQLDSN("u:pw@tcp(db:3306)/palmaid")
	for _, kv := range []string{"parseTime=true", "loc=UTC", "charset=utf8mb4", "interpolateParams=true"} {
		if !strings.Contains(got, kv) {
			t.Errorf("%s: missing %s", got, kv)
		}
	}
	own := store.MySQLDSN("u:pw@tcp(db:3306)/palmaid?interpolateParams=false&charset=utf8")
	if strings.Contains(own, "interpolateParams=true") || strings.Contains(own, "utf8mb4") || strings.Count(own, "?") != 1 {
		t.Errorf("the DSN's own settings were overridden: %s", own)
	}
}
