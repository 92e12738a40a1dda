package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"palmaid/model"
)

// The audit chain: every audit row, once settled, gets chain_hash = SHA-256(previous row's
// chain_hash ‖ the row's fields); the very first row starts from "". One chain runs across the
// days (a per-day restart would let the last row of a day vanish unnoticed); breaks are reported
// with the row's day (China Standard Time). Changing a sealed row, or removing any row but the
// newest, breaks the link of the next row, which VerifyAudit names. Rows are sealed
// by one scheduled sealer only once settled (older than the settle time, longer than any
// transaction may last), so ids are sealed in commit-safe order.

var auditDay = time.FixedZone("CST", 8*3600)

func auditHash(prev string, a *model.AuditLog) string {
	caseID := ""
	if a.CaseID != nil {
		caseID = strconv.FormatUint(*a.CaseID, 10)
	}
	h := sha256.New()
	for _, f := range []string{prev, strconv.FormatUint(a.ID, 10), a.ActorType, strconv.FormatUint(a.ActorID, 10), a.Action, caseID,
		a.AreaCode, a.RequestID, a.ClientIP, a.Detail, a.CreatedAt.UTC().Format(time.RFC3339Nano)} {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func day(t time.Time) string { return t.In(auditDay).Format("2006-01-02") }

// SealAudit chains up to limit settled rows (created before settled) after the last sealed row.
// Settled must lie further back than any transaction can last, so no row with a smaller id can
// still commit after it.
func (s *Store) SealAudit(ctx context.Context, settled time.Time, limit int) (int, error) {
	n := 0
	err := s.InTx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		var last model.AuditLog
		q := db.Where("chain_hash IS NOT NULL").Order("id DESC").Limit(1)
		if s.dialect == "mysql" {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"}) // one sealer at a time
		}
		if err := q.Find(&last).Error; err != nil {
			return err
		}
		var rows []model.AuditLog
		if err := db.Where("chain_hash IS NULL AND id > ? AND created_at < ?", last.ID, settled).Order("id").Limit(limit).Find(&rows).Error; err != nil {
			return err
		}
		prev := ""
		if last.ChainHash != nil {
			prev = *last.ChainHash
		}
		for i := range rows {
			h := auditHash(prev, &rows[i])
			if err := db.Model(&model.AuditLog{}).Where("id = ? AND chain_hash IS NULL", rows[i].ID).Update("chain_hash", h).Error; err != nil {
				return err
			}
			prev = h
			n++
		}
		return nil
	})
	return n, err
}

// AuditBreak is the first broken link of the chain.
type AuditBreak struct {
	ID     uint64
	Day    string
	Reason string
}

func (b *AuditBreak) String() string {
	return fmt.Sprintf("row %d (%s): %s", b.ID, b.Day, b.Reason)
}

// VerifyAudit recomputes the whole chain in id order. It returns how many sealed rows it
// checked, the last sealed id, and the first broken link (nil: intact). Rows after the last
// sealed one are not sealed yet and not checked.
func (s *Store) VerifyAudit(ctx context.Context) (checked int, lastID uint64, broken *AuditBreak, err error) {
	var top model.AuditLog
	if err := s.conn(ctx).Where("chain_hash IS NOT NULL").Order("id DESC").Limit(1).Find(&top).Error; err != nil {
		return 0, 0, nil, err
	}
	if top.ID == 0 {
		return 0, 0, nil, nil
	}
	prev := ""
	var after uint64
	for {
		var rows []model.AuditLog
		if err := s.conn(ctx).Where("id > ? AND id <= ?", after, top.ID).Order("id").Limit(1000).Find(&rows).Error; err != nil {
			return checked, 0, nil, err
		}
		if len(rows) == 0 {
			return checked, top.ID, nil, nil
		}
		for i := range rows {
			r := &rows[i]
			d := day(r.CreatedAt)
			if r.ChainHash == nil {
				return checked, top.ID, &AuditBreak{ID: r.ID, Day: d, Reason: "not sealed although later rows are (its hash was removed)"}, nil
			}
			if want := auditHash(prev, r); !strings.EqualFold(want, *r.ChainHash) {
				return checked, top.ID, &AuditBreak{ID: r.ID, Day: d, Reason: "hash does not match: this row was changed, or the row before it was removed or changed"}, nil
			}
			prev = *r.ChainHash
			checked++
			after = r.ID
		}
	}
}
