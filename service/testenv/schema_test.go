package testenv_test

import (
	"context"
	"database/sql"
	"reflect"
	"regexp"
	"testing"

	"palmaid/service/store"
	"palmaid/service/testenv"
)

// A test's database copied from the template is what migrating an empty one gives: the same
// tables, columns, keys and foreign keys (the DDL the database itself reports), and the same
// rows the migrations seed. Run twice in one process (-count=2), the MariaDB copy is a database
// of the pool that the first run used and gave back.
func TestTemplateCopyEqualsAFreshMigration(t *testing.T) {
	for _, name := range testenv.Names() {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			fresh := testenv.NewEmpty(t, name)
			st := fresh.Store(t) // migrates the empty database
			_ = st
			copied := testenv.New(t, name)
			want := dump(t, fresh)
			got := dump(t, copied)
			if len(want.ddl) < 20 {
				t.Fatalf("a fresh migration made only %d tables", len(want.ddl))
			}
			for tbl, ddl := range want.ddl {
				if got.ddl[tbl] != ddl {
					t.Errorf("table %s differs:\nfresh:  %s\ncopied: %s", tbl, ddl, got.ddl[tbl])
				}
			}
			for tbl := range got.ddl {
				if _, ok := want.ddl[tbl]; !ok {
					t.Errorf("table %s only in the copy", tbl)
				}
			}
			if !reflect.DeepEqual(want.rows, got.rows) {
				t.Errorf("seeded rows differ: fresh %v, copied %v", want.rows, got.rows)
			}
			// and the store accepts it as current
			cp, err := store.Open(store.Options{Driver: copied.Config.Database.Driver, DSN: copied.Config.Database.DSN})
			testenv.Must(t, err)
			defer cp.Close()
			if err := cp.EnsureCurrent(ctx); err != nil {
				t.Fatalf("the copy is not at this binary's schema: %v", err)
			}
		})
	}
}

var autoIncrement = regexp.MustCompile(` AUTO_INCREMENT=\d+`)

type schemaDump struct {
	ddl  map[string]string
	rows map[string]int64 // row count per table, goose's bookkeeping excluded
}

func dump(t *testing.T, be *testenv.Backend) schemaDump {
	t.Helper()
	driver, dsn := "mysql", store.MySQLDSN(be.Config.Database.DSN)
	listQ := "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'"
	if be.Config.Database.Driver == "sqlite" {
		driver, dsn = "sqlite3", store.SQLiteDSN(be.Config.Database.DSN)
		listQ = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	}
	db, err := sql.Open(driver, dsn)
	testenv.Must(t, err)
	defer db.Close()
	db.SetMaxOpenConns(1)
	rows, err := db.Query(listQ)
	testenv.Must(t, err)
	var tables []string
	for rows.Next() {
		var s string
		testenv.Must(t, rows.Scan(&s))
		tables = append(tables, s)
	}
	testenv.Must(t, rows.Err())
	_ = rows.Close()
	out := schemaDump{ddl: map[string]string{}, rows: map[string]int64{}}
	for _, tbl := range tables {
		var ddl string
		if driver == "mysql" {
			var n string
			testenv.Must(t, db.QueryRow("SHOW CREATE TABLE `"+tbl+"`").Scan(&n, &ddl))
		} else {
			testenv.Must(t, db.QueryRow("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", tbl).Scan(&ddl))
		}
		out.ddl[tbl] = autoIncrement.ReplaceAllString(ddl, "") // counters are not reset in the pool
		if tbl == "goose_db_version" || tbl == "goose_lock" {
			continue
		}
		var n int64
		testenv.Must(t, db.QueryRow("SELECT COUNT(*) FROM `"+tbl+"`").Scan(&n))
		out.rows[tbl] = n
	}
	if driver == "sqlite3" { // indexes are separate objects in SQLite
		rows, err := db.Query("SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type IN ('index', 'trigger', 'view')")
		testenv.Must(t, err)
		defer rows.Close()
		for rows.Next() {
			var n, s string
			testenv.Must(t, rows.Scan(&n, &s))
			out.ddl["index "+n] = s
		}
		testenv.Must(t, rows.Err())
	}
	return out
}
