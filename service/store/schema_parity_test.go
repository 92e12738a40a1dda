package store_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"palmaid/model"

	"palmaid/service/store"
	"palmaid/service/testenv"
)

// TestSchemaParity migrates both backends to the newest version and compares every table's
// columns: name, type class (int, text, blob, time) and declared length. The two migration
// trees are written by hand; this is what keeps them twins.
func TestSchemaParity(t *testing.T) {
	testenv.Require(t, "embedded")
	testenv.Require(t, "mariadb")
	ctx := context.Background()
	lite, err := testenv.New(t, "embedded").Store(t).Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	maria, err := testenv.New(t, "mariadb").Store(t).Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var diffs []string
	for table := range union(lite, maria) {
		l, m := index(lite[table]), index(maria[table])
		for name := range union(l, m) {
			lc, lok := l[name]
			mc, mok := m[name]
			switch {
			case !lok:
				diffs = append(diffs, fmt.Sprintf("%s.%s only on mariadb (%v)", table, name, mc))
			case !mok:
				diffs = append(diffs, fmt.Sprintf("%s.%s only on sqlite (%v)", table, name, lc))
			case lc != mc:
				diffs = append(diffs, fmt.Sprintf("%s: sqlite %v, mariadb %v", table, lc, mc))
			}
			if lok && strings.HasPrefix(lc.Class, "?") || mok && strings.HasPrefix(mc.Class, "?") {
				diffs = append(diffs, fmt.Sprintf("%s.%s: unknown type class", table, name))
			}
		}
	}
	sort.Strings(diffs)
	for _, d := range diffs {
		t.Error(d)
	}
	if len(lite) < 20 {
		t.Fatalf("only %d tables read from sqlite", len(lite))
	}
}

func index(cols []store.ColumnInfo) map[string]store.ColumnInfo {
	m := make(map[string]store.ColumnInfo, len(cols))
	for _, c := range cols {
		m[c.Name] = c
	}
	return m
}

func union[V any](a, b map[string]V) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// TestLongestReturnBody stores the longest body a return can produce (30 missing items of 60
// characters, validation's limits) in the outbox and the in-app messages on both backends.
// MariaDB refused it while the column was VARCHAR(500) (issue 6, finding 5).
func TestLongestReturnBody(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		names := make([]string, 30)
		for i := range names {
			names[i] = fmt.Sprintf("%02d", i) + strings.Repeat("材", 58)
		}
		body := fmt.Sprintf("您的申请（%s）需要补充以下%d项材料：%s。请一次补齐后重新提交。", "MZ2026110100001", len(names), strings.Join(names, "、"))
		now := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
		row := model.Outbox{CaseID: 1, ResidentID: 1, TemplateKey: model.TemplateCaseProgress, Title: "申请需补正", Body: body,
			Payload: "{}", IdempotencyKey: "long-body", Status: model.OutboxPending, NextAttemptAt: now, CreatedAt: now}
		if err := st.InsertOutboxForTest(ctx, []model.Outbox{row}); err != nil {
			t.Fatalf("outbox: %v", err)
		}
		if err := st.InsertMessages(ctx, []model.Message{{ResidentID: 1, CaseID: 1, Title: "申请需补正", Body: body, IdempotencyKey: "long-body", CreatedAt: now}}); err != nil {
			t.Fatalf("message: %v", err)
		}
		got, err := st.MessageByKeyForTest(ctx, "long-body")
		if err != nil {
			t.Fatal(err)
		}
		if got.Body != body {
			t.Fatalf("body stored as %d characters, want %d", len([]rune(got.Body)), len([]rune(body)))
		}
	})
}

// Finding 6: a closed pool or a spent deadline is service.unavailable (503), not an
// internal error.
func TestUnreachableDatabaseIsUnavailable(t *testing.T) {
	ctx := context.Background()
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		st := be.Store(t)
		past, cancel := context.WithDeadline(ctx, time.Now().Add(-time.Second))
		defer cancel()
		if _, err := st.GetStaff(past, 1); model.AsError(err).Kind != model.KindUnavailable {
			t.Fatalf("past deadline: %v", err)
		}
		testenv.Must(t, st.Close())
		if _, err := st.GetStaff(ctx, 1); model.AsError(err).Kind != model.KindUnavailable {
			t.Fatalf("closed pool: %v", err)
		}
		if err := st.InTx(ctx, func(context.Context) error { return nil }); model.AsError(err).Kind != model.KindUnavailable {
			t.Fatalf("closed pool, transaction: %v", err)
		}
	})
}

// A wrong statement stays an internal error: only connection trouble is 503.
func TestStatementErrorIsNotUnavailable(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		st := be.Store(t)
		err := st.RawForTest(context.Background(), "SELECT no_such_column FROM staff")
		if err == nil || model.AsError(err).Kind == model.KindUnavailable {
			t.Fatalf("bad statement classified as unavailable: %v", err)
		}
	})
}

// Finding 2: the database compares usernames by their bytes, not folding case or width. With
// utf8mb4_unicode_ci MariaDB found `town_west` for `TowN_west`, behind the lockout's back.
// (Every MySQL/MariaDB *_bin collation still pads trailing spaces; the service trims and
// refuses spaces before any query, see service/auth TestUsernameVariantsShareLockout.)
func TestStaffUsernameComparedExactly(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		now := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
		testenv.Must(t, st.CreateStaff(ctx, &model.Staff{Username: "town_west", PasswordHash: "x", DisplayName: "观城镇经办人",
			Role: model.RoleTownCaseworker, AreaCode: "371522103000", Active: true, SessionVersion: 1, CreatedAt: now, UpdatedAt: now}))
		if _, err := st.StaffByUsername(ctx, "town_west"); err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{"TowN_west", "ｔｏｗｎ_west", "TOWN_WEST"} {
			if got, err := st.StaffByUsername(ctx, v); err == nil {
				t.Errorf("%q found account %q", v, got.Username)
			}
		}
		err := st.CreateStaff(ctx, &model.Staff{Username: "town_west", PasswordHash: "x", DisplayName: "重复",
			Role: model.RoleTownCaseworker, AreaCode: "371522103000", Active: true, SessionVersion: 1, CreatedAt: now, UpdatedAt: now})
		if !errors.Is(err, store.ErrUsernameTaken) {
			t.Fatalf("duplicate username: %v", err)
		}
	})
}
