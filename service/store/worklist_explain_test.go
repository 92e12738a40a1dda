package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"palmaid/model"
	"palmaid/service/store"
	"palmaid/service/testenv"
)

// Every staff worklist filter must be served by the one cases index matching its ORDER BY id
// DESC: equality on the area and the filter's leading column, so a page is a short backward
// index walk. Never an index merge (MariaDB intersected idx_cases_town with
// idx_cases_town_status and sorted 500 000 rows: 1.4 s a page). Lists of several stages and
// the due-date lists are ranges on their index; a sort of the rows in range is expected there
// and nowhere else.
func TestWorklistFiltersUseTheirIndex(t *testing.T) {
	testenv.Require(t, "mariadb")
	be := testenv.New(t, "mariadb")
	st := be.Store(t)
	ctx := context.Background()
	// Two towns and a few villages with cases in several statuses, so that the statistics
	// are not those of an empty table.
	villages := []string{"130102001001", "130102001002", "130102002001"}
	statuses := []model.Status{model.StatusSubmitted, model.StatusAccepted, model.StatusDecided, model.StatusInvestigating}
	for i := 0; i < 60; i++ {
		r, err := st.UpsertResident(ctx, "wx", fmt.Sprintf("wl-%d", i), "", t0)
		testenv.Must(t, err)
		nc := newCase(r.ID, villages[i%len(villages)], nil)
		nc.Case.Status = statuses[i%len(statuses)]
		_, _, err = st.CreateCase(ctx, nc)
		testenv.Must(t, err)
	}
	testenv.Must(t, st.ExecForTest(ctx, "ANALYZE TABLE cases"))

	yes := true
	type filter struct {
		name string
		f    store.CaseFilter
		// suffix of the index name after idx_cases_<area>; sorted: a range, sort expected
		suffix string
		sorted bool
	}
	var filters []filter
	filters = append(filters, filter{"all", store.CaseFilter{}, "", false})
	for _, s := range []model.Status{model.StatusSubmitted, model.StatusReturned, model.StatusNotAccepted, model.StatusAccepted,
		model.StatusInvestigating, model.StatusOpinionGiven, model.StatusPublicNotice, model.StatusReviewing,
		model.StatusUrgentGranted, model.StatusDecided, model.StatusWithdrawn, model.StatusTerminated} {
		filters = append(filters, filter{"status=" + string(s), store.CaseFilter{Status: s}, "_status", false})
	}
	for _, s := range []model.Stage{model.StageToAccept, model.StageReturned, model.StageToInvestigate, model.StageToOpinion,
		model.StageToNotice, model.StageInNotice, model.StageToDecideTown, model.StageToDecideCounty, model.StageToBackfill,
		model.StageRefusalNotice, model.StageClosed} {
		filters = append(filters, filter{"stage=" + string(s), store.CaseFilter{Stages: []model.Stage{s}}, "_stage", false})
	}
	filters = append(filters,
		filter{"to_check", store.CaseFilter{Stages: []model.Stage{model.StageCheckAndVisit, model.StageToCheck}}, "_stage", true},
		filter{"to_visit", store.CaseFilter{Stages: []model.Stage{model.StageCheckAndVisit, model.StageToVisit}}, "_stage", true},
		filter{"overdue", store.CaseFilter{DueBefore: "2026-11-29"}, "_due", true},
		filter{"due_soon", store.CaseFilter{DueOnOrBefore: "2026-12-02"}, "_due", true},
		filter{"category", store.CaseFilter{Category: model.CatMinimumLiving}, "", false},
		filter{"agent", store.CaseFilter{AgentCase: &yes}, "", false},
		filter{"close_relative", store.CaseFilter{CloseRelative: &yes}, "", false},
		filter{"urgent", store.CaseFilter{Urgent: &yes}, "", false},
		filter{"status+category", store.CaseFilter{Status: model.StatusSubmitted, Category: model.CatMinimumLiving}, "_status", false},
		filter{"stage+urgent", store.CaseFilter{Stages: []model.Stage{model.StageToAccept}, Urgent: &yes}, "_stage", false},
		filter{"next page", store.CaseFilter{Status: model.StatusSubmitted, Before: 40}, "_status", false},
	)
	scopes := []struct {
		name, area, village string
	}{
		{"town", "town", ""},
		{"county", "county", ""},
		{"village officer", "area", ""},
		{"town, one village", "area", "130102001001"},
	}
	staff := map[string]string{"town": "130102001000", "county": "130102000000", "village officer": "130102001001", "town, one village": "130102001000"}
	for _, sc := range scopes {
		scope := store.StaffScope(&model.Staff{AreaCode: staff[sc.name]})
		for _, f := range filters {
			cf := f.f
			cf.Village = sc.village
			cf.Limit = 21
			want := "idx_cases_" + sc.area + f.suffix
			rows, sql, err := st.ExplainWorklist(ctx, scope, cf)
			testenv.Must(t, err)
			var main *store.ExplainRow
			for i := range rows {
				if rows[i].Table == "cases" {
					main = &rows[i]
				}
			}
			if main == nil {
				t.Fatalf("%s / %s: no row for cases in EXPLAIN %+v\n%s", sc.name, f.name, rows, sql)
			}
			key, extra := "", ""
			if main.Key != nil {
				key = *main.Key
			}
			if main.Extra != nil {
				extra = *main.Extra
			}
			if key != want || main.Type == "index_merge" {
				t.Errorf("%s / %s: uses %s %q (%s), want %q\n%s", sc.name, f.name, main.Type, key, extra, want, sql)
			}
			if sorts := strings.Contains(extra, "filesort"); sorts != f.sorted {
				t.Errorf("%s / %s: filesort=%v (%s), want %v\n%s", sc.name, f.name, sorts, extra, f.sorted, sql)
			}
		}
	}
}
