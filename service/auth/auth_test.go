package auth_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"golang.org/x/crypto/bcrypt"

	"palmaid/config"
	"palmaid/model"
	"palmaid/service/auth"
	"palmaid/service/reqmeta"
	"palmaid/service/seed"
	"palmaid/service/store"
	"palmaid/service/testenv"
)

var t0 = time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)

func newAuth(t *testing.T, st *store.Store, rdb redis.UniversalClient, prefix string) *auth.Service {
	t.Helper()
	testenv.Must(t, seed.Demo(context.Background(), st, t0, config.MinPasswordCost))
	return auth.New(auth.Config{KeyPrefix: prefix, StaffTTL: 8 * time.Hour, PasswordCost: config.MinPasswordCost}, st, nil, rdb, func() time.Time { return t0 },
		slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func from(ip string) context.Context {
	return reqmeta.WithRequestMeta(context.Background(), reqmeta.RequestMeta{ClientIP: ip})
}

func code(err error) string {
	if err == nil {
		return "ok"
	}
	return model.AsError(err).Code
}

// Finding 2: the lockout was keyed by the raw name while MySQL's collation folded case, width
// and trailing spaces, so `TowN_west` logged in while `town_west` was locked. Now every
// spelling reaches the one account and its one lock; a NUL is refused outright.
func TestUsernameVariantsShareLockout(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		a := newAuth(t, be.Store(t), be.Redis(t), be.Config.Redis.KeyPrefix)
		ctx := from("198.51.100.7")
		for i := 0; i < 5; i++ {
			if _, err := a.LoginStaff(ctx, "town_west", "wrong"); code(err) != "auth.bad_credentials" {
				t.Fatalf("failure %d: %v", i, err)
			}
		}
		for _, v := range []string{"town_west", "TowN_west", "ＴＯＷＮ＿ＷＥＳＴ", "town_west ", " town_west\t"} {
			_, err := a.LoginStaff(ctx, v, seed.DemoPassword)
			if code(err) != "auth.locked" {
				t.Errorf("%q with the right password while locked: %v", v, code(err))
			} else if model.AsError(err).RetryAfter <= 0 {
				t.Errorf("%q: auth.locked without Retry-After", v)
			}
		}
		for _, v := range []string{"town_west\x00", "town_west\u200b"} {
			if _, err := a.LoginStaff(from("203.0.113.9"), v, seed.DemoPassword); code(err) != "auth.bad_credentials" {
				t.Errorf("%q logged in or failed oddly: %v", v, code(err))
			}
		}
		// The same account from another source is not locked by these failures (finding 8).
		res, err := a.LoginStaff(from("203.0.113.9"), "TowN_west", seed.DemoPassword)
		if err != nil || res.Staff.Username != "town_west" {
			t.Fatalf("owner from another source: %v", err)
		}
	})
}

// Finding 8: a stranger failing from many sources locks the account everywhere except the
// sources its owner logged in from; the lock lifts when its time is up (fake clock: miniredis).
func TestStrangerCannotLockOwnerOut(t *testing.T) {
	be := testenv.New(t, "embedded")
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	a := newAuth(t, be.Store(t), rdb, "t:")
	owner := from("10.0.0.5")
	if _, err := a.LoginStaff(owner, "town_east", seed.DemoPassword); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		ip := "192.0.2." + string(rune('a'+i))
		if _, err := a.LoginStaff(from(ip), "town_east", "guess"); code(err) != "auth.bad_credentials" {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	_, err := a.LoginStaff(from("198.51.100.1"), "town_east", seed.DemoPassword)
	if code(err) != "auth.locked" || model.AsError(err).RetryAfter != 15*time.Minute {
		t.Fatalf("new source after 20 failures: %v (retry %v)", err, model.AsError(err).RetryAfter)
	}
	if _, err := a.LoginStaff(owner, "town_east", seed.DemoPassword); err != nil {
		t.Fatalf("owner locked out of the usual desk: %v", err)
	}
	// Five failures from one source lock that source only, for 15 minutes.
	for i := 0; i < 5; i++ {
		_, _ = a.LoginStaff(from("192.0.2.200"), "county", "guess")
	}
	if _, err := a.LoginStaff(from("192.0.2.200"), "county", seed.DemoPassword); code(err) != "auth.locked" {
		t.Fatalf("source not locked: %v", err)
	}
	mr.FastForward(15*time.Minute + time.Second)
	if _, err := a.LoginStaff(from("192.0.2.200"), "county", seed.DemoPassword); err != nil {
		t.Fatalf("lock did not lift: %v", err)
	}
}

// Finding 7: with Redis down, the right and the wrong password both get 503 before any
// password check (before: wrong → 401, right → 503, a password oracle).
func TestLoginFailsClosedWithoutRedis(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		mr := miniredis.RunT(t)
		rdb := redis.NewClient(&redis.Options{Addr: mr.Addr(), MaxRetries: -1})
		a := newAuth(t, be.Store(t), rdb, "t:")
		mr.Close()
		for _, pw := range []string{"wrong", seed.DemoPassword} {
			for _, user := range []string{"town_west", "nobody"} {
				_, err := a.LoginStaff(from("10.0.0.1"), user, pw)
				if model.AsError(err).Kind != model.KindUnavailable {
					t.Errorf("%s/%s with Redis down: %v, want 503", user, pw, err)
				}
			}
		}
	})
}

