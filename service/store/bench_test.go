package store_test

import (
	"context"
	"fmt"
	"testing"

	"palmaid/model"
	"palmaid/service/store"
	"palmaid/service/testenv"
)

// BenchmarkQueuePage measures one staff queue page (20 newest submitted 低保 cases of a town, with
// categories) over 3,000 cases spread across two towns.
//
//	go test ./service/store -run '^$' -bench QueuePage -benchmem
func BenchmarkQueuePage(b *testing.B) {
	for _, name := range testenv.Names() {
		b.Run(name, func(b *testing.B) {
			be := testenv.New(b, name)
			st := be.Store(b)
			ctx := context.Background()
			r, err := st.UpsertResident(ctx, "wx", "bench", "", t0)
			testenv.Must(b, err)
			for i := 0; i < 3000; i++ {
				village := "130102001001"
				if i%2 == 1 {
					village = "130102002001"
				}
				nc := newCase(r.ID, village, nil)
				nc.Case.PublicID = fmt.Sprintf("bench%08d", i)
				_, _, err := st.CreateCase(ctx, nc)
				testenv.Must(b, err)
			}
			town := store.StaffScope(&model.Staff{AreaCode: "130102001000"})
			f := store.CaseFilter{Status: model.StatusSubmitted, Category: model.CatMinimumLiving, Limit: 21}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				rows, err := st.ListCases(ctx, town, f)
				if err != nil || len(rows) != 21 {
					b.Fatalf("%d rows, %v", len(rows), err)
				}
			}
		})
	}
}

// BenchmarkCreateCase measures the submit transaction (household, 2 members, case, case number,
// categories, history event).
func BenchmarkCreateCase(b *testing.B) {
	for _, name := range testenv.Names() {
		b.Run(name, func(b *testing.B) {
			st := testenv.New(b, name).Store(b)
			ctx := context.Background()
			r, err := st.UpsertResident(ctx, "wx", "bench", "", t0)
			testenv.Must(b, err)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				nc := newCase(r.ID, "130102001001", nil)
				nc.Case.PublicID = fmt.Sprintf("create%08d", i)
				if _, _, err := st.CreateCase(ctx, nc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
