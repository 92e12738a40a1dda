package reviews

import (
	"context"
	"strconv"
	"time"

	"palmaid/model"
	"palmaid/service/reqmeta"
)

// Opening a review: by staff, by a resident's reported change, by the scheduled job.

// OpenInput is a review opened by staff.
type OpenInput struct {
	Kind    string
	EventOn string // death: the date of death; change_report: the date of the change; age_out: the 18th birthday
	Cause   string
}

// dueOn is when a review of this kind opened today is due: a death within the region's months
// of the death date (S6 §1(3)); an age-out on the 18th birthday; a periodic review on the
// benefit's next review date; anything else within a month [DESIGN].
func dueOn(kind, today, eventOn string, b *model.Benefit, p model.ReviewPolicy) string {
	switch kind {
	case model.ReviewDeath:
		return model.AddMonthsDate(eventOn, p.DeathMonths)
	case model.ReviewAgeOut:
		return eventOn
	case model.ReviewPeriodic:
		if b.NextReviewOn != "" {
			return b.NextReviewOn
		}
	}
	return model.AddMonthsDate(today, 1)
}

// Open opens a review of a benefit of the officer's area (the town; the county for a warning).
func (s *Service) Open(ctx context.Context, st *model.Staff, benefitID string, in OpenInput) (*View, error) {
	if !model.WellFormedPublicID(benefitID) {
		return nil, ErrBenefitNotFound
	}
	if !st.Can(model.PermBenefitReview) && !st.Can(model.PermBenefitDecide) {
		if _, err := s.repo.StaffBenefit(ctx, st, benefitID, false, ErrBenefitNotFound); err != nil {
			return nil, err
		}
		return nil, errForbidden
	}
	today := s.today()
	switch in.Kind {
	case model.ReviewStandardChange:
		return nil, errStandardKind
	case model.ReviewPeriodic, model.ReviewChangeReport, model.ReviewWarning:
		if in.EventOn != "" && (!model.ValidDate(in.EventOn) || in.EventOn > today) {
			return nil, errEventOn
		}
	case model.ReviewDeath:
		if !model.ValidDate(in.EventOn) || in.EventOn > today {
			return nil, errEventOn
		}
	case model.ReviewAgeOut:
		if !model.ValidDate(in.EventOn) {
			return nil, errEventOn
		}
	default:
		return nil, errKind
	}
	cause, err := text("cause", in.Cause, 500, errCause)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out *View
	err = s.repo.InTx(ctx, func(ctx context.Context) error {
		b, err := s.repo.StaffBenefit(ctx, st, benefitID, true, ErrBenefitNotFound)
		if err != nil {
			return err
		}
		rv, err := s.open(ctx, b, in.Kind, in.EventOn, cause, now)
		if err != nil {
			return err
		}
		rv.OpenedBy = st.ID
		if err := s.repo.SaveReview(ctx, rv); err != nil {
			return err
		}
		if err := s.repo.Audit(ctx, audit(ctx, st, "review.open", "review="+rv.PublicID+" benefit="+b.PublicID+" kind="+rv.Kind, now)); err != nil {
			return err
		}
		out, err = s.view(ctx, rv, b)
		return err
	})
	return out, err
}

// open writes a new review of b (no dedup beyond its own public id).
func (s *Service) open(ctx context.Context, b *model.Benefit, kind, eventOn, cause string, now time.Time) (*model.Review, error) {
	if b.Status == model.BenefitTerminated {
		return nil, errTerminated
	}
	today := now.In(s.loc).Format(time.DateOnly)
	p, err := s.repo.RegionPolicy(ctx, model.AreaCode(b.AreaCode), today)
	if err != nil {
		return nil, err
	}
	id, err := newPublicID()
	if err != nil {
		return nil, err
	}
	rv := &model.Review{PublicID: id, BenefitID: b.ID, Kind: kind, Status: model.ReviewOpen, DedupKey: id, DueOn: dueOn(kind, today, eventOn, b, p.Review),
		OpenedOn: today, EventOn: eventOn, AreaCode: b.AreaCode, TownCode: b.TownCode, CountyCode: b.CountyCode, Cause: cause,
		Version: 1, CreatedAt: now, UpdatedAt: now}
	if _, err := s.repo.InsertReview(ctx, rv); err != nil {
		return nil, err
	}
	rv.Version = 1
	return rv, nil
}

