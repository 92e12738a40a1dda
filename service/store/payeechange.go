package store

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"palmaid/model"
)

// PendingAccountChanges are the pending account-change requests of the benefits, by benefit
// (without their sealed columns unless sealed is set).
func (r *BenefitRepo) PendingAccountChanges(ctx context.Context, ids []uint64, sealed bool) (map[uint64]model.AccountChangeRequest, error) {
	out := map[uint64]model.AccountChangeRequest{}
	for start := 0; start < len(ids); start += 1000 {
		q := r.db(ctx).Where("benefit_id IN ? AND status = ?", ids[start:min(start+1000, len(ids))], model.AccountChangePending)
		if !sealed {
			q = q.Omit("holder_enc", "number_enc")
		}
		var rows []model.AccountChangeRequest
		if err := q.Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, a := range rows {
			out[a.BenefitID] = a
		}
	}
	return out, nil
}

// PendingAccountChange is a benefit's pending request, locked (nil when none).
func (r *BenefitRepo) PendingAccountChange(ctx context.Context, benefitID uint64) (*model.AccountChangeRequest, error) {
	var a model.AccountChangeRequest
	err := r.lock(r.db(ctx)).Where("benefit_id = ? AND status = ?", benefitID, model.AccountChangePending).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	return &a, err
}

// InsertAccountChange records a request.
func (r *BenefitRepo) InsertAccountChange(ctx context.Context, a *model.AccountChangeRequest) error {
	return r.db(ctx).Create(a).Error
}

// DecideAccountChange closes a pending request (verified or rejected); false when it was not
// pending any more.
func (r *BenefitRepo) DecideAccountChange(ctx context.Context, a *model.AccountChangeRequest) (bool, error) {
	res := r.db(ctx).Model(&model.AccountChangeRequest{}).Where("id = ? AND status = ?", a.ID, model.AccountChangePending).
		Updates(map[string]any{"status": a.Status, "reason": a.Reason, "decided_by_staff_id": a.DecidedByStaff, "decided_at": a.DecidedAt})
	return res.RowsAffected == 1, res.Error
}

// LockBenefit takes a benefit's row lock for the transaction.
func (r *BenefitRepo) LockBenefit(ctx context.Context, id uint64) error {
	var b model.Benefit
	return r.lock(r.db(ctx)).Select("id").Where("id = ?", id).Take(&b).Error
}
