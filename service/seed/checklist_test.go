package seed_test

import (
	"context"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/checklist"
	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// The national rows follow the code at every start: changed rows are rewritten, rows the code no
// longer lists are removed; region rows are never touched. Loading for an area reads the national
// rows and its own chain only.
func TestChecklistSeedSync(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		now := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
		testenv.Must(t, seed.Checklist(ctx, st, now))
		testenv.Must(t, seed.Checklist(ctx, st, now)) // idempotent
		national, err := st.ChecklistRulesAt(ctx, "")
		testenv.Must(t, err)
		if len(national) != len(checklist.NationalRules()) {
			t.Fatalf("%d national rows, want %d", len(national), len(checklist.NationalRules()))
		}

		// An earlier binary's row, an edited national row, and two region rows.
		stale := checklist.NationalRules()[0]
		stale.Code, stale.UpdatedAt = "retired_item", now
		edited := national[0]
		edited.ID, edited.Note = 0, "被改过"
		region := checklist.NationalRules()[5]
		region.AreaCode, region.SharedSource, region.EffectiveFrom, region.UpdatedAt = seed.DemoCounty, "", "2026-01-01", now
		elsewhere := region
		elsewhere.AreaCode = "990102000000"
		testenv.Must(t, st.ReplaceChecklistRules(ctx, "", append(national[1:], stale, edited)))
		testenv.Must(t, st.ReplaceChecklistRules(ctx, seed.DemoCounty, []model.ChecklistRule{region}))
		testenv.Must(t, st.ReplaceChecklistRules(ctx, "990102000000", []model.ChecklistRule{elsewhere}))

		testenv.Must(t, seed.Checklist(ctx, st, now.Add(time.Hour)))
		after, err := st.ChecklistRulesAt(ctx, "")
		testenv.Must(t, err)
		if len(after) != len(checklist.NationalRules()) {
			t.Fatalf("after the sync: %d national rows", len(after))
		}
		for _, r := range after {
			if r.Code == "retired_item" || r.Note == "被改过" {
				t.Fatalf("not synced: %+v", r)
			}
		}
		rows, err := st.ChecklistRulesFor(ctx, model.AreaCode(seed.DemoVillageE1), "2026-11-20")
		testenv.Must(t, err)
		own := 0
		for _, r := range rows {
			switch r.AreaCode {
			case "":
			case seed.DemoCounty:
				own++
			default:
				t.Fatalf("a row of another area: %+v", r)
			}
		}
		if own != 1 || len(rows) != len(checklist.NationalRules())+1 {
			t.Fatalf("rules for the village: %d rows, %d of the county", len(rows), own)
		}
		if early, _ := st.ChecklistRulesFor(ctx, model.AreaCode(seed.DemoVillageE1), "2025-12-31"); len(early) != len(checklist.NationalRules()) {
			t.Fatalf("before the county's row takes effect: %d rows", len(early))
		}
		items := checklist.Evaluate(checklist.Input{Members: []checklist.MemberInput{{Relation: model.RelSelf, DisabilityKind: "visual", DisabilityGrade: 1}}}, rows, "2026-11-20")
		found := false
		for _, it := range items {
			if it.Code == "disability_certificate" {
				found = true
				if it.Provide != checklist.ProvideRequired {
					t.Fatalf("the county's row did not win: %+v", it)
				}
			}
		}
		if !found {
			t.Fatalf("no disability certificate: %+v", items)
		}
	})
}
