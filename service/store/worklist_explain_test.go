package store_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"palmaid/model"
	"palmaid/service/store"
	"palmaid/service/testenv"
)

// Every staff worklist filter must be served by the one cases index matching its order, with no
// sort: equality on the area and the filter's leading column, then id, so a page newest first
// is a short backward index walk. Never an index merge (MariaDB intersected idx_cases_town with
// idx_cases_town_status and sorted 500 000 rows: 1.4 s a page). A list of several stages, or a
// flag filter (several values of worklist_flags), is one such walk per value, merged in id order
// (only those few pages are sorted, in the union); the due-date lists are a range of
// idx_cases_<area>_due read in its own order (next_due_on, id). At 1 M cases each of these
// sorted or walked a whole town (503).
func TestWorklistFiltersUseTheirIndex(t *testing.T) {
	testenv.Require(t, "mariadb")
	st := worklistExplainData(t, testenv.New(t, "mariadb"))
	ctx := context.Background()
	testenv.Must(t, st.ExecForTest(ctx, "ANALYZE TABLE cases"))
	eachWorklistFilter(func(name string, scope store.Scope, f worklistFilter, cf store.CaseFilter, want string) {
		rows, sql, err := st.ExplainWorklist(ctx, scope, cf)
		testenv.Must(t, err)
		scans := 0
		for _, row := range rows {
			if row.Table != "cases" {
				continue // the derived tables and the union of a merged list: at most scans × limit rows
			}
			if f.scans > 1 && row.Type == "eq_ref" && row.Key != nil && *row.Key == "PRIMARY" {
				continue // a merged list's page: its n rows read by primary key
			}
			scans++
			key, extra := "", ""
			if row.Key != nil {
				key = *row.Key
			}
			if row.Extra != nil {
				extra = *row.Extra
			}
			if key != want || row.Type == "index_merge" {
				t.Errorf("%s: uses %s %q (%s), want %q\n%s", name, row.Type, key, extra, want, sql)
			}
			if strings.Contains(extra, "filesort") || strings.Contains(extra, "temporary") {
				t.Errorf("%s: sorts (%s): the index must give the order\n%s", name, extra, sql)
			}
		}
		if scans != f.scans {
			t.Errorf("%s: %d scans of cases, want %d: %+v\n%s", name, scans, f.scans, rows, sql)
		}
	})
}

// The same SQL on SQLite (no index hint there): its planner must find the same index for
// every walk, and sort nothing but the merged pages.
func TestWorklistFiltersUseTheirIndexSQLite(t *testing.T) {
	testenv.Require(t, "embedded")
	st := worklistExplainData(t, testenv.New(t, "embedded"))
	ctx := context.Background()
	search := regexp.MustCompile(`^SEARCH cases USING (?:COVERING )?INDEX (\S+)`)
	eachWorklistFilter(func(name string, scope store.Scope, f worklistFilter, cf store.CaseFilter, want string) {
		plan, sql, err := st.ExplainWorklistSQLite(ctx, scope, cf)
		testenv.Must(t, err)
		scans, merged, sorts := 0, 0, 0
		for _, line := range plan {
			switch m := search.FindStringSubmatch(line); {
			case m != nil:
				scans++
				if m[1] != want {
					t.Errorf("%s: uses %s, want %s\n%s\n%s", name, m[1], want, strings.Join(plan, "\n"), sql)
				}
			case strings.HasPrefix(line, "SCAN w"):
				merged++ // one branch's page, read for the merge
			case strings.HasPrefix(line, "USE TEMP B-TREE"):
				sorts++
			case strings.HasPrefix(line, "SCAN cases") || strings.Contains(line, "MULTI-INDEX"):
				t.Errorf("%s: %s\n%s", name, line, sql)
			}
		}
		page := 0
		if merged > 0 {
			page = 1 // a merged list's page of n ids, sorted once more after its rows are read by key
		}
		if scans != f.scans || sorts > merged+page {
			t.Errorf("%s: %d index walks (want %d), %d sorts of %d branch pages:\n%s\n%s", name, scans, f.scans, sorts, merged, strings.Join(plan, "\n"), sql)
		}
	})
}

// worklistExplainData: two towns and a few villages with cases in several statuses, flags and
// due dates, so that the statistics are not those of an empty table.
func worklistExplainData(t *testing.T, be *testenv.Backend) *store.Store {
	st := be.Store(t)
	ctx := context.Background()
	villages := []string{"130102001001", "130102001002", "130102002001"}
	statuses := []model.Status{model.StatusSubmitted, model.StatusAccepted, model.StatusDecided, model.StatusInvestigating}
	for i := 0; i < 60; i++ {
		r, err := st.UpsertResident(ctx, "wx", fmt.Sprintf("wl-%d", i), "", t0)
		testenv.Must(t, err)
		nc := newCase(r.ID, villages[i%len(villages)], nil)
		nc.Case.Status = statuses[i%len(statuses)]
		nc.Case.Urgent = i%5 == 0
		nc.Case.CloseRelative = i%7 == 0
		if i%3 == 0 {
			nc.Case.AgentResidentID = &r.ID
		}
		nc.Case.NextDueOn = fmt.Sprintf("2026-11-%02d", 10+i%20)
		_, _, err = st.CreateCase(ctx, nc)
		testenv.Must(t, err)
	}
	return st
}

type worklistFilter struct {
	name string
	f    store.CaseFilter
	// suffix of the index name after idx_cases_<area>; scans: how many walks of that index (one
	// per stage or flags value, merged in id order)
	suffix string
	scans  int
}

