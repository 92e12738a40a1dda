package cli

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"palmaid/model"
	"palmaid/service/auditlog"
	"palmaid/service/auth"
	"palmaid/service/store"
	"palmaid/service/testenv"
)

type result struct {
	code           int
	stdout, stderr string
}

func runMain(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	code := Main("test", args, lookup, strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

// embeddedEnv is an embedded-mode environment with its own data directory.
func embeddedEnv(t *testing.T, extra ...string) map[string]string {
	env := map[string]string{"PALMAID_DATA_DIR": t.TempDir(), "PALMAID_HTTP_ADDR": "127.0.0.1:0", "PALMAID_PASSWORD_COST": "4", "PALMAID_LOG_LEVEL": "error"}
	for i := 0; i+1 < len(extra); i += 2 {
		env[extra[i]] = extra[i+1]
	}
	return env
}

// closedPort is a loopback address nothing listens on, held for the whole test: the socket is
// bound but never listening, so a connection is refused and no other process on the machine (CI
// runs many) can take the port between the choice and the use, as a closed listener's could.
func closedPort(t *testing.T) string {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("127.0.0.1:%d", sa.(*syscall.SockaddrInet4).Port)
}

// oneLineFailure checks the shape every start-up failure must have: exit status 1, one line on
// stderr with the cause and the fix, and no panic.
func oneLineFailure(t *testing.T, r result, want ...string) {
	t.Helper()
	if r.code != 1 {
		t.Fatalf("exit status %d, want 1; stderr: %s", r.code, r.stderr)
	}
	if strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "palmaid: ") {
		t.Fatalf("stderr is not one line starting with \"palmaid: \": %q", r.stderr)
	}
	if strings.Contains(r.stderr+r.stdout, "panic") || strings.Contains(r.stderr+r.stdout, "goroutine ") {
		t.Fatalf("panic: %s %s", r.stderr, r.stdout)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr lacks %q: %s", w, r.stderr)
		}
	}
}

