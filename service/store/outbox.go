package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"palmaid/model"
)

// ClaimOutbox takes up to limit due rows and hides them for lease (a visibility timeout):
// a worker that dies mid-delivery leaves its rows to be claimed again when the lease ends,
// which makes delivery at-least-once. On MySQL the claim uses FOR UPDATE SKIP LOCKED, served
// by idx_outbox_claim (status, next_attempt_at, id) which matches the ORDER BY, so concurrent
// workers lock only the rows they take.
func (s *DeliveryRepo) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]model.Outbox, error) {
	var rows []model.Outbox
	err := s.InTxReadCommitted(ctx, func(ctx context.Context) error {
		rows = nil
		q := s.conn(ctx).Where("status = ? AND next_attempt_at <= ?", model.OutboxPending, now).
			Order("status, next_attempt_at, id").Limit(limit)
		if s.dialect == "mysql" {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		if err := q.Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		ids := make([]uint64, len(rows))
		for i := range rows {
			ids[i] = rows[i].ID
			rows[i].Attempts++
		}
		return s.conn(ctx).Model(&model.Outbox{}).Where("id IN ?", ids).Updates(map[string]any{
			"next_attempt_at": now.Add(lease), "attempts": gorm.Expr("attempts + 1"),
		}).Error
	})
	return rows, err
}

// DeadOutbox gives up on a row after its retries (an administrator may requeue it).
func (s *DeliveryRepo) DeadOutbox(ctx context.Context, id uint64, lastErr string, now time.Time) error {
	return s.conn(ctx).Model(&model.Outbox{}).Where("id = ?", id).Updates(map[string]any{
		"status": model.OutboxDead, "last_error": model.Truncate(lastErr, 255), "done_at": now,
	}).Error
}

// ReleaseOutbox hands claimed rows back at once (a batch that ran out of lease), undoing the
// claim's attempt count, for rows still held by this claim (attempts unchanged since).
func (s *DeliveryRepo) ReleaseOutbox(ctx context.Context, rows []model.Outbox, now time.Time) error {
	for _, r := range rows {
		if err := s.conn(ctx).Model(&model.Outbox{}).Where("id = ? AND attempts = ? AND status = ?", r.ID, r.Attempts, model.OutboxPending).
			Updates(map[string]any{"next_attempt_at": now, "attempts": gorm.Expr("attempts - 1")}).Error; err != nil {
			return err
		}
	}
	return nil
}

// DeadLetters lists the dead outbox rows of the scope's cases, newest first.
func (s *DeliveryRepo) DeadLetters(ctx context.Context, sc Scope, before uint64, limit int) ([]model.Outbox, error) {
	q := s.conn(ctx).Where("status = ? AND case_id IN (?)", model.OutboxDead, sc.apply(s.conn(ctx).Model(&model.Case{}).Select("id")))
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	var out []model.Outbox
	return out, q.Order("id DESC").Limit(limit).Find(&out).Error
}

// RequeueOutbox puts a dead row of the scope's cases back in the queue with fresh attempts.
// Outside scope or not dead: ErrNotFound-like false.
func (s *DeliveryRepo) RequeueOutbox(ctx context.Context, sc Scope, id uint64, now time.Time) (bool, error) {
	res := s.conn(ctx).Model(&model.Outbox{}).
		Where("id = ? AND status = ? AND case_id IN (?)", id, model.OutboxDead, sc.apply(s.conn(ctx).Model(&model.Case{}).Select("id"))).
		Updates(map[string]any{"status": model.OutboxPending, "attempts": 0, "next_attempt_at": now, "done_at": nil})
	return res.RowsAffected == 1, res.Error
}

// RetryOutbox schedules another attempt.
func (s *DeliveryRepo) RetryOutbox(ctx context.Context, id uint64, next time.Time, lastErr string) error {
	return s.conn(ctx).Model(&model.Outbox{}).Where("id = ?", id).Updates(map[string]any{
		"next_attempt_at": next, "last_error": model.Truncate(lastErr, 255),
	}).Error
}

// ListMessages lists a resident's in-app messages, newest first.
func (s *DeliveryRepo) ListMessages(ctx context.Context, residentID uint64, before uint64, limit int) ([]model.Message, error) {
	q := s.conn(ctx).Where("resident_id = ?", residentID)
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	var out []model.Message
	err := q.Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// RecordSubscribeResult applies one wx.requestSubscribeMessage answer: accept adds one to the
// quota (up to maxQuota), ban clears it, reject only records the answer.
func (s *DeliveryRepo) RecordSubscribeResult(ctx context.Context, residentID uint64, templateID, result string, maxQuota int, now time.Time) error {
	row := model.SubscribeQuota{ResidentID: residentID, TemplateID: templateID, LastResult: result, UpdatedAt: now}
	set := map[string]any{"last_result": result, "updated_at": now}
	switch result {
	case "accept": // one more send, never past maxQuota
		row.Remaining = 1
		set["remaining"] = gorm.Expr("CASE WHEN subscribe_quotas.remaining >= ? THEN ? ELSE subscribe_quotas.remaining + 1 END", maxQuota, maxQuota)
	case "ban":
		set["remaining"] = 0
	}
	return s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "resident_id"}, {Name: "template_id"}},
		DoUpdates: clause.Assignments(set),
	}).Create(&row).Error
}

// RefundQuota gives back n quota taken for messages that were not sent.
func (s *DeliveryRepo) RefundQuota(ctx context.Context, residentID uint64, templateID string, n int) error {
	return s.conn(ctx).Model(&model.SubscribeQuota{}).
		Where("resident_id = ? AND template_id = ?", residentID, templateID).
		Update("remaining", gorm.Expr("remaining + ?", n)).Error
}

// ZeroQuota records that WeChat refused for lack of quota (43101).
func (s *DeliveryRepo) ZeroQuota(ctx context.Context, residentID uint64, templateID string) error {
	return s.conn(ctx).Model(&model.SubscribeQuota{}).
		Where("resident_id = ? AND template_id = ?", residentID, templateID).
		Update("remaining", 0).Error
}

// CasePublicID returns the public id of a case (for links in notifications).
func (s *CaseFileRepo) CasePublicID(ctx context.Context, caseID uint64) (string, error) {
	var pid string
	err := s.conn(ctx).Model(&model.Case{}).Where("id = ?", caseID).Pluck("public_id", &pid).Error
	return pid, err
}
