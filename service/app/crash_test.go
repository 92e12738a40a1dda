package app_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"palmaid/config"
	"palmaid/model"
	"palmaid/service/app"
	"palmaid/service/crypto"
	"palmaid/service/notify"
	"palmaid/service/seed"
	"palmaid/service/store"
	"palmaid/service/testenv"
	"palmaid/service/wechat"
	"palmaid/service/wechat/wxsim"
)

// fillOutbox logs n simulated residents in, records k accepts of the progress template for
// each and writes k progress rows per resident (statuses differ, so every row's subscribe
// message has its own content and the simulator can count each key's pushes). The rows are
// due at now. It returns the rows' recipients' openids.
func fillOutbox(t *testing.T, a *app.App, prefix string, n, k int, now time.Time) []string {
	t.Helper()
	ctx := context.Background()
	_, _, c := acceptedCase(t, a, testenv.UniqueName(prefix+"c"))
	statuses := []string{"已受理", "调查中", "公示中", "已批准"}
	var openIDs []string
	for i := range n {
		name := testenv.UniqueName(fmt.Sprintf("%s%d", prefix, i))
		login, err := a.Auth.LoginResident(ctx, "dev:"+name)
		testenv.Must(t, err)
		openIDs = append(openIDs, wxsim.OpenIDFor(testenv.SimAppID, name))
		for j := range k {
			testenv.Must(t, a.Notify.RecordResults(ctx, login.Resident.ID, []notify.SubscribeResult{{TemplateID: seed.SimulatorTemplateID, Result: notify.ResultAccept}}))
			payload, _ := json.Marshal(map[string]string{model.NotifyValueService: "社会救助申请（低保）", model.NotifyValueStatus: statuses[j],
				model.NotifyValueTime: "2026-11-23 10:00", model.NotifyValueHint: "详见小程序", model.NotifyValueCaseNo: c.CaseNo})
			testenv.Must(t, a.Store.AddOutbox(ctx, &model.Outbox{CaseID: c.ID, ResidentID: login.Resident.ID, TemplateKey: model.TemplateCaseProgress,
				Title: "申请" + statuses[j], Body: "您的申请" + statuses[j], Payload: string(payload),
				IdempotencyKey: fmt.Sprintf("%s:%s:%d", prefix, name, j), Status: model.OutboxPending, NextAttemptAt: now, CreatedAt: now}))
		}
	}
	return openIDs
}

// workerSpec tells TestNotifyWorkerProcess what to deliver from and to.
type workerSpec struct {
	Driver, DSN   string
	SimURL        string
	ClockOffset   time.Duration // added to the wall clock (a restart after the lease ran out)
	UntilEmpty    bool          // exit 0 once nothing is pending; else run until killed
	AppID, Secret string
}