func TestStartupFailuresExplainThemselves(t *testing.T) {
	t.Run("missing schema", func(t *testing.T) {
		r := runMain(t, embeddedEnv(t, "PALMAID_AUTO_MIGRATE", "false"), "", "serve")
		oneLineFailure(t, r, "database schema", "is at version 0", "run `palmaid migrate up`")
	})
	t.Run("redis down", func(t *testing.T) {
		addr := closedPort(t)
		r := runMain(t, embeddedEnv(t, "PALMAID_REDIS_ADDR", addr), "", "serve")
		oneLineFailure(t, r, "Redis at "+addr, "connection refused", "is Redis running there?", "PALMAID_REDIS_ADDR")
	})
	t.Run("database unreachable", func(t *testing.T) {
		addr := closedPort(t)
		r := runMain(t, embeddedEnv(t, "PALMAID_DB_DRIVER", "mysql", "PALMAID_DB_DSN", "palmaid:pw@tcp("+addr+")/palmaid"), "", "serve")
		oneLineFailure(t, r, "connect to the mysql database at "+addr, "connection refused", "is MariaDB/MySQL running", "PALMAID_DB_DSN")
		if strings.Contains(r.stderr, ":pw@") {
			t.Fatalf("the DSN's password is shown: %s", r.stderr)
		}
	})
	t.Run("bad config", func(t *testing.T) {
		r := runMain(t, embeddedEnv(t, "PALMAID_MODE", "staging"), "", "serve")
		oneLineFailure(t, r, "PALMAID_MODE: must be embedded or production", "fix the variables named here")
		r = runMain(t, embeddedEnv(t, "PALMAID_SESSION_TTL", "soon"), "", "serve")
		oneLineFailure(t, r, "PALMAID_SESSION_TTL: not a duration", "fix the variables named here")
	})
	t.Run("production without settings", func(t *testing.T) {
		r := runMain(t, map[string]string{"PALMAID_MODE": "production"}, "", "serve")
		oneLineFailure(t, r, "PALMAID_DB_DSN", "PALMAID_REDIS_ADDR", "PALMAID_DATA_KEY")
	})
	t.Run("address in use", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		r := runMain(t, embeddedEnv(t, "PALMAID_HTTP_ADDR", ln.Addr().String()), "", "serve")
		oneLineFailure(t, r, "listen on "+ln.Addr().String(), "address already in use", "PALMAID_HTTP_ADDR")
	})
	t.Run("mariadb", func(t *testing.T) {
		testenv.Require(t, "mariadb")
		be := testenv.NewEmpty(t, "mariadb")
		prod := func(dsn string) map[string]string {
			return map[string]string{
				"PALMAID_MODE": "production", "PALMAID_DB_DSN": dsn, "PALMAID_REDIS_ADDR": be.Config.Redis.Addr,
				"PALMAID_REDIS_PREFIX": be.Config.Redis.KeyPrefix, "PALMAID_HTTP_ADDR": "127.0.0.1:0", "PALMAID_LOG_LEVEL": "error",
				"PALMAID_WECHAT_APP_ID": "wx5f3c2a1b9e8d7c6a", "PALMAID_WECHAT_APP_SECRET": "9f86d081884c7d659a2feaa0c55ad015", "PALMAID_REALNAME_VERIFIER": "desk_only",
				"PALMAID_DATA_KEY": strings.Repeat("ab", 16), "PALMAID_INDEX_KEY": strings.Repeat("cd", 32),
			}
		}
		// The production section of the README: serve before migrate up.
		oneLineFailure(t, runMain(t, prod(be.Config.Database.DSN), "", "serve"), "database schema", "run `palmaid migrate up`")
		// The DSN's user was never created.
		c, err := mysql.ParseDSN(be.Config.Database.DSN)
		testenv.Must(t, err)
		c.User, c.Passwd = "palmaid_nobody", "wrong-password"
		oneLineFailure(t, runMain(t, prod(c.FormatDSN()), "", "serve"), "Access denied", "create the user and grant it the database")
		if r := runMain(t, prod(c.FormatDSN()), "", "serve"); strings.Contains(r.stderr, "wrong-password") {
			t.Fatalf("password shown: %s", r.stderr)
		}
		// Then migrate up works and says so.
		if r := runMain(t, prod(be.Config.Database.DSN), "", "migrate", "up"); r.code != 0 || !strings.Contains(r.stdout, "schema at version") {
			t.Fatalf("migrate up: %+v", r)
		}
	})
}

func TestHelp(t *testing.T) {
	r := runMain(t, nil, "", "help")
	if r.code != 0 {
		t.Fatalf("help: %+v", r)
	}
	for _, c := range commands {
		if !strings.Contains(r.stdout, c.usage) {
			t.Errorf("help lacks %q", c.usage)
		}
		// --help never runs the command: the configuration here is invalid, and nothing fails.
		for _, h := range []string{"--help", "-h"} {
			args := []string{c.name, h}
			if sub := map[string]string{"migrate": "up", "admin": "bootstrap", "calendar": "load", "areas": "import"}[c.name]; sub != "" {
				args = []string{c.name, sub, h}
			}
			r := runMain(t, map[string]string{"PALMAID_MODE": "bogus"}, "", args...)
			want := "usage: " + c.usage
			if c.name == "help" {
				want = c.usage
			}
			if r.code != 0 || !strings.Contains(r.stdout, want) {
				t.Errorf("%v: %+v", args, r)
			}
		}
	}
	if r := runMain(t, nil, "", "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, `unknown command "frobnicate"`) || !strings.Contains(r.stderr, "palmaid migrate up|status") {
		t.Fatalf("unknown command: %+v", r)
	}
}

// `migrate` alone used to run `up` silently; now it prints its usage and touches nothing.
func TestMigrateAlonePrintsUsage(t *testing.T) {
	env := embeddedEnv(t)
	r := runMain(t, env, "", "migrate")
	if r.code != 2 || !strings.Contains(r.stderr, "migrate needs a sub-command: up or status") || !strings.Contains(r.stderr, "usage: palmaid migrate up|status") {
		t.Fatalf("migrate alone: %+v", r)
	}
	if r := runMain(t, env, "", "migrate", "sideways"); r.code != 2 || !strings.Contains(r.stderr, `unknown migrate command "sideways"`) {
		t.Fatalf("migrate sideways: %+v", r)
	}
	r = runMain(t, env, "", "migrate", "status")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "schema version 0,") {
		t.Fatalf("after `migrate` alone the schema must still be empty: %+v", r)
	}
}

