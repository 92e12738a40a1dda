package testenv

import (
	"context"
	"fmt"
	"testing"

	"github.com/ncruces/go-sqlite3/gormlite"
	"gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"palmaid/config"
	"palmaid/model"
	"palmaid/service/store"
)

// Rows reads an installation's tables as they are stored, for tests that check what was
// written (the privacy scans, audit rows, outbox rows, subscription quotas) where no
// production read exists: the store keeps no exported method that only tests call. Sealed
// text columns read as their sealed form, unless the Rows is Opening them.
type Rows struct {
	db   *gorm.DB
	text store.TextCipher // nil: sealed text stays sealed
}

// Opening is r reading sealed text columns in clear with the installation's cipher (the outbox's
// title and payload, as the store reads them).
func (r *Rows) Opening(c store.TextCipher) *Rows { return &Rows{db: r.db, text: c} }

// OpenRows connects to cfg's database; the connection closes when the test ends.
func OpenRows(t testing.TB, cfg config.Config) *Rows {
	t.Helper()
	var dialector gorm.Dialector
	switch cfg.Database.Driver {
	case "sqlite":
		dialector = gormlite.Open(store.SQLiteDSN(cfg.Database.DSN))
	case "mysql":
		dialector = mysql.Open(store.MySQLDSN(cfg.Database.DSN))
	default:
		t.Fatalf("testenv: unknown database driver %q", cfg.Database.Driver)
	}
	db, err := gorm.Open(dialector, &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatalf("testenv: open rows: %v", err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	})
	return &Rows{db: db}
}

// AuditByAction lists the audit rows of one action, oldest first.
func (r *Rows) AuditByAction(ctx context.Context, action string) ([]model.AuditLog, error) {
	var out []model.AuditLog
	return out, r.db.WithContext(ctx).Where("action = ?", action).Order("id").Find(&out).Error
}

// AuditForCase lists the audit rows of a case, oldest first.
func (r *Rows) AuditForCase(ctx context.Context, caseID uint64) ([]model.AuditLog, error) {
	var out []model.AuditLog
	return out, r.db.WithContext(ctx).Where("case_id = ?", caseID).Order("id").Find(&out).Error
}

// OutboxForCase lists a case's outbox rows, oldest first.
func (r *Rows) OutboxForCase(ctx context.Context, caseID uint64) ([]model.Outbox, error) {
	var out []model.Outbox
	if err := r.db.WithContext(ctx).Where("case_id = ?", caseID).Order("id").Find(&out).Error; err != nil || r.text == nil {
		return out, err
	}
	for i := range out {
		for _, f := range []*string{&out[i].Body, &out[i].Payload} {
			v, err := store.OpenText(r.text, *f)
			if err != nil {
				return nil, err
			}
			*f = v
		}
	}
	return out, nil
}

// Quota is a resident's remaining subscribe-message quota for a template (0 when never accepted).
func (r *Rows) Quota(ctx context.Context, residentID uint64, templateID string) (int, error) {
	var q []model.SubscribeQuota
	err := r.db.WithContext(ctx).Where("resident_id = ? AND template_id = ?", residentID, templateID).Limit(1).Find(&q).Error
	if err != nil || len(q) == 0 {
		return 0, err
	}
	return q[0].Remaining, nil
}

// TextDump returns every row of every table as strings (bytes as-is), for the privacy scan
// that proves no stored field completes a masked ID number.
func (r *Rows) TextDump(ctx context.Context) (map[string][][]string, error) {
	db := r.db.WithContext(ctx)
	tables, err := db.Migrator().GetTables()
	if err != nil {
		return nil, err
	}
	out := map[string][][]string{}
	for _, t := range tables {
		rows, err := db.Table(t).Rows()
		if err != nil {
			return nil, err
		}
		cols, err := rows.Columns()
		if err != nil {
			rows.Close()
			return nil, err
		}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
			}
			row := make([]string, len(cols))
			for i, v := range vals {
				switch x := v.(type) {
				case nil:
				case []byte:
					row[i] = string(x)
				default:
					row[i] = fmt.Sprint(x)
				}
			}
			out[t] = append(out[t], row)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
