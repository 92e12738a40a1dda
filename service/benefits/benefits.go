// Package benefits is the recipient record (在保对象) and the monthly payment roster: a benefit
// per household (低保) or per person (特困, 单人保) created in the decision's transaction (the
// case workflow tells it through cases.DecisionHook), its append-only changes (what a month
// pays is model.PaysIn of them), the payee's account (number sealed, last four shown), the
// resident's 我的保障 and 发放记录, and the county's roster: draft → checked → approved (four
// eyes) → exported → fed back → closed.
//
// It owns its repository interface (Repository); service/store's BenefitRepo implements it.
package benefits

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
	"time"

	"palmaid/model"
	"palmaid/service/crypto"
	"palmaid/service/reqmeta"
)

// Repository is what the use cases need from storage.
type Repository interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	Audit(ctx context.Context, a *model.AuditLog) error
	AddOutbox(ctx context.Context, o *model.Outbox) error
	RegionPolicy(ctx context.Context, area model.AreaCode, date string) (model.Policy, error)

	BenefitForSubject(ctx context.Context, cat model.Category, householdID uint64, position int) (*model.Benefit, error)
	InsertBenefit(ctx context.Context, b *model.Benefit, first *model.BenefitChange) error
	SaveBenefit(ctx context.Context, b *model.Benefit) error
	AddBenefitChange(ctx context.Context, c *model.BenefitChange) error
	BenefitChanges(ctx context.Context, ids []uint64) (map[uint64][]model.BenefitChange, error)
	BenefitsByIDs(ctx context.Context, ids []uint64) (map[uint64]model.Benefit, error)
	VerifiedBidx(ctx context.Context, residentID uint64) (string, error)
	ResidentBenefits(ctx context.Context, residentID uint64, bidx string) ([]model.Benefit, error)
	ResidentBenefit(ctx context.Context, residentID uint64, bidx, publicID string, notYours *model.Error) (*model.Benefit, error)
	StaffBenefits(ctx context.Context, st *model.Staff, cat model.Category, after uint64, limit int) ([]model.Benefit, error)
	StaffBenefit(ctx context.Context, st *model.Staff, publicID string, forUpdate bool, notYours *model.Error) (*model.Benefit, error)
	InsertAccount(ctx context.Context, a *model.PayeeAccount) error
	AccountsByIDs(ctx context.Context, ids []uint64, sealed bool) (map[uint64]model.PayeeAccount, error)
	LinesOfBenefit(ctx context.Context, benefitID uint64, limit int) ([]model.RosterLine, []model.Roster, error)

	CountiesWithBenefits(ctx context.Context) ([]string, error)
	RosterCandidates(ctx context.Context, county string, cat model.Category, month string) ([]model.Benefit, error)
	UnrepaidFailedLines(ctx context.Context, county string, cat model.Category, month string) ([]model.RosterLine, error)
	InsertRoster(ctx context.Context, ro *model.Roster) error
	SaveRoster(ctx context.Context, ro *model.Roster) error
	RosterFor(ctx context.Context, county, month string, cat model.Category) (*model.Roster, error)
	RosterByPublicID(ctx context.Context, publicID string, forUpdate bool, notYours *model.Error) (*model.Roster, error)
	Rosters(ctx context.Context, countyPrefix, month string, limit int) ([]model.Roster, error)
	ReplaceLines(ctx context.Context, rosterID uint64, lines []model.RosterLine) error
	Lines(ctx context.Context, rosterID uint64, town string) ([]model.RosterLine, error)
	BenefitCounts(ctx context.Context, prefix, month string) ([]model.BenefitCount, error)
	BenefitsStopped(ctx context.Context, prefix, lastPaid string) (int, error)
	LineSums(ctx context.Context, prefix, from, to string) ([]model.LineSum, error)
	PendingAccountChanges(ctx context.Context, ids []uint64, sealed bool) (map[uint64]model.AccountChangeRequest, error)
	PendingAccountChange(ctx context.Context, benefitID uint64) (*model.AccountChangeRequest, error)
	LockBenefit(ctx context.Context, id uint64) error
	InsertAccountChange(ctx context.Context, a *model.AccountChangeRequest) error
	DecideAccountChange(ctx context.Context, a *model.AccountChangeRequest) (bool, error)
	DraftsPastConfirmBy(ctx context.Context, today string) ([]model.Roster, error)
	LinePage(ctx context.Context, rosterID uint64, q model.LineQuery) ([]model.RosterLine, error)
	// SetLinesFeedback records one answer on pending lines of a roster, answering how many it set.
	SetLinesFeedback(ctx context.Context, rosterID uint64, lineIDs []uint64, status, reason string, by uint64, at time.Time) (int, error)
}

