package checklist_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/cases"
	"palmaid/service/checklist"
	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// BenchmarkPreview is one preview as the public route runs it (without HTTP and its per-address
// limit): area look-up, the rules of the village's chain (national rows and a county override),
// Evaluate.
//
//	go test ./service/checklist -run '^$' -bench Preview -benchmem
func BenchmarkPreview(b *testing.B) {
	for _, name := range testenv.Names() {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			st := testenv.New(b, name).Store(b)
			now := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
			testenv.Must(b, seed.Demo(ctx, st, now, 4))
			testenv.Must(b, seed.Checklist(ctx, st, now))
			over := checklist.NationalRules()[5]
			over.AreaCode, over.SharedSource, over.EffectiveFrom, over.UpdatedAt = seed.DemoCounty, "", "2026-01-01", now
			testenv.Must(b, st.ReplaceChecklistRules(ctx, seed.DemoCounty, []model.ChecklistRule{over}))
			svc := checklist.New(st, func() time.Time { return now })
			in := checklist.Input{Categories: []model.Category{model.CatExtremeHardship, model.CatTemporaryAid}, ByAgent: true,
				Emergency: string(model.EmergencyAccident), Supporters: 1, Members: []checklist.MemberInput{
					{Relation: model.RelSelf, Adult: true, DisabilityKind: "physical", DisabilityGrade: 2},
					{Relation: model.RelSpouse, Adult: true, Health: checklist.HealthSerious}, {Relation: model.RelGrandchild, InEducation: true}}}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				p, err := svc.Preview(ctx, seed.DemoVillageE1, in)
				if err != nil || len(p.Items) < 10 {
					b.Fatal(err, p)
				}
			}
		})
	}
}

// Documents (cases.DocumentRules) maps a draft's declaration onto the rules: per-member lines get
// their own code and name; adults come from the ID number; 户籍 elsewhere and employment from the
// declared fields; a county override applies.
func TestDocumentsFromFacts(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		now := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
		testenv.Must(t, seed.Demo(ctx, st, now, 4))
		testenv.Must(t, seed.Checklist(ctx, st, now))
		over := checklist.NationalRules()[5] // 残疾证: this county has no 残联 link
		over.AreaCode, over.SharedSource, over.EffectiveFrom, over.UpdatedAt = seed.DemoCounty, "", "2026-01-01", now
		testenv.Must(t, st.ReplaceChecklistRules(ctx, seed.DemoCounty, []model.ChecklistRule{over}))
		svc := checklist.New(st, func() time.Time { return now })
		facts := &model.HouseholdFacts{Emergency: "accident", Supporter: []model.SupporterDecl{{ForMember: 0}},
			Members: []model.MemberFacts{
				{Relation: model.RelSelf, IDNumber: "990101195003160021", DisabilityKind: "physical", DisabilityGrade: 2},
				{Relation: model.RelChild, IDNumber: "990101201209010011", InEducation: true, HukouType: "elsewhere"},
				{Relation: model.RelChild, IDNumber: "990101198001010013", Employment: "employed"},
			},
			Income: []model.IncomeLine{{Member: 0, Kind: "wage", AmountCents: 100}}}
		docs, err := svc.Documents(ctx, seed.DemoVillageE1, "2026-11-20", cases.DocumentQuery{
			Categories: []model.Category{model.CatExtremeHardship, model.CatTemporaryAid}, ByAgent: true, Facts: facts, Today: now})
		testenv.Must(t, err)
		byCode := map[string]cases.RequiredDocument{}
		for _, d := range docs {
			if _, dup := byCode[d.Code]; dup {
				t.Fatalf("code %s twice", d.Code)
			}
			byCode[d.Code] = d
		}
		for code, want := range map[string]string{
			"disability_certificate.1": model.ProvideRequired, "enrollment_proof.2": model.ProvideRequired, "residence_permit.2": model.ProvideRequired,
			"income_proof.1": model.ProvideCommitment, "income_proof.3": model.ProvideCommitment, "accident_proof": model.ProvideCommitment,
			"agent_authorization": model.ProvideRequired, "supporters_statement": model.ProvideRequired, "household_register": model.ProvideShared,
			"id_card.3": model.ProvideShared,
		} {
			if d, ok := byCode[code]; !ok || d.Provide != want {
				t.Errorf("%s: %+v, want %s", code, d, want)
			}
		}
		if d := byCode["disability_certificate.1"]; d.Name != "残疾证（家庭成员1）" || d.Why != "因家庭成员1（本人）有残疾" {
			t.Errorf("per-member line: %+v", d)
		}
		if _, ok := byCode["income_proof.2"]; ok {
			t.Error("income proof for a 14-year-old at school")
		}
		// no facts yet: the household's lines only
		bare, err := svc.Documents(ctx, seed.DemoVillageE1, "2026-11-20", cases.DocumentQuery{Categories: []model.Category{model.CatMinimumLiving}, Today: now})
		testenv.Must(t, err)
		for _, d := range bare {
			if strings.Contains(d.Code, ".") {
				t.Fatalf("a member line without members: %+v", d)
			}
		}
	})
}
