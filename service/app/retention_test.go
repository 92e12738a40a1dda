package app_test

import (
	"context"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/testenv"
)

// The retention job deletes delivered outbox rows and dead letters half a year after they were
// done, and nothing that is still pending or younger; the in-app messages stay.
func TestRetentionPurgesDoneAndDeadRows(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		clk := testenv.NewClock(time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC))
		a := newApp(t, be, clk)
		rid, _, c := acceptedCase(t, a, testenv.UniqueName("ret-"+be.Name))
		now := clk.Now()
		old := now.Add(-200 * 24 * time.Hour)
		young := now.Add(-10 * 24 * time.Hour)
		add := func(key, status string, done *time.Time) {
			testenv.Must(t, a.Store.AddOutbox(ctx, &model.Outbox{CaseID: c.ID, ResidentID: rid, TemplateKey: model.TemplateCaseProgress,
				Title: "t", Body: "b", Payload: "{}", IdempotencyKey: testenv.UniqueName(key), Status: status,
				NextAttemptAt: now.Add(time.Hour), CreatedAt: old, DoneAt: done}))
		}
		add("ret-done-old", model.OutboxDone, &old)
		add("ret-dead-old", model.OutboxDead, &old)
		add("ret-done-young", model.OutboxDone, &young)
		add("ret-dead-young", model.OutboxDead, &young)
		add("ret-pending", model.OutboxPending, nil)
		before, err := testenv.OpenRows(t, a.Config).Opening(a.Cipher).OutboxForCase(ctx, c.ID)
		testenv.Must(t, err)
		testenv.Must(t, a.RunJob(ctx, "retention"))
		after, err := testenv.OpenRows(t, a.Config).Opening(a.Cipher).OutboxForCase(ctx, c.ID)
		testenv.Must(t, err)
		if len(before)-len(after) != 2 {
			t.Fatalf("retention deleted %d rows, want the 2 old done and dead ones", len(before)-len(after))
		}
		for _, o := range after {
			if o.DoneAt != nil && o.DoneAt.Before(now.Add(-180*24*time.Hour)) {
				t.Fatalf("row %s (%s, done %v) kept", o.IdempotencyKey, o.Status, o.DoneAt)
			}
		}
	})
}
