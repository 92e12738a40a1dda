package store

import (
	"context"
	"maps"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"palmaid/model"
)

// Batch operations of the notify worker: a claimed batch is prepared in one transaction
// (in-app copies, quotas), pushed in waves each marked by one statement, and acknowledged in one
// transaction, so the database work of a batch hardly grows with its size.

// InsertMessages writes the in-app copies of a batch in one statement, once per idempotency key
// (a key already written is left as it is).
func (s *DeliveryRepo) InsertMessages(ctx context.Context, msgs []model.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	return s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(msgs, 200).Error
}

// MessagesByKeys loads the in-app copies of a batch by idempotency key.
func (s *DeliveryRepo) MessagesByKeys(ctx context.Context, keys []string) (map[string]model.Message, error) {
	out := make(map[string]model.Message, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	var rows []model.Message
	if err := s.conn(ctx).Select("id", "idempotency_key", "pushed", "push_started_at", "quota_taken").Where("idempotency_key IN ?", keys).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, m := range rows {
		out[m.IdempotencyKey] = m
	}
	return out, nil
}

// OpenIDs returns the openid of each resident (one query).
func (s *DeliveryRepo) OpenIDs(ctx context.Context, residentIDs []uint64) (map[uint64]string, error) {
	out := make(map[uint64]string, len(residentIDs))
	if len(residentIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		ID     uint64
		OpenID string
	}
	if err := s.conn(ctx).Model(&model.Resident{}).Select("id", "open_id").Where("id IN ?", residentIDs).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.OpenID
	}
	return out, nil
}

// SetSubscription records a popup answer for a long-term template: accept turns it on (the
// quota becomes 1, whatever it was: accepts do not accumulate), reject and ban turn it off.
func (s *DeliveryRepo) SetSubscription(ctx context.Context, residentID uint64, templateID, result string, on bool, now time.Time) error {
	remaining := 0
	if on {
		remaining = 1
	}
	row := model.SubscribeQuota{ResidentID: residentID, TemplateID: templateID, Remaining: remaining, LastResult: result, UpdatedAt: now}
	return s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "resident_id"}, {Name: "template_id"}},
		DoUpdates: clause.Assignments(map[string]any{"remaining": remaining, "last_result": result, "updated_at": now}),
	}).Create(&row).Error
}

// ClearPushStarted records that WeChat did not take these pushes (they may be tried again).
func (s *DeliveryRepo) ClearPushStarted(ctx context.Context, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	return s.conn(ctx).Model(&model.Message{}).Where("idempotency_key IN ?", keys).Update("push_started_at", nil).Error
}

// MarkMessagesPushed records that the subscribe messages of these keys went out.
func (s *DeliveryRepo) MarkMessagesPushed(ctx context.Context, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	return s.conn(ctx).Model(&model.Message{}).Where("idempotency_key IN ?", keys).Update("pushed", true).Error
}

// CompleteOutboxRows marks rows delivered on channel in one statement.
func (s *DeliveryRepo) CompleteOutboxRows(ctx context.Context, ids []uint64, channel, lastErr string, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	return s.conn(ctx).Model(&model.Outbox{}).Where("id IN ?", ids).Updates(map[string]any{
		"status": model.OutboxDone, "channel": channel, "last_error": model.Truncate(lastErr, 255), "done_at": now,
	}).Error
}

// TakeQuotas takes, for one template, up to need[resident] messages of quota from each
// resident in two statements (the rows locked, read, then decremented), and answers how many
// each got. The notify worker takes a whole batch's quota this way inside its transaction.
func (s *DeliveryRepo) TakeQuotas(ctx context.Context, templateID string, need map[uint64]int) (map[uint64]int, error) {
	got := make(map[uint64]int, len(need))
	if len(need) == 0 {
		return got, nil
	}
	// Locked in primary-key order (resident, template), the order every transaction of the
	// notify worker takes quota rows in: concurrent batches wait for each other, never deadlock.
	ids := slices.Sorted(maps.Keys(need))
	var rows []model.SubscribeQuota
	q := s.conn(ctx).Select("resident_id", "remaining").Where("template_id = ? AND resident_id IN ? AND remaining > 0", templateID, ids).Order("resident_id")
	if s.dialect == "mysql" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, err
	}
	byTake := map[int][]uint64{}
	for _, r := range rows {
		n := min(r.Remaining, need[r.ResidentID])
		got[r.ResidentID] = n
		byTake[n] = append(byTake[n], r.ResidentID)
	}
	for _, n := range slices.Sorted(maps.Keys(byTake)) {
		residents := byTake[n]
		if err := s.conn(ctx).Model(&model.SubscribeQuota{}).Where("template_id = ? AND resident_id IN ?", templateID, residents).
			Update("remaining", gorm.Expr("remaining - ?", n)).Error; err != nil {
			return nil, err
		}
	}
	return got, nil
}

// SubscribedAmong answers which of the residents have a long-term subscription to the template on.
func (s *DeliveryRepo) SubscribedAmong(ctx context.Context, templateID string, residentIDs []uint64) (map[uint64]bool, error) {
	out := make(map[uint64]bool, len(residentIDs))
	if len(residentIDs) == 0 {
		return out, nil
	}
	var ids []uint64
	if err := s.conn(ctx).Model(&model.SubscribeQuota{}).Where("template_id = ? AND resident_id IN ? AND remaining > 0", templateID, residentIDs).
		Pluck("resident_id", &ids).Error; err != nil {
		return nil, err
	}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// SetQuotaTaken records whether the messages of these keys hold a taken one-time quota.
func (s *DeliveryRepo) SetQuotaTaken(ctx context.Context, keys []string, taken bool) error {
	if len(keys) == 0 {
		return nil
	}
	return s.conn(ctx).Model(&model.Message{}).Where("idempotency_key IN ?", keys).Update("quota_taken", taken).Error
}

// PushWave is the one statement of a wave of pushes: the previous wave's sent messages are
// marked pushed and this wave's marked as started (committed before they are sent).
func (s *DeliveryRepo) PushWave(ctx context.Context, sent, starting []string, now time.Time) error {
	if len(sent)+len(starting) == 0 {
		return nil
	}
	all := append(append(make([]string, 0, len(sent)+len(starting)), sent...), starting...)
	return s.conn(ctx).Model(&model.Message{}).Where("idempotency_key IN ?", all).Updates(map[string]any{
		"pushed":          gorm.Expr("CASE WHEN idempotency_key IN ? THEN ? ELSE pushed END", orNone(sent), true),
		"push_started_at": gorm.Expr("CASE WHEN idempotency_key IN ? THEN ? ELSE push_started_at END", orNone(starting), now),
	}).Error
}

// orNone keeps an IN list valid when empty (no idempotency key is empty).
func orNone(keys []string) []string {
	if len(keys) == 0 {
		return []string{""}
	}
	return keys
}
