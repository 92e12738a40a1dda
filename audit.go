package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"palmaid/config"
	"palmaid/service/app"
	"palmaid/service/store"
)

// auditVerify recomputes the audit hash chain and reports the first broken link (exit 1).
func auditVerify(ctx context.Context, cfg config.Config, stdout io.Writer) error {
	st, err := store.Open(store.Options{Driver: cfg.Database.Driver, DSN: cfg.Database.DSN, MaxOpenConns: 2})
	if err != nil {
		return app.DatabaseError(cfg, err)
	}
	defer st.Close()
	checked, last, broken, err := st.VerifyAudit(ctx)
	if err != nil {
		return app.DatabaseError(cfg, &app.StartError{Step: "read the audit log", Err: err})
	}
	if broken != nil {
		return errors.New("audit chain broken at " + broken.String() + " — restore the audit log from a backup and find out who wrote to the database")
	}
	if checked == 0 {
		fmt.Fprintln(stdout, "audit chain: no sealed rows yet (rows are sealed a few minutes after they are written)")
		return nil
	}
	fmt.Fprintf(stdout, "audit chain intact: %d rows checked, sealed up to row %d\n", checked, last)
	return nil
}
