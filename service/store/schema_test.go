package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/store"
	"palmaid/service/testenv"
)

// serve refuses a database whose schema is not this binary's.
func TestEnsureCurrentRefusesUnmigrated(t *testing.T) {
	testenv.EachEmpty(t, func(t *testing.T, be *testenv.Backend) {
		st, err := store.Open(store.Options{Driver: be.Config.Database.Driver, DSN: be.Config.Database.DSN})
		testenv.Must(t, err)
		defer st.Close()
		ctx := context.Background()
		if err := st.EnsureCurrent(ctx); err == nil || !strings.Contains(err.Error(), "migrate up") {
			t.Fatalf("unmigrated database accepted: %v", err)
		}
		if _, err := st.MigrateUp(ctx); err != nil {
			t.Fatal(err)
		}
		if err := st.EnsureCurrent(ctx); err != nil {
			t.Fatalf("migrated database refused: %v", err)
		}
	})
}

// The outbox claim (FOR UPDATE SKIP LOCKED on MySQL) must be served by idx_outbox_claim, whose
// column order matches the ORDER BY; otherwise the first worker locks every candidate row.
func TestOutboxClaimUsesItsIndex(t *testing.T) {
	testenv.Require(t, "mariadb")
	be := testenv.New(t, "mariadb")
	st := be.Store(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	r, err := st.UpsertResident(ctx, "wx", "o1", "", now)
	testenv.Must(t, err)
	cf, _, err := st.CreateCase(ctx, newCase(r.ID, "130102001001", nil))
	testenv.Must(t, err)
	c := &cf.Case
	rows := make([]model.Outbox, 0, 400)
	for i := 0; i < 400; i++ {
		status := model.OutboxDone
		if i%10 == 0 {
			status = model.OutboxPending
		}
		rows = append(rows, model.Outbox{CaseID: c.ID, ResidentID: r.ID, TemplateKey: "k", Title: "t", Body: "b", Payload: "{}",
			IdempotencyKey: fmt.Sprintf("k%d", i), Status: status, NextAttemptAt: now.Add(time.Duration(i) * time.Second), CreatedAt: now})
	}
	testenv.Must(t, st.InsertOutboxForTest(ctx, rows))
	key, err := st.ExplainClaimKey(ctx, now.Add(time.Hour), 50)
	testenv.Must(t, err)
	if key != "idx_outbox_claim" {
		t.Fatalf("claim query uses index %q, want idx_outbox_claim", key)
	}
}
