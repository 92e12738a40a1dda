package reviews

import (
	"context"
	"strconv"

	"palmaid/model"
)

// 调标: a county's new 低保 standard S effective from a month. Prepare previews every active 低保
// household's old and new amount (S × persons − the income recorded on its benefit); another
// county officer approves (four eyes), which writes one standard_change per household effective
// that month — the month's roster pays the new amounts. Households the batch cannot recompute
// (no recorded standard, or nothing left to pay) are listed as skipped and keep their amount.

var (
	ErrBatchNotFound   = model.E(model.KindNotFound, "standard.not_found", "调标批次不存在")
	errBatchCounty     = model.E(model.KindForbidden, "standard.county_only", "调整低保标准由县级民政部门办理")
	errBatchFourEyes   = model.E(model.KindForbidden, "standard.four_eyes", "编制人不能审批自己编制的调标批次")
	errBatchStandard   = model.Invalid("standard.invalid_standard", "低保标准应为正整数（分/人/月）").WithField("standardCents", "分/人/月")
	errBatchMonth      = model.Invalid("standard.invalid_month", "生效月份格式不正确").WithField("effectiveMonth", "YYYY-MM")
	errBatchMonthEarly = model.E(model.KindUnprocessable, "standard.month_too_early", "新标准只能自下月起生效").WithField("effectiveMonth", "下月或以后")
	errBatchState      = model.E(model.KindConflict, "standard.wrong_state", "该调标批次已处理")
	errBatchStale      = model.E(model.KindConflict, "standard.stale", "批次编制后有家庭的保障金已变化，请重新编制")
)

// Batch is a batch with its lines.
type Batch struct {
	Batch model.StandardBatch
	Lines []model.StandardBatchLine
}

func (s *Service) county(st *model.Staff) (string, error) {
	if !st.Can(model.PermBenefitDecide) {
		return "", errForbidden
	}
	if st.Area().Level() != model.LevelCounty {
		return "", errBatchCounty
	}
	return string(st.AreaCode), nil
}

// PrepareStandard previews a new standard for the officer's county.
func (s *Service) PrepareStandard(ctx context.Context, st *model.Staff, standardCents int64, effectiveMonth string) (*Batch, error) {
	county, err := s.county(st)
	if err != nil {
		return nil, err
	}
	if standardCents <= 0 || standardCents > 10_000_000 {
		return nil, errBatchStandard
	}
	if !model.ValidMonth(effectiveMonth) {
		return nil, errBatchMonth
	}
	now := s.now()
	if effectiveMonth <= now.In(s.loc).Format("2006-01") {
		return nil, errBatchMonthEarly
	}
	id, err := newPublicID()
	if err != nil {
		return nil, err
	}
	out := &Batch{}
	err = s.repo.InTx(ctx, func(ctx context.Context) error {
		rows, err := s.repo.ActiveBenefits(ctx, county, model.CatMinimumLiving)
		if err != nil {
			return err
		}
		b := model.StandardBatch{PublicID: id, CountyCode: county, StandardCents: standardCents, EffectiveMonth: effectiveMonth,
			Status: model.BatchPrepared, PreparedBy: st.ID, Version: 1, CreatedAt: now, UpdatedAt: now}
		lines := make([]model.StandardBatchLine, 0, len(rows))
		for i := range rows {
			l := model.StandardLine(&rows[i], standardCents)
			lines = append(lines, l)
			b.Households++
			b.OldTotalCents += l.OldCents
			b.NewTotalCents += l.NewCents
		}
		if err := s.repo.InsertBatch(ctx, &b, lines); err != nil {
			return err
		}
		out.Batch, out.Lines = b, lines
		return s.repo.Audit(ctx, audit(ctx, st, "standard.prepare", "batch="+id+" standard="+strconv.FormatInt(standardCents, 10)+" month="+effectiveMonth, now))
	})
	return out, err
}

// GetStandard is a batch of the officer's county (or of the counties of a city or province).
func (s *Service) GetStandard(ctx context.Context, st *model.Staff, id string) (*Batch, error) {
	if !st.Can(model.PermBenefitRead) || !model.WellFormedPublicID(id) || st.Area().Level() == model.LevelTown || st.Area().Level() == model.LevelVillage {
		return nil, ErrBatchNotFound
	}
	b, err := s.repo.CountyBatch(ctx, st.Area().Prefix(), id, false, ErrBatchNotFound)
	if err != nil {
		return nil, err
	}
	lines, err := s.repo.BatchLines(ctx, b.ID)
	return &Batch{Batch: *b, Lines: lines}, err
}

// ApproveStandard applies a prepared batch (another county officer than its preparer): one
// standard_change per recomputed household, effective the batch's month, and the benefit's
// standard and amount updated; a household whose amount changed since the preview refuses the
// whole batch (409 standard.stale: prepare it again).
func (s *Service) ApproveStandard(ctx context.Context, st *model.Staff, id string, version int) (*Batch, error) {
	if !model.WellFormedPublicID(id) {
		return nil, ErrBatchNotFound
	}
	county, err := s.county(st)
	if err != nil {
		if _, e := s.GetStandard(ctx, st, id); e != nil {
			return nil, e
		}
		return nil, err
	}
	now := s.now()
	out := &Batch{}
	err = s.repo.InTx(ctx, func(ctx context.Context) error {
		b, err := s.repo.CountyBatch(ctx, county, id, true, ErrBatchNotFound)
		if err != nil {
			return err
		}
		if b.Version != version {
			return model.ErrStandardVersionConflict
		}
		if b.Status != model.BatchPrepared {
			return errBatchState
		}
		if b.PreparedBy == st.ID {
			return errBatchFourEyes
		}
		if b.EffectiveMonth <= now.In(s.loc).Format("2006-01") {
			return errBatchMonthEarly
		}
		lines, err := s.repo.BatchLines(ctx, b.ID)
		if err != nil {
			return err
		}
		for _, l := range lines {
			if l.Skipped != "" {
				continue
			}
			ben, err := s.repo.BenefitByID(ctx, l.BenefitID, true)
			if err != nil {
				return err
			}
			if ben.Status != model.BenefitActive || ben.MonthlyCents != l.OldCents || ben.Persons != l.Persons {
				return errBatchStale.WithField("benefit", ben.PublicID)
			}
			ben.StandardCents = b.StandardCents
			ch := []model.BenefitChange{{Kind: model.ChangeStandardChange, EffectiveMonth: b.EffectiveMonth, MonthlyCentsAfter: l.NewCents,
				Persons: l.Persons, Reason: "调整低保标准", DecidedByStaffID: st.ID, DecidedAt: now, CaseID: ben.SourceCaseID, Ref: "standard:" + b.PublicID}}
			prev, err := s.repo.BenefitChanges(ctx, []uint64{ben.ID})
			if err != nil {
				return err
			}
			if err := s.benefit.ApplyChanges(ctx, ben, supersede(prev[ben.ID], ch), "", now); err != nil {
				return err
			}
		}
		b.Status, b.ApprovedBy, b.ApprovedAt, b.UpdatedAt = model.BatchApplied, st.ID, &now, now
		if err := s.repo.SaveBatch(ctx, b); err != nil {
			return err
		}
		out.Batch, out.Lines = *b, lines
		return s.repo.Audit(ctx, audit(ctx, st, "standard.approve", "batch="+b.PublicID+" households="+strconv.Itoa(b.Households), now))
	})
	return out, err
}