// TestNotifyWorkerProcess is the delivery worker as a separate process, started by
// TestKilledWorkerLosesNothing (it does nothing when run on its own).
func TestNotifyWorkerProcess(t *testing.T) {
	raw := os.Getenv("PALMAID_TEST_NOTIFY_WORKER")
	if raw == "" {
		t.Skip("the worker process of TestKilledWorkerLosesNothing")
	}
	var spec workerSpec
	testenv.Must(t, json.Unmarshal([]byte(raw), &spec))
	u, err := url.Parse(spec.SimURL)
	testenv.Must(t, err)
	wechat.InstallHTTPClient(wechat.NewHTTPClient(0, wechat.NewRewritingTransport(u, nil)))
	// The outbox bodies are sealed free text: the worker opens them with the development key
	// the test's service sealed them with.
	dk, _ := hex.DecodeString(config.DevDataKeyHex)
	ik, _ := hex.DecodeString(config.DevIndexKeyHex)
	cipher, err := crypto.NewSM(1, dk, ik)
	testenv.Must(t, err)
	st, err := store.Open(store.Options{Driver: spec.Driver, DSN: spec.DSN, MaxOpenConns: 8, Cipher: cipher})
	testenv.Must(t, err)
	rdb := redis.NewClient(&redis.Options{Addr: miniredis.RunT(t).Addr()})
	wx, err := wechat.New(wechat.Config{AppID: spec.AppID, AppSecret: spec.Secret, CacheKeyPrefix: "worker:wx"}, rdb)
	testenv.Must(t, err)
	now := func() time.Time { return time.Now().Add(spec.ClockOffset).UTC().Truncate(time.Microsecond) }
	w := notify.New(st, wx, now, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	ctx := context.Background()
	for {
		n, err := w.RunOnce(ctx)
		testenv.Must(t, err)
		if n == 0 {
			if pending, _, err := st.OutboxBacklog(ctx, now()); err == nil && pending == 0 && spec.UntilEmpty {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// TestKilledWorkerLosesNothing runs the delivery worker as a process of its own (this test
// binary again), kills it with SIGKILL while a batch is being pushed, and starts it again once
// the killed worker's lease has run out: every row is delivered (an in-app message per key,
// nothing pending or dead), and no subscribe message is pushed twice. The pushes the killed
// worker had marked as started and not confirmed are the only ones whose outcome is unknown:
// they are completed in-app without a second push (at most two waves of 16).
func TestKilledWorkerLosesNothing(t *testing.T) {
	if os.Getenv("PALMAID_TEST_NOTIFY_WORKER") != "" {
		t.Skip("inside the worker process")
	}
	testenv.EachSerial(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		start := time.Now().UTC().Truncate(time.Microsecond)
		clk := testenv.NewClock(start)
		a := newApp(t, be, clk)
		const n, k = 150, 2
		openIDs := fillOutbox(t, a, "kill", n, k, start)
		pending := func() int64 {
			cnt, _, err := a.Store.OutboxBacklog(ctx, time.Now())
			testenv.Must(t, err)
			return cnt
		}

		srv := httptest.NewServer(sim.Handler()) // the same simulator, reachable by the worker process
		defer srv.Close()
		sim.SetLatency(15 * time.Millisecond) // a batch takes a while to push: the kill lands inside one
		defer sim.SetLatency(0)
		pushed := func() int {
			c := 0
			for _, o := range openIDs {
				c += len(sim.MessagesTo(o))
			}
			return c
		}
		run := func(offset time.Duration, untilEmpty bool) *exec.Cmd {
			spec, _ := json.Marshal(workerSpec{Driver: be.Config.Database.Driver, DSN: be.Config.Database.DSN, SimURL: srv.URL,
				ClockOffset: offset, UntilEmpty: untilEmpty, AppID: testenv.SimAppID, Secret: testenv.SimAppSecret})
			cmd := exec.Command(os.Args[0], "-test.run=^TestNotifyWorkerProcess$", "-test.count=1")
			cmd.Env = append(os.Environ(), "PALMAID_TEST_NOTIFY_WORKER="+string(spec))
			cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
			testenv.Must(t, cmd.Start())
			return cmd
		}

		first := run(0, false)
		deadline := time.Now().Add(2 * time.Minute)
		for pushed() < 60 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		testenv.Must(t, first.Process.Kill()) // SIGKILL: no deferred code, no clean shutdown
		_ = first.Wait()
		atKill := pushed()
		left := pending()
		if atKill == 0 || left == 0 {
			t.Fatalf("the kill did not land mid-delivery: %d pushed, %d pending", atKill, left)
		}
		t.Logf("killed after %d of %d pushes, %d rows pending", atKill, n*k, left)

		// Restarted after the lease (60 s) ran out: its clock is 61 s ahead.
		second := run(61*time.Second, true)
		done := make(chan error, 1)
		go func() { done <- second.Wait() }()
		select {
		case err := <-done:
			testenv.Must(t, err)
		case <-time.After(3 * time.Minute):
			_ = second.Process.Kill()
			t.Fatal("the restarted worker did not finish")
		}

		// Nothing lost: every row done, one in-app message per key.
		if left := pending(); left != 0 {
			t.Fatalf("%d rows still pending", left)
		}
		unknown, viaPush := 0, 0
		for _, o := range openIDs {
			r, err := a.Store.UpsertResident(ctx, testenv.SimAppID, o, "", start)
			testenv.Must(t, err)
			msgs, err := a.Store.ListMessages(ctx, r.ID, 0, 10)
			testenv.Must(t, err)
			if len(msgs) != k {
				t.Fatalf("resident %d has %d in-app messages, want %d", r.ID, len(msgs), k)
			}
			for _, m := range msgs {
				if m.Pushed {
					viaPush++
				} else if m.PushStartedAt != nil {
					unknown++
				} else {
					t.Fatalf("message %s neither pushed nor in flight at the kill: %+v", m.IdempotencyKey, m)
				}
			}
			// Never twice: each content at most once at WeChat.
			for _, sm := range sim.MessagesTo(o) {
				if c := sim.PushCount(sm); c != 1 {
					t.Fatalf("pushed %d times: %+v", c, sm)
				}
			}
		}
		if unknown > 32 || viaPush+unknown != n*k || pushed() < viaPush || pushed() > viaPush+unknown {
			t.Fatalf("pushed %d; messages: %d pushed, %d in flight at the kill (at most 32)", pushed(), viaPush, unknown)
		}
		t.Logf("%d pushed once, %d in flight at the kill completed in-app", viaPush, unknown)
	})
}

// TestWeChatOutageAbsorbed: WeChat answers system-busy (-1) for two minutes (on the test
// clock); the worker keeps polling every 2 s. Rows back off (jittered, doubling), none is
// dead-lettered, and when WeChat is back every row is pushed exactly once.
func TestWeChatOutageAbsorbed(t *testing.T) {
	if os.Getenv("PALMAID_TEST_NOTIFY_WORKER") != "" {
		t.Skip("inside the worker process")
	}
	testenv.EachSerial(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		clk := testenv.NewClock(time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC))
		a := newApp(t, be, clk)
		const n, k = 20, 2
		openIDs := fillOutbox(t, a, "outage", n, k, clk.Now())
		drain := func() {
			t.Helper()
			for {
				got, err := a.Notify.RunOnce(ctx)
				testenv.Must(t, err)
				if got == 0 {
					return
				}
			}
		}
		calls := sim.Calls(wxsim.PathSubscribe)
		sim.SetDown(-1)
		outageEnds := clk.Now().Add(2 * time.Minute)
		for clk.Now().Before(outageEnds) {
			drain()
			clk.Add(2 * time.Second)
		}
		sim.SetDown(0)
		during := sim.Calls(wxsim.PathSubscribe) - calls
		// Without backoff each of the 40 rows would be tried 60 times in two minutes; with it,
		// 5 s doubling from the first failure: at most 6 tries each (0, 2.5, 7.5, 17.5, 37.5, 77.5 s
		// at the earliest).
		if during < n*k || during > n*k*6 {
			t.Fatalf("%d sends during the outage for %d rows: want between 1 and 6 each", during, n*k)
		}
		for i := 0; i < 300 && func() bool { b, _, _ := a.Store.OutboxBacklog(ctx, clk.Now()); return b > 0 }(); i++ {
			drain()
			clk.Add(2 * time.Second)
		}
		if b, _, _ := a.Store.OutboxBacklog(ctx, clk.Now()); b != 0 {
			t.Fatalf("%d rows still pending ten minutes after the outage", b)
		}
		for _, o := range openIDs {
			got := sim.MessagesTo(o)
			if len(got) != k {
				t.Fatalf("%s received %d messages, want %d", o, len(got), k)
			}
			for _, m := range got {
				if sim.PushCount(m) != 1 {
					t.Fatalf("pushed twice: %+v", m)
				}
			}
		}
		dead, err := a.Store.DeadLetters(ctx, store.StaffScope(&model.Staff{AreaCode: seed.DemoCounty}), 0, 100)
		testenv.Must(t, err)
		if len(dead) != 0 {
			t.Fatalf("%d dead letters after a two-minute outage", len(dead))
		}
	})
}
