package testenv

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"palmaid/service/store"
)

// Migrating a fresh schema for every test was most of the suite's time (every goose migration,
// ~40 tables, on each of ~100 subtests per backend). The migrations now run once per digest of
// the migration files into a template, and each test copies it. Nothing is kept in memory
// between tests: the templates live on disk and in MariaDB, so every test binary (and every
// run) finds the one a previous binary built, and a changed migration file changes the digest.

// templateVersion changes when the way templates are built changes (not the schema: that is
// the digest's job).
const templateVersion = "1"

// copySQLiteTemplate writes a migrated database file at path.
func copySQLiteTemplate(t testing.TB, path string) {
	t.Helper()
	tpl, err := sqliteTemplate(t)
	if err != nil {
		t.Fatalf("testenv: SQLite schema template: %v", err)
	}
	if err := copyFile(tpl, path); err != nil {
		t.Fatalf("testenv: copy the SQLite schema template: %v", err)
	}
}

// sqliteTemplate returns the path of the migrated template file, building it first when no
// test binary has yet. Building happens in the test's own temp directory; the finished file is
// renamed into place, so a concurrent builder or reader never sees half a file.
func sqliteTemplate(t testing.TB) (string, error) {
	digest, err := store.MigrationsDigest("sqlite")
	if err != nil {
		return "", err
	}
	dir := filepath.Join(os.TempDir(), "palmaid-testenv")
	path := filepath.Join(dir, "sqlite-v"+templateVersion+"-"+digest[:16]+".db")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	build := filepath.Join(t.TempDir(), "template.db")
	st, err := store.Open(store.Options{Driver: "sqlite", DSN: build, MaxOpenConns: 1})
	if err != nil {
		return "", err
	}
	_, err = st.MigrateUp(context.Background())
	// Closing the last connection checkpoints the write-ahead log into the file and removes it.
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	if fi, err := os.Stat(build + "-wal"); err == nil && fi.Size() > 0 {
		return "", fmt.Errorf("the write-ahead log of %s was not checkpointed at close", build)
	}
	tmp, err := os.CreateTemp(dir, "building-*.db")
	if err != nil {
		return "", err
	}
	_ = tmp.Close()
	if err := copyFile(build, tmp.Name()); err != nil {
		_ = os.Remove(tmp.Name())
		return "", err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		_ = os.Remove(tmp.Name())
		return "", err
	}
	return path, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

// mysqlTemplate returns the name of the migrated template database (<prefix>_tpl_<digest>),
// building it when it is missing or was left half-built. A named lock (GET_LOCK) makes test
// binaries running at the same time wait for one builder. Templates are never dropped by the
// tests that use them (CI drops its own prefix's databases at the end); any <prefix>_tpl_*
// database can be dropped by hand at any time no test runs.
func mysqlTemplate(t testing.TB, admin *sql.DB, server *mysql.Config, prefix string) string {
	t.Helper()
	digest, err := store.MigrationsDigest("mysql")
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	name := prefix + "_tpl_v" + templateVersion + "_" + digest[:12]
	ctx := context.Background()
	conn, err := admin.Conn(ctx)
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	defer conn.Close()
	lockName := "palmaid-testenv-" + name
	var got sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, 600)", lockName).Scan(&got); err != nil || got.Int64 != 1 {
		t.Fatalf("testenv: wait for the template database %s (GET_LOCK: %v, %v)", name, got, err)
	}
	defer conn.ExecContext(ctx, "SELECT RELEASE_LOCK(?)", lockName) //nolint:errcheck // the connection's close releases it too
	if ready, err := templateReady(ctx, conn, server, name); err != nil {
		t.Fatalf("testenv: template database %s: %v", name, err)
	} else if ready {
		return name
	}
	if err := buildMySQLTemplate(ctx, conn, server, prefix, name); err != nil {
		t.Fatalf("testenv: build the template database %s: %v", name, err)
	}
	return name
}

// templateReady: the database exists and goose recorded this binary's newest migration in it
// (goose records a migration after it succeeded, so a builder that died midway leaves it not
// ready).
func templateReady(ctx context.Context, conn *sql.Conn, server *mysql.Config, name string) (bool, error) {
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = 'goose_db_version'", name).Scan(&n); err != nil || n == 0 {
		return false, err
	}
	c := server.Clone()
	c.DBName = name
	st, err := store.Open(store.Options{Driver: "mysql", DSN: c.FormatDSN(), MaxOpenConns: 2})
	if err != nil {
		return false, err
	}
	defer st.Close()
	current, latest, err := st.SchemaVersion(ctx)
	if err != nil {
		return false, err
	}
	return current == latest, nil
}

