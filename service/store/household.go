package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"palmaid/model"
)

// errAlreadyOpen: a person of the household already has an open application in a category.
func errAlreadyOpen(caseNo string, cat model.Category) error {
	msg := fmt.Sprintf("家庭成员已有一件正在办理的%s申请", cat.Label())
	if caseNo != "" {
		msg += "（受理编号" + caseNo + "）"
	}
	return model.E(model.KindConflict, "case.already_open", msg+"，请等待办结或撤回后再申请").
		WithField("openCase", caseNo).WithField("category", string(cat))
}

// replaceMembers swaps the household's member rows for f.NewMembers (a draft's facts were
// saved): rows of a draft are not referenced by anything else yet.
func (s *CaseFileRepo) replaceMembers(ctx context.Context, f *model.CaseFile) error {
	db := s.conn(ctx)
	hh := f.Case.HouseholdID
	if err := db.Where("household_id = ?", hh).Delete(&model.Member{}).Error; err != nil {
		return err
	}
	for i := range f.NewMembers {
		f.NewMembers[i].ID = 0
		f.NewMembers[i].HouseholdID = hh
	}
	if len(f.NewMembers) > 0 {
		if err := db.Create(&f.NewMembers).Error; err != nil {
			return err
		}
		first := f.NewMembers[0].ID
		if err := db.Model(&model.Case{}).Where("id = ?", f.Case.ID).Update("applicant_member_id", first).Error; err != nil {
			return err
		}
		f.Case.ApplicantMemberID = &first
	}
	f.Members, f.NewMembers = f.NewMembers, nil
	return nil
}

// saveFacts writes the declared facts document when an action replaced it.
func (s *CaseFileRepo) saveFacts(ctx context.Context, f *model.CaseFile) error {
	if !f.FactsChanged || f.Facts == nil {
		return nil
	}
	f.Facts.CaseID = f.Case.ID
	db := s.conn(ctx)
	res := db.Model(&model.CaseFacts{}).Where("case_id = ?", f.Case.ID).
		Updates(map[string]any{"seq": f.Facts.Seq, "facts_enc": f.Facts.FactsEnc, "updated_at": f.Facts.UpdatedAt})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		if err := db.Create(f.Facts).Error; err != nil {
			return err
		}
	}
	f.FactsChanged = false
	return nil
}

// saveClaims keeps open_claims in step with the case: claimed when it leaves the draft (or is
// created submitted), released when it closes.
func (s *CaseFileRepo) saveClaims(ctx context.Context, was model.Status, f *model.CaseFile) error {
	now := f.Case.Status
	switch {
	case was == model.StatusDraft && now != model.StatusDraft && !now.Closed():
		return s.claim(ctx, f.Case.ID, f.Members, f.Categories)
	case !was.Closed() && was != model.StatusDraft && now.Closed():
		return s.conn(ctx).Where("case_id = ?", f.Case.ID).Delete(&model.OpenClaim{}).Error
	}
	return nil
}

