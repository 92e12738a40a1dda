package reviews

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"palmaid/model"
)

// The steps of a review: investigate, propose, decide, objection, return, close.

// act loads a review of the officer's area for an action (not found outside it; a role
// without perm that may read it is told why), checks its version and state, runs fn and saves.
func (s *Service) act(ctx context.Context, st *model.Staff, id string, version int, perm model.Permission, from []string, action string,
	fn func(ctx context.Context, rv *model.Review, b *model.Benefit, now time.Time) error) (*View, error) {
	if !model.WellFormedPublicID(id) {
		return nil, ErrNotFound
	}
	if !st.Can(perm) {
		if _, err := s.repo.StaffReview(ctx, st, id, false, ErrNotFound); err != nil {
			return nil, err
		}
		return nil, errForbidden
	}
	now := s.now()
	var out *View
	err := s.repo.InTx(ctx, func(ctx context.Context) error {
		rv, err := s.repo.StaffReview(ctx, st, id, true, ErrNotFound)
		if err != nil {
			return err
		}
		if rv.Version != version {
			return model.ErrReviewVersion
		}
		if !slices.Contains(from, rv.Status) {
			return model.ErrReviewState.WithField("status", model.ReviewStatusLabel(rv.Status))
		}
		b, err := s.repo.BenefitByID(ctx, rv.BenefitID, true)
		if err != nil {
			return err
		}
		if err := fn(ctx, rv, b, now); err != nil {
			return err
		}
		rv.UpdatedAt = now
		if err := s.repo.SaveReview(ctx, rv); err != nil {
			return err
		}
		if err := s.repo.Audit(ctx, audit(ctx, st, action, "review="+rv.PublicID+" benefit="+b.PublicID+" status="+rv.Status+" outcome="+rv.Outcome, now)); err != nil {
			return err
		}
		out, err = s.view(ctx, rv, b)
		return err
	})
	return out, err
}

// InvestigateInput is the town's 核查: what it found, and the home visit when one was made
// (by two staff).
type InvestigateInput struct {
	Version   int
	Findings  string
	VisitedOn string
	Visitors  []string
}

// Investigate records the 核查 (open → investigating; again while investigating, replacing it).
func (s *Service) Investigate(ctx context.Context, st *model.Staff, id string, in InvestigateInput) (*View, error) {
	findings, err := text("findings", in.Findings, 2000, errFindings)
	if err != nil {
		return nil, err
	}
	var visitors []string
	if in.VisitedOn != "" || len(in.Visitors) > 0 {
		if !model.ValidDate(in.VisitedOn) || in.VisitedOn > s.today() {
			return nil, errVisitedOn
		}
		for _, v := range in.Visitors {
			v = strings.TrimSpace(v)
			if v == "" || len(v) > 32 || strings.ContainsAny(v, ",\x00") || model.CheckText("visitors", v) != nil {
				return nil, model.ErrReviewVisitors
			}
			if !slices.Contains(visitors, v) {
				visitors = append(visitors, v)
			}
		}
		if len(visitors) < 2 || len(visitors) > 4 {
			return nil, model.ErrReviewVisitors
		}
	}
	return s.act(ctx, st, id, in.Version, model.PermBenefitReview, []string{model.ReviewOpen, model.ReviewInvestigating}, "review.investigate",
		func(ctx context.Context, rv *model.Review, b *model.Benefit, now time.Time) error {
			rv.Status, rv.Findings, rv.VisitedOn, rv.Visitors = model.ReviewInvestigating, findings, in.VisitedOn, strings.Join(visitors, ",")
			return nil
		})
}

// ProposeInput is the town's opinion on a review.
type ProposeInput struct {
	Version       int
	Outcome       string
	MonthlyCents  int64 // increase / decrease
	Persons       int   // increase / decrease: persons covered after (0: unchanged)
	GradualMonths int
	SchedulePct   []int
	Variable      bool
	Reason        string
}