// Staff passwords are argon2id; a bcrypt hash from before is replaced at the next login.
func TestBcryptRehashedAtLogin(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		st := be.Store(t)
		a := newAuth(t, st, be.Redis(t), be.Config.Redis.KeyPrefix)
		ctx := from("10.0.0.2")
		old, err := bcrypt.GenerateFromPassword([]byte(seed.DemoPassword), bcrypt.MinCost)
		testenv.Must(t, err)
		res, err := a.LoginStaff(ctx, "county", seed.DemoPassword)
		testenv.Must(t, err)
		testenv.Must(t, st.SetStaffPassword(ctx, res.Staff.ID, string(old), false, false, t0))
		if _, err := a.LoginStaff(ctx, "county", seed.DemoPassword); err != nil {
			t.Fatalf("bcrypt login: %v", err)
		}
		got, err := st.GetStaff(ctx, res.Staff.ID)
		testenv.Must(t, err)
		if !strings.HasPrefix(got.PasswordHash, "$argon2id$v=19$") || auth.NeedsRehashCost(got.PasswordHash, config.MinPasswordCost) {
			t.Fatalf("hash not rehashed: %.12s…", got.PasswordHash)
		}
		if _, err := a.LoginStaff(ctx, "county", seed.DemoPassword); err != nil {
			t.Fatalf("argon2id login: %v", err)
		}
	})
}

func TestPasswordHashing(t *testing.T) {
	h, err := auth.HashPassword("correct horse 1")
	testenv.Must(t, err)
	if !auth.CheckPassword(h, "correct horse 1") || auth.CheckPassword(h, "correct horse 2") || auth.NeedsRehash(h) {
		t.Fatalf("argon2id round trip failed: %s", h)
	}
	for _, bad := range []string{"", "$argon2id$", "$argon2id$v=19$m=1,t=0,p=1$AA$AA", "$argon2i$v=19$m=19456,t=2,p=1$AAAA$AAAA"} {
		if auth.CheckPassword(bad, "") {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
}

// Staff sessions end after 30 idle minutes and 12 hours after login however busy (fake clocks:
// miniredis for the key's life, the service clock for the login time); the account lists its
// open sessions without their tokens.
func TestStaffSessionIdleAndAbsoluteTimeouts(t *testing.T) {
	be := testenv.New(t, "embedded")
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	st := be.Store(t)
	testenv.Must(t, seed.Demo(context.Background(), st, t0, config.MinPasswordCost))
	now := t0
	a := auth.New(auth.Config{KeyPrefix: "t:", StaffTTL: 12 * time.Hour, StaffIdle: 30 * time.Minute, PasswordCost: config.MinPasswordCost},
		st, nil, rdb, func() time.Time { return now }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := from("10.0.0.9")
	advance := func(d time.Duration) { now = now.Add(d); mr.FastForward(d) }

	idle, err := a.LoginStaff(ctx, "town_east", seed.DemoPassword)
	testenv.Must(t, err)
	busy, err := a.LoginStaff(ctx, "town_east", seed.DemoPassword)
	testenv.Must(t, err)
	list, err := a.StaffSessions(ctx, busy.Staff, busy.Token)
	testenv.Must(t, err)
	if len(list) != 2 || (list[0].Current == list[1].Current) || strings.Contains(list[0].ID+list[1].ID, busy.Token) {
		t.Fatalf("sessions: %+v", list)
	}
	// The busy session is used every 20 minutes; the idle one not at all.
	for i := 0; i < 2; i++ {
		advance(20 * time.Minute)
		if _, err := a.Staff(ctx, busy.Token); err != nil {
			t.Fatalf("busy session after %v: %v", now.Sub(t0), err)
		}
	}
	if _, err := a.Staff(ctx, idle.Token); !errors.Is(err, model.ErrUnauthenticated) {
		t.Fatalf("idle for 40 minutes and still valid: %v", err)
	}
	if list, _ := a.StaffSessions(ctx, busy.Staff, busy.Token); len(list) != 1 || !list[0].Current {
		t.Fatalf("after the idle one ended: %+v", list)
	}
	// Busy all day: still ends 12 hours after login.
	for now.Sub(t0) < 12*time.Hour-20*time.Minute {
		advance(20 * time.Minute)
		if _, err := a.Staff(ctx, busy.Token); err != nil {
			t.Fatalf("busy session at %v: %v", now.Sub(t0), err)
		}
	}
	advance(21 * time.Minute)
	if _, err := a.Staff(ctx, busy.Token); !errors.Is(err, model.ErrUnauthenticated) {
		t.Fatalf("valid %v after login: %v", now.Sub(t0), err)
	}
}