// claim records every member's open application in every requested category; a person
// already claimed in one answers 409 case.already_open naming the open case. The primary key
// decides concurrent submissions: the loser's transaction rolls back.
func (s *CaseFileRepo) claim(ctx context.Context, caseID uint64, members []model.Member, cats []model.CaseCategory) error {
	var rows []model.OpenClaim
	for _, c := range cats {
		if !c.Requested {
			continue
		}
		for _, m := range members {
			rows = append(rows, model.OpenClaim{PersonBidx: m.IDBidx, Category: c.Category, CaseID: caseID})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	// Inserted first, looked at only when a claim is taken (the unique person_bidx+category key
	// decides; the failed statement alone is undone, so the look runs in the same transaction,
	// which the caller then rolls back): the look finds the open case to name in the answer.
	if err := s.conn(ctx).Create(&rows).Error; err != nil {
		if !isDuplicate(err) {
			return err
		}
		if err := s.checkOpen(ctx, rows); err != nil {
			return err
		}
		return errAlreadyOpen("", rows[0].Category)
	}
	return nil
}

// CheckOpen answers 409 case.already_open when a member already has an open application in a
// requested category (a look only: submission's claim is what decides a race). A draft asks it
// first, so nobody fills in a whole declaration for nothing.
func (s *CaseFileRepo) CheckOpen(ctx context.Context, members []model.Member, cats []model.CaseCategory) error {
	var rows []model.OpenClaim
	for _, c := range cats {
		for _, m := range members {
			if c.Requested {
				rows = append(rows, model.OpenClaim{PersonBidx: m.IDBidx, Category: c.Category})
			}
		}
	}
	return s.checkOpen(ctx, rows)
}

func (s *CaseFileRepo) checkOpen(ctx context.Context, rows []model.OpenClaim) error {
	if len(rows) == 0 {
		return nil
	}
	wanted := map[model.OpenClaim]bool{}
	var people []string
	var cats []model.Category
	for _, r := range rows {
		wanted[model.OpenClaim{PersonBidx: r.PersonBidx, Category: r.Category}] = true
		people, cats = append(people, r.PersonBidx), append(cats, r.Category)
	}
	// One query over the household's people and categories; the pairs are matched here.
	var found []model.OpenClaim
	if err := s.conn(ctx).Where("person_bidx IN ? AND category IN ?", people, cats).Order("case_id").Find(&found).Error; err != nil {
		return err
	}
	for _, o := range found {
		if wanted[model.OpenClaim{PersonBidx: o.PersonBidx, Category: o.Category}] {
			return errAlreadyOpen(s.caseNo(ctx, o.CaseID), o.Category)
		}
	}
	return nil
}

func (s *CaseFileRepo) caseNo(ctx context.Context, caseID uint64) string {
	var c model.Case
	if err := s.conn(ctx).Select("case_no").Take(&c, caseID).Error; err != nil || c.CaseNo == "" {
		return ""
	}
	return c.CaseNo
}

// LinkBeneficiary lets a resident whose identity just became verified or desk-verified see the
// cases made for them (by an agent): every case whose beneficiary has this ID number and no
// account yet; it answers their ids. Never call it for an unverified identity (docs/SECURITY.md,
// "Identity assurance"). Like every writer of a case's rows it bumps the case version (the
// cached progress view is keyed by it).
func (s *PeopleRepo) LinkBeneficiary(ctx context.Context, residentID uint64, bidx string) ([]uint64, error) {
	return s.caseFiles().bumpCaseIDs(ctx, func(q *gorm.DB) *gorm.DB {
		return q.Where("beneficiary_id_bidx = ? AND beneficiary_resident_id IS NULL", bidx)
	}, map[string]any{"beneficiary_resident_id": residentID})
}

// CountObjectionsSince counts the objections the resident raised online since t (any notice,
// any status): the per-day cap.
func (s *CaseFileRepo) CountObjectionsSince(ctx context.Context, residentID uint64, t time.Time) (int64, error) {
	var n int64
	err := s.conn(ctx).Model(&model.Objection{}).Where("resident_id = ? AND created_at >= ?", residentID, t).Count(&n).Error
	return n, err
}

// CountBeneficiaryCases counts the cases the resident is linked to as beneficiary.
func (s *CaseFileRepo) CountBeneficiaryCases(ctx context.Context, residentID uint64) (int64, error) {
	var n int64
	err := s.conn(ctx).Model(&model.Case{}).Where("beneficiary_resident_id = ?", residentID).Count(&n).Error
	return n, err
}

// HasSubmittedCase reports whether the resident applied (as applicant or agent) for a case that
// left the draft: their identity is then locked.
func (s *CaseFileRepo) HasSubmittedCase(ctx context.Context, residentID uint64) (bool, error) {
	var n int64
	err := s.conn(ctx).Model(&model.Case{}).
		Where("(applicant_resident_id = ? OR beneficiary_resident_id = ?) AND status <> ?", residentID, residentID, model.StatusDraft).
		Limit(1).Count(&n).Error
	return n > 0, err
}

// ConsentByInvite finds the consent a one-time invitation token (its SHA-256) opens, with its
// case's public id; expired, used or unknown tokens are not found.
func (s *CaseFileRepo) ConsentByInvite(ctx context.Context, hash string) (*model.Consent, string, error) {
	var c model.Consent
	if err := s.conn(ctx).Where("invite_hash = ?", hash).Take(&c).Error; err != nil {
		return nil, "", notFound(err, errInviteNotFound)
	}
	var cs model.Case
	if err := s.conn(ctx).Select("public_id").Take(&cs, c.CaseID).Error; err != nil {
		return nil, "", notFound(err, errInviteNotFound)
	}
	return &c, cs.PublicID, nil
}

// InviteScope reaches the case behind a consent invitation while the case is open (a draft, or
// a submitted case whose declared change asked a member's consent again); use it with an empty
// public id.
func InviteScope(caseID uint64) Scope {
	return Scope{single: true, apply: func(db *gorm.DB) *gorm.DB {
		return db.Where("id = ? AND status NOT IN ?", caseID,
			[]model.Status{model.StatusDecided, model.StatusWithdrawn, model.StatusNotAccepted, model.StatusTerminated})
	}}
}

// DeclaredRows are a submitted declaration's income, asset and supporter rows.
type DeclaredRows struct {
	Income     []model.IncomeItem
	Assets     []model.AssetItem
	Supporters []model.Supporter
}

// WriteDeclaredFacts writes a declaration's rows for the household (at submission).
func (s *CaseFileRepo) WriteDeclaredFacts(ctx context.Context, householdID uint64, rows DeclaredRows) error {
	db := s.conn(ctx)
	for i := range rows.Income {
		rows.Income[i].HouseholdID = householdID
	}
	for i := range rows.Assets {
		rows.Assets[i].HouseholdID = householdID
	}
	for i := range rows.Supporters {
		rows.Supporters[i].HouseholdID = householdID
	}
	if err := insertAll(db, rows.Income); err != nil {
		return err
	}
	if err := insertAll(db, rows.Assets); err != nil {
		return err
	}
	return insertAll(db, rows.Supporters)
}

// ErrInviteNotFound: the invitation does not exist, was used, expired, or is not the caller's.
var ErrInviteNotFound = errInviteNotFound

var errInviteNotFound = model.E(model.KindNotFound, "invitation.not_found", "邀请不存在、已使用或已过期，请联系申请人重新发送")

// DeleteDeclaredFacts removes a household's declared income, asset and supporter rows (before its
// member rows are replaced: the income rows point at them).
func (s *CaseFileRepo) DeleteDeclaredFacts(ctx context.Context, householdID uint64) error {
	db := s.conn(ctx)
	for _, m := range []any{&model.IncomeItem{}, &model.AssetItem{}, &model.Supporter{}} {
		if err := db.Where("household_id = ?", householdID).Delete(m).Error; err != nil {
			return err
		}
	}
	return nil
}

// RewriteHousehold writes what hangs on a submitted household's new member rows after the
// town's counter recorded a member joining or leaving: the declared rows, and the open claims
// (a joining member already in another open application of the same category answers 409
// case.already_open, and the whole change rolls back).
func (s *CaseFileRepo) RewriteHousehold(ctx context.Context, f *model.CaseFile, rows DeclaredRows) error {
	if err := s.WriteDeclaredFacts(ctx, f.Case.HouseholdID, rows); err != nil {
		return err
	}
	if err := s.conn(ctx).Where("case_id = ?", f.Case.ID).Delete(&model.OpenClaim{}).Error; err != nil {
		return err
	}
	return s.claim(ctx, f.Case.ID, f.Members, f.Categories)
}
