package app

import (
	"errors"
	"fmt"
	"strings"

	"github.com/go-sql-driver/mysql"

	"palmaid/config"
)

// StartError is a start-up failure told in one line: the step that failed, the cause, and
// what to do about it. main prints it and exits non-zero.
type StartError struct {
	Step string // what palmaid was doing ("connect to the database")
	Err  error  // the cause
	Fix  string // what the operator should do; empty when Err already says it
}

func (e *StartError) Error() string {
	msg := e.Step + ": " + OneLine(e.Err)
	if e.Fix != "" {
		msg += " — " + e.Fix
	}
	return msg
}

func (e *StartError) Unwrap() error { return e.Err }

// OneLine joins a (possibly multi-line, errors.Join) error message into one line.
func OneLine(err error) string {
	if err == nil {
		return ""
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")
}

// DatabaseError explains a failure to open, reach or migrate the database.
func DatabaseError(cfg config.Config, err error) error {
	var se *StartError
	if errors.As(err, &se) && se.Fix != "" {
		return err
	}
	step := "connect to the " + cfg.Database.Driver + " database"
	if se != nil {
		step, err = se.Step, se.Err
	}
	addr := ""
	if c, perr := mysql.ParseDSN(cfg.Database.DSN); perr == nil && cfg.Database.Driver == "mysql" {
		addr = c.Addr
		step += fmt.Sprintf(" at %s as %q", c.Addr, c.User)
	}
	var me *mysql.MySQLError
	switch {
	case errors.As(err, &me) && (me.Number == 1045 || me.Number == 1044 || me.Number == 1698):
		return &StartError{Step: step, Err: err, Fix: "create the user and grant it the database (README, \"Running against MySQL/MariaDB\"), or fix the user/password in PALMAID_DB_DSN"}
	case errors.As(err, &me) && me.Number == 1049:
		return &StartError{Step: step, Err: err, Fix: "create the database (CREATE DATABASE … CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci) or fix its name in PALMAID_DB_DSN"}
	case errors.As(err, &me) && me.Number == 1142:
		return &StartError{Step: step, Err: err, Fix: "grant the user in PALMAID_DB_DSN ALL PRIVILEGES on its database"}
	case cfg.Database.Driver == "mysql" && isConnError(err):
		return &StartError{Step: step, Err: err, Fix: fmt.Sprintf("is MariaDB/MySQL running and listening on %s? Start it, or fix the address in PALMAID_DB_DSN", addr)}
	case cfg.Database.Driver == "sqlite":
		return &StartError{Step: step + " " + cfg.Database.DSN, Err: err, Fix: "check that PALMAID_DATA_DIR (or PALMAID_DB_DSN) is a writable directory"}
	}
	return &StartError{Step: step, Err: err, Fix: "check PALMAID_DB_DSN"}
}

// redisError explains a failure to reach Redis.
func redisError(cfg config.Config, err error) error {
	var se *StartError
	if !errors.As(err, &se) {
		return err // the in-process Redis or a configuration error: already explained
	}
	msg := strings.ToUpper(err.Error())
	switch {
	case strings.Contains(msg, "NOAUTH") || strings.Contains(msg, "WRONGPASS") || strings.Contains(msg, "INVALID PASSWORD"):
		se.Fix = "set PALMAID_REDIS_PASSWORD to the server's password"
	case isConnError(err):
		se.Fix = "is Redis running there? Start it, or fix PALMAID_REDIS_ADDR"
		if cfg.Embedded() {
			se.Fix += " (or leave PALMAID_REDIS_ADDR empty for the in-process Redis of embedded mode)"
		}
	default:
		se.Fix = "check PALMAID_REDIS_ADDR, PALMAID_REDIS_PASSWORD and PALMAID_REDIS_DB"
	}
	return se
}

func isConnError(err error) bool {
	m := strings.ToLower(err.Error())
	for _, s := range []string{"connection refused", "no such host", "i/o timeout", "dial tcp", "network is unreachable", "deadline exceeded", "bad connection", "invalid connection", "connection reset"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}
