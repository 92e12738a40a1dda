package app_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/app"
	"palmaid/service/auth"
	"palmaid/service/notify"
	"palmaid/service/seed"
	"palmaid/service/testenv"
	"palmaid/service/wechat/wxsim"
)

var sim *wxsim.Simulator

func TestMain(m *testing.M) {
	s, stop, err := testenv.StartSimulator()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sim = s
	code := m.Run()
	_ = stop()
	os.Exit(code)
}

func newApp(t *testing.T, be *testenv.Backend, clk *testenv.Clock) *app.App {
	t.Helper()
	cfg := be.Config
	cfg.DemoSeed = true
	a, err := app.New(context.Background(), cfg, app.Options{Now: clk.Now, Simulator: sim})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return a
}

// acceptedCase logs a simulated resident in, files a case and has the east town accept it.
func acceptedCase(t *testing.T, a *app.App, name string) (residentID uint64, openID string, c *model.Case) {
	t.Helper()
	ctx := context.Background()
	login, err := a.Auth.LoginResident(ctx, "dev:"+name)
	testenv.Must(t, err)
	_, err = a.Residents.SetIdentity(ctx, login.Resident.ID, "王五", "990101198001011236", "")
	testenv.Must(t, err)
	return acceptedCaseFor(t, a, login.Resident.ID, name)
}

func TestNotifyDelivery(t *testing.T) {
	testenv.EachSerial(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		clk := testenv.NewClock(time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC))
		a := newApp(t, be, clk)
		name := testenv.UniqueName("notify-" + be.Name)
		rid, openID, c := acceptedCase(t, a, name)
		testenv.Must(t, a.Notify.RecordResults(ctx, rid, []notifyResult{{TemplateID: seed.SimulatorTemplateID, Result: "accept"}}))

		// WeChat busy: the row is retried later, the quota given back, nothing recorded.
		sim.FailNext(wxsim.PathSubscribe, -1)
		n, err := a.Notify.RunOnce(ctx)
		if err != nil || n != 1 {
			t.Fatalf("first round: n=%d err=%v", n, err)
		}
		if q, _ := testenv.OpenRows(t, a.Config).Quota(ctx, rid, seed.SimulatorTemplateID); q != 1 || len(sim.MessagesTo(openID)) != 0 {
			t.Fatalf("after busy: quota %d, sent %d", q, len(sim.MessagesTo(openID)))
		}
		if n, _ := a.Notify.RunOnce(ctx); n != 0 {
			t.Fatalf("retried before its backoff: %d", n)
		}
		clk.Add(time.Minute)
		if n, _ := a.Notify.RunOnce(ctx); n != 1 {
			t.Fatalf("retry round handled %d", n)
		}
		if got := sim.MessagesTo(openID); len(got) != 1 {
			t.Fatalf("sent %d, want 1", len(got))
		}
		rows, err := testenv.OpenRows(t, a.Config).Opening(a.Cipher).OutboxForCase(ctx, c.ID)
		testenv.Must(t, err)
		if len(rows) != 1 || rows[0].Status != model.OutboxDone || rows[0].Channel != model.ChannelSubscribe || rows[0].Attempts != 2 {
			t.Fatalf("outbox row: %+v", rows)
		}
		// A redelivered row (e.g. after a crash) is recognised by its key: no second push.
		if q, _ := testenv.OpenRows(t, a.Config).Quota(ctx, rid, seed.SimulatorTemplateID); q != 0 {
			t.Fatalf("quota after send: %d", q)
		}

		// 43101 from WeChat: the quota is zeroed, the message stays in-app.
		testenv.Must(t, a.Notify.RecordResults(ctx, rid, []notifyResult{{TemplateID: seed.SimulatorTemplateID, Result: "accept"}}))
		_, openID2, c2 := acceptedCaseFor(t, a, rid, name, model.CatExtremeHardship)
		sim.FailNext(wxsim.PathSubscribe, 43101)
		clk.Add(time.Minute)
		if n, _ := a.Notify.RunOnce(ctx); n != 1 {
			t.Fatalf("43101 round handled %d", n)
		}
		rows, _ = testenv.OpenRows(t, a.Config).Opening(a.Cipher).OutboxForCase(ctx, c2.ID)
		if len(rows) != 1 || rows[0].Channel != model.ChannelInApp || rows[0].Status != model.OutboxDone {
			t.Fatalf("after 43101: %+v", rows)
		}
		if q, _ := testenv.OpenRows(t, a.Config).Quota(ctx, rid, seed.SimulatorTemplateID); q != 0 || len(sim.MessagesTo(openID2)) != 1 {
			t.Fatalf("after 43101: quota %d sent %d", q, len(sim.MessagesTo(openID2)))
		}
		msgs, err := a.Notify.Messages(ctx, rid, 0, 10)
		testenv.Must(t, err)
		if len(msgs) != 2 || msgs[0].Pushed || !msgs[1].Pushed {
			t.Fatalf("in-app messages: %+v", msgs)
		}

		// Unknown templates are refused.
		err = a.Notify.RecordResults(ctx, rid, []notifyResult{{TemplateID: "nope", Result: "accept"}})
		if model.AsError(err).Code != "subscribe.unknown_template" {
			t.Fatalf("unknown template: %v", err)
		}
	})
}

