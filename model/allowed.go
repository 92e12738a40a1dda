package model

// staffActionPermission is the permission each staff action of the workflow needs (the service
// asks the same one before it runs the action). Actions not listed are the resident's.
var staffActionPermission = map[Action]Permission{
	ActAccept:             PermCaseAccept,
	ActReturn:             PermCaseAccept,
	ActRefuseAcceptance:   PermCaseAccept,
	ActStartInvestigation: PermCaseInvestigate,
	ActScheduleVisit:      PermCaseInvestigate,
	ActDataCheckResult:    PermCaseDataCheck,
	ActRecordVisit:        PermCaseVisit,
	ActOpinion:            PermCaseOpinion,
	ActStartNotice:        PermCaseOpinion,
	ActObject:             PermCaseOpinion,
	ActResolveObjection:   PermCaseOpinion,
	ActCloseNotice:        PermCaseOpinion,
	ActRefusalDelivered:   PermCaseOpinion,
	ActBackfill:           PermCaseOpinion,
	ActTerminate:          PermCaseOpinion,
	ActFlagCloseRelative:  PermCaseOpinion,
	ActExtend:             PermCaseOpinion,
	ActUrgentGrant:        PermCaseUrgent,
	ActSpotCheck:          PermCaseDecide,
	ActDecide:             PermCaseDecide, // or PermCaseDecideTown where the region delegates (see mayDo)
}

// AllowedFor lists the actions this officer may take on the case now: what the status accepts,
// narrowed by the officer's role, the level of their area, the four-eyes rule and the facts the
// action needs (a pending data check, a pending objection, a refusal notice not yet delivered …),
// so the console offers no button that can only end in a refusal. The server still checks each
// action in full when it runs.
func (f *CaseFile) AllowedFor(st *Staff) []Action {
	out := []Action{}
	if st == nil || !st.Active {
		return out
	}
	for _, a := range allowed(f.Case.Status) {
		if f.mayDo(st, a) {
			out = append(out, a)
		}
	}
	return out
}

func (f *CaseFile) mayDo(st *Staff, a Action) bool {
	perm, ok := staffActionPermission[a]
	if !ok {
		return false // the resident's own actions
	}
	c := &f.Case
	if a == ActDecide {
		if c.DeciderLevel == DeciderTown {
			perm = PermCaseDecideTown
		}
		if (perm == PermCaseDecideTown) != (st.Area().Level() >= LevelTown) {
			return false
		}
		if f.Investigators()[st.ID] {
			return false
		}
	}
	if !st.Can(perm) {
		return false
	}
	switch a {
	case ActDataCheckResult:
		dc := f.CurrentDataCheck()
		return dc != nil && dc.Status == CheckRequested
	case ActOpinion:
		return f.investigationComplete()
	case ActResolveObjection:
		for _, o := range f.Objections {
			if o.Status == ObjectionPending {
				return true
			}
		}
		return false
	case ActCloseNotice:
		return f.OpenNotice() != nil
	case ActRefusalDelivered:
		return f.hasOpenClock(StepRefusalNotice)
	case ActSpotCheck:
		return f.Requested(CatExtremeHardship) && c.SpotCheckedAt == nil
	case ActUrgentGrant:
		for _, cc := range f.Categories {
			if cc.Requested && cc.Category != CatTemporaryAid {
				return false
			}
		}
		return f.Requested(CatTemporaryAid)
	case ActFlagCloseRelative:
		return !c.CloseRelative
	case ActExtend:
		return f.hasOpenClock(StepOverall) && c.AcceptedAt != nil && c.SpecialReason == ""
	case ActBackfill:
		return f.hasOpenClock(StepBackfill)
	}
	return true
}

// StatusLabel is the status in words as the staff see it: a decided case whose written refusal
// is still to be delivered is not 已办结 yet.
func (c *Case) StatusLabel() string {
	if c.Status == StatusDecided && c.Stage == StageRefusalNotice {
		return "已决定，待送达不予批准告知书"
	}
	return c.Status.Label()
}
