// Package credit is the 失信 record scheme (issue 25, RECIPIENTS §6): the town drafts a record on
// the person a benefit was obtained for (false declaration, concealment, forgery, an unreported
// change), notifies them (an interview and a statement window of credit.statement_working_days),
// the county confirms it (not the drafter: four eyes), the county leader publishes the gravest
// level where the region says so (masked), and it ends as expired, revoked or repaired. Never for
// a person lacking civil capacity. A record never refuses an application: later reviews touching
// the person show it to staff (service/reviews). The person sees only their own records and
// writes their statement from the mini-program; other household members see nothing.
//
// It owns its repository interface (Repository); service/store's CreditRepo implements it.
package credit

import (
	"context"
	"crypto/rand"
	"encoding/base32"
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

	InsertCredit(ctx context.Context, c *model.CreditRecord) error
	SaveCredit(ctx context.Context, c *model.CreditRecord) error
	StaffCredit(ctx context.Context, st *model.Staff, publicID string, forUpdate bool, notYours *model.Error) (*model.CreditRecord, error)
	StaffCredits(ctx context.Context, st *model.Staff, limit int) ([]model.CreditRecord, error)
	PersonCredits(ctx context.Context, bidx string, limit int) ([]model.CreditRecord, error)
}

// WorkingDays is the holiday calendar.
type WorkingDays interface {
	AddWorkingDaysFlag(from time.Time, n int) (time.Time, bool)
}

// Service holds the use cases.
type Service struct {
	repo Repository
	cal  WorkingDays
	loc  *time.Location
	now  func() time.Time
}

// New builds the service.
func New(repo Repository, cal WorkingDays, loc *time.Location, now func() time.Time) *Service {
	return &Service{repo: repo, cal: cal, loc: loc, now: now}
}

// Errors of this package.
var (
	ErrNotFound      = model.E(model.KindNotFound, "credit.not_found", "失信记录不存在")
	errBenefit       = model.ErrBenefitNotFound
	errForbidden     = model.ErrForbidden
	errConduct       = model.Invalid("credit.invalid_conduct", "失信行为不正确").WithField("conduct", "false_declaration、concealment、forgery 或 unreported_change")
	errLevel         = model.Invalid("credit.invalid_level", "失信等级不正确").WithField("level", "general、serious 或 grave")
	errAmount        = model.Invalid("credit.invalid_amount", "金额不正确").WithField("amountObtainedCents", "不小于0的整数（分）")
	errFacts         = model.Invalid("credit.facts_required", "请填写认定事实（最多2000字）").WithField("facts", "必填，最多2000字")
	errCapacity      = model.E(model.KindUnprocessable, "credit.no_civil_capacity", "无民事行为能力或限制民事行为能力人不记入失信记录").WithField("civilCapacity", "full")
	errCapacityField = model.Invalid("credit.invalid_capacity", "请确认当事人的民事行为能力").WithField("civilCapacity", "full、limited 或 none")
	errState         = model.E(model.KindConflict, "credit.illegal_transition", "该记录当前状态不能进行此操作")
	errFourEyes      = model.E(model.KindForbidden, "credit.four_eyes", "草拟人员不能认定本人草拟的记录")
	errWindow        = model.E(model.KindConflict, "credit.statement_window", "陈述申辩期未满且当事人尚未陈述")
	errNotGrave      = model.E(model.KindUnprocessable, "credit.publish_not_allowed", "只有严重等级且本地规定公示的记录才能公示")
	errStatement     = model.Invalid("credit.statement_required", "请填写陈述申辩内容（最多1000字）").WithField("statement", "必填，最多1000字")
	errStatementShut = model.E(model.KindConflict, "credit.statement_closed", "陈述申辩期已过或记录不在告知阶段")
	errReason        = model.Invalid("credit.reason_required", "请填写理由（最多500字）").WithField("reason", "必填，最多500字")
	errEndKind       = model.Invalid("credit.invalid_end", "结束方式不正确").WithField("end", "revoked 或 repaired")
)

func newPublicID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)), nil
}

func text(field, v string, n int, e *model.Error) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" || utf8.RuneCountInString(v) > n || model.CheckText(field, v) != nil {
		return "", e
	}
	return v, nil
}

// DraftInput is the town's draft.
type DraftInput struct {
	Conduct, Level      string
	AmountObtainedCents int64
	Facts               string
	CivilCapacity       string // full | limited | none: only full may be recorded
}

