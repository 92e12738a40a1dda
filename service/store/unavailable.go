package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"net"
	"strings"
	"syscall"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"

	"palmaid/model"
)

// errDBUnavailable is what a request sees when the database cannot answer: 503 with
// Retry-After, never `internal` (issue 6, finding 6).
var errDBUnavailable = model.ErrUnavailable

// unavailable reports an error that means "the database is not answering now" rather than
// "this statement is wrong": a refused or broken connection, the request's deadline, a full
// server, a lock wait that ran out, SQLite busy.
func unavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1040, 1053, 1205, 1927, 3024: // too many connections, shutdown, lock wait timeout, killed, max execution time
			return true
		}
		return false
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return true
	}
	// A network timeout, or SQLite's busy timeout (its errors report Timeout()).
	var to interface{ Timeout() bool }
	if errors.As(err, &to) && to.Timeout() {
		return true
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, mysql.ErrInvalidConn) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "database is locked") || strings.Contains(msg, "sql: database is closed") ||
		strings.Contains(msg, "connection refused")
}

// asUnavailable wraps a connection failure as the 503 error, keeping the cause for the log.
func asUnavailable(err error) error {
	if unavailable(err) {
		var e *model.Error
		if errors.As(err, &e) && e.Kind == model.KindUnavailable {
			return err
		}
		return errDBUnavailable.WithCause(err)
	}
	return err
}

// registerUnavailable makes every GORM operation report connection failures as errDBUnavailable.
func registerUnavailable(db *gorm.DB) error {
	fn := func(tx *gorm.DB) {
		if tx.Error != nil {
			tx.Error = asUnavailable(tx.Error)
		}
	}
	cb := db.Callback()
	for _, r := range []interface {
		Register(string, func(*gorm.DB)) error
	}{
		cb.Create().After("gorm:create"), cb.Query().After("gorm:query"), cb.Update().After("gorm:update"),
		cb.Delete().After("gorm:delete"), cb.Row().After("gorm:row"), cb.Raw().After("gorm:raw"),
	} {
		if err := r.Register("palmaid:unavailable", fn); err != nil {
			return err
		}
	}
	return nil
}
