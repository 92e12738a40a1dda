package benefits

import (
	"context"
	"strings"
	"unicode/utf8"

	"palmaid/model"
)

// List is a page of the benefits in the officer's area (after a benefit's internal key).
func (s *Service) List(ctx context.Context, st *model.Staff, cat model.Category, after uint64, limit int) ([]View, error) {
	if !st.Can(model.PermBenefitRead) {
		return nil, errForbidden
	}
	rows, err := s.repo.StaffBenefits(ctx, st, cat, after, limit)
	if err != nil {
		return nil, err
	}
	return s.views(ctx, rows, false)
}

// Get is one benefit of the officer's area with its change history and payment record.
func (s *Service) Get(ctx context.Context, st *model.Staff, publicID string) (*View, []PaymentRecord, error) {
	if !st.Can(model.PermBenefitRead) || !model.WellFormedPublicID(publicID) {
		return nil, nil, ErrNotFound
	}
	b, err := s.repo.StaffBenefit(ctx, st, publicID, false, ErrNotFound)
	if err != nil {
		return nil, nil, err
	}
	vs, err := s.views(ctx, []model.Benefit{*b}, true)
	if err != nil {
		return nil, nil, err
	}
	recs, err := s.paymentRecords(ctx, b.ID)
	return &vs[0], recs, err
}

// AccountInput is a payee account as the town records it.
type AccountInput struct {
	Kind             string
	Bank             string
	HolderName       string
	Number           string
	CustodyAgreement string
	// HeldByStaff: the card is kept by staff (an elder, a person unable to manage it); S1 art. 26
	// asks for a written agreement filed with the county, whose reference is CustodyAgreement.
	HeldByStaff bool
}

func (in *AccountInput) check() error {
	in.Bank, in.HolderName, in.Number = strings.TrimSpace(in.Bank), strings.TrimSpace(in.HolderName), strings.ReplaceAll(strings.TrimSpace(in.Number), " ", "")
	in.CustodyAgreement = strings.TrimSpace(in.CustodyAgreement)
	if model.AccountKindLabel(in.Kind) == "" {
		return errAccountKind
	}
	if n := len(in.Number); n < 8 || n > 30 || strings.Trim(in.Number, "0123456789") != "" {
		return errAccountNumber
	}
	if in.Bank == "" || utf8.RuneCountInString(in.Bank) > 30 || model.CheckText("bank", in.Bank) != nil {
		return errBank
	}
	if in.HolderName == "" || utf8.RuneCountInString(in.HolderName) > 20 || model.CheckText("holderName", in.HolderName) != nil {
		return errHolder
	}
	if utf8.RuneCountInString(in.CustodyAgreement) > 40 || model.CheckText("custodyAgreement", in.CustodyAgreement) != nil {
		return errCustody
	}
	if in.HeldByStaff && in.CustodyAgreement == "" {
		return errCustodyRequired
	}
	if !in.HeldByStaff {
		in.CustodyAgreement = ""
	}
	return nil
}

// RecordAccount records the payee's account of a benefit (the town, audited): the number and
// the holder's name sealed with the personal-data key, the last four digits in clear. It
// replaces the account in use from the next roster built.
func (s *Service) RecordAccount(ctx context.Context, st *model.Staff, publicID string, in AccountInput) (*View, error) {
	if !model.WellFormedPublicID(publicID) {
		return nil, ErrNotFound
	}
	if !st.Can(model.PermPayeeRecord) {
		// an officer who may read the benefit is told why; anyone else learns nothing
		if _, err := s.repo.StaffBenefit(ctx, st, publicID, false, ErrNotFound); err != nil {
			return nil, err
		}
		return nil, errForbidden
	}
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
	var b *model.Benefit
	err = s.repo.InTx(ctx, func(ctx context.Context) error {
		var err error
		if b, err = s.repo.StaffBenefit(ctx, st, publicID, true, ErrNotFound); err != nil {
			return err
		}
		a := &model.PayeeAccount{BenefitID: b.ID, Kind: in.Kind, Bank: in.Bank, HolderMasked: model.MaskName(in.HolderName), HolderEnc: holder,
			NumberEnc: number, Tail4: in.Number[len(in.Number)-4:], CustodyAgreement: in.CustodyAgreement, VerifiedByStaff: st.ID,
			VerifiedAt: now, CreatedAt: now}
		if err := s.repo.InsertAccount(ctx, a); err != nil {
			return err
		}
		b.AccountID, b.UpdatedAt = &a.ID, now
		if err := s.repo.SaveBenefit(ctx, b); err != nil {
			return err
		}
		caseID := b.SourceCaseID
		return s.repo.Audit(ctx, audit(ctx, st, "payee.record", &caseID, "benefit="+b.PublicID+" kind="+in.Kind+" tail="+a.Tail4, now))
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