func buildMySQLTemplate(ctx context.Context, conn *sql.Conn, server *mysql.Config, prefix, name string) error {
	// A half-built template of this digest goes, and so do templates of other digests built
	// more than a day ago (a checkout with other migrations may be using a recent one now).
	stale, err := stringsOf(ctx, conn, `SELECT s.schema_name FROM information_schema.schemata s
		LEFT JOIN information_schema.tables t ON t.table_schema = s.schema_name AND t.table_name = 'goose_db_version'
		WHERE s.schema_name LIKE ? AND (s.schema_name = ? OR t.create_time < NOW() - INTERVAL 1 DAY)`,
		likeEscape(prefix+"_tpl_")+"%", name)
	if err != nil {
		return err
	}
	for _, db := range stale {
		if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS `"+db+"`"); err != nil {
			return err
		}
	}
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE `"+name+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		return err
	}
	c := server.Clone()
	c.DBName = name
	st, err := store.Open(store.Options{Driver: "mysql", DSN: c.FormatDSN(), MaxOpenConns: 2})
	if err != nil {
		return err
	}
	defer st.Close()
	_, err = st.MigrateUp(ctx)
	return err
}

// cloneDatabase creates every table of from in to (SHOW CREATE TABLE: columns, keys, foreign
// keys, AUTO_INCREMENT counters) and copies the rows the migrations seeded. Foreign keys are
// not checked while the tables appear, in whatever order.
func cloneDatabase(ctx context.Context, admin *sql.DB, from, to string) error {
	conn, err := admin.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tables, err := baseTables(ctx, conn, from)
	if err != nil {
		return err
	}
	if len(tables) == 0 {
		return errors.New("the template has no tables")
	}
	if _, err := conn.ExecContext(ctx, "USE `"+to+"`"); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "SET SESSION foreign_key_checks = 0"); err != nil {
		return err
	}
	defer conn.ExecContext(ctx, "SET SESSION foreign_key_checks = 1") //nolint:errcheck // the connection is closed right after
	for _, tbl := range tables {
		var n, ddl string
		if err := conn.QueryRowContext(ctx, "SHOW CREATE TABLE `"+from+"`.`"+tbl+"`").Scan(&n, &ddl); err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, ddl); err != nil {
			return fmt.Errorf("%s: %w", tbl, err)
		}
	}
	has, err := holdRows(ctx, conn, qualified(from, tables))
	if err != nil {
		return err
	}
	for i, tbl := range tables {
		if has[i] {
			if err := copyRows(ctx, conn, from, to, tbl); err != nil {
				return err
			}
		}
	}
	return nil
}

// baseTables lists the tables of schema.
func baseTables(ctx context.Context, conn *sql.Conn, schema string) ([]string, error) {
	return stringsOf(ctx, conn, "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name", schema)
}

func qualified(schema string, tables []string) []string {
	out := make([]string, len(tables))
	for i, tbl := range tables {
		out[i] = "`" + schema + "`.`" + tbl + "`"
	}
	return out
}

// holdRows says, in one statement, which of the (qualified) tables hold rows.
func holdRows(ctx context.Context, conn *sql.Conn, tables []string) ([]bool, error) {
	parts := make([]string, len(tables))
	for i, tbl := range tables {
		parts[i] = "EXISTS (SELECT 1 FROM " + tbl + ")"
	}
	has := make([]bool, len(tables))
	dst := make([]any, len(tables))
	for i := range has {
		dst[i] = &has[i]
	}
	return has, conn.QueryRowContext(ctx, "SELECT "+strings.Join(parts, ", ")).Scan(dst...)
}

func copyRows(ctx context.Context, conn *sql.Conn, from, to, tbl string) error {
	if _, err := conn.ExecContext(ctx, "INSERT INTO `"+to+"`.`"+tbl+"` SELECT * FROM `"+from+"`.`"+tbl+"`"); err != nil {
		return fmt.Errorf("copy the rows of %s: %w", tbl, err)
	}
	return nil
}

func stringsOf(ctx context.Context, conn *sql.Conn, query string, args ...any) ([]string, error) {
	rows, err := conn.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `_`, `\_`, `%`, `\%`).Replace(s)
}

// On MariaDB even copying the template is slow — each CREATE TABLE and DROP is a file created
// or removed and synced, about 2 s for the ~40 tables — so a test's database comes from a pool:
// databases named <prefix>_pool_<digest>_<hex>, each either in use by one test, which holds a
// named lock (GET_LOCK) of the same name on a connection of its own until it ends, or free.
// A test claims a free one and empties it first: the tables holding rows are emptied and the
// rows the migrations seeded put back, after checking that its tables, columns and keys are
// still the template's (a database some test altered, or a copy a killed test left half made,
// is dropped and another claimed). A process that dies releases its locks with its
// connections, so no database is lost to a crash. Auto-increment counters are not reset: ids
// in a test's database do not start at 1 (nothing may assume they do).

// pooledDatabase claims a database of the pool for t (made by copying the template when none
// is free) and returns its name; the claim ends with t.
func pooledDatabase(t testing.TB, ctx context.Context, admin *sql.DB, server *mysql.Config, prefix string) string {
	t.Helper()
	tpl := mysqlTemplate(t, admin, server, prefix)
	pool := prefix + "_pool_" + tpl[strings.LastIndex(tpl, "_")+1:] + "_"
	holder, err := sql.Open("mysql", server.FormatDSN())
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	conn, err := holder.Conn(ctx)
	if err != nil {
		_ = holder.Close()
		t.Fatalf("testenv: %v", err)
	}
	t.Cleanup(func() {
		_ = conn.Close() // closing the session releases its named lock
		_ = holder.Close()
	})
	lock := func(name string) bool {
		var got sql.NullInt64
		err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, 0)", name).Scan(&got)
		return err == nil && got.Int64 == 1
	}
	names, err := stringsOf(ctx, conn, "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE ?", likeEscape(pool)+"%")
	if err != nil {
		t.Fatalf("testenv: list the pool %s*: %v", pool, err)
	}
	for _, i := range mrand.Perm(len(names)) {
		name := names[i]
		if !lock(name) {
			continue // in use
		}
		err := resetDatabase(ctx, conn, tpl, name)
		if err == nil {
			return name
		}
		t.Logf("testenv: %s is not the template's any more (%v): dropped", name, err)
		if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS `"+name+"`"); err != nil {
			t.Fatalf("testenv: drop %s: %v", name, err)
		}
		_, _ = conn.ExecContext(ctx, "SELECT RELEASE_LOCK(?)", name)
	}
	name := pool + randHex(4)
	if !lock(name) {
		t.Fatalf("testenv: could not lock the new pool database %s", name)
	}
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE `"+name+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		t.Fatalf("testenv: create %s: %v", name, err)
	}
	if err := cloneDatabase(ctx, admin, tpl, name); err != nil {
		t.Fatalf("testenv: copy the template database %s into %s: %v", tpl, name, err)
	}
	return name
}

