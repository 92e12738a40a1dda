package model

import "testing"

// What the resident's history shows (their progress screen and the copy of their data): every
// step but the staff's bookkeeping (a close-relative flag, a spot check), and a staff home
// visit without the investigators' notes.
func TestResidentHistory(t *testing.T) {
	for _, c := range []struct {
		ev      CaseEvent
		visible bool
		note    string
	}{
		{CaseEvent{Action: string(ActAccept), ActorType: ActorStaff, Opinion: "材料齐全"}, true, "材料齐全"},
		{CaseEvent{Action: string(ActFlagCloseRelative), ActorType: ActorStaff, Opinion: "村干部近亲属"}, false, ""},
		{CaseEvent{Action: string(ActSpotCheck), ActorType: ActorStaff, Opinion: "抽查属实"}, false, ""},
		{CaseEvent{Action: string(ActRecordVisit), ActorType: ActorStaff, Opinion: "家中有新车"}, true, ""},
		{CaseEvent{Action: string(ActResubmit), ActorType: ActorResident, Opinion: "已补齐"}, true, "已补齐"},
	} {
		a := Action(c.ev.Action)
		if a.ResidentVisible() != c.visible {
			t.Errorf("%s: visible %v, want %v", a, a.ResidentVisible(), c.visible)
		}
		if got := c.ev.ResidentNote(); c.visible && got != c.note {
			t.Errorf("%s: note %q, want %q", a, got, c.note)
		}
	}
}
