package store

import (
	"context"
	"errors"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"palmaid/model"
)

// ReviewRepo is the GORM repository of benefit reviews (service/reviews owns the interface it
// implements). It shares the store's connection core, as BenefitRepo does; the benefit reads it
// needs are BenefitRepo's.
type ReviewRepo struct {
	*BenefitRepo
}

// Reviews is the repository of benefit reviews.
func (s *Store) Reviews() *ReviewRepo { return &ReviewRepo{BenefitRepo: s.Benefits()} }

// InsertReview writes a new review; false (and nothing written) when a review with its dedup
// key exists (the scheduled job, run twice or on two replicas, opens each periodic review once).
func (r *ReviewRepo) InsertReview(ctx context.Context, rv *model.Review) (bool, error) {
	res := r.db(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(rv)
	if res.Error != nil {
		return false, res.Error
	}
	return res.RowsAffected == 1, nil
}

// SaveReview writes the review if nobody changed it since it was read (its version is
// incremented); model.ErrReviewVersion otherwise.
func (r *ReviewRepo) SaveReview(ctx context.Context, rv *model.Review) error {
	return saveVersioned(r.db(ctx), rv, rv.ID, &rv.Version, model.ErrReviewVersion)
}

// StaffReview is a review of the officer's area by public id (locked when forUpdate);
// notYours when none.
func (r *ReviewRepo) StaffReview(ctx context.Context, st *model.Staff, publicID string, forUpdate bool, notYours *model.Error) (*model.Review, error) {
	q := StaffScope(st).area(r.db(ctx)).Where("public_id = ?", publicID)
	if forUpdate {
		q = r.lock(q)
	}
	var rv model.Review
	err := q.Take(&rv).Error
	return &rv, notFound(err, notYours)
}

// StaffReviews is the worklist of the officer's area by due date (then id), after a position.
func (r *ReviewRepo) StaffReviews(ctx context.Context, st *model.Staff, status, dueBefore, kind string, limit int) ([]model.Review, error) {
	q := StaffScope(st).area(r.db(ctx))
	if status != "" {
		q = q.Where("status = ?", status)
	} else {
		q = q.Where("status <> ?", model.ReviewClosed)
	}
	if dueBefore != "" {
		q = q.Where("due_on < ? AND status IN ?", dueBefore, []string{model.ReviewOpen, model.ReviewInvestigating, model.ReviewProposed, model.ReviewNoticed})
	}
	if kind != "" {
		q = q.Where("kind = ?", kind)
	}
	var rows []model.Review
	err := q.Order("due_on, id").Limit(limit).Find(&rows).Error
	return rows, err
}

// ReviewsOfBenefit are a benefit's reviews, newest first.
func (r *ReviewRepo) ReviewsOfBenefit(ctx context.Context, benefitID uint64, limit int) ([]model.Review, error) {
	var rows []model.Review
	err := r.db(ctx).Where("benefit_id = ?", benefitID).Order("id DESC").Limit(limit).Find(&rows).Error
	return rows, err
}

// BenefitByID loads a whole benefit (locked when forUpdate).
func (r *ReviewRepo) BenefitByID(ctx context.Context, id uint64, forUpdate bool) (*model.Benefit, error) {
	q := r.db(ctx).Where("id = ?", id)
	if forUpdate {
		q = r.lock(q)
	}
	var b model.Benefit
	if err := q.Take(&b).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, model.ErrBenefitNotFound
		}
		return nil, err
	}
	return &b, nil
}

// DueForReview are benefits still paid whose next review falls on or before through and for
// which no periodic review of that date exists yet, by date, at most limit.
func (r *ReviewRepo) DueForReview(ctx context.Context, through string, limit int) ([]model.Benefit, error) {
	var rows []model.Benefit
	err := r.db(ctx).Table("benefits AS b").Select("b.*").
		Where("b.next_review_on <> '' AND b.next_review_on <= ? AND b.status IN ?", through,
			[]model.BenefitStatus{model.BenefitActive, model.BenefitSuspended}).
		Where("NOT EXISTS (SELECT 1 FROM benefit_reviews AS r WHERE r.benefit_id = b.id AND r.kind = ? AND r.due_on = b.next_review_on)", model.ReviewPeriodic).
		Order("b.next_review_on, b.id").Limit(limit).Find(&rows).Error
	return rows, err
}

// ActiveBenefits are a county's benefits of a category in the active state (a 调标 batch).
func (r *ReviewRepo) ActiveBenefits(ctx context.Context, county string, cat model.Category) ([]model.Benefit, error) {
	var rows []model.Benefit
	err := r.db(ctx).Where("county_code = ? AND category = ? AND status = ?", county, cat, model.BenefitActive).Order("id").Find(&rows).Error
	return rows, err
}

// InsertBatch writes a batch and its lines.
func (r *ReviewRepo) InsertBatch(ctx context.Context, b *model.StandardBatch, lines []model.StandardBatchLine) error {
	return r.InTx(ctx, func(ctx context.Context) error {
		if err := r.db(ctx).Create(b).Error; err != nil {
			return err
		}
		for i := range lines {
			lines[i].BatchID = b.ID
		}
		if len(lines) == 0 {
			return nil
		}
		return r.db(ctx).CreateInBatches(lines, 500).Error
	})
}

// CountyBatch is a batch of the counties under prefix (locked when forUpdate); notYours when none.
func (r *ReviewRepo) CountyBatch(ctx context.Context, countyPrefix, publicID string, forUpdate bool, notYours *model.Error) (*model.StandardBatch, error) {
	q := r.db(ctx).Where("public_id = ? AND county_code LIKE ?", publicID, countyPrefix+"%")
	if forUpdate {
		q = r.lock(q)
	}
	var b model.StandardBatch
	err := q.Take(&b).Error
	return &b, notFound(err, notYours)
}

// BatchLines are a batch's lines.
func (r *ReviewRepo) BatchLines(ctx context.Context, batchID uint64) ([]model.StandardBatchLine, error) {
	var rows []model.StandardBatchLine
	err := r.db(ctx).Where("batch_id = ?", batchID).Order("id").Find(&rows).Error
	return rows, err
}

// SaveBatch writes the batch if it still has the version read (incremented).
func (r *ReviewRepo) SaveBatch(ctx context.Context, b *model.StandardBatch) error {
	return saveVersioned(r.db(ctx), b, b.ID, &b.Version, model.ErrStandardVersionConflict)
}
