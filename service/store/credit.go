package store

import (
	"context"

	"palmaid/model"
)

// CreditRepo is the GORM repository of 失信 records (service/credit owns the interface it
// implements); it shares the store's connection core and BenefitRepo's benefit reads.
type CreditRepo struct {
	*ReviewRepo
}

// Credit is the repository of 失信 records.
func (s *Store) Credit() *CreditRepo { return &CreditRepo{ReviewRepo: s.Reviews()} }

// InsertCredit writes a new record.
func (r *CreditRepo) InsertCredit(ctx context.Context, c *model.CreditRecord) error {
	return r.db(ctx).Create(c).Error
}

// SaveCredit writes the record if it still has the version read (incremented).
func (r *CreditRepo) SaveCredit(ctx context.Context, c *model.CreditRecord) error {
	return saveVersioned(r.db(ctx), c, c.ID, &c.Version, model.ErrCreditVersionConflict)
}

// StaffCredit is a record of the officer's area (locked when forUpdate); notYours when none.
func (r *CreditRepo) StaffCredit(ctx context.Context, st *model.Staff, publicID string, forUpdate bool, notYours *model.Error) (*model.CreditRecord, error) {
	q := StaffScope(st).area(r.db(ctx)).Where("public_id = ?", publicID)
	if forUpdate {
		q = r.lock(q)
	}
	var c model.CreditRecord
	err := q.Take(&c).Error
	return &c, notFound(err, notYours)
}

// StaffCredits is the register of the officer's area, newest first.
func (r *CreditRepo) StaffCredits(ctx context.Context, st *model.Staff, limit int) ([]model.CreditRecord, error) {
	var rows []model.CreditRecord
	err := StaffScope(st).area(r.db(ctx)).Order("id DESC").Limit(limit).Find(&rows).Error
	return rows, err
}

// PersonCredits are the records on one person (by blind index), newest first.
func (r *CreditRepo) PersonCredits(ctx context.Context, bidx string, limit int) ([]model.CreditRecord, error) {
	var rows []model.CreditRecord
	if bidx == "" {
		return rows, nil
	}
	err := r.db(ctx).Where("person_bidx = ?", bidx).Order("id DESC").Limit(limit).Find(&rows).Error
	return rows, err
}

// ActiveCredits are the confirmed or published records on a person (the banner on reviews).
func (r *ReviewRepo) ActiveCredits(ctx context.Context, bidx string) ([]model.CreditRecord, error) {
	var rows []model.CreditRecord
	if bidx == "" {
		return rows, nil
	}
	err := r.db(ctx).Where("person_bidx = ? AND status IN ?", bidx, []string{model.CreditConfirmed, model.CreditPublished}).Order("id DESC").Limit(20).Find(&rows).Error
	return rows, err
}
