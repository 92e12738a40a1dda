package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/store"
	"palmaid/service/testenv"
)

// auditRows writes n audit rows a minute apart from base and returns their ids.
func auditRows(t *testing.T, st *store.Store, base time.Time, n int) []uint64 {
	t.Helper()
	var ids []uint64
	for i := range n {
		a := model.AuditLog{ActorType: model.ActorStaff, ActorID: 7, Action: "case.view", AreaCode: "371522106000",
			Detail: "row", CreatedAt: base.Add(time.Duration(i) * time.Minute)}
		testenv.Must(t, st.Audit(context.Background(), &a))
		ids = append(ids, a.ID)
	}
	return ids
}

// Finding (issue 19): a row inserted by SQL with a back-dated time and no hash was chained by the
// next seal, and verify then called it legitimate. Now the sealer refuses it (the rows before it
// are sealed, it and the later ones stay unsealed) and verify names it even when an older sealer
// chained it.
func TestAuditSealerRefusesBackdatedRow(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		base := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
		ids := auditRows(t, st, base, 3)
		if n, err := st.SealAudit(ctx, base.Add(time.Hour), 100); n != 3 || err != nil {
			t.Fatalf("seal: %d %v", n, err)
		}
		testenv.Must(t, st.ExecForTest(ctx, "INSERT INTO audit_logs (actor_type, actor_id, action, area_code, request_id, client_ip, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			"staff", 9, "case.decide", "371522106000", "", "", "forged", base.Add(-48*time.Hour)))
		later := auditRows(t, st, base.Add(10*time.Minute), 1)
		n, err := st.SealAudit(ctx, base.Add(time.Hour), 100)
		var refused *store.AuditRefused
		if n != 0 || !errors.As(err, &refused) || refused.ID != ids[2]+1 {
			t.Fatalf("the back-dated row was chained: sealed %d, %v", n, err)
		}
		if un, _, _, _ := st.AuditUnsealed(ctx, base.Add(time.Hour)); un != 2 {
			t.Fatalf("unsealed %d, want the forged row and the one after it", un)
		}
		if _, last, broken, _ := st.VerifyAudit(ctx); broken != nil || last != ids[2] {
			t.Fatalf("verify before the forged row: %d %v", last, broken)
		}
		// Chained the way the sealer did before: verify names it.
		testenv.Must(t, st.SealAsBeforeForTest(ctx, ids[2]+1))
		if _, _, broken, _ := st.VerifyAudit(ctx); broken == nil || broken.ID != ids[2]+1 {
			t.Fatalf("a chained back-dated row passes verify: %v", broken)
		}
		_ = later
	})
}

// Finding (issue 19): a row removed before it was sealed left no trace. Now the sealer stops at
// the gap (rows before it sealed), verify reports the rows left unsealed, and an accepted gap is
// written into the chain as rows of its own.
func TestAuditSealerRefusesGap(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		base := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
		ids := auditRows(t, st, base, 5)
		testenv.Must(t, st.ExecForTest(ctx, "DELETE FROM audit_logs WHERE id = ?", ids[3]))
		n, err := st.SealAudit(ctx, base.Add(time.Hour), 100)
		var refused *store.AuditRefused
		if n != 3 || !errors.As(err, &refused) || refused.ID != ids[4] {
			t.Fatalf("seal over a gap: %d %v", n, err)
		}
		un, old, oldest, err := st.AuditUnsealed(ctx, base.Add(time.Hour))
		if err != nil || un != 1 || old != 1 || !oldest.Equal(base.Add(4*time.Minute)) {
			t.Fatalf("unsealed: %d %d %v %v", un, old, oldest, err)
		}
		filled, err := st.AcceptAuditGap(ctx, "rolled back, checked by ops")
		if err != nil || len(filled) != 1 || filled[0] != ids[3] {
			t.Fatalf("accept gap: %v %v", filled, err)
		}
		if n, err := st.SealAudit(ctx, base.Add(time.Hour), 100); n != 2 || err != nil {
			t.Fatalf("seal after the accepted gap: %d %v", n, err)
		}
		if checked, _, broken, _ := st.VerifyAudit(ctx); broken != nil || checked != 5 {
			t.Fatalf("verify: %d %v", checked, broken)
		}
	})
}

// Finding (issue 19): deleting the newest sealed rows left a chain verify called intact. The
// head anchored outside the database names the missing tail; an edited row that was not sealed
// yet is reported among the unsealed rows with its age.
func TestAuditAnchorFindsTruncatedTail(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		base := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
		ids := auditRows(t, st, base, 6)
		if n, err := st.SealAudit(ctx, base.Add(5*time.Minute), 100); n != 5 || err != nil {
			t.Fatalf("seal: %d %v", n, err)
		}
		head, err := st.AuditHead(ctx)
		if err != nil || head.LastID != ids[4] || head.Count != 5 || head.Hash == "" {
			t.Fatalf("head: %+v %v", head, err)
		}
		if broken, err := st.CheckAuditAnchor(ctx, head); broken != nil || err != nil {
			t.Fatalf("anchor of an intact chain: %v %v", broken, err)
		}
		// the unsealed row edited: verify reports it as not yet covered, with its age
		testenv.Must(t, st.ExecForTest(ctx, "UPDATE audit_logs SET detail = ? WHERE id = ?", "edited", ids[5]))
		if un, old, oldest, _ := st.AuditUnsealed(ctx, base.Add(30*time.Minute)); un != 1 || old != 1 || !oldest.Equal(base.Add(5*time.Minute)) {
			t.Fatalf("unsealed: %d %d %v", un, old, oldest)
		}
		testenv.Must(t, st.ExecForTest(ctx, "DELETE FROM audit_logs WHERE id >= ?", ids[3]))
		if _, _, broken, _ := st.VerifyAudit(ctx); broken != nil {
			t.Fatalf("the chain alone cannot see a cut tail: %v", broken)
		}
		broken, err := st.CheckAuditAnchor(ctx, head)
		if err != nil || broken == nil || broken.ID != ids[4] {
			t.Fatalf("a cut tail passes the anchor: %v %v", broken, err)
		}
		// rows written after the cut do not follow the last sealed one: the sealer refuses them
		auditRows(t, st, base.Add(3*time.Minute), 2)
		var refused *store.AuditRefused
		if _, err := st.SealAudit(ctx, base.Add(time.Hour), 100); !errors.As(err, &refused) {
			t.Fatalf("rows after a cut tail chained: %v", err)
		}
	})
}