// Propose records the town's opinion (investigating → proposed): the outcome, checked against
// what the benefit pays now and the region's 渐退 maximum.
func (s *Service) Propose(ctx context.Context, st *model.Staff, id string, in ProposeInput) (*View, error) {
	if model.ReviewOutcomeLabel(in.Outcome) == "" {
		return nil, model.ErrReviewOutcome
	}
	reason, err := text("reason", in.Reason, 500, model.ErrReviewReason)
	if err != nil {
		return nil, err
	}
	if in.Persons < 0 || in.Persons > 50 {
		return nil, model.ErrReviewAmount.WithField("persons", "0 至 50")
	}
	return s.act(ctx, st, id, in.Version, model.PermBenefitReview, []string{model.ReviewInvestigating}, "review.propose",
		func(ctx context.Context, rv *model.Review, b *model.Benefit, now time.Time) error {
			rv.MonthlyCents, rv.Persons, rv.GradualMonths, rv.SchedulePct = 0, 0, 0, ""
			switch in.Outcome {
			case model.OutcomeIncrease, model.OutcomeDecrease:
				if in.MonthlyCents <= 0 || in.Outcome == model.OutcomeIncrease && in.MonthlyCents <= b.MonthlyCents ||
					in.Outcome == model.OutcomeDecrease && in.MonthlyCents >= b.MonthlyCents {
					return model.ErrReviewAmount
				}
				rv.MonthlyCents, rv.Persons = in.MonthlyCents, in.Persons
			case model.OutcomeGradualExit:
				p, err := s.repo.RegionPolicy(ctx, model.AreaCode(b.AreaCode), now.In(s.loc).Format(time.DateOnly))
				if err != nil {
					return err
				}
				if in.GradualMonths < 1 || in.GradualMonths > p.Review.GradualMaxMonths {
					return model.ErrReviewGradual.WithField("gradualMonths", "1 至 "+strconv.Itoa(p.Review.GradualMaxMonths))
				}
				if len(in.SchedulePct) > 0 {
					if len(in.SchedulePct) != in.GradualMonths {
						return model.ErrReviewSchedule
					}
					for _, x := range in.SchedulePct {
						if x < 1 || x > 100 {
							return model.ErrReviewSchedule
						}
					}
				}
				rv.GradualMonths, rv.SchedulePct = in.GradualMonths, model.FormatSchedule(in.SchedulePct)
			}
			if b.Status == model.BenefitGradualExit && in.Outcome != model.OutcomeTerminate && in.Outcome != model.OutcomeUnchanged {
				return model.ErrReviewState.WithField("outcome", "渐退期内只能维持或停发")
			}
			rv.Status, rv.Outcome, rv.Reason, rv.Variable = model.ReviewProposed, in.Outcome, reason, in.Variable
			rv.ProposedBy, rv.ProposedAt = st.ID, &now
			return nil
		})
}

// Decide is the county's decision on the town's proposal (proposed → decided): the outcome's
// changes take effect the month after the decision's China-time date; the next review is due
// the region's cadence after that date (none after a termination); a decrease, 渐退, suspension
// or termination starts the written-notice clock. Returning it to the town instead: Return.
func (s *Service) Decide(ctx context.Context, st *model.Staff, id string, version int) (*View, error) {
	return s.act(ctx, st, id, version, model.PermBenefitDecide, []string{model.ReviewProposed, model.ReviewNoticed}, "review.decide",
		func(ctx context.Context, rv *model.Review, b *model.Benefit, now time.Time) error {
			if rv.ProposedBy == st.ID {
				return model.E(model.KindConflict, "review.four_eyes", "提出意见的人员不能作出决定")
			}
			if b.Status == model.BenefitTerminated {
				return errTerminated
			}
			today := now.In(s.loc).Format(time.DateOnly)
			if rv.Status == model.ReviewProposed && terminationNotice(rv, b) {
				// 特困: the termination is publicly noticed first (S2 art. 25)
				p, err := s.repo.RegionPolicy(ctx, model.AreaCode(b.AreaCode), today)
				if err != nil {
					return err
				}
				rv.Status, rv.NoticeStartOn, rv.NoticeEndOn = model.ReviewNoticed, today, addDays(today, p.NoticeDays)
				return nil
			}
			if rv.Status == model.ReviewNoticed && (today <= rv.NoticeEndOn || rv.ObjectionOn != "") {
				return model.ErrReviewNoticeRuns
			}
			if (rv.Outcome == model.OutcomeIncrease && rv.MonthlyCents <= b.MonthlyCents) || (rv.Outcome == model.OutcomeDecrease && rv.MonthlyCents >= b.MonthlyCents) {
				return model.ErrReviewAmount // the amount changed since the proposal (another review, a new standard)
			}
			date := now.In(s.loc).Format(time.DateOnly)
			p, err := s.repo.RegionPolicy(ctx, model.AreaCode(b.AreaCode), date)
			if err != nil {
				return err
			}
			month := model.AddMonths(date[:7], 1)
			changes := model.ReviewChanges(rv, b.MonthlyCents, b.Persons, month)
			prev, err := s.repo.BenefitChanges(ctx, []uint64{b.ID})
			if err != nil {
				return err
			}
			changes = supersede(prev[b.ID], changes)
			for i := range changes {
				changes[i].Reason, changes[i].DecidedByStaffID, changes[i].DecidedAt = rv.Reason, st.ID, now
				changes[i].CaseID, changes[i].Ref = b.SourceCaseID, "review:"+rv.PublicID
			}
			next := model.AddMonthsDate(date, p.Review.CadenceMonths(b.Category, rv.Variable))
			if err := s.benefit.ApplyChanges(ctx, b, changes, next, now); err != nil {
				return err
			}
			rv.Status, rv.DecidedBy, rv.DecidedAt, rv.DecidedOn, rv.EffectiveMonth = model.ReviewDecided, st.ID, &now, date, month
			if model.ReviewNeedsNotice(rv.Outcome) {
				due, prov := s.cal.AddWorkingDaysFlag(now, p.RefusalNoticeWD)
				rv.NoticeDueOn, rv.NoticeProv = due.In(s.loc).Format(time.DateOnly), prov
			}
			return nil
		})
}

