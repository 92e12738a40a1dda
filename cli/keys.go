package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"palmaid/config"
	"palmaid/service/app"
	"palmaid/service/crypto"
	"palmaid/service/keyrotation"
)

// keysRotate re-encrypts everything sealed with an older data key (PALMAID_OLD_DATA_KEYS)
// under the current one (PALMAID_KEY_ID, PALMAID_DATA_KEY): every encrypted column and every
// document object. Idempotent and resumable; --dry-run only counts. Exit 1 while something
// is left under an old key (unreadable ciphertexts, or rows changed during the run).
func keysRotate(ctx context.Context, cfg config.Config, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("keys rotate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dry := fs.Bool("dry-run", false, "count only")
	batch := fs.Int("batch", 200, "rows per query")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *batch < 1 {
		return errUsage{"keys", "keys rotate takes --dry-run and --batch N only"}
	}
	a, err := app.OpenMaintenance(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	ring, ok := a.Cipher.(*crypto.Ring)
	if !ok {
		return errors.New("keys rotate: the cipher holds no key ring")
	}
	rep, err := keyrotation.Rotate(ctx, a.Store, ring, a.Storage, keyrotation.Options{DryRun: *dry, Batch: *batch}, log)
	fmt.Fprintf(stdout, "current key id %d; keys known %v\n", ring.CurrentKeyID(), ring.KeyIDs())
	rep.Write(stdout, *dry)
	if err != nil {
		return err
	}
	if left := rep.Pending(); left > 0 && !*dry {
		return fmt.Errorf("%d ciphertexts are still under an old or unknown key (see the lines above): run again; keep the old key in PALMAID_OLD_DATA_KEYS until this reports 0", left)
	}
	if *dry {
		fmt.Fprintln(stdout, "dry run: nothing written")
	} else {
		fmt.Fprintln(stdout, "everything is under the current key: the old keys can be removed from PALMAID_OLD_DATA_KEYS")
	}
	return nil
}
