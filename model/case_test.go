package model

import (
	"errors"
	"testing"
	"time"
)

var at = time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
var caseworker = Actor{Type: ActorStaff, ID: 9, AreaCode: "990101001000"}

func TestCaseTransitions(t *testing.T) {
	type step func(c *Case) (Transition, error)
	accept := func(c *Case) (Transition, error) { return c.Accept(caseworker, "ok", at, "2026-11-25") }
	ret := func(c *Case) (Transition, error) {
		return c.Return(caseworker, "缺材料", []MissingItem{{Name: "住院票据"}, {Name: "收入证明"}}, at)
	}
	retEmpty := func(c *Case) (Transition, error) { return c.Return(caseworker, "", nil, at) }
	tests := []struct {
		name    string
		from    Status
		do      step
		to      Status
		wantErr string
	}{
		{"accept submitted", StatusSubmitted, accept, StatusAccepted, ""},
		{"return submitted", StatusSubmitted, ret, StatusReturned, ""},
		{"return needs items", StatusSubmitted, retEmpty, StatusSubmitted, "case.missing_items_required"},
		{"accept accepted", StatusAccepted, accept, StatusAccepted, ErrIllegalStep.Code},
		{"accept returned", StatusReturned, accept, StatusReturned, ErrIllegalStep.Code},
		{"return accepted", StatusAccepted, ret, StatusAccepted, ErrIllegalStep.Code},
		{"accept decided", StatusDecided, accept, StatusDecided, ErrIllegalStep.Code},
		{"return withdrawn", StatusWithdrawn, ret, StatusWithdrawn, ErrIllegalStep.Code},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &Case{ID: 1, Status: tc.from, Version: 3}
			tr, err := tc.do(c)
			if tc.wantErr != "" {
				var e *Error
				if !errors.As(err, &e) || e.Code != tc.wantErr {
					t.Fatalf("err = %v, want %s", err, tc.wantErr)
				}
				if c.Status != tc.from || c.Version != 3 {
					t.Fatalf("refused transition changed the case: %+v", c)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Status != tc.to || c.Version != 4 {
				t.Fatalf("status %s version %d", c.Status, c.Version)
			}
			if tr.Event.FromStatus != tc.from || tr.Event.ToStatus != tc.to || tr.Event.ActorID != 9 || tr.Event.CaseID != 1 {
				t.Fatalf("event %+v", tr.Event)
			}
		})
	}
}

func TestAcceptSetsOwnerAndDeadline(t *testing.T) {
	c := &Case{ID: 5, Status: StatusSubmitted, Version: 1}
	tr, err := c.Accept(caseworker, "", at, "2026-11-25")
	if err != nil {
		t.Fatal(err)
	}
	if c.OwnerStaffID == nil || *c.OwnerStaffID != 9 || c.AcceptedAt == nil || !c.AcceptedAt.Equal(at) {
		t.Fatalf("owner/accepted: %+v", c)
	}
	if len(tr.Deadlines) != 1 || tr.Deadlines[0].Step != StepInvestigation || tr.Deadlines[0].DueOn != "2026-11-25" {
		t.Fatalf("deadlines %+v", tr.Deadlines)
	}
}

func TestReturnListsEveryItemOnce(t *testing.T) {
	c := &Case{ID: 5, Status: StatusSubmitted, Version: 1}
	tr, err := c.Return(caseworker, "", []MissingItem{{Name: "a", Note: "n"}, {Name: "b"}}, at)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Checklist) != 2 || tr.Checklist[0].Name != "a" || tr.Checklist[0].Status != ItemMissing || tr.Checklist[1].Round != 1 {
		t.Fatalf("checklist %+v", tr.Checklist)
	}
}

func TestAreaCodes(t *testing.T) {
	tests := []struct {
		code   string
		ok     bool
		level  int
		prefix string
	}{
		{"990101001001", true, LevelVillage, "990101001001"},
		{"990101001000", true, LevelTown, "990101001"},
		{"990101000000", true, LevelCounty, "990101"},
		{"990100000000", true, LevelCity, "9901"},
		{"990000000000", true, LevelProvince, "99"},
		{"000000000000", false, 0, ""},
		{"99010100100", false, 0, ""},
		{"9901010010011", false, 0, ""},
		{"99010a001001", false, 0, ""},
		{"441900003001", true, LevelVillage, "441900003001"}, // 东莞: towns directly under the city, county digits 00
		{"990101000001", false, 0, ""},                       // village digits under a zero town
	}
	for _, tc := range tests {
		c, err := ParseAreaCode(tc.code)
		if (err == nil) != tc.ok {
			t.Fatalf("%s: err=%v, want ok=%v", tc.code, err, tc.ok)
		}
		if !tc.ok {
			continue
		}
		if c.Level() != tc.level || c.Prefix() != tc.prefix {
			t.Fatalf("%s: level %d prefix %s", tc.code, c.Level(), c.Prefix())
		}
	}
	town := AreaCode("990101001000")
	if !town.Contains("990101001002") || town.Contains("990101002001") || AreaCode("990101001001").Ancestor(LevelTown) != town {
		t.Fatal("subtree")
	}
}

func TestCategories(t *testing.T) {
	for _, c := range AllCategories {
		if !c.Valid() || c.Label() == "" {
			t.Fatalf("%s invalid", c)
		}
	}
	if CatEdgeHousehold.Requestable() || CatIllnessPoverty.Requestable() || !CatTemporaryAid.Requestable() {
		t.Fatal("requestable set wrong")
	}
	if Category("dibao").Valid() {
		t.Fatal("unknown category accepted")
	}
}
