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

// AuditClockSkew is how much older than the row before it (in id order) a row may be and still
// be chained: ids are allocated when a row is inserted, its time a moment earlier, so two
// concurrent writers (or two replicas' clocks) may invert the order by a little — never by this.
const AuditClockSkew = time.Minute

// AuditRefused is SealAudit's answer when it stopped before a row it will not chain: a row
// whose id does not follow the last sealed one (a row was removed before it was sealed, or a
// row was inserted with a chosen id), or whose time lies before the last sealed row's (a row
// inserted afterwards with a back-dated time). The row and every later one stay unsealed until
// someone looks (the scheduler logs the error and counts the run as failed); a gap that is
// explained (MariaDB leaves one when a transaction that wrote an audit row rolls back) is
// closed with AcceptAuditGap.
type AuditRefused struct {
	ID     uint64
	Reason string
}

func (e *AuditRefused) Error() string {
	return fmt.Sprintf("audit chain: row %d refused: %s", e.ID, e.Reason)
}

// chainable names why r cannot follow prev in the chain ("" when it can).
func chainable(prev, r *model.AuditLog) string {
	if prev == nil || prev.ID == 0 {
		return ""
	}
	if r.ID != prev.ID+1 {
		return fmt.Sprintf("id does not follow row %d: rows %d–%d are missing (removed before they were sealed, or never committed)", prev.ID, prev.ID+1, r.ID-1)
	}
	if r.CreatedAt.Before(prev.CreatedAt.Add(-AuditClockSkew)) {
		return fmt.Sprintf("its time %s is before row %d's %s: written afterwards with a back-dated time",
			r.CreatedAt.In(auditDay).Format(time.RFC3339), prev.ID, prev.CreatedAt.In(auditDay).Format(time.RFC3339))
	}
	return ""
}

// SealAudit chains up to limit settled rows (created before settled) after the last sealed
// row, in id order, stopping at the first row not settled yet. Settled must lie further back
// than any transaction can last, so no row with a smaller id can still commit after it. A row
// that does not follow the last sealed one (chainable) stops the sealing: the rows before it
// are sealed and *AuditRefused is returned.
func (s *AuditRepo) SealAudit(ctx context.Context, settled time.Time, limit int) (int, error) {
	n := 0
	var refused *AuditRefused
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
		if err := db.Where("chain_hash IS NULL AND id > ?", last.ID).Order("id").Limit(limit).Find(&rows).Error; err != nil {
			return err
		}
		prev := ""
		if last.ChainHash != nil {
			prev = *last.ChainHash
		}
		for i := range rows {
			r := &rows[i]
			if !r.CreatedAt.Before(settled) {
				break
			}
			if why := chainable(&last, r); why != "" {
				refused = &AuditRefused{ID: r.ID, Reason: why}
				break
			}
			h := auditHash(prev, r)
			if err := db.Model(&model.AuditLog{}).Where("id = ? AND chain_hash IS NULL", r.ID).Update("chain_hash", h).Error; err != nil {
				return err
			}
			prev, last = h, *r
			n++
		}
		return nil
	})
	if err == nil && refused != nil {
		return n, refused
	}
	return n, err
}

// AuditGapAction marks the rows AcceptAuditGap writes in place of missing ids.
const AuditGapAction = "audit.gap_accepted"

