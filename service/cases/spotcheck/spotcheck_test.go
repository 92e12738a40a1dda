package spotcheck_test

import (
	"context"
	"testing"
	"time"

	"palmaid/service/cases/casetest"
	"palmaid/service/testenv"
	"palmaid/service/wechat/wxsim"
)

var sim *wxsim.Simulator

func TestMain(m *testing.M) { casetest.Main(m, &sim) }

var monday = time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)

// The county draws, for a period of at most a year ending no later than today, from a
// population that is not empty; nobody else draws.
func TestDrawRules(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		a := casetest.App(t, be, sim, casetest.NewClock(monday))
		county, town := casetest.Staff(t, a, "county"), casetest.Staff(t, a, "town_east")
		if _, err := a.SpotChecks.DrawSpotChecks(ctx, town, "2026-11-01", "2026-11-20"); casetest.Code(err) != "auth.forbidden" {
			t.Fatalf("a town draws: %v", err)
		}
		for _, p := range [][2]string{{"2026-11-01", "2026-12-31"}, {"2026-11-20", "2026-11-01"}, {"2025-01-01", "2026-11-20"}, {"yesterday", "2026-11-20"}} {
			if _, err := a.SpotChecks.DrawSpotChecks(ctx, county, p[0], p[1]); casetest.Code(err) != "spot_check.invalid_period" {
				t.Fatalf("period %v: %v", p, err)
			}
		}
		if _, err := a.SpotChecks.DrawSpotChecks(ctx, county, "2026-11-01", "2026-11-20"); casetest.Code(err) != "spot_check.empty_population" {
			t.Fatalf("a draw from nothing: %v", err)
		}
		draws, err := a.SpotChecks.SpotCheckDraws(ctx, county)
		testenv.Must(t, err)
		if len(draws) != 0 {
			t.Fatalf("draws after refused draws: %+v", draws)
		}
	})
}