// Change kinds a resident reports (S1 art. 30).
var changeKinds = map[string]string{"members": "家庭成员变化", "income": "收入变化", "assets": "财产变化"}

// ReportChange: the beneficiary or agent reports a change of members, income or assets after
// the decision (我的保障 → 变更申报); it opens a change_report review on the town's worklist.
// Anyone else's benefit is not found.
func (s *Service) ReportChange(ctx context.Context, residentID uint64, benefitID, kind, summary, changedOn string) (*View, error) {
	if !model.WellFormedPublicID(benefitID) {
		return nil, ErrBenefitNotFound
	}
	label, ok := changeKinds[kind]
	if !ok {
		return nil, errChangeKind
	}
	summary, err := text("summary", summary, 500, errSummary)
	if err != nil {
		return nil, err
	}
	if changedOn != "" && (!model.ValidDate(changedOn) || changedOn > s.today()) {
		return nil, errEventOn.WithField("changedOn", "YYYY-MM-DD，不晚于今天")
	}
	bidx, err := s.repo.VerifiedBidx(ctx, residentID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out *View
	err = s.repo.InTx(ctx, func(ctx context.Context) error {
		b, err := s.repo.ResidentBenefit(ctx, residentID, bidx, benefitID, ErrBenefitNotFound)
		if err != nil {
			return err
		}
		rv, err := s.open(ctx, b, model.ReviewChangeReport, changedOn, label+"："+summary, now)
		if err != nil {
			return err
		}
		rv.ReportedByResident = residentID
		if err := s.repo.SaveReview(ctx, rv); err != nil {
			return err
		}
		if err := s.repo.Audit(ctx, reqmeta.Audit(ctx, model.ActorResident, residentID, b.AreaCode, "review.change_reported", nil,
			"review="+rv.PublicID+" benefit="+b.PublicID+" kind="+kind, now)); err != nil {
			return err
		}
		out, err = s.view(ctx, rv, b)
		return err
	})
	return out, err
}

// OpenDue is the scheduled job: a periodic review for every benefit whose next review date
// is within its region's lead time, once (the dedup key periodic:<benefit>:<date> makes a
// second run, or a second replica, open nothing). It answers how many it opened.
func (s *Service) OpenDue(ctx context.Context) (int, error) {
	now := s.now()
	today := now.In(s.loc).Format(time.DateOnly)
	through := now.In(s.loc).AddDate(0, 0, 90).Format(time.DateOnly) // the largest lead the setting allows
	policies := map[string]model.ReviewPolicy{}
	n := 0
	for {
		rows, err := s.repo.DueForReview(ctx, through, 500)
		if err != nil {
			return n, err
		}
		opened := 0
		for i := range rows {
			b := &rows[i]
			p, ok := policies[b.AreaCode]
			if !ok {
				pol, err := s.repo.RegionPolicy(ctx, model.AreaCode(b.AreaCode), today)
				if err != nil {
					return n, err
				}
				p, policies[b.AreaCode] = pol.Review, pol.Review
			}
			if addDays(b.NextReviewOn, -p.LeadDays) > today {
				continue
			}
			id, err := newPublicID()
			if err != nil {
				return n, err
			}
			rv := &model.Review{PublicID: id, BenefitID: b.ID, Kind: model.ReviewPeriodic, Status: model.ReviewOpen,
				DedupKey: "periodic:" + strconv.FormatUint(b.ID, 10) + ":" + b.NextReviewOn, DueOn: b.NextReviewOn, OpenedOn: today,
				AreaCode: b.AreaCode, TownCode: b.TownCode, CountyCode: b.CountyCode, Cause: "定期核查", Version: 1, CreatedAt: now, UpdatedAt: now}
			ok, err = s.repo.InsertReview(ctx, rv)
			if err != nil {
				return n, err
			}
			if ok {
				n++
				opened++
			}
		}
		if len(rows) < 500 || opened == 0 {
			return n, nil
		}
	}
}

func addDays(date string, n int) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, n).Format(time.DateOnly)
}
