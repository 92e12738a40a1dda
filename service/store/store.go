// Package store is palmaid's persistence: GORM over MySQL/MariaDB or embedded SQLite, goose
// migrations for both, and a transaction carried in context.Context that nested calls join.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ncruces/go-sqlite3/gormlite"
	"gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"

	"palmaid/model"
)

// Store is the database handle: the repositories over one connection core. Safe for
// concurrent use. A service is given the repository (or a narrow interface of the methods) it
// uses; *Store has every repository's methods for the composition root and its tests.
type Store struct {
	*core
	*CaseFileRepo
	*DeliveryRepo
	*PeopleRepo
	*ReferenceRepo
	*AuditRepo
}

// core is the connection every repository shares: the pool, the transaction carried in the
// context (InTx), the case watch told before each commit, migrations and re-sealing.
type core struct {
	db      *gorm.DB
	dialect string    // "mysql" | "sqlite"
	watch   CaseWatch // nil: nobody is told of case changes
}

// CaseFileRepo is the case file aggregate and its reads: create, load and save the case file,
// worklists and search, households and claims, clocks and reminders, notices, spot checks,
// statistics, ratings and complaints on cases.
type CaseFileRepo struct{ *core }

// DeliveryRepo is the outbox and its delivery: claimed rows, in-app messages, subscribe quotas.
type DeliveryRepo struct{ *core }

// PeopleRepo is residents, staff accounts and their second factor.
type PeopleRepo struct{ *core }

// ReferenceRepo is the reference data: areas, the working-day calendar, regional settings,
// notification templates, checklist rules.
type ReferenceRepo struct{ *core }

// AuditRepo is the audit log: rows appended, read, sealed into the hash chain and verified.
type AuditRepo struct{ *core }

func newStore(c *core) *Store {
	return &Store{core: c, CaseFileRepo: &CaseFileRepo{c}, DeliveryRepo: &DeliveryRepo{c}, PeopleRepo: &PeopleRepo{c},
		ReferenceRepo: &ReferenceRepo{c}, AuditRepo: &AuditRepo{c}}
}

// The repositories reach each other through the core they share.
func (c *core) caseFiles() *CaseFileRepo  { return &CaseFileRepo{c} }
func (c *core) reference() *ReferenceRepo { return &ReferenceRepo{c} }

// Options for Open.
type Options struct {
	Driver       string // "mysql" | "sqlite"
	DSN          string // mysql DSN, or a SQLite file path
	MaxOpenConns int
	// Cipher seals the free-text columns (fields tagged `seal:"text"`, see sealtext.go). A
	// store opened without one (migrations, seeding, tests reading raw rows) writes them in
	// clear and cannot read sealed ones (ErrNoTextCipher); the service always passes one.
	Cipher TextCipher
	// LockWait (MySQL) sets the session's innodb_lock_wait_timeout (whole seconds) on every
	// connection unless the DSN sets it: how long a statement waits for a row lock another
	// session holds before it fails (1205, answered 503 with Retry-After). 0: the server's.
	LockWait time.Duration
}

// Open connects. A SQLite path gets the pragmas palmaid relies on (WAL, busy timeout, foreign
// keys, immediate transactions); a MySQL DSN gets parseTime, UTC and utf8mb4 if missing.
func Open(opts Options) (*Store, error) {
	var dialector gorm.Dialector
	switch opts.Driver {
	case "sqlite":
		if dir := filepath.Dir(opts.DSN); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create data directory: %w", err)
			}
		}
		dialector = gormlite.Open(SQLiteDSN(opts.DSN))
	case "mysql":
		dialector = mysql.Open(WithLockWait(MySQLDSN(opts.DSN), opts.LockWait))
	default:
		return nil, fmt.Errorf("unknown database driver %q", opts.Driver)
	}
	db, err := gorm.Open(dialector, &gorm.Config{
		Logger: logger.Discard,
		// GORM's own timestamps (a zero CreatedAt filled in) at the columns' precision, so a
		// written row and the struct it came from hold the same time (storedTime).
		NowFunc:                                  func() time.Time { return storedTime(time.Now()) },
		DisableForeignKeyConstraintWhenMigrating: true,
		TranslateError:                           true,
	})
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", opts.Driver, err)
	}
	if err := registerUnavailable(db); err != nil {
		return nil, err
	}
	if err := registerTextSealer(db, opts.Cipher); err != nil {
		return nil, err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	n := opts.MaxOpenConns
	if n < 1 {
		n = 10
	}
	sqlDB.SetMaxOpenConns(n)
	sqlDB.SetMaxIdleConns(n)
	sqlDB.SetConnMaxLifetime(30 * time.Minute)
	return newStore(&core{db: db, dialect: opts.Driver}), nil
}

// SQLiteDSN turns a file path into a DSN with the required pragmas.
func SQLiteDSN(path string) string {
	if strings.HasPrefix(path, "file:") {
		return path
	}
	q := url.Values{}
	q.Set("_txlock", "immediate")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(wal)")
	q.Add("_pragma", "foreign_keys(on)")
	q.Add("_pragma", "synchronous(normal)")
	return "file:" + path + "?" + q.Encode()
}

// MySQLDSN adds parseTime, loc=UTC, utf8mb4 and interpolateParams when the DSN does not set
// them. interpolateParams=true lets the driver substitute the (escaped) arguments itself, so a
// query with arguments is one round trip instead of three (server-side prepare, execute,
// close): the progress read went from ~50 round trips to ~17. It is safe with utf8mb4 (the
// driver refuses it with multi-byte charsets whose encoding could hide a quote);
// interpolateParams=false in the DSN turns it off.
func MySQLDSN(dsn string) string {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	for _, kv := range []string{"parseTime=true", "loc=UTC", "charset=utf8mb4", "interpolateParams=true"} {
		key := kv[:strings.Index(kv, "=")+1]
		if !strings.Contains(dsn, key) {
			dsn += sep + kv
			sep = "&"
		}
	}
	return dsn
}

