package store_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/store"
	"palmaid/service/testenv"
)

var t0 = time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)

func newCase(residentID uint64, village string, idem *model.IdempotencyRecord) *store.NewCase {
	return newCaseFor(residentID, village, idem, village+rand.Text()[:12])
}

// newCaseFor: uniq names the household (members' blind indexes) and the public id.
func newCaseFor(residentID uint64, village string, idem *model.IdempotencyRecord, uniq string) *store.NewCase {
	area := model.AreaCode(village)
	return &store.NewCase{
		Household: model.Household{AreaCode: village, CreatedAt: t0, UpdatedAt: t0},
		Members: []model.Member{
			{Position: 0, Relation: model.RelSelf, Name: "张三", IDBidx: "b1-" + uniq, IDMasked: "110105********002X", CreatedAt: t0},
			{Position: 1, Relation: model.RelSpouse, Name: "李四", IDBidx: "b2-" + uniq, IDMasked: "110105********0012", CreatedAt: t0},
		},
		Case: model.Case{
			PublicID: "pub" + uniq, ApplicantResidentID: residentID,
			AreaCode: village, TownCode: string(area.Ancestor(model.LevelTown)), CountyCode: string(area.Ancestor(model.LevelCounty)),
			Status: model.StatusSubmitted, PledgeAt: t0, AuthorizationAt: t0, SubmittedAt: t0, Version: 1, CreatedAt: t0, UpdatedAt: t0,
		},
		Categories: []model.CaseCategory{{Category: model.CatTemporaryAid, Requested: true}, {Category: model.CatMinimumLiving, Requested: true}},
		Event:      model.CaseEvent{Step: model.StepApplication, Action: model.ActionSubmit, ToStatus: model.StatusSubmitted, ActorType: model.ActorResident, ActorID: residentID, CreatedAt: t0},
		Deadlines:  []model.Deadline{{Step: model.StepAcceptance, Round: 1, DueOn: "2026-11-25", Days: 3, State: model.ClockOpen, StartedAt: t0}},
		Idem:       idem,
	}
}

