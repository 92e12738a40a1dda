package review

import (
	"context"
	"fmt"
	"palmaid/model"
	"palmaid/service/cases"
	"time"
)

// EntryInput is one per-category line of an opinion or a decision.
type EntryInput struct {
	Category       model.Category
	MemberPosition *int // nil: the household
	Outcome        string
	MonthlyCents   int64
	OneOffCents    int64
	Reason         string
	EffectiveMonth string
	MeetingRef     string
	// MeetingOn (YYYY-MM-DD) and MeetingParticipants complete the 一事一议 record.
	MeetingOn           string
	MeetingParticipants string
	// DeviationReason: why a preliminary opinion departs from the engine's suggestion.
	DeviationReason string
}

func position(p *int) int {
	if p == nil {
		return model.HouseholdLevel
	}
	return *p
}

func checkEntryTexts(entries []EntryInput) error {
	if len(entries) > 40 {
		return model.ErrEntryInvalid.WithField("entries", "最多40项")
	}
	for i := range entries {
		r, err := cases.Text(fmt.Sprintf("entries[%d].reason", i), entries[i].Reason, 500, false)
		if err != nil {
			return err
		}
		entries[i].Reason = r
		if m := entries[i].EffectiveMonth; m != "" {
			if _, err := time.Parse("2006-01", m); err != nil {
				return model.ErrEntryInvalid.WithField(fmt.Sprintf("entries[%d].effectiveMonth", i), "YYYY-MM")
			}
		}
		ref, err := cases.Text(fmt.Sprintf("entries[%d].meetingRef", i), entries[i].MeetingRef, 60, false)
		if err != nil {
			return err
		}
		entries[i].MeetingRef = ref
		who, err := cases.Text(fmt.Sprintf("entries[%d].meetingParticipants", i), entries[i].MeetingParticipants, 150, false)
		if err != nil {
			return err
		}
		entries[i].MeetingParticipants = who
		if d := entries[i].MeetingOn; d != "" {
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				return model.ErrEntryInvalid.WithField(fmt.Sprintf("entries[%d].meetingOn", i), "YYYY-MM-DD")
			}
		}
		dev, err := cases.Text(fmt.Sprintf("entries[%d].deviationReason", i), entries[i].DeviationReason, 500, false)
		if err != nil {
			return err
		}
		entries[i].DeviationReason = dev
	}
	return nil
}

// GiveOpinion records the town's preliminary opinion for all five categories.
func (s *Service) GiveOpinion(ctx context.Context, st *model.Staff, publicID string, version int, entries []EntryInput, summary string) (*cases.StaffRecord, error) {
	summary, err := cases.Text("summary", summary, 500, false)
	if err != nil {
		return nil, err
	}
	if err := checkEntryTexts(entries); err != nil {
		return nil, err
	}
	ops := make([]model.Opinion, len(entries))
	devs := make([]string, len(entries))
	for i, e := range entries {
		ops[i] = model.Opinion{Category: e.Category, MemberPosition: position(e.MemberPosition), Outcome: e.Outcome, MonthlyCents: e.MonthlyCents, OneOffCents: e.OneOffCents, Reason: e.Reason}
		devs[i] = e.DeviationReason
	}
	return s.k.Act(ctx, st, publicID, version, model.PermCaseOpinion, model.ActOpinion, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		// The engine's suggestion on the declared facts is recorded beside each entry; departing
		// from it needs a reason.
		rep, err := s.engineReport(ctx, f)
		if err != nil {
			return err
		}
		if rep != nil {
			if err := annotate(ops, devs, cases.Suggestions(rep)); err != nil {
				return err
			}
		}
		if err := f.GiveOpinion(env, ops, summary); err != nil {
			return err
		}
		tellOpinion(f, env.Now)
		return nil
	})
}