// WithLockWait adds innodb_lock_wait_timeout (seconds, rounded up) to a MySQL DSN that does
// not set it; the driver sends it as a session variable on every new connection.
func WithLockWait(dsn string, d time.Duration) string {
	if d <= 0 || strings.Contains(dsn, "innodb_lock_wait_timeout=") {
		return dsn
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return fmt.Sprintf("%s%sinnodb_lock_wait_timeout=%d", dsn, sep, int((d+time.Second-1)/time.Second))
}

// Close closes the pool.
func (s *core) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping checks the database answers.
func (s *core) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

type txKey struct{}

// conn returns the transaction in ctx, or the pool.
func (s *core) conn(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*txState); ok {
		return tx.db
	}
	return s.db.WithContext(ctx)
}

// InTx runs fn in a transaction carried by the context passed to fn. Calls made inside with
// that context join it; a nested InTx does not open a second one.
func (s *core) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.inTx(ctx, fn)
}

// InTxReadCommitted is InTx at READ COMMITTED on MySQL (SQLite serialises writers anyway): the
// transaction locks only the rows it reads FOR UPDATE or writes, never the gaps between index
// entries that REPEATABLE READ adds. The notify worker's transactions run so: their rows are
// claimed or keyed, gap locks would only let concurrent batches deadlock on index neighbours.
func (s *core) InTxReadCommitted(ctx context.Context, fn func(ctx context.Context) error) error {
	if s.dialect != "mysql" {
		return s.inTx(ctx, fn)
	}
	return s.inTx(ctx, fn, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
}

// inTx opens the outermost transaction (or joins the one in ctx). The cases its writers changed
// (txState.changed) are handed to the CaseWatch just before the commit; its after func runs once
// the transaction ended, whatever the outcome. A nested call that fails marks the transaction
// failed: the outermost one rolls back with that error even if a caller between swallowed it.
func (s *core) inTx(ctx context.Context, fn func(ctx context.Context) error, opts ...*sql.TxOptions) error {
	if st, ok := ctx.Value(txKey{}).(*txState); ok {
		err := fn(ctx)
		if err != nil && st.failed == nil {
			st.failed = err
		}
		return err
	}
	var after func()
	err := asUnavailable(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st := &txState{db: tx}
		if err := fn(context.WithValue(ctx, txKey{}, st)); err != nil {
			return err
		}
		if st.failed != nil {
			return fmt.Errorf("a nested step failed, nothing was committed: %w", st.failed)
		}
		if s.watch == nil || len(st.changed) == 0 {
			return nil
		}
		var err error
		after, err = s.watch.Changing(ctx, st.changed)
		return err
	}, opts...))
	if after != nil {
		after()
	}
	return err
}

// CaseWatch is told of every transaction that changes what a case's progress view shows
// (service/cases readcache). Changing runs inside the transaction, after its last statement and
// before the commit, with the public ids of the cases it changed; an error rolls the transaction
// back. The func it returns runs after the transaction ended, committed or not.
type CaseWatch interface {
	Changing(ctx context.Context, publicIDs []string) (after func(), err error)
}

// WatchCases makes w the store's CaseWatch. It is wiring, called once before the store serves.
func (s *core) WatchCases(w CaseWatch) { s.watch = w }

// txState is what ctx carries inside InTx: the transaction, and the public ids of the cases
// its writers changed.
type txState struct {
	db      *gorm.DB
	changed []string
	failed  error // the first error a nested InTx returned
}

// changed records that the transaction in ctx changes the cases publicIDs. Every writer of a
// case's rows calls it (with the version bump), inside InTx.
func changed(ctx context.Context, publicIDs ...string) {
	st, ok := ctx.Value(txKey{}).(*txState)
	if !ok {
		panic("store: a case writer ran outside InTx")
	}
	for _, id := range publicIDs {
		if !slices.Contains(st.changed, id) {
			st.changed = append(st.changed, id)
		}
	}
}

// forUpdate locks selected rows on MySQL. SQLite has no row locks: its immediate transactions
// already hold the database write lock.
func (s *core) forUpdate(db *gorm.DB) *gorm.DB {
	if s.dialect == "mysql" {
		return db.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return db
}

// isDuplicate reports a unique-key violation on either backend.
// IsDeadlock reports a transaction InnoDB chose as a deadlock victim (1213): it was rolled back
// whole and may simply be run again.
func IsDeadlock(err error) bool {
	return err != nil && strings.Contains(err.Error(), "Error 1213")
}

func isDuplicate(err error) bool {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "Duplicate entry")
}

func notFound(err error, nf *model.Error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nf
	}
	return err
}

// PoolStats reports the connection pool (for metrics).
func (s *core) PoolStats() sql.DBStats {
	sqlDB, err := s.db.DB()
	if err != nil {
		return sql.DBStats{}
	}
	return sqlDB.Stats()
}

// OutboxBacklog counts undelivered outbox rows and the age of the oldest (for metrics).
func (s *DeliveryRepo) OutboxBacklog(ctx context.Context, now time.Time) (n int64, oldest time.Duration, err error) {
	q := func() *gorm.DB { return s.conn(ctx).Model(&model.Outbox{}).Where("status = ?", model.OutboxPending) }
	if err = q().Count(&n).Error; err != nil || n == 0 {
		return n, 0, err
	}
	var first model.Outbox
	if err = q().Select("id", "created_at").Order("id").Limit(1).Take(&first).Error; err != nil {
		return n, 0, err
	}
	return n, now.Sub(first.CreatedAt), nil
}
