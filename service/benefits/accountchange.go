package benefits

import (
	"context"
	"strings"
	"unicode/utf8"

	"palmaid/model"
	"palmaid/service/reqmeta"
)

var (
	errChangePending   = model.E(model.KindConflict, "payee.change_pending", "已有一份待乡镇核实的账户变更申请")
	errNoChangePending = model.E(model.KindConflict, "payee.no_change_pending", "没有待核实的账户变更申请")
	errChangeDecision  = model.Invalid("payee.invalid_decision", "核实结果不正确").WithField("decision", "verify 或 reject；reject 须写明原因（最多100字）")
)

// RequestAccountChange is the beneficiary (or agent) asking for another payee account: the
// number and holder sealed, the last four shown; one pending request at a time; audited. The
// town verifies it before any roster uses it. Anyone else's benefit is not found.
func (s *Service) RequestAccountChange(ctx context.Context, residentID uint64, publicID string, in AccountInput) (*model.AccountChangeRequest, error) {
	if !model.WellFormedPublicID(publicID) {
		return nil, ErrNotFound
	}
	bidx, err := s.repo.VerifiedBidx(ctx, residentID)
	if err != nil {
		return nil, err
	}
	if _, err := s.repo.ResidentBenefit(ctx, residentID, bidx, publicID, ErrNotFound); err != nil {
		return nil, err
	}
	in.HeldByStaff, in.CustodyAgreement = false, ""
	if err := in.check(); err != nil {
		return nil, err
	}
	number, err := s.cipher.EncryptString(in.Number)
	if err != nil {
		return nil, err
	}
	holder, err := s.cipher.EncryptString(in.HolderName)
	if err != nil {
		return nil, err
	}
	now := s.now()
	req := &model.AccountChangeRequest{ResidentID: residentID, Kind: in.Kind, Bank: in.Bank, HolderMasked: model.MaskName(in.HolderName),
		HolderEnc: holder, NumberEnc: number, Tail4: in.Number[len(in.Number)-4:], Status: model.AccountChangePending, CreatedAt: now}
	err = s.repo.InTx(ctx, func(ctx context.Context) error {
		b, err := s.repo.ResidentBenefit(ctx, residentID, bidx, publicID, ErrNotFound)
		if err != nil {
			return err
		}
		if err := s.repo.LockBenefit(ctx, b.ID); err != nil { // one pending request at a time
			return err
		}
		if old, err := s.repo.PendingAccountChange(ctx, b.ID); err != nil {
			return err
		} else if old != nil {
			return errChangePending
		}
		req.BenefitID = b.ID
		if err := s.repo.InsertAccountChange(ctx, req); err != nil {
			return err
		}
		caseID := b.SourceCaseID
		return s.repo.Audit(ctx, reqmeta.Audit(ctx, model.ActorResident, residentID, b.AreaCode, "payee.change_request", &caseID,
			"benefit="+b.PublicID+" kind="+in.Kind+" tail="+req.Tail4, now))
	})
	if err != nil {
		return nil, err
	}
	req.HolderEnc, req.NumberEnc = nil, nil
	return req, nil
}

// DecideAccountChange is the town verifying the resident's requested account (it becomes the
// account in use from the next roster built, recorded as verified by this officer) or refusing
// it with a reason; audited.
func (s *Service) DecideAccountChange(ctx context.Context, st *model.Staff, publicID, decision, reason string) (*View, error) {
	if !model.WellFormedPublicID(publicID) {
		return nil, ErrNotFound
	}
	if _, err := s.repo.StaffBenefit(ctx, st, publicID, false, ErrNotFound); err != nil {
		return nil, err
	}
	if !st.Can(model.PermPayeeRecord) {
		return nil, errForbidden
	}
	reason = strings.TrimSpace(reason)
	switch {
	case decision == "verify" && reason == "":
	case decision == "reject" && reason != "" && utf8.RuneCountInString(reason) <= 100 && model.CheckText("reason", reason) == nil:
	default:
		return nil, errChangeDecision
	}
	now := s.now()
	var b *model.Benefit
	err := s.repo.InTx(ctx, func(ctx context.Context) error {
		var err error
		if b, err = s.repo.StaffBenefit(ctx, st, publicID, true, ErrNotFound); err != nil {
			return err
		}
		req, err := s.repo.PendingAccountChange(ctx, b.ID)
		if err != nil {
			return err
		}
		if req == nil {
			return errNoChangePending
		}
		req.Status, req.Reason, req.DecidedByStaff, req.DecidedAt = model.AccountChangeRejected, reason, st.ID, &now
		if decision == "verify" {
			req.Status = model.AccountChangeVerified
			a := &model.PayeeAccount{BenefitID: b.ID, Kind: req.Kind, Bank: req.Bank, HolderMasked: req.HolderMasked, HolderEnc: req.HolderEnc,
				NumberEnc: req.NumberEnc, Tail4: req.Tail4, VerifiedByStaff: st.ID, VerifiedAt: now, CreatedAt: now}
			if err := s.repo.InsertAccount(ctx, a); err != nil {
				return err
			}
			b.AccountID, b.UpdatedAt = &a.ID, now
			if err := s.repo.SaveBenefit(ctx, b); err != nil {
				return err
			}
		}
		if ok, err := s.repo.DecideAccountChange(ctx, req); err != nil {
			return err
		} else if !ok {
			return errNoChangePending
		}
		caseID := b.SourceCaseID
		action := "payee.change_reject"
		if decision == "verify" {
			action = "payee.change_verify"
		}
		return s.repo.Audit(ctx, audit(ctx, st, action, &caseID, "benefit="+b.PublicID+" tail="+req.Tail4, now))
	})
	if err != nil {
		return nil, err
	}
	vs, err := s.views(ctx, []model.Benefit{*b}, true)
	if err != nil {
		return nil, err
	}
	return &vs[0], nil
}
