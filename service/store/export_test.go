package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"palmaid/model"
)

// InsertOutboxForTest writes outbox rows directly.
func (s *Store) InsertOutboxForTest(ctx context.Context, rows []model.Outbox) error {
	return s.conn(ctx).CreateInBatches(&rows, 100).Error
}

// ExplainClaimKey returns the index MySQL picks for the claim query.
func (s *Store) ExplainClaimKey(ctx context.Context, now time.Time, limit int) (string, error) {
	stmt := s.conn(ctx).Session(&gorm.Session{DryRun: true}).Where("status = ? AND next_attempt_at <= ?", model.OutboxPending, now).
		Order("status, next_attempt_at, id").Limit(limit).Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"}).
		Find(&[]model.Outbox{}).Statement
	var rows []struct {
		Key *string `gorm:"column:key"`
	}
	sql := "EXPLAIN " + s.db.Dialector.Explain(stmt.SQL.String(), stmt.Vars...)
	if err := s.conn(ctx).Raw(sql).Scan(&rows).Error; err != nil {
		return "", err
	}
	if len(rows) == 0 || rows[0].Key == nil {
		return "", nil
	}
	return *rows[0].Key, nil
}

// ExecForTest runs raw SQL (tampering in the audit-chain test).
func (s *Store) ExecForTest(ctx context.Context, sql string, args ...any) error {
	return s.conn(ctx).Exec(sql, args...).Error
}
