package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"palmaid/model"
)

// ListCalendarYears returns the loaded years, oldest first (part of the calendar.Source
// interface).
func (s *ReferenceRepo) ListCalendarYears(ctx context.Context) ([]model.CalendarYear, error) {
	var out []model.CalendarYear
	err := s.conn(ctx).Order("year").Find(&out).Error
	return out, err
}

// CalendarVersion returns the calendar's change counter: it grows with every year loaded
// through ReplaceCalendarYear, so an instance that sees a new value reloads its calendar.
func (s *ReferenceRepo) CalendarVersion(ctx context.Context) (int64, error) {
	var v []int64
	if err := s.conn(ctx).Table("calendar_version").Where("id = 1").Pluck("version", &v).Error; err != nil {
		return 0, err
	}
	if len(v) == 0 {
		return 0, fmt.Errorf("calendar_version has no row (migration 00003 not applied?)")
	}
	return v[0], nil
}

// CalendarYear returns one year's overrides by date and its loaded marker (nil when the year
// is not loaded).
func (s *ReferenceRepo) CalendarYear(ctx context.Context, year int) ([]model.CalendarDay, *model.CalendarYear, error) {
	from, to := yearBounds(year)
	var days []model.CalendarDay
	if err := s.conn(ctx).Where("date >= ? AND date <= ?", from, to).Order("date").Find(&days).Error; err != nil {
		return nil, nil, err
	}
	var rows []model.CalendarYear
	if err := s.conn(ctx).Where("year = ?", year).Limit(1).Find(&rows).Error; err != nil {
		return nil, nil, err
	}
	if len(rows) == 0 {
		return days, nil, nil
	}
	return days, &rows[0], nil
}

// ReplaceCalendarYear replaces every override dated in y.Year with days, marks the year
// loaded (y) and increments the calendar version, in one transaction (it joins the one in ctx).
// The caller validates days (all inside the year, no duplicates). It returns the new version.
func (s *ReferenceRepo) ReplaceCalendarYear(ctx context.Context, y model.CalendarYear, days []model.CalendarDay) (int64, error) {
	var version int64
	err := s.InTx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		// First statement: the version row's lock serialises concurrent loads (MySQL); SQLite's
		// immediate transactions are serial already.
		if err := db.Table("calendar_version").Where("id = 1").
			Update("version", gorm.Expr("version + 1")).Error; err != nil {
			return err
		}
		from, to := yearBounds(y.Year)
		if err := db.Where("date >= ? AND date <= ?", from, to).Delete(&model.CalendarDay{}).Error; err != nil {
			return err
		}
		if len(days) > 0 {
			if err := db.CreateInBatches(&days, 200).Error; err != nil {
				return err
			}
		}
		if err := db.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "year"}},
			DoUpdates: clause.AssignmentColumns([]string{"source", "loaded_at", "loaded_by_staff_id"}),
		}).Create(&y).Error; err != nil {
			return err
		}
		var err error
		version, err = s.CalendarVersion(ctx)
		return err
	})
	return version, err
}

// MarkCalendarYearsLoadedIfAbsent records years as loaded without touching existing rows (the
// seed of the built-in years).
func (s *ReferenceRepo) MarkCalendarYearsLoadedIfAbsent(ctx context.Context, years []model.CalendarYear) error {
	if len(years) == 0 {
		return nil
	}
	return s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&years).Error
}

func yearBounds(year int) (from, to string) {
	return fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)
}

// AreasBeyond counts the areas that lie neither in root's subtree nor above it (its ancestors):
// zero means an administrator of root oversees every area of the installation.
func (s *ReferenceRepo) AreasBeyond(ctx context.Context, root model.AreaCode) (int64, error) {
	if root.Level() == 0 {
		return 0, fmt.Errorf("areas beyond %q: not an area code", root)
	}
	var above []string
	for lvl := model.LevelProvince; lvl < root.Level(); lvl++ {
		above = append(above, string(root.Ancestor(lvl)))
	}
	q := s.conn(ctx).Model(&model.Area{}).Where("code NOT LIKE ?", root.Prefix()+"%")
	if len(above) > 0 {
		q = q.Where("code NOT IN ?", above)
	}
	var n int64
	return n, q.Count(&n).Error
}

// PendingCalendarProposal returns the year's pending proposal (nil when none).
func (s *ReferenceRepo) PendingCalendarProposal(ctx context.Context, year int) (*model.CalendarProposal, error) {
	var rows []model.CalendarProposal
	if err := s.conn(ctx).Where("year = ? AND status = ?", year, model.ProposalPending).Order("id DESC").Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// ProposeCalendarYear stores p as the year's pending proposal; an earlier pending one is
// superseded (decided by p's proposer). It joins the transaction in ctx.
func (s *ReferenceRepo) ProposeCalendarYear(ctx context.Context, p *model.CalendarProposal) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		by, at := p.ProposedByStaffID, p.ProposedAt
		if err := db.Model(&model.CalendarProposal{}).Where("year = ? AND status = ?", p.Year, model.ProposalPending).
			Updates(map[string]any{"status": model.ProposalSuperseded, "decided_by_staff_id": by, "decided_at": at}).Error; err != nil {
			return err
		}
		p.Status = model.ProposalPending
		return db.Create(p).Error
	})
}

// ConfirmCalendarProposal marks the pending proposal id of year confirmed by staffID. It
// answers false when no such pending proposal exists (confirmed or superseded meanwhile).
func (s *ReferenceRepo) ConfirmCalendarProposal(ctx context.Context, year int, id, staffID uint64, at time.Time) (bool, error) {
	res := s.conn(ctx).Model(&model.CalendarProposal{}).Where("id = ? AND year = ? AND status = ?", id, year, model.ProposalPending).
		Updates(map[string]any{"status": model.ProposalConfirmed, "decided_by_staff_id": staffID, "decided_at": at})
	return res.RowsAffected == 1, res.Error
}

// CalendarProposal returns proposal id of year, whatever its status (nil when none).
func (s *ReferenceRepo) CalendarProposal(ctx context.Context, year int, id uint64) (*model.CalendarProposal, error) {
	var rows []model.CalendarProposal
	if err := s.conn(ctx).Where("id = ? AND year = ?", id, year).Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}
