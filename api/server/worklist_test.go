package server_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"testing"

	"palmaid/model"
	"palmaid/service/seed"
	"palmaid/service/store"
	"palmaid/service/testenv"
)

// The worklists page through nextCursor: the flag lists newest first, the step lists and the
// due-date lists most urgent first (due date, then case), each case once; a cursor of one kind
// of list is refused on the other kind (400 request.invalid_page), as is a made-up one.
func TestWorklistCursors(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, friday) // today 2026-11-20; due_soon: from today to 2026-11-25 (issue 22: not the overdue ones again)
		ctx := context.Background()
		type made struct {
			no, due string
			stage   model.Stage
			urgent  bool
		}
		var cases []made
		stages := []model.Stage{model.StageCheckAndVisit, model.StageToCheck, model.StageToVisit, model.StageToAccept}
		dues := []string{"2026-11-18", "2026-11-12", "2026-11-23", "", "2026-11-24", "2026-11-20", "2026-11-30", "2026-11-20", "2026-11-19", "2026-11-25"}
		for i := 0; i < 11; i++ {
			r, err := h.app.Store.UpsertResident(ctx, testAppID, fmt.Sprintf("wl-cursor-%s-%d", be.Name, i), "", friday)
			testenv.Must(t, err)
			village := []string{seed.DemoVillageE1, seed.DemoVillageE2}[i%2]
			area := model.AreaCode(village)
			uniq := fmt.Sprintf("%s-%d-%s", be.Name, i, testenv.UniqueName("wl"))
			nc := &store.NewCase{
				Household: model.Household{AreaCode: village, CreatedAt: friday, UpdatedAt: friday},
				Members:   []model.Member{{Position: 0, Relation: model.RelSelf, Name: "张三", IDBidx: "wl-" + uniq, IDMasked: "110105********002X", CreatedAt: friday}},
				Case: model.Case{PublicID: "wl" + uniq, ApplicantResidentID: r.ID, AreaCode: village,
					TownCode: string(area.Ancestor(model.LevelTown)), CountyCode: string(area.Ancestor(model.LevelCounty)),
					Status: model.StatusInvestigating, Stage: stages[i%len(stages)], Urgent: i%3 == 1, NextDueOn: dues[i%len(dues)],
					PledgeAt: friday, AuthorizationAt: friday, SubmittedAt: friday, Version: 1, CreatedAt: friday, UpdatedAt: friday},
				Categories: []model.CaseCategory{{Category: model.CatTemporaryAid, Requested: true}},
				Event:      model.CaseEvent{Step: model.StepApplication, Action: model.ActionSubmit, ToStatus: model.StatusSubmitted, ActorType: model.ActorResident, ActorID: r.ID, CreatedAt: friday},
			}
			c, _, err := h.app.Store.CreateCase(ctx, nc)
			testenv.Must(t, err)
			cases = append(cases, made{c.Case.CaseNo, c.Case.NextDueOn, c.Case.Stage, c.Case.Urgent})
		}
		east := h.staffLogin("town_east")
		pages := func(query string) (nos []string, cursors []string) {
			t.Helper()
			cursor := ""
			for n := 0; n < 20; n++ {
				q, _ := url.ParseQuery(query)
				q.Set("limit", "2")
				if cursor != "" {
					q.Set("cursor", cursor)
				}
				page := h.expect(h.do("GET", "/api/v1/cases?"+q.Encode(), east, nil), 200)
				for _, it := range page["items"].([]any) {
					nos = append(nos, it.(map[string]any)["caseNo"].(string))
				}
				next, _ := page["nextCursor"].(string)
				if next == "" {
					return nos, cursors
				}
				cursor = next
				cursors = append(cursors, next)
			}
			t.Fatalf("%s: no end of pages", query)
			return nil, nil
		}
		want := func(keep func(made) bool, byDue bool) []string {
			var out []made
			for _, c := range cases {
				if keep(c) {
					out = append(out, c)
				}
			}
			slices.SortFunc(out, func(a, b made) int {
				if byDue && a.due != b.due {
					return cmpString(a.due, b.due)
				}
				if byDue {
					return cmpString(a.no, b.no) // same date: case numbers of one day are in id order
				}
				return cmpString(b.no, a.no)
			})
			var nos []string
			for _, c := range out {
				nos = append(nos, c.no)
			}
			return nos
		}
		check := func(query string, keep func(made) bool, byDue bool) []string {
			t.Helper()
			got, cursors := pages(query)
			if w := want(keep, byDue); !slices.Equal(got, w) {
				t.Errorf("%s: pages give %v, want %v", query, got, w)
			}
			if len(cursors) == 0 {
				t.Errorf("%s: a single page, the test needs several", query)
			}
			return cursors
		}
		// a step's worklist is most urgent first too (issue 22: overdue cases sank to the bottom);
		// a case without an open clock (due "") comes first and pages on
		check("list=to_check", func(c made) bool { return c.stage == model.StageCheckAndVisit || c.stage == model.StageToCheck }, true)
		check("list=to_visit", func(c made) bool { return c.stage == model.StageCheckAndVisit || c.stage == model.StageToVisit }, true)
		newest := check("urgent=true", func(c made) bool { return c.urgent }, false)
		check("urgent=false&list=to_check", func(c made) bool {
			return !c.urgent && (c.stage == model.StageCheckAndVisit || c.stage == model.StageToCheck)
		}, true)
		overdue := check("list=overdue", func(c made) bool { return c.due != "" && c.due < "2026-11-20" }, true)
		check("list=due_soon", func(c made) bool { return c.due >= "2026-11-20" && c.due <= "2026-11-25" }, true)
		check("list=due_soon&urgent=false", func(c made) bool { return !c.urgent && c.due >= "2026-11-20" && c.due <= "2026-11-25" }, true)

		// A cursor only fits its own kind of list.
		for _, q := range []string{
			"list=overdue&cursor=" + newest[0],
			"list=due_soon&cursor=" + newest[0],
			"list=to_check&cursor=" + newest[0],
			"cursor=" + overdue[0],
			"list=overdue&cursor=" + overdue[0] + "A",
			"list=overdue&cursor=AAAAAAAAAAAAAAAA", // id 0
			"list=overdue&cursor=" + base64.RawURLEncoding.EncodeToString([]byte{0, 0, 0, 0, 0, 0, 0, 1, 255, 255, 255, 255}), // a date past 9999
		} {
			if r := h.do("GET", "/api/v1/cases?"+q, east, nil); r.Status != 400 || r.errCode(t) != "request.invalid_page" {
				t.Errorf("%s: %d %s", q, r.Status, r.Body)
			}
		}
	})
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