func TestAdminBootstrap(t *testing.T) {
	env := embeddedEnv(t)
	args := []string{"admin", "bootstrap", "--username", "chen_admin", "--area", "371522000000", "--name", "陈管理员"}
	oneLineFailure(t, runMain(t, env, "a-long-enough-password\n", args...), "database schema", "run `palmaid migrate up` first")
	if r := runMain(t, env, "", "migrate", "up"); r.code != 0 {
		t.Fatalf("migrate up: %+v", r)
	}
	// The password is never an argument; a short one is refused.
	if r := runMain(t, env, "", append(args, "a-long-enough-password")...); r.code != 2 || !strings.Contains(r.stderr, "never an argument") {
		t.Fatalf("password as argument: %+v", r)
	}
	oneLineFailure(t, runMain(t, env, "short\n", args...), "at least 12 characters")
	if r := runMain(t, env, "", "admin", "bootstrap", "--username", "chen_admin", "--area", "3715"); r.code != 2 || !strings.Contains(r.stderr, "--area") {
		t.Fatalf("bad area: %+v", r)
	}

	r := runMain(t, env, "a-long-enough-password\n", args...)
	if r.code != 0 || !strings.Contains(r.stdout, `administrator "chen_admin" created`) {
		t.Fatalf("bootstrap: %+v", r)
	}
	st, err := store.Open(store.Options{Driver: "sqlite", DSN: env["PALMAID_DATA_DIR"] + "/palmaid.db", MaxOpenConns: 2})
	testenv.Must(t, err)
	defer st.Close()
	s, err := st.StaffByUsername(context.Background(), "chen_admin")
	testenv.Must(t, err)
	if s.Role != model.RoleAdmin || s.AreaCode != "371522000000" || s.DisplayName != "陈管理员" || !s.Active {
		t.Fatalf("account: %+v", s)
	}
	if !auth.CheckPassword(s.PasswordHash, "a-long-enough-password") {
		t.Fatal("the stored hash does not match the password read from stdin")
	}
	// Only the first administrator.
	oneLineFailure(t, runMain(t, env, "another-long-password\n", "admin", "bootstrap", "--username", "second", "--area", "371522000000"),
		"refused: 1 administrator account(s) already exist")
}

func TestCalendarLoadCommand(t *testing.T) {
	env := embeddedEnv(t, "PALMAID_DEMO_SEED", "false")
	if r := runMain(t, env, "", "migrate", "up"); r.code != 0 {
		t.Fatalf("migrate up: %+v", r)
	}
	if r := runMain(t, env, "a-long-enough-password\n", "admin", "bootstrap", "--username", "root_admin", "--area", "371522000000"); r.code != 0 {
		t.Fatalf("bootstrap: %+v", r)
	}
	fixture := "../api/server/testdata/calendar-2027-fixture.json"
	if r := runMain(t, env, "", "calendar", "load", "2027", fixture); r.code != 2 || !strings.Contains(r.stderr, "--as USERNAME") {
		t.Fatalf("without --as: %+v", r)
	}
	r := runMain(t, env, "", "calendar", "load", "2027", fixture, "--as", "root_admin")
	if r.code != 0 || !strings.Contains(r.stdout, "calendar 2027 loaded from") || !strings.Contains(r.stdout, "3 days") {
		t.Fatalf("load: %+v", r)
	}
	// A bad file is refused with the field named, on one line.
	bad := t.TempDir() + "/bad.json"
	testenv.Must(t, os.WriteFile(bad, []byte(`{"source":"x","days":[{"date":"2028-01-01","kind":"holiday","name":"元旦"}]}`), 0o600))
	oneLineFailure(t, runMain(t, env, "", "calendar", "load", "2027", bad, "--as", "root_admin"), "days[0].date")
	// 2027 is in use now: a second load is a proposal another administrator confirms
	r = runMain(t, env, "", "calendar", "load", "2027", fixture, "--as", "root_admin")
	if r.code != 0 || !strings.Contains(r.stdout, "calendar 2027 is in use: the change is proposal") {
		t.Fatalf("second load: %+v", r)
	}
	// with a second county loaded, this county's administrator no longer writes the calendar
	st, err := store.Open(store.Options{Driver: "sqlite", DSN: env["PALMAID_DATA_DIR"] + "/palmaid.db", MaxOpenConns: 2})
	testenv.Must(t, err)
	defer st.Close()
	testenv.Must(t, st.InsertAreas(context.Background(), []model.Area{{Code: "371521000000", ParentCode: "371500000000", Name: "阳谷县", Level: model.LevelCounty}}))
	oneLineFailure(t, runMain(t, env, "", "calendar", "load", "2028", fixture, "--as", "root_admin"), "calendar.installation_only")
}

