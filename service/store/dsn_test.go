package store_test

import (
	"strings"
	"testing"
	"time"

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
	if got := store.WithLockWait(store.MySQLDSN("u:pw@tcp(db:3306)/palmaid"), 5*time.Second); !strings.HasSuffix(got, "&innodb_lock_wait_timeout=5") {
		t.Errorf("lock wait budget missing: %s", got)
	}
	if got := store.WithLockWait("u@tcp(db)/p?innodb_lock_wait_timeout=9", 5*time.Second); strings.Count(got, "innodb_lock_wait_timeout") != 1 {
		t.Errorf("the DSN's own lock wait was overridden: %s", got)
	}
	own := store.MySQLDSN("u:pw@tcp(db:3306)/palmaid?interpolateParams=false&charset=utf8")
	if strings.Contains(own, "interpolateParams=true") || strings.Contains(own, "utf8mb4") || strings.Count(own, "?") != 1 {
		t.Errorf("the DSN's own settings were overridden: %s", own)
	}
}
