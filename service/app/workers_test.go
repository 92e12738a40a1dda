package app_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/cases/application"
	"palmaid/service/notify"
	"palmaid/service/seed"
	"palmaid/service/testenv"
	"palmaid/service/wechat/wxsim"
)

// checksumID builds a valid ID number for the demo county, unique per i (up to a few million).
func checksumID(i int) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	born := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/1000)
	body := fmt.Sprintf("990101%s%03d", born.Format("20060102"), i%1000)
	sum := 0
	for k := range 17 {
		sum += int(body[k]-'0') * weights[k]
	}
	return body + string("10X98765432"[sum%11])
}

// Three workers drain one outbox concurrently: every resident gets exactly one message.
func TestThreeWorkersNeverSendTwice(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		clk := testenv.NewClock(time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC))
		a := newApp(t, be, clk)
		staff, err := a.Store.StaffByUsername(ctx, "town_east")
		testenv.Must(t, err)
		const n = 24
		names := make([]string, n)
		for i := range n {
			names[i] = testenv.UniqueName(fmt.Sprintf("w3-%s-%d", be.Name, i))
			login, err := a.Auth.LoginResident(ctx, "dev:"+names[i])
			testenv.Must(t, err)
			id := checksumID(100 + i)
			_, err = a.Residents.SetIdentity(ctx, login.Resident.ID, "王五", id, "")
			testenv.Must(t, err)
			testenv.Must(t, a.Notify.RecordResults(ctx, login.Resident.ID, []notify.SubscribeResult{{TemplateID: seed.SimulatorTemplateID, Result: "accept"}}))
			rec, _, err := a.Application.Create(ctx, login.Resident.ID, soloApplication(seed.DemoVillageE1, "王五", id, model.CatMinimumLiving), "")
			testenv.Must(t, err)
			_, err = a.Review.Accept(ctx, staff, rec.Case().PublicID, rec.Case().Version, "")
			testenv.Must(t, err)
		}
		workers := []*notify.Service{a.Notify}
		for range 2 {
			workers = append(workers, notify.New(a.Store, a.WeChat, clk.Now, a.Log))
		}
		var wg sync.WaitGroup
		for _, w := range workers {
			wg.Add(1)
			go func(w *notify.Service) {
				defer wg.Done()
				for {
					handled, err := w.RunOnce(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					if handled == 0 {
						return
					}
				}
			}(w)
		}
		wg.Wait()
		for _, name := range names {
			if got := sim.MessagesTo(wxsim.OpenIDFor(testenv.SimAppID, name)); len(got) != 1 {
				t.Fatalf("%s received %d messages", name, len(got))
			}
		}
	})
}

// soloApplication is a complete one-request application (issue 21: every application carries
// its declaration): the applicant alone, nothing on the rules' list to upload.
func soloApplication(village, name, id string, cats ...model.Category) application.CreateInput {
	return application.CreateInput{VillageCode: village, Categories: cats, PledgeAccepted: true, AuthorizationAccepted: true,
		Facts: model.HouseholdFacts{Residence: "rural", NoIncome: true, NoSupporters: true, EssentialSpendingCents: 500000,
			Assets: model.AssetsDeclared{Declared: true},
			Members: []model.MemberFacts{{Relation: model.RelSelf, Name: name, IDNumber: id, HukouType: "local", Health: "chronic",
				WorkAbility: "partial", Employment: "farming"}}}}
}
