package store_test

import (
	"context"
	"crypto/rand"
	"errors"
	"testing"

	"palmaid/model"
	"palmaid/service/testenv"
)

// A nested call's error marks the transaction failed: the outer call cannot commit the writes
// made before it, even when it swallows that error and returns nil.
func TestNestedErrorSwallowedDoesNotCommit(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		name := "nested-" + rand.Text()[:10]
		inner := errors.New("inner step failed")

		err := st.InTx(ctx, func(ctx context.Context) error {
			if err := st.UpsertStaff(ctx, &model.Staff{Username: name, PasswordHash: "x", DisplayName: "甲", Role: model.RoleVillageAssistant, AreaCode: "110105001001", Active: true, CreatedAt: t0, UpdatedAt: t0}); err != nil {
				return err
			}
			_ = st.InTx(ctx, func(ctx context.Context) error { return inner }) // swallowed
			return nil
		})
		if !errors.Is(err, inner) {
			t.Fatalf("outer InTx = %v, want the swallowed nested error", err)
		}
		taken, err := st.StaffUsernameTaken(ctx, name)
		testenv.Must(t, err)
		if taken {
			t.Fatal("the write before the failed nested call was committed")
		}

		// A nested call that succeeds leaves the transaction good.
		err = st.InTx(ctx, func(ctx context.Context) error {
			if err := st.UpsertStaff(ctx, &model.Staff{Username: name, PasswordHash: "x", DisplayName: "甲", Role: model.RoleVillageAssistant, AreaCode: "110105001001", Active: true, CreatedAt: t0, UpdatedAt: t0}); err != nil {
				return err
			}
			return st.InTx(ctx, func(ctx context.Context) error { return nil })
		})
		testenv.Must(t, err)
		if taken, err = st.StaffUsernameTaken(ctx, name); err != nil || !taken {
			t.Fatalf("committed write not found: %v %v", taken, err)
		}
	})
}