// terminationNotice: ending 特困 support needs a public notice before the decision.
func terminationNotice(rv *model.Review, b *model.Benefit) bool {
	return rv.Outcome == model.OutcomeTerminate && b.Category == model.CatExtremeHardship
}

// Object records an objection to a 特困 termination's public notice, received while it runs
// (town or county); the county decides it within 15 working days.
func (s *Service) Object(ctx context.Context, st *model.Staff, id string, version int, objection string) (*View, error) {
	objection, err := text("objection", objection, 1000, model.ErrReviewObjection)
	if err != nil {
		return nil, err
	}
	perm := model.PermBenefitReview
	if !st.Can(perm) {
		perm = model.PermBenefitDecide
	}
	return s.act(ctx, st, id, version, perm, []string{model.ReviewNoticed}, "review.objection",
		func(ctx context.Context, rv *model.Review, b *model.Benefit, now time.Time) error {
			today := now.In(s.loc).Format(time.DateOnly)
			if today > rv.NoticeEndOn || rv.ObjectionOn != "" {
				return model.ErrReviewState.WithField("objection", "公示期已满，或已有异议待处理")
			}
			due, prov := s.cal.AddWorkingDaysFlag(now, 15)
			rv.Objection, rv.ObjectionOn, rv.ObjectionDueOn = objection, today, due.In(s.loc).Format(time.DateOnly)
			rv.NoticeProv = rv.NoticeProv || prov
			return nil
		})
}

// DecideObjection is the county's decision on the objection: upheld, the support continues
// (the review is decided unchanged); not upheld, a new public notice starts (S2 art. 26).
func (s *Service) DecideObjection(ctx context.Context, st *model.Staff, id string, version int, upheld bool, reason string) (*View, error) {
	reason, err := text("reason", reason, 500, model.ErrReviewReason)
	if err != nil {
		return nil, err
	}
	return s.act(ctx, st, id, version, model.PermBenefitDecide, []string{model.ReviewNoticed}, "review.objection_decision",
		func(ctx context.Context, rv *model.Review, b *model.Benefit, now time.Time) error {
			if rv.ObjectionOn == "" {
				return model.ErrReviewState.WithField("objection", "没有待处理的异议")
			}
			today := now.In(s.loc).Format(time.DateOnly)
			word := "不成立"
			if upheld {
				word = "成立"
			}
			rv.ObjectionDecision = strings.TrimSpace(rv.ObjectionDecision + "\n" + today + " 异议" + word + "：" + reason)
			rv.ObjectionOn, rv.ObjectionDueOn = "", ""
			if upheld {
				rv.Status, rv.Outcome, rv.DecidedBy, rv.DecidedAt, rv.DecidedOn = model.ReviewDecided, model.OutcomeUnchanged, st.ID, &now, today
				return nil
			}
			p, err := s.repo.RegionPolicy(ctx, model.AreaCode(b.AreaCode), today)
			if err != nil {
				return err
			}
			rv.NoticeStartOn, rv.NoticeEndOn = today, addDays(today, p.NoticeDays)
			return nil
		})
}

// Return sends a proposal back to the town (proposed → investigating) with the county's reason.
func (s *Service) Return(ctx context.Context, st *model.Staff, id string, version int, reason string) (*View, error) {
	reason, err := text("reason", reason, 500, model.ErrReviewReason)
	if err != nil {
		return nil, err
	}
	return s.act(ctx, st, id, version, model.PermBenefitDecide, []string{model.ReviewProposed}, "review.return",
		func(ctx context.Context, rv *model.Review, b *model.Benefit, now time.Time) error {
			rv.Status, rv.ProposedAt, rv.ProposedBy = model.ReviewInvestigating, nil, 0
			rv.Findings += "\n县级退回：" + reason
			return nil
		})
}

// Close ends a decided review; an outcome told in writing needs the date the notice was served.
func (s *Service) Close(ctx context.Context, st *model.Staff, id string, version int, noticeServedOn string) (*View, error) {
	if !st.Can(model.PermBenefitReview) && !st.Can(model.PermBenefitDecide) {
		if _, err := s.repo.StaffReview(ctx, st, id, false, ErrNotFound); err != nil {
			return nil, err
		}
		return nil, errForbidden
	}
	perm := model.PermBenefitReview
	if !st.Can(perm) {
		perm = model.PermBenefitDecide
	}
	return s.act(ctx, st, id, version, perm, []string{model.ReviewDecided}, "review.close",
		func(ctx context.Context, rv *model.Review, b *model.Benefit, now time.Time) error {
			if model.ReviewNeedsNotice(rv.Outcome) {
				if !model.ValidDate(noticeServedOn) || noticeServedOn < rv.DecidedOn || noticeServedOn > now.In(s.loc).Format(time.DateOnly) {
					return model.ErrReviewNoticeDate
				}
				rv.NoticeServedOn = noticeServedOn
			}
			rv.Status, rv.ClosedAt = model.ReviewClosed, &now
			return nil
		})
}