// acceptedCaseFor files and accepts a second case for an existing resident.
// acceptedCaseFor files and accepts a case (低保 unless cats says otherwise: one household
// has one open application per category).
func acceptedCaseFor(t *testing.T, a *app.App, rid uint64, name string, cats ...model.Category) (uint64, string, *model.Case) {
	t.Helper()
	ctx := context.Background()
	if len(cats) == 0 {
		cats = []model.Category{model.CatMinimumLiving}
	}
	rec, _, err := a.Application.Create(ctx, rid, soloApplication(seed.DemoVillageE2, "王五", "990101198001011236", cats...), "")
	testenv.Must(t, err)
	staff, err := a.Store.StaffByUsername(ctx, "town_east")
	testenv.Must(t, err)
	acc, err := a.Review.Accept(ctx, staff, rec.Case().PublicID, rec.Case().Version, "")
	testenv.Must(t, err)
	return rid, wxsim.OpenIDFor("wxsimulator0000001", name), acc.Case()
}

func TestStaffAuth(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		a := newApp(t, be, testenv.NewClock(time.Now().UTC()))
		if _, err := a.Auth.LoginStaff(ctx, "nobody", "x"); !errors.Is(err, errBadPassword()) {
			t.Fatalf("unknown user: %v", err)
		}
		for i := 0; i < 5; i++ {
			if _, err := a.Auth.LoginStaff(ctx, "town_west", "wrong"); model.AsError(err).Code != "auth.bad_credentials" {
				t.Fatalf("wrong password %d: %v", i, err)
			}
		}
		if _, err := a.Auth.LoginStaff(ctx, "town_west", seed.DemoPassword); model.AsError(err).Code != "auth.locked" {
			t.Fatalf("after 5 failures the right password must still be refused: %v", err)
		}
		res, err := a.Auth.LoginStaff(ctx, "town_east", seed.DemoPassword)
		testenv.Must(t, err)
		st, err := a.Auth.Staff(ctx, res.Token)
		if err != nil || st.Username != "town_east" || st.Role != model.RoleTownCaseworker {
			t.Fatalf("token lookup: %+v %v", st, err)
		}
		testenv.Must(t, a.Auth.Logout(ctx, res.Token))
		if _, err := a.Auth.Staff(ctx, res.Token); !errors.Is(err, model.ErrUnauthenticated) {
			t.Fatalf("revoked token still works: %v", err)
		}
		// Resident login errors map to stable codes.
		if _, err := a.Auth.LoginResident(ctx, "fail:40163"); model.AsError(err).Code != "auth.code_invalid" {
			t.Fatalf("used code: %v", err)
		}
		if _, err := a.Auth.LoginResident(ctx, "fail:45011"); model.AsError(err).Kind != model.KindRateLimited {
			t.Fatalf("rate limited: %v", err)
		}
		if _, err := a.Auth.LoginResident(ctx, "fail:-1"); model.AsError(err).Kind != model.KindUnavailable {
			t.Fatalf("busy: %v", err)
		}
	})
}