// palmaid audit verify: intact after the sealer ran; a changed row is named, exit 1.
func TestAuditVerifyCommand(t *testing.T) {
	env := embeddedEnv(t)
	if r := runMain(t, env, "", "migrate", "up"); r.code != 0 {
		t.Fatalf("migrate up: %+v", r)
	}
	if r := runMain(t, env, "", "audit"); r.code != 2 {
		t.Fatalf("audit without verify: %+v", r)
	}
	st, err := store.Open(store.Options{Driver: "sqlite", DSN: env["PALMAID_DATA_DIR"] + "/palmaid.db", MaxOpenConns: 2})
	testenv.Must(t, err)
	defer st.Close()
	ctx := context.Background()
	old := time.Now().Add(-time.Hour)
	for i := range 3 {
		testenv.Must(t, st.Audit(ctx, &model.AuditLog{ActorType: model.ActorStaff, ActorID: 1, Action: "case.view", Detail: fmt.Sprint(i), CreatedAt: old}))
	}
	if n, err := st.SealAudit(ctx, time.Now().Add(-2*time.Minute), 100); n != 3 || err != nil {
		t.Fatalf("seal: %d %v", n, err)
	}
	if r := runMain(t, env, "", "audit", "verify"); r.code != 0 || !strings.Contains(r.stdout, "audit chain intact: 3 rows checked") {
		t.Fatalf("verify: %+v", r)
	}
	testenv.Must(t, st.Audit(ctx, &model.AuditLog{ActorType: model.ActorStaff, ActorID: 1, Action: "x", CreatedAt: old}))
	if _, err := st.SealAudit(ctx, time.Now(), 100); err != nil {
		t.Fatal(err)
	}
	// Someone with database access rewrites what an officer did.
	db, err := sql.Open("sqlite3", env["PALMAID_DATA_DIR"]+"/palmaid.db")
	testenv.Must(t, err)
	defer db.Close()
	if _, err := db.Exec("UPDATE audit_logs SET detail = 'nothing to see' WHERE detail = '1'"); err != nil {
		t.Fatal(err)
	}
	oneLineFailure(t, runMain(t, env, "", "audit", "verify"), "audit chain broken at row 2", "hash does not match")
}