// StartNotice posts the public notice in the village.
func (s *Service) StartNotice(ctx context.Context, st *model.Staff, publicID string, version int) (*cases.StaffRecord, error) {
	ref, err := cases.NewPublicID()
	if err != nil {
		return nil, err
	}
	return s.k.Act(ctx, st, publicID, version, model.PermCaseOpinion, model.ActStartNotice, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		name := ""
		for _, m := range f.Members {
			if f.Case.ApplicantMemberID != nil && m.ID == *f.Case.ApplicantMemberID {
				name = m.Name
			}
		}
		if err := f.StartNotice(env, ref, name); err != nil {
			return err
		}
		n := f.OpenNotice()
		cases.Tell(f, env.Now, "公示中", "公示至"+n.EndsOn,
			fmt.Sprintf("您的申请（%s）初审完成，正在村（社区）公示，公示期至%s。", f.Case.CaseNo, n.EndsOn))
		return nil
	})
}

// ResolveObjection rules on an objection raised during the notice.
func (s *Service) ResolveObjection(ctx context.Context, st *model.Staff, publicID string, version int, objectionID uint64, upheld bool, resolution, followup string) (*cases.StaffRecord, error) {
	resolution, err := cases.Text("resolution", resolution, 1000, true)
	if err != nil {
		return nil, err
	}
	return s.k.Act(ctx, st, publicID, version, model.PermCaseOpinion, model.ActResolveObjection, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		if err := f.ResolveObjection(env, objectionID, upheld, resolution, followup); err != nil {
			return err
		}
		tellObjectionOutcome(f, env.Now, upheld)
		return nil
	})
}

// MergeObjection merges a duplicate objection into another of the same notice (it stops
// blocking the notice's close; the investigation is not reopened).
func (s *Service) MergeObjection(ctx context.Context, st *model.Staff, publicID string, version int, objectionID, into uint64) (*cases.StaffRecord, error) {
	return s.k.Act(ctx, st, publicID, version, model.PermCaseOpinion, model.ActResolveObjection, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		return f.MergeObjection(env, objectionID, into)
	})
}

// CloseNotice ends a notice that ran its full period and forwards the file to the decider.
func (s *Service) CloseNotice(ctx context.Context, st *model.Staff, publicID string, version int) (*cases.StaffRecord, error) {
	return s.k.Act(ctx, st, publicID, version, model.PermCaseOpinion, model.ActCloseNotice, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		if err := f.CloseNotice(env); err != nil {
			return err
		}
		tellNoticeEnded(f, env.Now)
		return nil
	})
}

// Decide is 审核确认 for all five categories, by the level the region names.
func (s *Service) Decide(ctx context.Context, st *model.Staff, publicID string, version int, entries []EntryInput, note string) (*cases.StaffRecord, error) {
	note, err := cases.Text("note", note, 500, false)
	if err != nil {
		return nil, err
	}
	if err := checkEntryTexts(entries); err != nil {
		return nil, err
	}
	if !st.Can(model.PermCaseDecide) && !st.Can(model.PermCaseDecideTown) {
		return nil, cases.ErrRoleForbidden
	}
	ds := make([]model.Decision, len(entries))
	for i, e := range entries {
		ds[i] = model.Decision{Category: e.Category, MemberPosition: position(e.MemberPosition), Outcome: e.Outcome,
			MonthlyCents: e.MonthlyCents, OneOffCents: e.OneOffCents, Reason: e.Reason, EffectiveMonth: e.EffectiveMonth, MeetingRef: e.MeetingRef,
			MeetingOn: e.MeetingOn, MeetingParticipants: e.MeetingParticipants}
	}
	perm := model.PermCaseDecide
	if st.Area().Level() >= model.LevelTown {
		perm = model.PermCaseDecideTown
	}
	return s.k.Act(ctx, st, publicID, version, perm, model.ActDecide, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		// the level that decides is the region's choice, per case
		if (f.Case.DeciderLevel == model.DeciderTown) != (perm == model.PermCaseDecideTown) {
			return cases.ErrRoleForbidden
		}
		in := model.DecideInput{Entries: ds, Note: note, MayHoldMeeting: st.Can(model.PermCaseMeeting)}
		local := env
		local.Now = env.Now.In(model.China())
		if err := f.Decide(local, in); err != nil {
			return err
		}
		if s.decided != nil {
			if err := s.decided.Decided(ctx, f, local); err != nil {
				return err
			}
		}
		tellDecision(f, env.Now)
		return nil
	})
}

