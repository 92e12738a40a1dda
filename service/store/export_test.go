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

// ExplainRow is one row of MySQL's EXPLAIN.
type ExplainRow struct {
	Table string  `gorm:"column:table"`
	Type  string  `gorm:"column:type"`
	Key   *string `gorm:"column:key"`
	Extra *string `gorm:"column:Extra"`
}

// ExplainWorklist EXPLAINs the ListCases query for scope and filter; the SQL is returned too.
func (s *Store) ExplainWorklist(ctx context.Context, sc Scope, f CaseFilter) ([]ExplainRow, string, error) {
	stmt := s.listQuery(s.conn(ctx).Session(&gorm.Session{DryRun: true}), sc, f).Find(&[]*model.Case{}).Statement
	sql := s.db.Dialector.Explain(stmt.SQL.String(), stmt.Vars...)
	var rows []ExplainRow
	if err := s.conn(ctx).Raw("EXPLAIN " + sql).Scan(&rows).Error; err != nil {
		return nil, sql, err
	}
	return rows, sql, nil
}

// ExecForTest runs raw SQL (tampering in the audit-chain test).
func (s *Store) ExecForTest(ctx context.Context, sql string, args ...any) error {
	return s.conn(ctx).Exec(sql, args...).Error
}

// ExplainWorklistSQLite returns the detail lines of SQLite's EXPLAIN QUERY PLAN of the ListCases
// query for scope and filter; the SQL is returned too.
func (s *Store) ExplainWorklistSQLite(ctx context.Context, sc Scope, f CaseFilter) ([]string, string, error) {
	stmt := s.listQuery(s.conn(ctx).Session(&gorm.Session{DryRun: true}), sc, f).Find(&[]*model.Case{}).Statement
	sql := s.db.Dialector.Explain(stmt.SQL.String(), stmt.Vars...)
	var rows []struct{ Detail string }
	if err := s.conn(ctx).Raw("EXPLAIN QUERY PLAN "+stmt.SQL.String(), stmt.Vars...).Scan(&rows).Error; err != nil {
		return nil, sql, err
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Detail
	}
	return out, sql, nil
}

// SealAsBeforeForTest chains row id after the last sealed row the way the sealer did before it
// checked ids and times (what a forged row inserted before the upgrade would carry).
func (s *Store) SealAsBeforeForTest(ctx context.Context, id uint64) error {
	var last, r model.AuditLog
	if err := s.conn(ctx).Where("chain_hash IS NOT NULL").Order("id DESC").Limit(1).Find(&last).Error; err != nil {
		return err
	}
	if err := s.conn(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return err
	}
	return s.conn(ctx).Model(&model.AuditLog{}).Where("id = ?", id).Update("chain_hash", auditHash(*last.ChainHash, &r)).Error
}

// MigrateDownToForTest undoes the migrations above version (the back-fill tests).
func (s *Store) MigrateDownToForTest(ctx context.Context, version int64) error {
	p, err := s.provider()
	if err != nil {
		return err
	}
	_, err = p.DownTo(ctx, version)
	return err
}

// CreateForTest inserts rows through GORM.
func (s *Store) CreateForTest(ctx context.Context, rows ...any) error {
	for _, r := range rows {
		if err := s.conn(ctx).Create(r).Error; err != nil {
			return err
		}
	}
	return nil
}

// BenefitRowsForTest reads every benefit and change.
func (s *Store) BenefitRowsForTest(ctx context.Context) ([]model.Benefit, []model.BenefitChange, error) {
	var bs []model.Benefit
	var cs []model.BenefitChange
	if err := s.conn(ctx).Order("id").Find(&bs).Error; err != nil {
		return nil, nil, err
	}
	return bs, cs, s.conn(ctx).Order("id").Find(&cs).Error
}

// CreateInBatchesForTest inserts a slice of rows in multi-row statements (bulk set-up).
func (s *Store) CreateInBatchesForTest(ctx context.Context, rows any, n int) error {
	return s.conn(ctx).CreateInBatches(rows, n).Error
}

// QuotaForTest returns the remaining subscribe quota (0 when never accepted).
func (s *Store) QuotaForTest(ctx context.Context, residentID uint64, templateID string) (int, error) {
	var q []model.SubscribeQuota
	err := s.conn(ctx).Where("resident_id = ? AND template_id = ?", residentID, templateID).Limit(1).Find(&q).Error
	if err != nil || len(q) == 0 {
		return 0, err
	}
	return q[0].Remaining, nil
}

// MessageByKeyForTest loads a whole in-app message by its idempotency key.
func (s *Store) MessageByKeyForTest(ctx context.Context, key string) (*model.Message, error) {
	var m model.Message
	return &m, s.conn(ctx).Where("idempotency_key = ?", key).Take(&m).Error
}

// DialectForTest is "mysql" or "sqlite".
func (s *Store) DialectForTest() string { return s.dialect }

// RelinkBeneficiaryForTest reaches the unexported writer no use case calls yet (the case watch test).
func (s *PeopleRepo) RelinkBeneficiaryForTest(ctx context.Context, from, to uint64, bidx string) (int64, error) {
	return s.relinkBeneficiary(ctx, from, to, bidx)
}