// Findings (issue 19) on a copy of a production database: the newest sealed rows deleted, and a
// row edited before it was sealed, each left `audit verify` saying intact. Now the anchor file
// names the cut tail (exit 1), unsealed rows are counted, rows the sealer left behind for more
// than ten minutes fail the check, and an accepted gap lets the sealer go on.
func TestAuditVerifyFindsCutTailAndStalledSeal(t *testing.T) {
	env := embeddedEnv(t)
	if r := runMain(t, env, "", "migrate", "up"); r.code != 0 {
		t.Fatalf("migrate up: %+v", r)
	}
	st, err := store.Open(store.Options{Driver: "sqlite", DSN: env["PALMAID_DATA_DIR"] + "/palmaid.db", MaxOpenConns: 2})
	testenv.Must(t, err)
	defer st.Close()
	ctx := context.Background()
	raw, err := sql.Open("sqlite3", env["PALMAID_DATA_DIR"]+"/palmaid.db")
	testenv.Must(t, err)
	defer raw.Close()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-time.Hour)
	var ids []uint64
	for i := range 4 {
		a := model.AuditLog{ActorType: model.ActorStaff, ActorID: 1, Action: "case.view", Detail: fmt.Sprint(i), CreatedAt: old}
		testenv.Must(t, st.Audit(ctx, &a))
		ids = append(ids, a.ID)
	}
	if n, err := st.SealAudit(ctx, time.Now().Add(-2*time.Minute), 100); n != 4 || err != nil {
		t.Fatalf("seal: %d %v", n, err)
	}
	anchors := auditlog.FileAnchors{Path: env["PALMAID_DATA_DIR"] + "/audit-anchors.jsonl"}
	if a, err := auditlog.WriteAnchor(ctx, st, anchors, time.Now()); err != nil || a == nil || a.LastID != ids[3] {
		t.Fatalf("anchor: %+v %v", a, err)
	}
	fresh := model.AuditLog{ActorType: model.ActorStaff, ActorID: 1, Action: "case.view", Detail: "fresh", CreatedAt: time.Now()}
	testenv.Must(t, st.Audit(ctx, &fresh))
	if r := runMain(t, env, "", "audit", "verify"); r.code != 0 || !strings.Contains(r.stdout, "matches the anchor") || !strings.Contains(r.stdout, "not sealed yet: 1 rows") {
		t.Fatalf("verify: %+v", r)
	}
	exec("DELETE FROM audit_logs WHERE id >= ?", ids[2])
	oneLineFailure(t, runMain(t, env, "", "audit", "verify"), fmt.Sprintf("audit chain broken at row %d", ids[3]), "newest sealed rows were removed")

	// the cut put back as an explained gap is not enough: the anchor still names the rows
	exec("DELETE FROM audit_logs")
	testenv.Must(t, os.Remove(anchors.Path))
	for i := range 3 {
		a := model.AuditLog{ActorType: model.ActorStaff, ActorID: 1, Action: "case.view", Detail: fmt.Sprint(i), CreatedAt: old}
		testenv.Must(t, st.Audit(ctx, &a))
		ids[i] = a.ID
	}
	exec("DELETE FROM audit_logs WHERE id = ?", ids[1])
	if _, err := st.SealAudit(ctx, time.Now().Add(-2*time.Minute), 100); err == nil {
		t.Fatal("the sealer chained over a removed row")
	}
	oneLineFailure(t, runMain(t, env, "", "audit", "verify"), "1 rows older than 10m0s are not sealed")
	if r := runMain(t, env, "", "audit", "accept-gap", "--reason", "short"); r.code != 2 {
		t.Fatalf("accept-gap without a reason: %+v", r)
	}
	if r := runMain(t, env, "", "audit", "accept-gap", "--reason", "rolled back during the outage of 3 Dec"); r.code != 0 || !strings.Contains(r.stdout, fmt.Sprintf("rows %d–%d", ids[1], ids[1])) {
		t.Fatalf("accept-gap: %+v", r)
	}
	if n, err := st.SealAudit(ctx, time.Now().Add(-2*time.Minute), 100); n != 2 || err != nil {
		t.Fatalf("seal after accept-gap: %d %v", n, err)
	}
	if r := runMain(t, env, "", "audit", "verify"); r.code != 0 || !strings.Contains(r.stdout, "intact: 3 rows checked") {
		t.Fatalf("verify after accept-gap: %+v", r)
	}
}