func TestStore(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)

		cur, latest, err := st.SchemaVersion(ctx)
		if err != nil || cur != latest || latest < 1 {
			t.Fatalf("schema version %d/%d %v", cur, latest, err)
		}
		if _, err := st.MigrateUp(ctx); err != nil {
			t.Fatalf("second migrate up must be a no-op: %v", err)
		}

		alice, err := st.UpsertResident(ctx, "wxapp", "openid-alice", "", t0)
		testenv.Must(t, err)
		again, err := st.UpsertResident(ctx, "wxapp", "openid-alice", "union-a", t0)
		testenv.Must(t, err)
		if again.ID != alice.ID || again.UnionID == nil || *again.UnionID != "union-a" {
			t.Fatalf("upsert resident: %+v vs %+v", again, alice)
		}
		bob, err := st.UpsertResident(ctx, "wxapp", "openid-bob", "", t0)
		testenv.Must(t, err)

		t.Run("create with idempotency", func(t *testing.T) {
			idem := &model.IdempotencyRecord{ResidentID: alice.ID, Key: "k1", RequestHash: "h1", CreatedAt: t0}
			c1, created, err := st.CreateCase(ctx, newCase(alice.ID, "130102001001", idem))
			if err != nil || !created {
				t.Fatalf("create: %v %v", created, err)
			}
			if c1.Case.CaseNo == "" || len(c1.Case.Categories) != 2 || c1.Case.Categories[0].Category != model.CatMinimumLiving {
				t.Fatalf("case: %+v", c1)
			}
			c2, created, err := st.CreateCase(ctx, newCase(alice.ID, "130102001001", &model.IdempotencyRecord{ResidentID: alice.ID, Key: "k1", RequestHash: "h1", CreatedAt: t0}))
			if err != nil || created || c2.Case.ID != c1.Case.ID || c2.Case.CaseNo != c1.Case.CaseNo {
				t.Fatalf("replay: created=%v id=%d want %d err=%v", created, c2.Case.ID, c1.Case.ID, err)
			}
			_, _, err = st.CreateCase(ctx, newCase(alice.ID, "130102001001", &model.IdempotencyRecord{ResidentID: alice.ID, Key: "k1", RequestHash: "other", CreatedAt: t0}))
			if !errors.Is(err, model.ErrIdempotencyReuse) {
				t.Fatalf("reuse with other body: %v", err)
			}
		})

		t.Run("concurrent double tap creates one case", func(t *testing.T) {
			var wg sync.WaitGroup
			ids := make([]uint64, 4)
			errs := make([]error, 4)
			for i := range ids {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					c, _, err := st.CreateCase(ctx, newCase(bob.ID, "130102001002", &model.IdempotencyRecord{ResidentID: bob.ID, Key: "tap", RequestHash: "h", CreatedAt: t0}))
					errs[i] = err
					if c != nil {
						ids[i] = c.Case.ID
					}
				}(i)
			}
			wg.Wait()
			for i := range ids {
				if errs[i] != nil || ids[i] != ids[0] || ids[0] == 0 {
					t.Fatalf("double tap: ids %v errs %v", ids, errs)
				}
			}
			list, err := st.ListCases(ctx, store.ResidentScope(bob.ID), store.CaseFilter{Limit: 10})
			testenv.Must(t, err)
			if len(list) != 1 {
				t.Fatalf("bob has %d cases, want 1", len(list))
			}
		})

		townA := &model.Staff{AreaCode: "130102001000"}
		townB := &model.Staff{AreaCode: "130102002000"}
		county := &model.Staff{AreaCode: "130102000000"}

		t.Run("scopes and keyset pages", func(t *testing.T) {
			for i := 0; i < 3; i++ {
				_, _, err := st.CreateCase(ctx, newCase(alice.ID, "130102002001", nil))
				testenv.Must(t, err)
			}
			count := func(s store.Scope, f store.CaseFilter) int {
				f.Limit = 100
				l, err := st.ListCases(ctx, s, f)
				testenv.Must(t, err)
				return len(l)
			}
			if n := count(store.StaffScope(townA), store.CaseFilter{}); n != 2 {
				t.Fatalf("town A sees %d, want 2", n)
			}
			if n := count(store.StaffScope(townB), store.CaseFilter{}); n != 3 {
				t.Fatalf("town B sees %d, want 3", n)
			}
			if n := count(store.StaffScope(county), store.CaseFilter{Category: model.CatMinimumLiving}); n != 5 {
				t.Fatalf("county sees %d, want 5", n)
			}
			if n := count(store.StaffScope(county), store.CaseFilter{Category: model.CatExtremeHardship}); n != 0 {
				t.Fatalf("category filter: %d", n)
			}
			if n := count(store.ResidentScope(alice.ID), store.CaseFilter{Status: model.StatusSubmitted}); n != 4 {
				t.Fatalf("alice sees %d, want 4", n)
			}
			page1, err := st.ListCases(ctx, store.StaffScope(county), store.CaseFilter{Limit: 2})
			testenv.Must(t, err)
			page2, err := st.ListCases(ctx, store.StaffScope(county), store.CaseFilter{Limit: 2, Before: page1[1].ID})
			testenv.Must(t, err)
			if len(page2) != 2 || page2[0].ID >= page1[1].ID || page1[0].ID <= page1[1].ID {
				t.Fatalf("keyset pages out of order: %d,%d then %d,%d", page1[0].ID, page1[1].ID, page2[0].ID, page2[1].ID)
			}
		})

		t.Run("update case: scope, version, history, outbox", func(t *testing.T) {
			list, err := st.ListCases(ctx, store.StaffScope(townA), store.CaseFilter{Limit: 1})
			testenv.Must(t, err)
			c := list[0]
			accept := func(ctx context.Context, f *model.CaseFile) error {
				if err := acceptAs(7)(ctx, f); err != nil {
					return err
				}
				cs := &f.Case
				f.Outbox = []model.Outbox{{CaseID: cs.ID, ResidentID: cs.ApplicantResidentID, TemplateKey: "case_progress", Title: "t", Body: "b", Payload: "{}",
					IdempotencyKey: "case-progress-" + cs.PublicID, Status: model.OutboxPending, NextAttemptAt: t0, CreatedAt: t0}}
				return nil
			}
			if _, err := st.UpdateCaseFile(ctx, store.StaffScope(townB), c.PublicID, c.Version, t0, accept); !errors.Is(err, model.ErrCaseNotFound) {
				t.Fatalf("other town: %v", err)
			}
			if _, err := st.UpdateCaseFile(ctx, store.StaffScope(townA), c.PublicID, c.Version+1, t0, accept); !errors.Is(err, model.ErrStaleVersion) {
				t.Fatalf("stale version: %v", err)
			}
			got, err := st.UpdateCaseFile(ctx, store.StaffScope(townA), c.PublicID, c.Version, t0, accept)
			testenv.Must(t, err)
			if got.Case.Status != model.StatusAccepted || got.Case.Version != c.Version+1 {
				t.Fatalf("after accept: %+v", got.Case)
			}
			if _, err := st.UpdateCaseFile(ctx, store.StaffScope(townA), c.PublicID, got.Case.Version, t0, accept); !errors.Is(err, model.ErrIllegalStep) {
				t.Fatalf("accept twice: %v", err)
			}
			// saved generically: reload and compare
			again, err := st.LoadCaseFile(ctx, store.StaffScope(townA), c.PublicID)
			testenv.Must(t, err)
			ev, err := st.CaseEvents(ctx, c.ID)
			testenv.Must(t, err)
			if len(ev) != 2 || ev[1].Action != model.ActionAccept || len(again.Deadlines) != 3 ||
				again.Deadlines[0].State != model.ClockMet || again.Deadlines[1].Step != model.StepInvestigation ||
				again.Case.Stage != model.StageToInvestigate || again.Case.NextDueStep != model.StepInvestigation {
				t.Fatalf("reloaded file: events %+v deadlines %+v case %+v", ev, again.Deadlines, again.Case)
			}

			rows, err := st.ClaimOutbox(ctx, t0, time.Minute, 10)
			testenv.Must(t, err)
			if len(rows) != 1 || rows[0].Attempts != 1 {
				t.Fatalf("claim: %+v", rows)
			}
			if again, _ := st.ClaimOutbox(ctx, t0.Add(30*time.Second), time.Minute, 10); len(again) != 0 {
				t.Fatalf("leased row claimed twice: %+v", again)
			}
			if again, _ := st.ClaimOutbox(ctx, t0.Add(2*time.Minute), time.Minute, 10); len(again) != 1 {
				t.Fatalf("expired lease not reclaimed: %+v", again)
			}
			testenv.Must(t, st.CompleteOutboxRows(ctx, []uint64{rows[0].ID}, model.ChannelInApp, "", t0))
			if again, _ := st.ClaimOutbox(ctx, t0.Add(time.Hour), time.Minute, 10); len(again) != 0 {
				t.Fatalf("done row claimed: %+v", again)
			}
		})

		t.Run("subscribe quota", func(t *testing.T) {
			for _, r := range []string{"accept", "accept", "reject"} {
				testenv.Must(t, st.RecordSubscribeResult(ctx, alice.ID, "tmpl", r, 10, t0))
			}
			if n, _ := st.QuotaForTest(ctx, alice.ID, "tmpl"); n != 2 {
				t.Fatalf("quota %d want 2", n)
			}
			got, err := st.TakeQuotas(ctx, "tmpl", map[uint64]int{alice.ID: 1})
			testenv.Must(t, err)
			if got[alice.ID] != 1 {
				t.Fatal("take quota")
			}
			testenv.Must(t, st.RecordSubscribeResult(ctx, alice.ID, "tmpl", "ban", 10, t0))
			if got, _ := st.TakeQuotas(ctx, "tmpl", map[uint64]int{alice.ID: 1}); got[alice.ID] != 0 {
				t.Fatal("quota after ban")
			}
		})
	})
}

