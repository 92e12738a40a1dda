package checklist_test

import (
	"context"
	"testing"
	"time"

	"palmaid/model"
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
				Emergency: checklist.EmergencyAccident, Supporters: 1, Members: []checklist.MemberInput{
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
