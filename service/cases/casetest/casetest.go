// Package casetest is test support for the case use cases (service/cases/...): the whole
// graph built on one test backend (testenv) with the demo seed and the WeChat simulator, a
// settable clock, residents with a real-name identity, and a one-person household. It is
// imported by tests only.
package casetest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/app"
	"palmaid/service/cases/application"
	"palmaid/service/testenv"
	"palmaid/service/wechat/wxsim"
)

// Main runs a package's tests with the WeChat simulator a resident's login needs (the SDK's
// HTTP client is process-wide: one simulator per test binary). Call it from TestMain.
func Main(m *testing.M, sim **wxsim.Simulator) {
	s, stop, err := testenv.StartSimulator()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	*sim = s
	code := m.Run()
	_ = stop()
	os.Exit(code)
}

// Clock is a settable service clock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the service clock.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Add moves the clock forward.
func (c *Clock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// App builds the whole graph on the backend, demo data seeded, on clk.
func App(t *testing.T, be *testenv.Backend, sim *wxsim.Simulator, clk *Clock) *app.App {
	t.Helper()
	cfg := be.Config
	cfg.DemoSeed = true
	a, err := app.New(context.Background(), cfg, app.Options{Now: clk.Now, Simulator: sim})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return a
}

// Resident logs a simulated resident in under a unique name and registers their real name and
// ID number; it answers the resident's id.
func Resident(t *testing.T, a *app.App, prefix, name, idNumber string) uint64 {
	t.Helper()
	ctx := context.Background()
	login, err := a.Auth.LoginResident(ctx, "dev:"+testenv.UniqueName(prefix))
	testenv.Must(t, err)
	_, err = a.Residents.SetIdentity(ctx, login.Resident.ID, name, idNumber, "")
	testenv.Must(t, err)
	return login.Resident.ID
}

// Staff is a demo staff member by username.
func Staff(t *testing.T, a *app.App, username string) *model.Staff {
	t.Helper()
	st, err := a.Store.StaffByUsername(context.Background(), username)
	testenv.Must(t, err)
	return st
}

// Solo is a complete declaration of one rural person with no income and nothing to upload.
func Solo(name, id string) model.HouseholdFacts {
	return model.HouseholdFacts{Residence: "rural", NoIncome: true, NoSupporters: true, EssentialSpendingCents: 500000,
		Assets: model.AssetsDeclared{Declared: true},
		Members: []model.MemberFacts{{Relation: model.RelSelf, Name: name, IDNumber: id, HukouType: "local", Health: "chronic",
			WorkAbility: "partial", Employment: "farming"}}}
}

// SoloApplication is Solo filed in one request for cats in village.
func SoloApplication(village, name, id string, cats ...model.Category) application.CreateInput {
	return application.CreateInput{VillageCode: village, Categories: cats, PledgeAccepted: true, AuthorizationAccepted: true,
		Facts: Solo(name, id)}
}

// Code is the stable error code of err ("" for nil).
func Code(err error) string {
	if err == nil {
		return ""
	}
	return model.AsError(err).Code
}

// ID is a valid ID number of the demo county for a person born on birth (YYYYMMDD); seq tells
// people born the same day apart (0–999).
func ID(birth string, seq int) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	body := fmt.Sprintf("990101%s%03d", birth, seq)
	sum := 0
	for i := range 17 {
		sum += int(body[i]-'0') * weights[i]
	}
	return body + string("10X98765432"[sum%11])
}
