package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/store"
	"palmaid/service/testenv"
)

// A county's complaint worklist (open first, keyset pages) is a range scan of
// idx_complaints_county, also past the first page, among other counties' complaints.
func TestCountyComplaintsUseTheirIndex(t *testing.T) {
	testenv.Require(t, "mariadb")
	st := testenv.New(t, "mariadb").Store(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 600; i++ {
		county := fmt.Sprintf("3715%02d000000", i%30+1) // 30 counties of 聊城市, 莘县 (22) among them
		c := &model.Complaint{PublicID: fmt.Sprintf("c%d", i), ResidentID: uint64(i%50 + 1), VillageCode: county[:9] + "001",
			CountyCode: county, TextEnc: []byte{1}, Answered: i%7 == 0, CreatedAt: now}
		testenv.Must(t, st.InsertComplaint(ctx, c))
	}
	testenv.Must(t, st.ExecForTest(ctx, "ANALYZE TABLE complaints"))
	for _, after := range []store.ComplaintKey{{}, {Answered: false, ID: 300}, {Answered: true, ID: 30}} {
		key, err := st.ExplainCountyComplaintsKey(ctx, "371522000000", after)
		testenv.Must(t, err)
		if key != "idx_complaints_county" {
			t.Fatalf("worklist after %+v uses index %q, want idx_complaints_county", after, key)
		}
	}
	open := false
	rows, err := st.CountyComplaints(ctx, "371522000000", &open, store.ComplaintKey{}, 100)
	testenv.Must(t, err)
	if len(rows) == 0 {
		t.Fatal("no open complaints of the county")
	}
	for i, r := range rows {
		if r.CountyCode != "371522000000" || r.Answered || i > 0 && rows[i-1].ID >= r.ID {
			t.Fatalf("row %d: %+v", i, r)
		}
	}
}
