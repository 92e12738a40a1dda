package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/notify"
	"palmaid/service/seed"
	"palmaid/service/testenv"
	"palmaid/service/wechat/wxsim"
)

// deadlockCounter is a slog handler that counts the notify worker's "deadlock victim" lines.
type deadlockCounter struct {
	slog.Handler
	n *atomic.Int64
}

func (h deadlockCounter) Handle(ctx context.Context, r slog.Record) error {
	if strings.Contains(r.Message, "deadlock") {
		h.n.Add(1)
	}
	return h.Handler.Handle(ctx, r)
}

// TestConcurrentBatchesNeverDeadlock is the stress test of the batch preparation: six workers
// drain an outbox whose every batch holds rows of the same few residents, so the batches take the
// same quota rows (FOR UPDATE) and insert in-app copies side by side. The preparation takes its
// locks in one fixed order (quota rows by template then resident, messages by key), so no
// transaction is ever chosen as a deadlock victim: the retry that remains is never used. Run it
// with -count=N on MariaDB to see; embedded SQLite serialises writers and is the control.
func TestConcurrentBatchesNeverDeadlock(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		clk := testenv.NewClock(time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC))
		a := newApp(t, be, clk)
		_, _, c := acceptedCase(t, a, testenv.UniqueName("dl-c"))
		const residents, perResident, workers = 8, 120, 6
		ids := make([]uint64, residents)
		names := make([]string, residents)
		for i := range residents {
			names[i] = testenv.UniqueName(fmt.Sprintf("dl-%s-%d", be.Name, i))
			login, err := a.Auth.LoginResident(ctx, "dev:"+names[i])
			testenv.Must(t, err)
			ids[i] = login.Resident.ID
			// perResident accepts banked through the store: the service caps a quota at
			// notify.MaxQuota, far below what this test needs in flight.
			for range perResident {
				testenv.Must(t, a.Store.RecordSubscribeResult(ctx, ids[i], seed.SimulatorTemplateID, notify.ResultAccept, perResident, clk.Now()))
			}
		}
		now := clk.Now()
		// rows interleaved over residents (and in reverse resident order every other round), so
		// every claimed batch needs every resident's quota row, in a different order each time
		for j := range perResident {
			for k := range residents {
				i := k
				if j%2 == 1 {
					i = residents - 1 - k
				}
				payload, _ := json.Marshal(map[string]string{model.NotifyValueService: "社会救助申请（低保）", model.NotifyValueStatus: "已受理",
					model.NotifyValueTime: "2026-11-23 10:00", model.NotifyValueHint: fmt.Sprintf("第%d条", j), model.NotifyValueCaseNo: c.CaseNo})
				testenv.Must(t, a.Store.AddOutbox(ctx, &model.Outbox{CaseID: c.ID, ResidentID: ids[i], TemplateKey: model.TemplateCaseProgress,
					Title: "申请已受理", Body: "您的申请已受理", Payload: string(payload),
					IdempotencyKey: fmt.Sprintf("dl:%s:%03d", names[i], j), Status: model.OutboxPending, NextAttemptAt: now, CreatedAt: now}))
			}
		}
		var victims atomic.Int64
		log := slog.New(deadlockCounter{Handler: a.Log.Handler(), n: &victims})
		var wg sync.WaitGroup
		var failed atomic.Int64
		for range workers {
			w := notify.New(a.Store, a.WeChat, clk.Now, log)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					handled, err := w.RunOnce(ctx)
					if err != nil {
						failed.Add(1)
						t.Log(err)
						continue
					}
					if handled == 0 {
						return
					}
				}
			}()
		}
		wg.Wait()
		for _, name := range names {
			if got := sim.MessagesTo(wxsim.OpenIDFor(testenv.SimAppID, name)); len(got) != perResident {
				t.Errorf("%s received %d messages, want %d", name, len(got), perResident)
			}
		}
		if v, f := victims.Load(), failed.Load(); v != 0 || f != 0 {
			t.Errorf("%d batch preparations were deadlock victims, %d rounds failed", v, f)
		}
	})
}
