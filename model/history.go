package model

// ResidentVisible reports whether a step with this action is on the resident's history (their
// progress screen and the copy of their data): staff bookkeeping — a close-relative flag, a
// spot check — is not.
func (a Action) ResidentVisible() bool {
	return a != ActFlagCloseRelative && a != ActSpotCheck
}

// ResidentNote is the event's note as the resident reads it: a staff home visit's notes are the
// investigators' and are left out.
func (e CaseEvent) ResidentNote() string {
	if e.ActorType == ActorStaff && Action(e.Action) == ActRecordVisit {
		return ""
	}
	return e.Opinion
}