// WorkingDays is the holiday calendar (service/calendar).
type WorkingDays interface {
	IsWorkingDay(t time.Time) bool
	Provisional(t time.Time) bool
}

// Service holds the use cases; build it once.
type Service struct {
	repo   Repository
	cipher crypto.Cipher
	cal    WorkingDays
	loc    *time.Location
	now    func() time.Time
}

// New builds the service. loc is China's time zone (civil dates and months).
func New(repo Repository, cipher crypto.Cipher, cal WorkingDays, loc *time.Location, now func() time.Time) *Service {
	return &Service{repo: repo, cipher: cipher, cal: cal, loc: loc, now: now}
}

// Errors of this package.
var (
	ErrNotFound        = model.ErrBenefitNotFound
	ErrRosterNotFound  = model.E(model.KindNotFound, "roster.not_found", "发放花名册不存在")
	errForbidden       = model.ErrForbidden
	errCountyOnly      = model.E(model.KindForbidden, "roster.county_only", "发放花名册由县级民政部门编制")
	errMonth           = model.Invalid("roster.invalid_month", "月份格式不正确").WithField("month", "YYYY-MM")
	errCategory        = model.Invalid("roster.invalid_category", "救助类别不正确").WithField("category", "minimum_living 或 extreme_hardship")
	errRosterExists    = model.ErrRosterExists
	errMonthTooEarly   = model.E(model.KindUnprocessable, "roster.month_too_early", "只能编制本月及以后月份的花名册")
	errAccountKind     = model.Invalid("payee.invalid_kind", "账户类型不正确").WithField("kind", "social_security_card、one_card_passbook 或 bank_card")
	errAccountNumber   = model.Invalid("payee.invalid_number", "账号应为8至30位数字").WithField("number", "8至30位数字")
	errBank            = model.Invalid("payee.invalid_bank", "请填写开户银行（最多30字）").WithField("bank", "必填，最多30字")
	errHolder          = model.Invalid("payee.invalid_holder", "请填写账户名称（最多20字）").WithField("holderName", "必填，最多20字")
	errCustodyRequired = model.E(model.KindUnprocessable, "payee.custody_required", "由工作人员代管的账户须登记已报县级备案的书面代管协议").WithField("custodyAgreement", "代管协议编号")
	errCustody         = model.Invalid("payee.invalid_custody", "代管协议编号最多40字").WithField("custodyAgreement", "最多40字")
)

// Categories paid monthly through a roster.
func monthly(c model.Category) bool {
	return c == model.CatMinimumLiving || c == model.CatExtremeHardship
}

func newPublicID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)), nil
}

func audit(ctx context.Context, st *model.Staff, action string, caseID *uint64, detail string, at time.Time) *model.AuditLog {
	return reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, action, caseID, detail, at)
}

