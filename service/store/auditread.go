package store

import (
	"context"
	"time"

	"palmaid/model"
)

// AuditFilter selects audit rows for the audit viewer. AreaPrefix is the reader's area subtree
// (rows whose area_code starts with it); every other field is optional.
type AuditFilter struct {
	AreaPrefix string
	ActorID    uint64 // with ActorType
	ActorType  string
	Action     string // exact, or a prefix when it ends with "."
	CaseID     uint64
	From, To   time.Time // created_at in [From, To)
	Before     uint64    // keyset: rows with a smaller id (newest first)
	Limit      int
}

// AuditPage lists audit rows newest first, one page of the filter.
func (s *AuditRepo) AuditPage(ctx context.Context, f AuditFilter) ([]model.AuditLog, error) {
	q := s.conn(ctx).Model(&model.AuditLog{}).Where("area_code LIKE ?", f.AreaPrefix+"%")
	if f.ActorType != "" {
		q = q.Where("actor_type = ? AND actor_id = ?", f.ActorType, f.ActorID)
	}
	if f.Action != "" {
		if f.Action[len(f.Action)-1] == '.' {
			q = q.Where("action LIKE ?", f.Action+"%")
		} else {
			q = q.Where("action = ?", f.Action)
		}
	}
	if f.CaseID != 0 {
		q = q.Where("case_id = ?", f.CaseID)
	}
	if !f.From.IsZero() {
		q = q.Where("created_at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("created_at < ?", f.To)
	}
	if f.Before > 0 {
		q = q.Where("id < ?", f.Before)
	}
	var out []model.AuditLog
	return out, q.Order("id DESC").Limit(f.Limit).Find(&out).Error
}
