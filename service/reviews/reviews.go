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
	errForbidden       = model.ErrForbidden
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
