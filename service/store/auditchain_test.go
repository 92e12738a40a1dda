package store_test

import (
	"context"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/testenv"
)

// Sealed audit rows form one hash chain: intact after sealing; an edited row, a removed row and
// a removed hash are each named as the first broken link; unsettled rows wait for the next seal.
func TestAuditChain(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		base := time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC) // 23:00 CST: the rows span two days
		var ids []uint64
		for i := range 6 {
			a := model.AuditLog{ActorType: model.ActorStaff, ActorID: uint64(i + 1), Action: "case.view", AreaCode: "371522106000",
				Detail: "row", CreatedAt: base.Add(time.Duration(i) * 30 * time.Minute)}
			testenv.Must(t, st.Audit(ctx, &a))
			ids = append(ids, a.ID)
		}
		// Only rows older than the settle time are sealed: the last one waits.
		n, err := st.SealAudit(ctx, base.Add(2*time.Hour+time.Minute), 1000)
		if err != nil || n != 5 {
			t.Fatalf("sealed %d, %v", n, err)
		}
		checked, last, broken, err := st.VerifyAudit(ctx)
		if err != nil || broken != nil || checked != 5 || last != ids[4] {
			t.Fatalf("verify: %d %d %v %v", checked, last, broken, err)
		}
		if n, _ := st.SealAudit(ctx, base.Add(24*time.Hour), 1000); n != 1 {
			t.Fatalf("second seal: %d", n)
		}

		// An edited detail is named.
		testenv.Must(t, st.ExecForTest(ctx, "UPDATE audit_logs SET detail = ? WHERE id = ?", "edited", ids[2]))
		if _, _, broken, _ := st.VerifyAudit(ctx); broken == nil || broken.ID != ids[2] {
			t.Fatalf("edited row not found: %v", broken)
		}
		testenv.Must(t, st.ExecForTest(ctx, "UPDATE audit_logs SET detail = ? WHERE id = ?", "row", ids[2]))
		if _, _, broken, _ := st.VerifyAudit(ctx); broken != nil {
			t.Fatalf("restored chain: %v", broken)
		}
		// A removed hash is named.
		testenv.Must(t, st.ExecForTest(ctx, "UPDATE audit_logs SET chain_hash = NULL WHERE id = ?", ids[1]))
		if _, _, broken, _ := st.VerifyAudit(ctx); broken == nil || broken.ID != ids[1] {
			t.Fatalf("removed hash not found: %v", broken)
		}
		// A removed row (the last of the first day) breaks the link of the next one.
		testenv.Must(t, st.ExecForTest(ctx, "DELETE FROM audit_logs WHERE id IN (?, ?)", ids[1], ids[0]))
		if _, _, broken, _ := st.VerifyAudit(ctx); broken == nil || broken.ID != ids[2] || broken.Day != "2026-11-24" {
			t.Fatalf("removed rows not found: %v", broken)
		}
	})
}