// resetDatabase makes db what the template is: same tables, columns and keys (else an error),
// and the same rows.
func resetDatabase(ctx context.Context, conn *sql.Conn, tpl, db string) error {
	if _, err := conn.ExecContext(ctx, "SET SESSION group_concat_max_len = 16777216"); err != nil {
		return err
	}
	want, err := fingerprint(ctx, conn, tpl)
	if err != nil {
		return err
	}
	if got, err := fingerprint(ctx, conn, db); err != nil {
		return err
	} else if got != want {
		return errors.New("its tables, columns or keys differ from the template's")
	}
	tables, err := baseTables(ctx, conn, tpl)
	if err != nil {
		return err
	}
	inDB, err := holdRows(ctx, conn, qualified(db, tables))
	if err != nil {
		return err
	}
	inTpl, err := holdRows(ctx, conn, qualified(tpl, tables))
	if err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "SET SESSION foreign_key_checks = 0"); err != nil {
		return err
	}
	defer conn.ExecContext(ctx, "SET SESSION foreign_key_checks = 1") //nolint:errcheck // best effort; the session is this claim's own
	for i, tbl := range tables {
		if inDB[i] {
			if _, err := conn.ExecContext(ctx, "DELETE FROM `"+db+"`.`"+tbl+"`"); err != nil {
				return err
			}
		}
		if inTpl[i] {
			if err := copyRows(ctx, conn, tpl, db, tbl); err != nil {
				return err
			}
		}
	}
	return nil
}

// fingerprint digests schema's columns, indexes and foreign keys as information_schema
// reports them.
func fingerprint(ctx context.Context, conn *sql.Conn, schema string) (string, error) {
	var fp string
	err := conn.QueryRowContext(ctx, `SELECT CONCAT(
		(SELECT COALESCE(MD5(GROUP_CONCAT(CONCAT_WS(':', table_name, column_name, column_type, is_nullable,
			COALESCE(column_default, '~'), extra, generation_expression) ORDER BY table_name, ordinal_position SEPARATOR ';')), '')
			FROM information_schema.columns WHERE table_schema = ?), '/',
		(SELECT COALESCE(MD5(GROUP_CONCAT(CONCAT_WS(':', table_name, index_name, seq_in_index, column_name, non_unique)
			ORDER BY table_name, index_name, seq_in_index SEPARATOR ';')), '')
			FROM information_schema.statistics WHERE table_schema = ?), '/',
		(SELECT COALESCE(MD5(GROUP_CONCAT(CONCAT_WS(':', table_name, constraint_name, referenced_table_name, delete_rule, update_rule)
			ORDER BY table_name, constraint_name SEPARATOR ';')), '')
			FROM information_schema.referential_constraints WHERE constraint_schema = ?))`,
		schema, schema, schema).Scan(&fp)
	return fp, err
}
