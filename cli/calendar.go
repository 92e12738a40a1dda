package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strconv"
	"strings"

	"palmaid/config"
	"palmaid/model"
	"palmaid/service/app"
)

// calendarFile is the file of `palmaid calendar load`: the same JSON as
// PUT /api/v1/admin/calendar/{year} (api/server/testdata/calendar-2027-fixture.json).
type calendarFile struct {
	Source string `json:"source"`
	Days   []struct {
		Date string `json:"date"`
		Kind string `json:"kind"`
		Name string `json:"name"`
	} `json:"days"`
}

// calendarLoad loads a year's holiday arrangement from a file, as an administrator account
// (--as), through the same service as the API: validated, audited, one transaction.
func calendarLoad(ctx context.Context, cfg config.Config, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("calendar load", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	as := fs.String("as", "", "username of the administrator the load is audited under")
	// flags may come before or after the two positional arguments
	var pos []string
	rest := args
	for len(rest) > 0 {
		if err := fs.Parse(rest); err != nil {
			return errUsage{"calendar", err.Error()}
		}
		rest = fs.Args()
		if len(rest) > 0 {
			pos, rest = append(pos, rest[0]), rest[1:]
		}
	}
	if len(pos) != 2 || *as == "" {
		return errUsage{"calendar", "calendar load needs a year, a file and --as USERNAME"}
	}
	year, err := strconv.Atoi(pos[0])
	if err != nil {
		return errUsage{"calendar", fmt.Sprintf("%q is not a year", pos[0])}
	}
	raw, err := os.ReadFile(pos[1])
	if err != nil {
		return err
	}
	var f calendarFile
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("%s: %w — the format is that of api/server/testdata/calendar-2027-fixture.json", pos[1], err)
	}
	days := make([]model.CalendarDay, len(f.Days))
	for i, d := range f.Days {
		days[i] = model.CalendarDay{Date: d.Date, Kind: model.DayKind(d.Kind), Name: d.Name}
	}

	sim, stopSim, err := installWeChatClient(cfg, log)
	if err != nil {
		return err
	}
	defer stopSim()
	a, err := app.New(ctx, cfg, app.Options{Logger: log, Simulator: sim})
	if err != nil {
		return err
	}
	defer a.Close()
	st, err := a.Store.StaffByUsername(ctx, *as)
	if err != nil {
		return fmt.Errorf("--as %s: no active staff account of that name", *as)
	}
	y, err := a.CalendarAdmin.LoadYear(ctx, st, year, days, f.Source)
	if err != nil {
		return explainModelError(err)
	}
	if y.Proposed {
		fmt.Fprintf(stdout, "calendar %d is in use: the change is proposal %d, unchanged until another administrator confirms it "+
			"(POST /api/v1/admin/calendar/%d/confirm {\"proposalId\":%d})\n", y.Year, y.Pending.ID, y.Year, y.Pending.ID)
		return nil
	}
	fmt.Fprintf(stdout, "calendar %d loaded from %q: %d days; loaded years %v\n", y.Year, y.Source, len(y.Days), y.LoadedYears)
	return nil
}

// explainModelError spells out a validation error's field hints on the one line.
func explainModelError(err error) error {
	var me *model.Error
	if !errors.As(err, &me) || len(me.Fields) == 0 {
		return err
	}
	keys := make([]string, 0, len(me.Fields))
	for k := range me.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + me.Fields[k]
	}
	return fmt.Errorf("%s (%s)", err.Error(), strings.Join(parts, "; "))
}