// Decided creates or changes the benefits of the approved monthly decisions just made, inside
// the decision's transaction (cases.DecisionHook).
func (s *Service) Decided(ctx context.Context, f *model.CaseFile, env model.Env) error {
	date := env.Now.In(s.loc).Format(time.DateOnly)
	for i := range f.Decisions {
		d := &f.Decisions[i]
		if d.ID != 0 || !d.DecidedAt.Equal(env.Now) || d.Outcome != model.OutcomeApproved || !monthly(d.Category) || d.MonthlyCents <= 0 {
			continue
		}
		if err := s.decided(ctx, f, d, env, date); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) decided(ctx context.Context, f *model.CaseFile, d *model.Decision, env model.Env, date string) error {
	c := &f.Case
	persons := 1
	var member *model.Member
	if d.MemberPosition == model.HouseholdLevel {
		persons = max(len(f.Members), 1)
		if len(f.Members) > 0 {
			member = &f.Members[0]
		}
	} else {
		for i := range f.Members {
			if f.Members[i].Position == d.MemberPosition {
				member = &f.Members[i]
			}
		}
	}
	// the review cadence is the region's (issue 25): 特困 and a stable 低保 household yearly, a
	// 低保 household with a working-age member able to work every six months (S1 art. 31)
	review := env.Policy.Review.CadenceMonths(d.Category, d.Category == model.CatMinimumLiving && s.variable(f, env.Now.In(s.loc)))
	std := env.Policy.StandardCents
	var care int64
	if d.Category == model.CatExtremeHardship {
		basic := std * env.Policy.Eligibility.ExtremeBasicPermille / 1000
		care = max(d.MonthlyCents-basic, 0)
	}
	var engine int64
	for _, o := range f.Opinions {
		if o.Category == d.Category && o.MemberPosition == d.MemberPosition {
			engine = o.EngineCents
		}
	}
	change := &model.BenefitChange{Kind: model.ChangeApprove, EffectiveMonth: d.EffectiveMonth, MonthlyCentsAfter: d.MonthlyCents,
		Persons: persons, Reason: d.Reason, DecidedByStaffID: env.By.ID, DecidedAt: env.Now, CaseID: c.ID,
		Ref: fmt.Sprintf("case:%s:%s:%d", c.PublicID, d.Category, d.MemberPosition)}
	b, err := s.repo.BenefitForSubject(ctx, d.Category, c.HouseholdID, d.MemberPosition)
	if err != nil {
		return err
	}
	if b == nil {
		id, err := newPublicID()
		if err != nil {
			return err
		}
		b = &model.Benefit{PublicID: id, Category: d.Category, HouseholdID: c.HouseholdID, MemberPosition: d.MemberPosition,
			Version: 1, CreatedAt: env.Now}
	} else {
		switch {
		case b.Status == model.BenefitTerminated:
			change.Kind = model.ChangeApprove
		case d.MonthlyCents > b.MonthlyCents:
			change.Kind = model.ChangeIncrease
		case d.MonthlyCents < b.MonthlyCents:
			change.Kind = model.ChangeDecrease
		default:
			change.Kind = model.ChangeResume
		}
	}
	if member != nil && d.MemberPosition != model.HouseholdLevel {
		id := member.ID
		b.MemberID = &id
	}
	if member != nil {
		b.PersonBidx, b.PersonMasked = member.IDBidx, model.MaskName(member.Name)
	}
	b.BeneficiaryResidentID, b.AgentResidentID = c.BeneficiaryResidentID, c.AgentResidentID
	if d.MemberPosition > 0 {
		// another member's own benefit (特困, 单人保): that person sees it through their verified
		// identity (PersonBidx); whoever applied for them sees it as their agent
		b.BeneficiaryResidentID = nil
		if b.AgentResidentID == nil {
			applicant := c.ApplicantResidentID
			b.AgentResidentID = &applicant
		}
	}
	b.AreaCode, b.TownCode, b.CountyCode = c.AreaCode, c.TownCode, c.CountyCode
	b.Status, b.Persons, b.MonthlyCents = model.BenefitActive, persons, d.MonthlyCents
	b.StandardCents, b.CareCents, b.EngineCents, b.PolicyRef = std, care, engine, d.PolicyRef
	if b.ID == 0 || b.Status == model.BenefitTerminated || b.EffectiveFrom == "" {
		b.EffectiveFrom = d.EffectiveMonth
	}
	b.EffectiveTo, b.NextReviewOn, b.SourceCaseID, b.UpdatedAt = "", model.AddMonthsDate(date, review), c.ID, env.Now
	if b.ID == 0 {
		return s.repo.InsertBenefit(ctx, b, change)
	}
	change.BenefitID = b.ID
	if err := s.repo.SaveBenefit(ctx, b); err != nil {
		return err
	}
	return s.repo.AddBenefitChange(ctx, change)
}

// variable: a household with a member aged 18–59 able to work (S1 art. 31: reviewed every six
// months). The age comes from the member's sealed ID number.
func (s *Service) variable(f *model.CaseFile, now time.Time) bool {
	for _, m := range f.Members {
		if m.WorkAbility != "full" || len(m.IDEnc) == 0 {
			continue
		}
		id, err := s.cipher.DecryptString(m.IDEnc)
		if err != nil {
			continue
		}
		if b, ok := model.BirthDateFromID(id); ok {
			if age := model.AgeOn(b, now); age >= 18 && age <= 59 {
				return true
			}
		}
	}
	return false
}