// One open application per person and category (issue 8): a second case naming a member of an
// open one answers 409 case.already_open with the open case's number; concurrent submissions of
// the same household leave exactly one; a closed case releases its claims.
func TestOneOpenApplication(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		r, err := st.UpsertResident(ctx, "wxapp", "openid-claims", "", t0)
		testenv.Must(t, err)
		first, _, err := st.CreateCase(ctx, newCaseFor(r.ID, "130102001001", nil, "hh1"))
		testenv.Must(t, err)
		second := newCaseFor(r.ID, "130102001001", nil, "hh1")
		second.Case.PublicID = "pub-hh1-second"
		_, _, err = st.CreateCase(ctx, second)
		e := model.AsError(err)
		if e.Code != "case.already_open" || e.Kind != model.KindConflict || e.Fields["openCase"] != first.Case.CaseNo {
			t.Fatalf("second open case: %v %+v", err, e.Fields)
		}
		// Another category is another application.
		other := newCaseFor(r.ID, "130102001001", nil, "hh1")
		other.Case.PublicID = "pub-hh1-other"
		other.Categories = []model.CaseCategory{{Category: model.CatExtremeHardship, Requested: true}}
		if _, _, err := st.CreateCase(ctx, other); err != nil {
			t.Fatalf("other category: %v", err)
		}

		// Concurrent submissions of one household: exactly one wins.
		const n = 6
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				nc := newCaseFor(r.ID, "130102001002", nil, "hh2")
				nc.Case.PublicID = fmt.Sprintf("pub-hh2-%d", i)
				_, _, errs[i] = st.CreateCase(ctx, nc)
			}(i)
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case model.AsError(err).Code == "case.already_open":
			default:
				t.Fatalf("concurrent: unexpected %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d concurrent submissions of one household succeeded, want 1: %v", ok, errs)
		}

		// Withdrawing the first releases its claims: the household may apply again.
		_, err = st.UpdateCaseFile(ctx, store.ResidentScope(r.ID), first.Case.PublicID, first.Case.Version, t0, func(ctx context.Context, f *model.CaseFile) error {
			f.Case.Status = model.StatusWithdrawn
			return nil
		})
		testenv.Must(t, err)
		again := newCaseFor(r.ID, "130102001001", nil, "hh1")
		again.Case.PublicID = "pub-hh1-again"
		if _, _, err := st.CreateCase(ctx, again); err != nil {
			t.Fatalf("after withdrawal: %v", err)
		}
	})
}
