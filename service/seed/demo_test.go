package seed_test

import (
	"context"
	"testing"
	"time"

	"palmaid/service/auth"
	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// An embedded start seeds the demo county every time; the demo staff's passwords are hashed
// the first time only (argon2id is the slowest step of a cold start). A second start keeps
// the stored hashes byte for byte, and they still verify.
func TestDemoDoesNotRehashPasswords(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		now := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
		names := []string{}
		for _, s := range seed.DemoStaff() {
			names = append(names, s.Username)
		}
		testenv.Must(t, seed.Demo(ctx, st, now, 4))
		first, err := st.StaffByUsernames(ctx, names)
		testenv.Must(t, err)
		if len(first) != len(names) {
			t.Fatalf("%d demo staff, want %d", len(first), len(names))
		}
		testenv.Must(t, seed.Demo(ctx, st, now.Add(time.Hour), 4))
		second, err := st.StaffByUsernames(ctx, names)
		testenv.Must(t, err)
		for name, s := range first {
			if second[name].PasswordHash != s.PasswordHash {
				t.Errorf("%s: password re-hashed at the second start", name)
			}
			if !auth.CheckPassword(second[name].PasswordHash, seed.DemoPassword) {
				t.Errorf("%s: the demo password does not verify", name)
			}
		}
	})
}
