package app_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"palmaid/service/app"
	"palmaid/service/testenv"
)

// The start-up log warns from 1 December when the next year's calendar is not loaded.
func TestCalendarCoverageWarningAtStartup(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		for _, tc := range []struct {
			now  time.Time
			warn bool
		}{
			{time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC), false}, // 23:00 CST, 30 November
			{time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC), true},  // 00:00 CST, 1 December
		} {
			var logs bytes.Buffer
			clk := testenv.NewClock(tc.now)
			a, err := app.New(context.Background(), be.Config, app.Options{Now: clk.Now, Simulator: sim, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
			testenv.Must(t, err)
			testenv.Must(t, a.Close())
			got := strings.Contains(logs.String(), `"level":"WARN","msg":"calendar coverage"`) && strings.Contains(logs.String(), "2027年节假日安排尚未导入")
			if got != tc.warn {
				t.Errorf("start at %v: coverage warning logged = %v, want %v\n%s", tc.now, got, tc.warn, logs.String())
			}
			if fmtYears := a.Calendar.LoadedYears(); len(fmtYears) != 3 || fmtYears[0] != 2024 {
				t.Errorf("loaded years after seeding = %v, want 2024–2026", fmtYears)
			}
		}
	})
}
