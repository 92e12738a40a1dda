package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/app"
	"palmaid/service/notify"
	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// BenchmarkDeliverToSimulator drains an outbox of 500 progress notifications (each resident
// has quota: in-app message plus subscribe message over HTTP to the WeChat simulator on
// loopback) with one worker; it reports messages per second.
//
//	go test ./service/app -run '^$' -bench DeliverToSimulator -benchtime 3x
func BenchmarkDeliverToSimulator(b *testing.B) {
	const n = 500
	for _, name := range testenv.Names() {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			be := testenv.New(b, name)
			cfg := be.Config
			cfg.DemoSeed = true
			clk := testenv.NewClock(time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC))
			a, err := app.New(ctx, cfg, app.Options{Now: clk.Now, Simulator: sim})
			if err != nil {
				b.Fatal(err)
			}
			defer a.Close()
			staff, err := a.Store.StaffByUsername(ctx, "town_east")
			if err != nil {
				b.Fatal(err)
			}
			var total time.Duration
			for it := 0; it < b.N; it++ {
				b.StopTimer()
				for i := range n {
					login, err := a.Auth.LoginResident(ctx, "dev:"+testenv.UniqueName(fmt.Sprintf("bd%d", i)))
					if err != nil {
						b.Fatal(err)
					}
					id := checksumID(it*n + i)
					if _, err := a.Residents.SetIdentity(ctx, login.Resident.ID, "王五", id, ""); err != nil {
						b.Fatal(err)
					}
					if err := a.Notify.RecordResults(ctx, login.Resident.ID, []notify.SubscribeResult{{TemplateID: seed.SimulatorTemplateID, Result: "accept"}}); err != nil {
						b.Fatal(err)
					}
					rec, _, err := a.Application.Create(ctx, login.Resident.ID, soloApplication(seed.DemoVillageE1, "王五", id, model.CatTemporaryAid), "")
					if err != nil {
						b.Fatal(err)
					}
					if _, err := a.Review.Accept(ctx, staff, rec.Case().PublicID, rec.Case().Version, ""); err != nil {
						b.Fatal(err)
					}
				}
				before := len(sim.Messages())
				b.StartTimer()
				start := time.Now()
				for {
					handled, err := a.Notify.RunOnce(ctx)
					if err != nil {
						b.Fatal(err)
					}
					if handled == 0 {
						break
					}
				}
				total += time.Since(start)
				b.StopTimer()
				if sent := len(sim.Messages()) - before; sent != n {
					b.Fatalf("sent %d of %d", sent, n)
				}
			}
			b.ReportMetric(float64(n*b.N)/total.Seconds(), "msgs/s")
		})
	}
}
