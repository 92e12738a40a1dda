// Package reviews is the dynamic management of recipients (issue 25, RECIPIENTS §5): a review
// of a benefit — periodic (opened by a scheduled job a lead time before it is due), a reported
// change (from the mini-program or at the town's counter), a member's death, a warning, a
// minor's age-out — goes open → investigating (核对; a home visit by two staff when one is
// made) → proposed (town) → decided (county) → closed. The decision's outcome (unchanged,
// increase, decrease, 渐退, suspend, terminate) becomes benefit changes effective the month
// after the decision's China-time date; a decrease, 渐退, suspension or termination opens the
// written-notice clock (clock.refusal_notice_working_days) with its reasons and the 复议/诉讼
// routes. The cadence and the 渐退 maximum are region settings (model.ReviewPolicy).
//
// It owns its repository interface (Repository); service/store's ReviewRepo implements it.
// Benefits are changed only through benefits.Service.ApplyChanges (the Applier here).
package reviews

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"palmaid/model"
	"palmaid/service/reqmeta"
)

// Repository is what the use cases need from storage.
type Repository interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	Audit(ctx context.Context, a *model.AuditLog) error
	RegionPolicy(ctx context.Context, area model.AreaCode, date string) (model.Policy, error)

	StaffBenefit(ctx context.Context, st *model.Staff, publicID string, forUpdate bool, notYours *model.Error) (*model.Benefit, error)
	VerifiedBidx(ctx context.Context, residentID uint64) (string, error)
	ResidentBenefit(ctx context.Context, residentID uint64, bidx, publicID string, notYours *model.Error) (*model.Benefit, error)
	BenefitByID(ctx context.Context, id uint64, forUpdate bool) (*model.Benefit, error)
	BenefitChanges(ctx context.Context, ids []uint64) (map[uint64][]model.BenefitChange, error)

	InsertReview(ctx context.Context, rv *model.Review) (bool, error)
	SaveReview(ctx context.Context, rv *model.Review) error
	StaffReview(ctx context.Context, st *model.Staff, publicID string, forUpdate bool, notYours *model.Error) (*model.Review, error)
	StaffReviews(ctx context.Context, st *model.Staff, status, dueBefore, kind string, limit int) ([]model.Review, error)
	ReviewsOfBenefit(ctx context.Context, benefitID uint64, limit int) ([]model.Review, error)
	DueForReview(ctx context.Context, through string, limit int) ([]model.Benefit, error)
	ActiveCredits(ctx context.Context, bidx string) ([]model.CreditRecord, error)

	ActiveBenefits(ctx context.Context, county string, cat model.Category) ([]model.Benefit, error)
	InsertBatch(ctx context.Context, b *model.StandardBatch, lines []model.StandardBatchLine) error
	CountyBatch(ctx context.Context, countyPrefix, publicID string, forUpdate bool, notYours *model.Error) (*model.StandardBatch, error)
	BatchLines(ctx context.Context, batchID uint64) ([]model.StandardBatchLine, error)
	SaveBatch(ctx context.Context, b *model.StandardBatch) error
}

// Applier changes a benefit (benefits.Service).
type Applier interface {
	ApplyChanges(ctx context.Context, b *model.Benefit, changes []model.BenefitChange, nextReviewOn string, now time.Time) error
}

// WorkingDays is the holiday calendar (service/calendar).
type WorkingDays interface {
	AddWorkingDaysFlag(from time.Time, n int) (time.Time, bool)
}

// Service holds the use cases; build it once.
type Service struct {
	repo    Repository
	benefit Applier
	cal     WorkingDays
	loc     *time.Location
	now     func() time.Time
}

// New builds the service. loc is China's time zone.
func New(repo Repository, benefit Applier, cal WorkingDays, loc *time.Location, now func() time.Time) *Service {
	return &Service{repo: repo, benefit: benefit, cal: cal, loc: loc, now: now}
}

