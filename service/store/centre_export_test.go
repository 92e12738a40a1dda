package store

import (
	"context"

	"gorm.io/gorm"

	"palmaid/model"
)

// ExplainCountyComplaintsKey returns the index MySQL picks for a county's complaint worklist.
func (s *Store) ExplainCountyComplaintsKey(ctx context.Context, county string, after ComplaintKey) (string, error) {
	stmt := countyComplaints(s.conn(ctx).Session(&gorm.Session{DryRun: true}), county, nil, after, 21).Find(&[]model.Complaint{}).Statement
	var rows []struct {
		Key *string `gorm:"column:key"`
	}
	if err := s.conn(ctx).Raw("EXPLAIN " + s.db.Dialector.Explain(stmt.SQL.String(), stmt.Vars...)).Scan(&rows).Error; err != nil {
		return "", err
	}
	if len(rows) == 0 || rows[0].Key == nil {
		return "", nil
	}
	return *rows[0].Key, nil
}
