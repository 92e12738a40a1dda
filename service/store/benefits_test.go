package store_test

import (
	"context"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/testenv"
)

// Issue 24: migration 00039 back-fills a benefit from every approved monthly decision already
// made — the household's 低保, the person's 特困 — with its approval as the first change and
// the next review a year after the decision's China-time date; refusals, temporary aid and a
// superseded decision make none.
func TestBenefitsBackFilled(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		testenv.Must(t, st.MigrateDownToForTest(ctx, 38))
		// 20:00 UTC on 30 November is 04:00 on 1 December in China.
		at := time.Date(2026, 11, 30, 20, 0, 0, 0, time.UTC)
		hh := &model.Household{AreaCode: "371522106200", CreatedAt: at, UpdatedAt: at}
		testenv.Must(t, st.CreateForTest(ctx, hh))
		m0 := &model.Member{HouseholdID: hh.ID, Position: 0, Relation: "self", Name: "甲乙丙", IDBidx: "bidx-0", IDMasked: "990101********0011", CreatedAt: at}
		m1 := &model.Member{HouseholdID: hh.ID, Position: 1, Relation: "spouse", Name: "丁戊", IDBidx: "bidx-1", IDMasked: "990101********0022", CreatedAt: at}
		testenv.Must(t, st.CreateForTest(ctx, m0, m1))
		res := &model.Resident{AppID: "wx", OpenID: "backfill-openid", CreatedAt: at, UpdatedAt: at}
		testenv.Must(t, st.CreateForTest(ctx, res))
		newCase := func(pub string) *model.Case {
			return &model.Case{PublicID: pub, CaseNo: pub, HouseholdID: hh.ID, ApplicantResidentID: res.ID, AreaCode: "371522106200",
				TownCode: "371522106000", CountyCode: "371522000000", Status: model.StatusDecided, Version: 1, PledgeAt: at,
				AuthorizationAt: at, SubmittedAt: at, CreatedAt: at, UpdatedAt: at}
		}
		old, cur := newCase("backfillold0000000000000000"), newCase("backfillcur0000000000000000")
		testenv.Must(t, st.CreateForTest(ctx, old, cur))
		dec := func(c *model.Case, cat model.Category, pos int, outcome string, cents int64, month string) *model.Decision {
			return &model.Decision{CaseID: c.ID, Category: cat, MemberPosition: pos, Outcome: outcome, MonthlyCents: cents, EffectiveMonth: month,
				DecidedByStaffID: 7, DecidedAt: at, PolicyRef: "2026-11-30#x"}
		}
		testenv.Must(t, st.CreateForTest(ctx,
			dec(old, model.CatMinimumLiving, model.HouseholdLevel, model.OutcomeApproved, 90000, "2026-06"), // superseded by cur
			dec(cur, model.CatMinimumLiving, model.HouseholdLevel, model.OutcomeApproved, 120000, "2026-12"),
			dec(cur, model.CatExtremeHardship, 1, model.OutcomeApproved, 110500, "2026-12"),
			dec(cur, model.CatTemporaryAid, model.HouseholdLevel, model.OutcomeApproved, 0, ""),
			dec(cur, model.CatEdgeHousehold, model.HouseholdLevel, model.OutcomeRefused, 0, "")))
		_, err := st.MigrateUp(ctx)
		testenv.Must(t, err)
		bs, cs, err := st.BenefitRowsForTest(ctx)
		testenv.Must(t, err)
		if len(bs) != 2 || len(cs) != 2 {
			t.Fatalf("back-filled %d benefits, %d changes: %+v %+v", len(bs), len(cs), bs, cs)
		}
		for _, b := range bs {
			switch b.Category {
			case model.CatMinimumLiving:
				if b.MemberID != nil || b.Persons != 2 || b.MonthlyCents != 120000 || b.EffectiveFrom != "2026-12" || b.PersonBidx != "bidx-0" ||
					b.SourceCaseID != cur.ID || b.NextReviewOn != "2027-12-01" || b.Status != model.BenefitActive || b.CountyCode != "371522000000" {
					t.Fatalf("低保: %+v", b)
				}
			case model.CatExtremeHardship:
				if b.MemberID == nil || *b.MemberID != m1.ID || b.Persons != 1 || b.PersonBidx != "bidx-1" || b.PersonMasked != "丁*" ||
					b.BeneficiaryResidentID != nil || b.AgentResidentID == nil || *b.AgentResidentID != res.ID {
					t.Fatalf("特困: %+v", b)
				}
			default:
				t.Fatalf("unexpected benefit %+v", b)
			}
		}
		for _, c := range cs {
			if c.Kind != model.ChangeApprove || c.CaseID != cur.ID || c.DecidedByStaffID != 7 {
				t.Fatalf("change: %+v", c)
			}
			if p, ok := model.PaysIn(cs, "2026-12"); !ok || p.Cents == 0 {
				t.Fatalf("pays in December: %+v", p)
			}
		}
	})
}
