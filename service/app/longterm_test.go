package app_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/app"
	"palmaid/service/cases/review"
	"palmaid/service/notify"
	"palmaid/service/seed"
	"palmaid/service/testenv"
	"palmaid/service/wechat/wxsim"
)

// A long-term template (长期订阅) is refused at start unless the app qualifies
// (PALMAID_NOTIFY_LONG_TERM); with it, one accept lets every later notice through without being
// used up, at our side and at WeChat's (the simulator enforces both), until WeChat answers
// 43101 because the resident turned the messages off: then notices stay in-app and WeChat is
// not called again.
func TestLongTermSubscription(t *testing.T) {
	testenv.EachSerial(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		clk := testenv.NewClock(time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC))
		reg := notify.SimulatorRegistry(seed.SimulatorLongTermTemplateID)
		reg.Templates[0].Kind = model.TemplateLongTerm
		b, err := json.Marshal(reg)
		testenv.Must(t, err)
		path := filepath.Join(t.TempDir(), "templates.json")
		testenv.Must(t, os.WriteFile(path, b, 0o600))
		cfg := be.Config
		cfg.DemoSeed = true
		cfg.Notify.TemplatesFile = path
		if _, err := app.New(ctx, cfg, app.Options{Now: clk.Now, Simulator: sim}); err == nil ||
			!strings.Contains(err.Error(), "long_term") || !strings.Contains(err.Error(), "PALMAID_NOTIFY_LONG_TERM") {
			t.Fatalf("a long-term template without the setting: %v", err)
		}
		cfg.Notify.LongTerm = true
		a, err := app.New(ctx, cfg, app.Options{Now: clk.Now, Simulator: sim})
		testenv.Must(t, err)
		t.Cleanup(func() { _ = a.Close() })
		tpls, err := a.Notify.Templates(ctx)
		testenv.Must(t, err)
		if len(tpls) != 1 || !tpls[0].LongTerm() {
			t.Fatalf("templates: %+v", tpls)
		}

		name := testenv.UniqueName("longterm-" + be.Name)
		rid, openID, c := acceptedCase(t, a, name)
		const tpl = seed.SimulatorLongTermTemplateID
		for range 2 { // two taps: still one subscription, on
			testenv.Must(t, a.Notify.RecordResults(ctx, rid, []notify.SubscribeResult{{TemplateID: tpl, Result: notify.ResultAccept}}))
			sim.Grant(openID, tpl, 1)
		}
		drain := func() {
			t.Helper()
			for {
				n, err := a.Notify.RunOnce(ctx)
				testenv.Must(t, err)
				if n == 0 {
					return
				}
			}
		}
		town, err := a.Store.StaffByUsername(ctx, "town_east")
		testenv.Must(t, err)
		county, err := a.Store.StaffByUsername(ctx, "county")
		testenv.Must(t, err)

		drain() // accepted
		rec, err := a.Review.StartInvestigation(ctx, town, c.PublicID, c.Version, "")
		testenv.Must(t, err)
		drain()
		if got := sim.MessagesTo(openID); len(got) != 2 || got[1].Data["phrase2"] != "调查中" {
			t.Fatalf("pushed %d (%v), want accepted and investigation", len(got), got)
		}
		if q, _ := testenv.OpenRows(t, a.Config).Quota(ctx, rid, tpl); q != 1 || sim.Quota(openID, tpl) != 1 {
			t.Fatalf("after two pushes: our subscription %d, WeChat's %d; want both still on", q, sim.Quota(openID, tpl))
		}

		// The resident turns the messages off in WeChat: 43101, in-app from now on.
		sim.Revoke(openID, tpl)
		rec2, err := a.Review.RecordDataCheck(ctx, county, c.PublicID, rec.Case().Version, review.DataCheckInput{Summary: "未见异常"})
		testenv.Must(t, err)
		drain()
		if q, _ := testenv.OpenRows(t, a.Config).Quota(ctx, rid, tpl); q != 0 {
			t.Fatalf("after 43101 the subscription is %d, want off", q)
		}
		calls := sim.Calls(wxsim.PathSubscribe)
		_, err = a.Review.Terminate(ctx, town, c.PublicID, rec2.Case().Version, "拒不配合调查")
		testenv.Must(t, err)
		drain()
		if sim.Calls(wxsim.PathSubscribe) != calls {
			t.Fatal("WeChat called for a subscription that is off")
		}
		msgs, err := a.Notify.Messages(ctx, rid, 0, 10)
		testenv.Must(t, err)
		if len(msgs) != 4 || msgs[0].Pushed || msgs[1].Pushed || !msgs[2].Pushed || !msgs[3].Pushed {
			t.Fatalf("in-app messages (newest first): %+v", msgs)
		}
	})
}