// eachWorklistFilter calls check with every filter in every staff scope (town, county, village
// officer, a town officer's one village) and the index it must use.
func eachWorklistFilter(check func(name string, scope store.Scope, f worklistFilter, cf store.CaseFilter, want string)) {
	yes, no := true, false
	type filter = worklistFilter
	var filters []filter
	filters = append(filters, filter{"all", store.CaseFilter{}, "", 1})
	for _, s := range []model.Status{model.StatusSubmitted, model.StatusReturned, model.StatusNotAccepted, model.StatusAccepted,
		model.StatusInvestigating, model.StatusOpinionGiven, model.StatusPublicNotice, model.StatusReviewing,
		model.StatusUrgentGranted, model.StatusDecided, model.StatusWithdrawn, model.StatusTerminated} {
		filters = append(filters, filter{"status=" + string(s), store.CaseFilter{Status: s}, "_status", 1})
	}
	for _, s := range []model.Stage{model.StageToAccept, model.StageReturned, model.StageToInvestigate, model.StageToOpinion,
		model.StageToNotice, model.StageInNotice, model.StageToDecideTown, model.StageToDecideCounty, model.StageToBackfill,
		model.StageRefusalNotice, model.StageClosed} {
		filters = append(filters, filter{"stage=" + string(s), store.CaseFilter{Stages: []model.Stage{s}}, "_stage", 1})
	}
	toCheck := []model.Stage{model.StageCheckAndVisit, model.StageToCheck}
	toVisit := []model.Stage{model.StageCheckAndVisit, model.StageToVisit}
	filters = append(filters,
		filter{"to_check", store.CaseFilter{Stages: toCheck}, "_stage", 2},
		filter{"to_visit", store.CaseFilter{Stages: toVisit}, "_stage", 2},
		filter{"to_check next page", store.CaseFilter{Stages: toCheck, Before: 40}, "_stage", 2},
		filter{"to_visit+urgent", store.CaseFilter{Stages: toVisit, Urgent: &yes}, "_stage", 2},
		filter{"to_check+status", store.CaseFilter{Stages: toCheck, Status: model.StatusInvestigating}, "_status", 1},
		filter{"to_accept by due", store.CaseFilter{Stages: []model.Stage{model.StageToAccept}, OrderByDue: true}, "_stage_due", 1},
		filter{"to_accept by due next page", store.CaseFilter{Stages: []model.Stage{model.StageToAccept}, OrderByDue: true, AfterDueOn: "2026-11-15", AfterID: 30}, "_stage_due", 1},
		filter{"to_check by due", store.CaseFilter{Stages: toCheck, OrderByDue: true}, "_stage_due", 2},
		filter{"to_visit+urgent by due", store.CaseFilter{Stages: toVisit, Urgent: &yes, OrderByDue: true}, "_stage_due", 2},
		filter{"overdue", store.CaseFilter{DueBefore: "2026-11-29"}, "_due", 1},
		filter{"due_soon", store.CaseFilter{DueOnOrAfter: "2026-11-20", DueOnOrBefore: "2026-12-02"}, "_due", 1},
		filter{"overdue next page", store.CaseFilter{DueBefore: "2026-11-29", AfterDueOn: "2026-11-15", AfterID: 30}, "_due", 1},
		filter{"due_soon next page", store.CaseFilter{DueOnOrAfter: "2026-11-20", DueOnOrBefore: "2026-12-02", AfterDueOn: "2026-11-20", AfterID: 12}, "_due", 1},
		filter{"overdue+status", store.CaseFilter{DueBefore: "2026-11-29", Status: model.StatusAccepted}, "_due", 1},
		filter{"due_soon+agent", store.CaseFilter{DueOnOrAfter: "2026-11-20", DueOnOrBefore: "2026-12-02", AgentCase: &yes}, "_due", 1},
		filter{"category", store.CaseFilter{Category: model.CatMinimumLiving}, "", 1},
		filter{"agent", store.CaseFilter{AgentCase: &yes}, "_flags", 4},
		filter{"not agent", store.CaseFilter{AgentCase: &no}, "_flags", 4},
		filter{"close_relative", store.CaseFilter{CloseRelative: &yes}, "_flags", 4},
		filter{"urgent", store.CaseFilter{Urgent: &yes}, "_flags", 4},
		filter{"urgent next page", store.CaseFilter{Urgent: &yes, Before: 40}, "_flags", 4},
		filter{"agent+urgent", store.CaseFilter{AgentCase: &yes, Urgent: &yes}, "_flags", 2},
		filter{"all three flags", store.CaseFilter{AgentCase: &yes, CloseRelative: &yes, Urgent: &no}, "_flags", 1},
		filter{"urgent+category", store.CaseFilter{Urgent: &yes, Category: model.CatTemporaryAid}, "_flags", 4},
		filter{"status+category", store.CaseFilter{Status: model.StatusSubmitted, Category: model.CatMinimumLiving}, "_status", 1},
		filter{"status+close_relative", store.CaseFilter{Status: model.StatusSubmitted, CloseRelative: &yes}, "_status", 1},
		filter{"stage+urgent", store.CaseFilter{Stages: []model.Stage{model.StageToAccept}, Urgent: &yes}, "_stage", 1},
		filter{"next page", store.CaseFilter{Status: model.StatusSubmitted, Before: 40}, "_status", 1},
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
			check(sc.name+" / "+f.name, scope, f, cf, "idx_cases_"+sc.area+f.suffix)
		}
	}
}
