package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/term"

	"palmaid/config"
	"palmaid/model"
	"palmaid/service/app"
	"palmaid/service/auth"
	"palmaid/service/store"
)

const minAdminPasswordLen = 12

var (
	usernameRe = regexp.MustCompile(`^[a-z][a-z0-9_.-]{2,63}$`)
	areaCodeRe = regexp.MustCompile(`^[0-9]{12}$`)
)

// adminBootstrap creates the first administrator. The password comes from the terminal (asked
// twice, not echoed) or, when stdin is not a terminal, from its first line — never from an
// argument, which would land in the shell history and the process list.
func adminBootstrap(ctx context.Context, cfg config.Config, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("admin bootstrap", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	username := fs.String("username", "", "login name of the administrator")
	area := fs.String("area", "", "12-digit area code of the administrator's county (or province)")
	name := fs.String("name", "系统管理员", "display name")
	if err := fs.Parse(args); err != nil {
		return errUsage{"admin", err.Error()}
	}
	if fs.NArg() > 0 {
		return errUsage{"admin", fmt.Sprintf("unexpected argument %q (the password is read from the terminal or stdin, never an argument)", fs.Arg(0))}
	}
	if !usernameRe.MatchString(*username) {
		return errUsage{"admin", "--username: 3..64 characters, lower-case letters, digits, _ . -, starting with a letter"}
	}
	if !areaCodeRe.MatchString(*area) {
		return errUsage{"admin", "--area: a 12-digit area code (统计用区划代码), e.g. 371522000000"}
	}
	if n := utf8.RuneCountInString(*name); n < 1 || n > 64 {
		return errUsage{"admin", "--name: 1..64 characters"}
	}

	st, err := store.Open(store.Options{Driver: cfg.Database.Driver, DSN: cfg.Database.DSN, MaxOpenConns: 2})
	if err != nil {
		return app.DatabaseError(cfg, err)
	}
	defer st.Close()
	if err := st.EnsureCurrent(ctx); err != nil {
		return &app.StartError{Step: "database schema", Err: err, Fix: "run `palmaid migrate up` first"}
	}
	if n, err := st.CountStaffWithRole(ctx, model.RoleAdmin); err != nil {
		return app.DatabaseError(cfg, &app.StartError{Step: "look for administrators", Err: err})
	} else if n > 0 {
		return fmt.Errorf("refused: %d administrator account(s) already exist — bootstrap creates only the first; further accounts are made by an administrator", n)
	}
	if taken, err := st.StaffUsernameTaken(ctx, *username); err != nil {
		return app.DatabaseError(cfg, &app.StartError{Step: "look up the username", Err: err})
	} else if taken {
		return fmt.Errorf("refused: the username %q is already taken — choose another --username", *username)
	}

	pw, err := readNewPassword(stdin, stderr)
	if err != nil {
		return err
	}
	hash, err := auth.HashPasswordCost(pw, cfg.Session.PasswordCost)
	if err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	s := &model.Staff{Username: *username, PasswordHash: hash, DisplayName: *name, Role: model.RoleAdmin,
		AreaCode: *area, Active: true, CreatedAt: now, UpdatedAt: now}
	err = st.InTx(ctx, func(ctx context.Context) error {
		if err := st.UpsertStaff(ctx, s); err != nil {
			return err
		}
		return st.Audit(ctx, &model.AuditLog{ActorType: "system", Action: "staff.bootstrap_admin", AreaCode: *area,
			Detail: "palmaid admin bootstrap: " + *username, CreatedAt: now})
	})
	if err != nil {
		return app.DatabaseError(cfg, &app.StartError{Step: "create the administrator", Err: err})
	}
	if _, err := st.GetArea(ctx, *area); err != nil {
		fmt.Fprintf(stderr, "palmaid: note: area %s is not in the database yet; the administrator works once it is loaded\n", *area)
	}
	fmt.Fprintf(stdout, "administrator %q created (role admin, area %s); log in at POST /api/v1/auth/login\n", *username, *area)
	return nil
}

// readNewPassword asks twice on a terminal; otherwise it reads the first line of stdin.
func readNewPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	var pw string
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "password for the new administrator: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stderr, "again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the two passwords differ — run the command again")
		}
		pw = string(a)
	} else {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read the password from stdin: %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	if utf8.RuneCountInString(pw) < minAdminPasswordLen {
		return "", fmt.Errorf("the password must have at least %d characters — pipe it on stdin (e.g. from a password manager) or type it at the prompt", minAdminPasswordLen)
	}
	return pw, nil
}