// RefusalDelivered records the written refusal as delivered.
func (s *Service) RefusalDelivered(ctx context.Context, st *model.Staff, publicID string, version int, how string) (*cases.StaffRecord, error) {
	how, err := cases.Text("how", how, 200, true)
	if err != nil {
		return nil, err
	}
	return s.k.Act(ctx, st, publicID, version, model.PermCaseOpinion, model.ActRefusalDelivered, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		if err := f.RefusalDelivered(env, how); err != nil {
			return err
		}
		tellRefusalDelivered(f, env.Now)
		return nil
	})
}

// UrgentGrant is 先行救助: the town grants urgent temporary aid the same day within its cap;
// above the cap the case goes to the county.
func (s *Service) UrgentGrant(ctx context.Context, st *model.Staff, publicID string, version int, amountCents int64, reason string) (*cases.StaffRecord, error) {
	reason, err := cases.Text("reason", reason, 500, true)
	if err != nil {
		return nil, err
	}
	return s.k.Act(ctx, st, publicID, version, model.PermCaseUrgent, model.ActUrgentGrant, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		forwarded, err := f.UrgentGrant(env, amountCents, reason)
		if err != nil {
			return err
		}
		if forwarded {
			cases.Tell(f, env.Now, "已受理", "已报县级审批临时救助",
				fmt.Sprintf("您的临时救助申请（%s）已受理，救助金额超过乡镇审批额度，已报县级民政部门审核确认。", f.Case.CaseNo))
			return nil
		}
		cases.Tell(f, env.Now, "已救助", "临时救助"+model.Yuan(amountCents),
			fmt.Sprintf("您的临时救助申请（%s）已先行救助%s。请按乡镇（街道）通知补齐相关手续。", f.Case.CaseNo, model.Yuan(amountCents)))
		return nil
	})
}

// Backfill records the paperwork of an urgent grant as complete.
func (s *Service) Backfill(ctx context.Context, st *model.Staff, publicID string, version int, note string) (*cases.StaffRecord, error) {
	note, err := cases.Text("note", note, 500, true)
	if err != nil {
		return nil, err
	}
	return s.k.Act(ctx, st, publicID, version, model.PermCaseOpinion, model.ActBackfill, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		return f.Backfill(env, note)
	})
}

// Terminate ends the procedure for non-cooperation.
func (s *Service) Terminate(ctx context.Context, st *model.Staff, publicID string, version int, reason string) (*cases.StaffRecord, error) {
	reason, err := cases.Text("reason", reason, 500, true)
	if err != nil {
		return nil, err
	}
	return s.k.Act(ctx, st, publicID, version, model.PermCaseOpinion, model.ActTerminate, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		if err := f.Terminate(env, reason); err != nil {
			return err
		}
		cases.Tell(f, env.Now, "已终止", "办理已终止，详见小程序",
			fmt.Sprintf("您的申请（%s）已终止办理，理由：%s。", f.Case.CaseNo, reason)+cases.RateInvitation)
		return nil
	})
}

// FlagCloseRelative registers a close relative of staff or a village cadre (备案).
func (s *Service) FlagCloseRelative(ctx context.Context, st *model.Staff, publicID string, version int, note string) (*cases.StaffRecord, error) {
	note, err := cases.Text("note", note, 500, true)
	if err != nil {
		return nil, err
	}
	return s.k.Act(ctx, st, publicID, version, model.PermCaseOpinion, model.ActFlagCloseRelative, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		return f.FlagCloseRelative(env, note)
	})
}

// Extend records a special reason: the 低保 overall clock becomes 45 working days.
func (s *Service) Extend(ctx context.Context, st *model.Staff, publicID string, version int, reason string) (*cases.StaffRecord, error) {
	reason, err := cases.Text("reason", reason, 200, true)
	if err != nil {
		return nil, err
	}
	return s.k.Act(ctx, st, publicID, version, model.PermCaseOpinion, model.ActExtend, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		return f.Extend(env, reason)
	})
}

// RecordObjection lets staff record an objection received in person or by phone.
func (s *Service) RecordObjection(ctx context.Context, st *model.Staff, publicID string, version int, in cases.ObjectionInput) (*cases.StaffRecord, error) {
	o, err := s.k.Objection(in)
	if err != nil {
		return nil, err
	}
	return s.k.Act(ctx, st, publicID, version, model.PermCaseOpinion, model.ActObject, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		return f.Object(env, o)
	})
}