// AcceptAuditGap closes the gap after the last sealed row that stops the sealer: each missing
// id gets a row (system actor, AuditGapAction, the reason and who accepted it in its detail,
// the last sealed row's time), so the next seal chains them and the gap stays visible in the
// chain for good. It returns the ids written (none when there is no gap).
func (s *AuditRepo) AcceptAuditGap(ctx context.Context, detail string) ([]uint64, error) {
	var ids []uint64
	err := s.InTx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		var last model.AuditLog
		q := db.Where("chain_hash IS NOT NULL").Order("id DESC").Limit(1)
		if s.dialect == "mysql" {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		if err := q.Find(&last).Error; err != nil {
			return err
		}
		if last.ID == 0 {
			return nil
		}
		var next model.AuditLog
		if err := db.Where("id > ?", last.ID).Order("id").Limit(1).Find(&next).Error; err != nil {
			return err
		}
		for id := last.ID + 1; next.ID != 0 && id < next.ID; id++ {
			row := model.AuditLog{ID: id, ActorType: model.ActorSystem, Action: AuditGapAction, Detail: model.Truncate(detail, 1000), CreatedAt: last.CreatedAt}
			if err := db.Create(&row).Error; err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	return ids, err
}

// AuditHead is the chain's newest sealed row: what is anchored outside the database.
type AuditHead struct {
	LastID uint64 `json:"lastId"`
	Count  int64  `json:"count"` // rows with an id up to LastID
	Hash   string `json:"hash"`
}

// AuditHead reads the head of the chain (zero when nothing is sealed).
func (s *AuditRepo) AuditHead(ctx context.Context) (AuditHead, error) {
	var top model.AuditLog
	if err := s.conn(ctx).Where("chain_hash IS NOT NULL").Order("id DESC").Limit(1).Find(&top).Error; err != nil || top.ID == 0 {
		return AuditHead{}, err
	}
	var n int64
	if err := s.conn(ctx).Model(&model.AuditLog{}).Where("id <= ?", top.ID).Count(&n).Error; err != nil {
		return AuditHead{}, err
	}
	return AuditHead{LastID: top.ID, Count: n, Hash: *top.ChainHash}, nil
}

// CheckAuditAnchor compares the chain with a head anchored earlier outside the database: the
// anchored row must still be there with the anchored hash and as many rows up to it. Nil: it
// matches (VerifyAudit checks the links between).
func (s *AuditRepo) CheckAuditAnchor(ctx context.Context, a AuditHead) (*AuditBreak, error) {
	if a.LastID == 0 {
		return nil, nil
	}
	var rows []model.AuditLog
	if err := s.conn(ctx).Where("id = ?", a.LastID).Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 || rows[0].ChainHash == nil {
		return &AuditBreak{ID: a.LastID, Reason: "the anchor names this sealed row but it is gone or unsealed: the newest sealed rows were removed"}, nil
	}
	d := day(rows[0].CreatedAt)
	if !strings.EqualFold(*rows[0].ChainHash, a.Hash) {
		return &AuditBreak{ID: a.LastID, Day: d, Reason: "its hash differs from the anchored one: the chain was recomputed"}, nil
	}
	var n int64
	if err := s.conn(ctx).Model(&model.AuditLog{}).Where("id <= ?", a.LastID).Count(&n).Error; err != nil {
		return nil, err
	}
	if n != a.Count {
		return &AuditBreak{ID: a.LastID, Day: d, Reason: fmt.Sprintf("%d rows up to it, the anchor counted %d", n, a.Count)}, nil
	}
	return nil, nil
}

// AuditUnsealed counts the rows not sealed yet and those of them created before olderThan,
// and gives the oldest one's time (zero when none).
func (s *AuditRepo) AuditUnsealed(ctx context.Context, olderThan time.Time) (n, old int64, oldest time.Time, err error) {
	if err = s.conn(ctx).Model(&model.AuditLog{}).Where("chain_hash IS NULL").Count(&n).Error; err != nil || n == 0 {
		return n, 0, time.Time{}, err
	}
	if err = s.conn(ctx).Model(&model.AuditLog{}).Where("chain_hash IS NULL AND created_at < ?", olderThan).Count(&old).Error; err != nil {
		return n, 0, time.Time{}, err
	}
	var first []model.AuditLog
	if err = s.conn(ctx).Where("chain_hash IS NULL").Order("created_at").Limit(1).Find(&first).Error; err != nil || len(first) == 0 {
		return n, old, time.Time{}, err
	}
	return n, old, first[0].CreatedAt, nil
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
func (s *AuditRepo) VerifyAudit(ctx context.Context) (checked int, lastID uint64, broken *AuditBreak, err error) {
	var top model.AuditLog
	if err := s.conn(ctx).Where("chain_hash IS NOT NULL").Order("id DESC").Limit(1).Find(&top).Error; err != nil {
		return 0, 0, nil, err
	}
	if top.ID == 0 {
		return 0, 0, nil, nil
	}
	prev := ""
	var after uint64
	var before model.AuditLog
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
			if why := chainable(&before, r); why != "" {
				return checked, top.ID, &AuditBreak{ID: r.ID, Day: d, Reason: why}, nil
			}
			if r.ChainHash == nil {
				return checked, top.ID, &AuditBreak{ID: r.ID, Day: d, Reason: "not sealed although later rows are (its hash was removed)"}, nil
			}
			if want := auditHash(prev, r); !strings.EqualFold(want, *r.ChainHash) {
				return checked, top.ID, &AuditBreak{ID: r.ID, Day: d, Reason: "hash does not match: this row was changed, or the row before it was removed or changed"}, nil
			}
			prev, before = *r.ChainHash, *r
			checked++
			after = r.ID
		}
	}
}