// Draft records a draft on the person a benefit of the officer's area is paid for (town).
func (s *Service) Draft(ctx context.Context, st *model.Staff, benefitID string, in DraftInput) (*model.CreditRecord, error) {
	if !model.WellFormedPublicID(benefitID) {
		return nil, errBenefit
	}
	if !st.Can(model.PermBenefitReview) {
		if _, err := s.repo.StaffBenefit(ctx, st, benefitID, false, errBenefit); err != nil {
			return nil, err
		}
		return nil, errForbidden
	}
	switch in.CivilCapacity {
	case "full":
	case "limited", "none":
		return nil, errCapacity
	default:
		return nil, errCapacityField
	}
	if model.CreditConductLabel(in.Conduct) == "" {
		return nil, errConduct
	}
	if model.CreditLevelLabel(in.Level) == "" {
		return nil, errLevel
	}
	if in.AmountObtainedCents < 0 || in.AmountObtainedCents > 1_000_000_000 {
		return nil, errAmount
	}
	facts, err := text("facts", in.Facts, 2000, errFacts)
	if err != nil {
		return nil, err
	}
	id, err := newPublicID()
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out *model.CreditRecord
	err = s.repo.InTx(ctx, func(ctx context.Context) error {
		b, err := s.repo.StaffBenefit(ctx, st, benefitID, false, errBenefit)
		if err != nil {
			return err
		}
		c := &model.CreditRecord{PublicID: id, PersonBidx: b.PersonBidx, PersonMasked: b.PersonMasked, BenefitID: b.ID, AreaCode: b.AreaCode,
			TownCode: b.TownCode, CountyCode: b.CountyCode, Conduct: in.Conduct, Level: in.Level, AmountObtainedCents: in.AmountObtainedCents,
			Facts: facts, Status: model.CreditDraft, DraftedBy: st.ID, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := s.repo.InsertCredit(ctx, c); err != nil {
			return err
		}
		out = c
		return s.audit(ctx, st, "credit.draft", c, now)
	})
	return out, err
}

func (s *Service) audit(ctx context.Context, st *model.Staff, action string, c *model.CreditRecord, now time.Time) error {
	return s.repo.Audit(ctx, reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, action, nil, "credit="+c.PublicID+" status="+c.Status, now))
}

// List is the register of the officer's area.
func (s *Service) List(ctx context.Context, st *model.Staff) ([]model.CreditRecord, error) {
	if !st.Can(model.PermBenefitRead) {
		return nil, errForbidden
	}
	return s.repo.StaffCredits(ctx, st, 200)
}

// Get is one record of the officer's area.
func (s *Service) Get(ctx context.Context, st *model.Staff, id string) (*model.CreditRecord, error) {
	if !st.Can(model.PermBenefitRead) || !model.WellFormedPublicID(id) {
		return nil, ErrNotFound
	}
	return s.repo.StaffCredit(ctx, st, id, false, ErrNotFound)
}

func (s *Service) act(ctx context.Context, st *model.Staff, id string, version int, perm model.Permission, from string, action string,
	fn func(ctx context.Context, c *model.CreditRecord, p model.Policy, today string, now time.Time) error) (*model.CreditRecord, error) {
	if !model.WellFormedPublicID(id) {
		return nil, ErrNotFound
	}
	if !st.Can(perm) {
		if _, err := s.repo.StaffCredit(ctx, st, id, false, ErrNotFound); err != nil {
			return nil, err
		}
		return nil, errForbidden
	}
	now := s.now()
	today := now.In(s.loc).Format(time.DateOnly)
	var out *model.CreditRecord
	err := s.repo.InTx(ctx, func(ctx context.Context) error {
		c, err := s.repo.StaffCredit(ctx, st, id, true, ErrNotFound)
		if err != nil {
			return err
		}
		if c.Version != version {
			return model.ErrCreditVersionConflict
		}
		if from != "" && !strings.Contains(","+from+",", ","+c.Status+",") {
			return errState
		}
		p, err := s.repo.RegionPolicy(ctx, model.AreaCode(c.AreaCode), today)
		if err != nil {
			return err
		}
		if err := fn(ctx, c, p, today, now); err != nil {
			return err
		}
		c.UpdatedAt = now
		if err := s.repo.SaveCredit(ctx, c); err != nil {
			return err
		}
		out = c
		return s.audit(ctx, st, action, c, now)
	})
	return out, err
}