// Errors of this package.
var (
	ErrNotFound        = model.E(model.KindNotFound, "review.not_found", "核查记录不存在")
	ErrBenefitNotFound = model.ErrBenefitNotFound
	errForbidden       = model.E(model.KindForbidden, "auth.forbidden", "您的岗位无权办理此事项")
	errKind            = model.Invalid("review.invalid_kind", "核查类型不正确").WithField("kind", "periodic、change_report、death、warning 或 age_out")
	errEventOn         = model.Invalid("review.invalid_event_date", "请填写事件日期（不晚于今天）").WithField("eventOn", "YYYY-MM-DD")
	errCause           = model.Invalid("review.cause_required", "请填写核查事由（最多500字）").WithField("cause", "必填，最多500字")
	errFindings        = model.Invalid("review.findings_required", "请填写核查情况（最多2000字）").WithField("findings", "必填，最多2000字")
	errVisitedOn       = model.Invalid("review.invalid_visit_date", "入户日期不正确（不晚于今天）").WithField("visitedOn", "YYYY-MM-DD")
	errChangeKind      = model.Invalid("change.invalid_kind", "变更类型不正确").WithField("kind", "members、income 或 assets")
	errSummary         = model.Invalid("change.summary_required", "请说明变化情况（最多500字）").WithField("summary", "必填，最多500字")
	errTerminated      = model.E(model.KindConflict, "benefit.terminated", "该保障已停发，不能再核查")
	errStandardKind    = model.E(model.KindUnprocessable, "review.standard_change_batch", "调整标准由县级批量办理，不能单独开启")
)

func newPublicID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)), nil
}

func (s *Service) today() string { return s.now().In(s.loc).Format(time.DateOnly) }

func text(field, v string, maxRunes int, err *model.Error) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" || utf8.RuneCountInString(v) > maxRunes || model.CheckText(field, v) != nil {
		return "", err
	}
	return v, nil
}

func audit(ctx context.Context, st *model.Staff, action, detail string, at time.Time) *model.AuditLog {
	return reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, action, nil, detail, at)
}

// View is a review with its benefit's public id and the changes its decision made.
type View struct {
	Review          model.Review
	BenefitPublicID string
	Category        model.Category
	PersonMasked    string
	CurrentCents    int64
	Changes         []model.BenefitChange
	Overdue         bool
	// Credit: confirmed or published 失信 records on the benefit's person — shown to staff, never
	// a reason by itself (the national rule forbids unnecessary conditions).
	Credit []model.CreditRecord
}

func (s *Service) view(ctx context.Context, rv *model.Review, b *model.Benefit) (*View, error) {
	v := &View{Review: *rv, BenefitPublicID: b.PublicID, Category: b.Category, PersonMasked: b.PersonMasked, CurrentCents: b.MonthlyCents}
	cr, err := s.repo.ActiveCredits(ctx, b.PersonBidx)
	if err != nil {
		return nil, err
	}
	v.Credit = cr
	v.Overdue = rv.DueOn < s.today() && slices.Contains([]string{model.ReviewOpen, model.ReviewInvestigating, model.ReviewProposed, model.ReviewNoticed}, rv.Status)
	if rv.DecidedAt != nil {
		chs, err := s.repo.BenefitChanges(ctx, []uint64{b.ID})
		if err != nil {
			return nil, err
		}
		for _, c := range chs[b.ID] {
			if c.Ref == "review:"+rv.PublicID {
				v.Changes = append(v.Changes, c)
			}
		}
	}
	return v, nil
}

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

// List is the officer's worklist by due date: every review not closed (or of one state), only
// the overdue ones, or of one kind.
func (s *Service) List(ctx context.Context, st *model.Staff, status string, overdue bool, kind string) ([]View, error) {
	if !st.Can(model.PermBenefitRead) {
		return nil, errForbidden
	}
	if status != "" && model.ReviewStatusLabel(status) == "" {
		return nil, model.Invalid("review.invalid_status", "核查状态不正确").WithField("status", "open、investigating、proposed、decided 或 closed")
	}
	if kind != "" && model.ReviewKindLabel(kind) == "" {
		return nil, errKind
	}
	before := ""
	if overdue {
		before = s.today()
	}
	rows, err := s.repo.StaffReviews(ctx, st, status, before, kind, 200)
	if err != nil {
		return nil, err
	}
	out := make([]View, 0, len(rows))
	for i := range rows {
		b, err := s.repo.BenefitByID(ctx, rows[i].BenefitID, false)
		if err != nil {
			return nil, err
		}
		v, err := s.view(ctx, &rows[i], b)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

// Get is one review of the officer's area.
func (s *Service) Get(ctx context.Context, st *model.Staff, id string) (*View, error) {
	if !st.Can(model.PermBenefitRead) || !model.WellFormedPublicID(id) {
		return nil, ErrNotFound
	}
	rv, err := s.repo.StaffReview(ctx, st, id, false, ErrNotFound)
	if err != nil {
		return nil, err
	}
	b, err := s.repo.BenefitByID(ctx, rv.BenefitID, false)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, rv, b)
}

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
