package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/user"
	"strings"
	"time"

	"palmaid/config"
	"palmaid/model"
	"palmaid/service/app"
	"palmaid/service/auditlog"
	"palmaid/service/store"
)

// auditVerify recomputes the audit hash chain, compares it with the latest anchor written
// outside the database, and reports the rows not sealed yet; exit 1 when a link is broken, the
// anchor does not match, or rows wait longer than auditlog.UnsealedMaxAge for their seal.
func auditVerify(ctx context.Context, cfg config.Config, stdout io.Writer) error {
	st, err := store.Open(store.Options{Driver: cfg.Database.Driver, DSN: cfg.Database.DSN, MaxOpenConns: 2})
	if err != nil {
		return app.DatabaseError(cfg, err)
	}
	defer st.Close()
	anchors, err := auditlog.NewAnchors(cfg.Audit.Anchor, cfg.AuditAnchorFile())
	if err != nil {
		return err
	}
	v, err := auditlog.Check(ctx, st, anchors, time.Now())
	if err != nil {
		return app.DatabaseError(cfg, &app.StartError{Step: "read the audit log", Err: err})
	}
	if v.Broken != nil {
		return errors.New("audit chain broken at " + v.Broken.String() + " — restore the audit log from a backup and find out who wrote to the database")
	}
	switch {
	case v.Checked == 0:
		fmt.Fprintln(stdout, "audit chain: no sealed rows yet (rows are sealed a few minutes after they are written)")
	case v.Anchor != nil:
		fmt.Fprintf(stdout, "audit chain intact: %d rows checked, sealed up to row %d; matches the anchor of %s (row %d)\n",
			v.Checked, v.LastID, v.Anchor.At.In(model.China()).Format(time.RFC3339), v.Anchor.LastID)
	default:
		fmt.Fprintf(stdout, "audit chain intact: %d rows checked, sealed up to row %d; %s\n", v.Checked, v.LastID, v.AnchorNote)
	}
	if v.Unsealed > 0 {
		fmt.Fprintf(stdout, "not sealed yet: %d rows (oldest %s), not covered by the chain until sealed\n",
			v.Unsealed, v.OldestUnsealed.In(model.China()).Format(time.RFC3339))
	}
	if v.UnsealedOverdue > 0 {
		return fmt.Errorf("audit chain: %d rows older than %s are not sealed — the sealer refused a row (see the audit-seal errors in the log) or is not running", v.UnsealedOverdue, auditlog.UnsealedMaxAge)
	}
	return nil
}

// auditAcceptGap closes the id gap that stops the sealer (MariaDB leaves one when a transaction
// that wrote an audit row rolls back): each missing id gets an audit.gap_accepted row naming
// the reason and the operating-system user, chained by the next seal.
func auditAcceptGap(ctx context.Context, cfg config.Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("audit accept-gap", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	reason := fs.String("reason", "", "why the missing rows are explained (at least 10 characters)")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 || len([]rune(strings.TrimSpace(*reason))) < 10 {
		return errUsage{"audit", "audit accept-gap needs --reason TEXT (at least 10 characters)"}
	}
	st, err := store.Open(store.Options{Driver: cfg.Database.Driver, DSN: cfg.Database.DSN, MaxOpenConns: 2})
	if err != nil {
		return app.DatabaseError(cfg, err)
	}
	defer st.Close()
	who := "unknown"
	if u, err := user.Current(); err == nil {
		who = u.Username
	}
	ids, err := st.AcceptAuditGap(ctx, fmt.Sprintf("accepted by %s: %s", who, strings.TrimSpace(*reason)))
	if err != nil {
		return app.DatabaseError(cfg, &app.StartError{Step: "write the audit log", Err: err})
	}
	if len(ids) == 0 {
		fmt.Fprintln(stdout, "audit chain: no gap after the last sealed row")
		return nil
	}
	fmt.Fprintf(stdout, "audit chain: rows %d–%d written as %s; the next seal chains them\n", ids[0], ids[len(ids)-1], store.AuditGapAction)
	return nil
}