type notifyResult = notify.SubscribeResult

func errBadPassword() error { return auth.ErrBadPassword }

// The password lockout lasts 15 minutes from the last failure, on the in-process Redis's fake
// clock: a second before, the right password is still refused; at 15 minutes it works again.
func TestStaffLockoutEndsAfter15Minutes(t *testing.T) {
	ctx := context.Background()
	a := newApp(t, testenv.New(t, "embedded"), testenv.NewClock(time.Now().UTC()))
	mr := a.InProcessRedis
	if mr == nil {
		t.Fatal("embedded app without its in-process Redis")
	}
	for i := 0; i < 5; i++ {
		if _, err := a.Auth.LoginStaff(ctx, "town_west", "wrong"); model.AsError(err).Code != "auth.bad_credentials" {
			t.Fatalf("wrong password %d: %v", i, err)
		}
	}
	mr.FastForward(15*time.Minute - time.Second)
	if _, err := a.Auth.LoginStaff(ctx, "town_west", seed.DemoPassword); model.AsError(err).Code != "auth.locked" {
		t.Fatalf("14m59s after the fifth failure: %v, want auth.locked", err)
	}
	mr.FastForward(time.Second)
	if _, err := a.Auth.LoginStaff(ctx, "town_west", seed.DemoPassword); err != nil {
		t.Fatalf("15 minutes after the fifth failure the right password is refused: %v", err)
	}
}

// New staff password hashes use the configured strength (the tests' 4: light argon2id; production ≥ 10).
func TestPasswordCostApplies(t *testing.T) {
	for _, c := range []struct {
		cost   int
		prefix string
	}{{5, "$argon2id$v=19$m=64,t=1,p=1$"}, {10, "$argon2id$v=19$m=19456,t=2,p=1$"}} {
		be := testenv.New(t, "embedded")
		be.Config.Session.PasswordCost = c.cost
		a := newApp(t, be, testenv.NewClock(time.Now().UTC()))
		st, err := a.Store.StaffByUsername(context.Background(), "town_east")
		testenv.Must(t, err)
		h, err := a.Auth.HashPassword("another-password")
		testenv.Must(t, err)
		if !strings.HasPrefix(st.PasswordHash, c.prefix) || !strings.HasPrefix(h, c.prefix) {
			t.Fatalf("cost %d: demo hash %.32s…, service hash %.32s…, want %s", c.cost, st.PasswordHash, h, c.prefix)
		}
		if !auth.CheckPassword(h, "another-password") || auth.CheckPassword(h, "another-passwore") {
			t.Fatalf("cost %d: the hash does not check", c.cost)
		}
	}
}

// A failing start used to panic (nil *App in the deferred cleanup) and hide its cause; now
// app.New returns the cause with what to do, and has released what it opened.
func TestNewFailureReturnsTheCause(t *testing.T) {
	be := testenv.New(t, "embedded")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	testenv.Must(t, err)
	addr := ln.Addr().String()
	testenv.Must(t, ln.Close())
	be.Config.Redis.Addr = addr
	a, err := app.New(context.Background(), be.Config, app.Options{Simulator: sim})
	var se *app.StartError
	if a != nil || !errors.As(err, &se) || !strings.Contains(err.Error(), "Redis at "+addr) || !strings.Contains(err.Error(), "is Redis running there?") {
		t.Fatalf("app.New with Redis down: %v %v", a, err)
	}
}