// palmaid areas import: the 莘县 extract (its real 24 towns and 878 villages) under an
// administrator, a dry run first; a second run changes nothing; a bad file names its row on one
// line. palmaid areas extract makes that file from the dataset's CSV files.
func TestAreasImportCommand(t *testing.T) {
	env := embeddedEnv(t, "PALMAID_DEMO_SEED", "false")
	if r := runMain(t, env, "", "migrate", "up"); r.code != 0 {
		t.Fatalf("migrate up: %+v", r)
	}
	if r := runMain(t, env, "a-long-enough-password\n", "admin", "bootstrap", "--username", "sx_admin", "--area", "371522000000"); r.code != 0 {
		t.Fatalf("bootstrap: %+v", r)
	}
	extract := "../docs/areas/shenxian-371522.csv"
	if r := runMain(t, env, "", "areas", "import", extract); r.code != 2 || !strings.Contains(r.stderr, "--as USERNAME") {
		t.Fatalf("without --as: %+v", r)
	}
	if r := runMain(t, env, "", "areas"); r.code != 2 || !strings.Contains(r.stderr, "areas needs a sub-command: import or extract") {
		t.Fatalf("areas alone: %+v", r)
	}
	r := runMain(t, env, "", "areas", "import", "--dry-run", extract, "--as", "sx_admin")
	if r.code != 0 || !strings.Contains(r.stdout, "dry run, nothing changed") || !strings.Contains(r.stdout, "905 added") ||
		!strings.Contains(r.stdout, "add        371522001000 燕塔街道（乡镇（街道））") {
		t.Fatalf("dry run: %+v", r)
	}
	r = runMain(t, env, "", "areas", "import", extract, "--as", "sx_admin", "--within", "371522")
	if r.code != 0 || !strings.Contains(r.stdout, "areas imported (within 371522000000): 905 rows, 905 added") {
		t.Fatalf("import: %+v", r)
	}
	r = runMain(t, env, "", "areas", "import", extract, "--as", "sx_admin", "--within", "371522")
	if r.code != 0 || !strings.Contains(r.stdout, "0 added, 0 renamed, 0 reactivated, 0 marked inactive, 905 unchanged") {
		t.Fatalf("second import: %+v", r)
	}
	st, err := store.Open(store.Options{Driver: "sqlite", DSN: env["PALMAID_DATA_DIR"] + "/palmaid.db", MaxOpenConns: 2})
	testenv.Must(t, err)
	defer st.Close()
	a, err := st.GetArea(context.Background(), "371522121000")
	testenv.Must(t, err)
	if a.Name != "俎店镇" || a.ParentCode != "371522000000" || !a.Active {
		t.Fatalf("stored town: %+v", a)
	}
	// the real villages, under their towns: 孙庄村委会 of 古云镇, 振兴社区居民委员会 of 燕塔街道, the last
	// village of 俎店镇
	for code, want := range map[string][2]string{
		"371522106200": {"孙庄村委会", "371522106000"},
		"371522001002": {"振兴社区居民委员会", "371522001000"},
		"371522103201": {"大吕海村委会", "371522103000"},
	} {
		v, err := st.GetArea(context.Background(), code)
		testenv.Must(t, err)
		if v.Name != want[0] || v.ParentCode != want[1] || v.Level != model.LevelVillage || !v.Active {
			t.Fatalf("stored village %s: %+v", code, v)
		}
	}
	towns, err := st.ActiveAreaCodesUnder(context.Background(), "371522000000", []int{model.LevelTown})
	testenv.Must(t, err)
	villages, err := st.ActiveAreaCodesUnder(context.Background(), "371522000000", []int{model.LevelVillage})
	testenv.Must(t, err)
	if len(towns) != 24 || len(villages) != 878 {
		t.Fatalf("莘县: %d towns, %d villages", len(towns), len(villages))
	}
	// areas extract: a town's share of the extract, as a file import reads (no database needed)
	out := t.TempDir() + "/guyun.csv"
	if r := runMain(t, env, "", "areas", "extract", "--within", "371522106", "-o", out, extract); r.code != 0 ||
		!strings.Contains(r.stdout, "areas extract: 40 rows within 371522106 written to") {
		t.Fatalf("extract: %+v", r)
	}
	if r := runMain(t, env, "", "areas", "import", out, "--as", "sx_admin", "--within", "371522106", "--dry-run"); r.code != 0 ||
		!strings.Contains(r.stdout, "40 rows, 0 added, 0 renamed, 0 reactivated, 0 marked inactive, 40 unchanged") {
		t.Fatalf("import of the extract: %+v", r)
	}
	if r := runMain(t, env, "", "areas", "extract", extract); r.code != 2 || !strings.Contains(r.stderr, "--within CODE") {
		t.Fatalf("extract without --within: %+v", r)
	}
	bad := t.TempDir() + "/bad.csv"
	testenv.Must(t, os.WriteFile(bad, []byte("code,name,areaCode\n371522001,燕塔街道,371521\n"), 0o600))
	oneLineFailure(t, runMain(t, env, "", "areas", "import", bad, "--as", "sx_admin"), "rows[2].parent")
}