// Notify: the town has interviewed the person and told them (draft → notified); the
// statement window runs credit.statement_working_days.
func (s *Service) Notify(ctx context.Context, st *model.Staff, id string, version int) (*model.CreditRecord, error) {
	return s.act(ctx, st, id, version, model.PermBenefitReview, model.CreditDraft, "credit.notify",
		func(ctx context.Context, c *model.CreditRecord, p model.Policy, today string, now time.Time) error {
			due, _ := s.cal.AddWorkingDaysFlag(now, p.Credit.StatementWD)
			c.Status, c.StatementDueOn = model.CreditNotified, due.In(s.loc).Format(time.DateOnly)
			return nil
		})
}

// Confirm: the county confirms (notified → confirmed) once the person made their statement or
// the window ended; never the drafter.
func (s *Service) Confirm(ctx context.Context, st *model.Staff, id string, version int) (*model.CreditRecord, error) {
	return s.act(ctx, st, id, version, model.PermBenefitDecide, model.CreditNotified, "credit.confirm",
		func(ctx context.Context, c *model.CreditRecord, p model.Policy, today string, now time.Time) error {
			if c.DraftedBy == st.ID {
				return errFourEyes
			}
			if c.Statement == "" && today <= c.StatementDueOn {
				return errWindow
			}
			c.Status, c.ConfirmedBy, c.ValidFrom, c.ValidTo = model.CreditConfirmed, st.ID, today, model.AddMonthsDate(today, p.Credit.ValidityMonths)
			return nil
		})
}

// Publish: the gravest level, where the region publishes (confirmed → published, masked, until
// the record's validity ends).
func (s *Service) Publish(ctx context.Context, st *model.Staff, id string, version int) (*model.CreditRecord, error) {
	return s.act(ctx, st, id, version, model.PermCreditPublish, model.CreditConfirmed, "credit.publish",
		func(ctx context.Context, c *model.CreditRecord, p model.Policy, today string, now time.Time) error {
			if c.Level != "grave" || !p.Credit.PublishGrave {
				return errNotGrave
			}
			c.Status, c.PublishedUntil = model.CreditPublished, c.ValidTo
			return nil
		})
}

// End revokes (an objection or 复议 upheld) or repairs (信用修复) a record (county).
func (s *Service) End(ctx context.Context, st *model.Staff, id string, version int, end, reason string) (*model.CreditRecord, error) {
	if end != model.CreditRevoked && end != model.CreditRepaired {
		return nil, errEndKind
	}
	reason, err := text("reason", reason, 500, errReason)
	if err != nil {
		return nil, err
	}
	return s.act(ctx, st, id, version, model.PermBenefitDecide, model.CreditNotified+","+model.CreditConfirmed+","+model.CreditPublished, "credit."+end,
		func(ctx context.Context, c *model.CreditRecord, p model.Policy, today string, now time.Time) error {
			c.Status, c.EndReason, c.PublishedUntil = end, reason, ""
			return nil
		})
}

// Mine are the records on the resident's own assured identity (never anyone else's).
func (s *Service) Mine(ctx context.Context, residentID uint64) ([]model.CreditRecord, error) {
	bidx, err := s.repo.VerifiedBidx(ctx, residentID)
	if err != nil || bidx == "" {
		return nil, err
	}
	rows, err := s.repo.PersonCredits(ctx, bidx, 50)
	if err != nil {
		return nil, err
	}
	out := rows[:0]
	for _, c := range rows {
		if c.Status != model.CreditDraft { // a draft is the town's until it tells the person
			out = append(out, c)
		}
	}
	return out, nil
}

// State submits the person's statement (陈述申辩) while the record is notified and the window runs.
func (s *Service) State(ctx context.Context, residentID uint64, id, statement string) (*model.CreditRecord, error) {
	statement, err := text("statement", statement, 1000, errStatement)
	if err != nil {
		return nil, err
	}
	if !model.WellFormedPublicID(id) {
		return nil, ErrNotFound
	}
	now := s.now()
	today := now.In(s.loc).Format(time.DateOnly)
	var out *model.CreditRecord
	err = s.repo.InTx(ctx, func(ctx context.Context) error {
		mine, err := s.Mine(ctx, residentID)
		if err != nil {
			return err
		}
		for i := range mine {
			c := &mine[i]
			if c.PublicID != id {
				continue
			}
			if c.Status != model.CreditNotified || today > c.StatementDueOn {
				return errStatementShut
			}
			c.Statement, c.UpdatedAt = statement, now
			if err := s.repo.SaveCredit(ctx, c); err != nil {
				return err
			}
			out = c
			return s.repo.Audit(ctx, reqmeta.Audit(ctx, model.ActorResident, residentID, c.AreaCode, "credit.statement", nil, "credit="+c.PublicID, now))
		}
		return ErrNotFound
	})
	return out, err
}
