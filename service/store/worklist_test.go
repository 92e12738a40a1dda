package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"palmaid/model"
	"palmaid/service/store"
	"palmaid/service/testenv"
)

// The worklists that are merged from several index walks (two stages, the flag filters) or read
// in due-date order return exactly the cases a plain filter would, in their order (newest first;
// due-date lists most urgent first, then by id), page after page, and CountCases agrees.
func TestWorklistPagesMergedAndByDueDate(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		st := be.Store(t)
		ctx := context.Background()
		villages := []string{"130102001001", "130102001002", "130102002001"} // two towns
		stages := []model.Stage{model.StageCheckAndVisit, model.StageToCheck, model.StageToVisit, model.StageToAccept, model.StageCheckAndVisit}
		statuses := []model.Status{model.StatusInvestigating, model.StatusInvestigating, model.StatusAccepted, model.StatusSubmitted}
		var all []model.Case
		for i := 0; i < 48; i++ {
			r, err := st.UpsertResident(ctx, "wx", fmt.Sprintf("wlp-%d", i), "", t0)
			testenv.Must(t, err)
			nc := newCase(r.ID, villages[i%len(villages)], nil)
			c := &nc.Case
			c.Stage = stages[i%len(stages)]
			c.Status = statuses[i%len(statuses)]
			if i == 7 || i == 20 {
				c.Status, c.Stage = model.StatusDraft, model.StageDraft // a resident's draft: on no list
			}
			// flags independent of the village (i%3), stage (i%5) and status (i%4)
			if (i/3)%2 == 0 {
				c.AgentResidentID = &r.ID
			}
			c.CloseRelative = (i/2)%3 == 1
			c.Urgent = (i/5)%2 == 1
			if i%6 != 5 {
				// few distinct dates, so that ties on the due date are ordered by id
				c.NextDueOn = fmt.Sprintf("2026-12-%02d", 1+(i*7)%9)
			}
			_, _, err = st.CreateCase(ctx, nc)
			testenv.Must(t, err)
			all = append(all, *c)
		}

		yes, no := true, false
		toCheck := []model.Stage{model.StageCheckAndVisit, model.StageToCheck}
		toVisit := []model.Stage{model.StageCheckAndVisit, model.StageToVisit}
		filters := map[string]store.CaseFilter{
			"to_check":               {Stages: toCheck},
			"to_visit":               {Stages: toVisit},
			"to_check+urgent":        {Stages: toCheck, Urgent: &yes},
			"to_visit+agent":         {Stages: toVisit, AgentCase: &yes},
			"to_check+status":        {Stages: toCheck, Status: model.StatusInvestigating},
			"to_check+category":      {Stages: toCheck, Category: model.CatMinimumLiving},
			"to_check by due":        {Stages: toCheck, OrderByDue: true},
			"to_accept by due":       {Stages: []model.Stage{model.StageToAccept}, OrderByDue: true},
			"to_visit+urgent by due": {Stages: toVisit, Urgent: &yes, OrderByDue: true},
			"overdue":                {DueBefore: "2026-12-05"},
			"due_soon":               {DueOnOrBefore: "2026-12-07"},
			"overdue+status":         {DueBefore: "2026-12-08", Status: model.StatusInvestigating},
			"due_soon+close":         {DueOnOrBefore: "2026-12-09", CloseRelative: &yes},
			"agent":                  {AgentCase: &yes},
			"not agent":              {AgentCase: &no},
			"close relative":         {CloseRelative: &yes},
			"not close relative":     {CloseRelative: &no},
			"urgent":                 {Urgent: &yes},
			"not urgent":             {Urgent: &no},
			"agent+urgent":           {AgentCase: &yes, Urgent: &yes},
			"agent, not urgent":      {AgentCase: &yes, Urgent: &no},
			"three flags":            {AgentCase: &no, CloseRelative: &yes, Urgent: &no},
			"status+urgent":          {Status: model.StatusAccepted, Urgent: &no},
			"close relative+village": {CloseRelative: &yes, Village: "130102001001"},
		}
		staff := map[string]string{"town": "130102001000", "county": "130102000000", "village": "130102001001"}
		for scopeName, area := range staff {
			sc := store.StaffScope(&model.Staff{AreaCode: area})
			for name, f := range filters {
				var want []uint64
				for _, c := range wantCases(all, area, f) {
					want = append(want, c.ID)
				}
				for _, limit := range []int{1, 4, 100} {
					var got []uint64
					cur := f
					cur.Limit = limit
					for page := 0; ; page++ {
						rows, err := st.ListCases(ctx, sc, cur)
						testenv.Must(t, err)
						for _, c := range rows {
							got = append(got, c.ID)
						}
						if len(rows) < limit || page > len(all) {
							break
						}
						last := rows[len(rows)-1]
						if f.ByDueDate() {
							cur.AfterDueOn, cur.AfterID = last.NextDueOn, last.ID
						} else {
							cur.Before = last.ID
						}
					}
					if !slices.Equal(got, want) {
						t.Errorf("%s / %s, pages of %d: got %v, want %v", scopeName, name, limit, got, want)
					}
				}
				n, err := st.CountCases(ctx, sc, f)
				testenv.Must(t, err)
				if n != int64(len(want)) {
					t.Errorf("%s / %s: counted %d, want %d", scopeName, name, n, len(want))
				}
				if len(want) == 0 {
					t.Errorf("%s / %s: the data has no case for this filter", scopeName, name)
				}
			}
		}
	})
}

// wantCases filters and orders the cases as the worklist should, without the database.
func wantCases(all []model.Case, staffArea string, f store.CaseFilter) []model.Case {
	var out []model.Case
	in := func(c model.Case) bool {
		return c.AreaCode == staffArea || c.TownCode == staffArea || c.CountyCode == staffArea
	}
	flag := func(want *bool, got bool) bool { return want == nil || *want == got }
	for _, c := range all {
		switch {
		case !in(c) || c.Status == model.StatusDraft:
		case f.Status != "" && c.Status != f.Status:
		case len(f.Stages) > 0 && !slices.Contains(f.Stages, c.Stage):
		case f.Village != "" && c.AreaCode != f.Village:
		case f.DueBefore != "" && (c.NextDueOn == "" || c.NextDueOn >= f.DueBefore):
		case f.DueOnOrBefore != "" && (c.NextDueOn == "" || c.NextDueOn > f.DueOnOrBefore):
		case !flag(f.AgentCase, c.AgentResidentID != nil) || !flag(f.CloseRelative, c.CloseRelative) || !flag(f.Urgent, c.Urgent):
		case f.Category != "" && f.Category != model.CatMinimumLiving && f.Category != model.CatTemporaryAid: // newCase asks for these two
		default:
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b model.Case) int {
		if f.ByDueDate() {
			if a.NextDueOn != b.NextDueOn {
				if a.NextDueOn < b.NextDueOn {
					return -1
				}
				return 1
			}
			return int(a.ID) - int(b.ID)
		}
		return int(b.ID) - int(a.ID)
	})
	return out
}
