package calendar

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"palmaid/model"
)

// DefaultSyncEvery is how often an instance asks the database whether the calendar changed.
const DefaultSyncEvery = 30 * time.Second

// Source is where a Calendar reads its data: normally the store (tables calendar_days,
// calendar_years and the calendar_version counter).
type Source interface {
	ListCalendarDays(ctx context.Context) ([]model.CalendarDay, error)
	ListCalendarYears(ctx context.Context) ([]model.CalendarYear, error)
	// CalendarVersion grows whenever the calendar data changes.
	CalendarVersion(ctx context.Context) (int64, error)
}

// Options tune Load.
type Options struct {
	Now       func() time.Time // the clock Sync measures its interval with; nil = time.Now
	SyncEvery time.Duration    // the least time between two version checks; 0 = DefaultSyncEvery
}

// Load reads the calendar from src. Invalid rows are an error rather than silently skipped,
// so a typo in the table is noticed at start-up. An empty table is not an error here; seeding
// it is the caller's decision. The Calendar keeps src to Sync from it.
func Load(ctx context.Context, src Source, opts Options) (*Calendar, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.SyncEvery <= 0 {
		opts.SyncEvery = DefaultSyncEvery
	}
	c := &Calendar{src: src, now: opts.Now, every: opts.SyncEvery}
	if err := c.reload(ctx); err != nil {
		return nil, err
	}
	c.checked = c.now()
	return c, nil
}

// reload reads everything from src and swaps it in. The version is read first: a change
// committed while the rest is read only makes the next check reload once more.
func (c *Calendar) reload(ctx context.Context) error {
	version, err := c.src.CalendarVersion(ctx)
	if err != nil {
		return fmt.Errorf("calendar: read version: %w", err)
	}
	days, err := c.src.ListCalendarDays(ctx)
	if err != nil {
		return fmt.Errorf("calendar: load calendar days: %w", err)
	}
	if err := Validate(days); err != nil {
		return err
	}
	years, err := c.src.ListCalendarYears(ctx)
	if err != nil {
		return fmt.Errorf("calendar: load calendar years: %w", err)
	}
	loaded := make([]int, len(years))
	for i, y := range years {
		loaded[i] = y.Year
	}
	dm, ym := buildDays(days), yearSet(loaded)
	c.mu.Lock()
	c.days, c.loaded, c.version = dm, ym, version
	c.mu.Unlock()
	return nil
}

// Sync reloads the calendar when the source's version changed since the last load. It asks
// the source at most once per SyncEvery of the injected clock; calls in between return at once
// without a query. changed reports a reload. A Calendar built by New has no source.
func (c *Calendar) Sync(ctx context.Context) (changed bool, err error) {
	if c.src == nil {
		return false, nil
	}
	c.syncMu.Lock()
	defer c.syncMu.Unlock()
	now := c.now()
	if now.Sub(c.checked) < c.every && !now.Before(c.checked) {
		return false, nil
	}
	c.checked = now // also after a failure: a database outage is not hammered
	version, err := c.src.CalendarVersion(ctx)
	if err != nil {
		return false, fmt.Errorf("calendar: read version: %w", err)
	}
	if version == c.Version() {
		return false, nil
	}
	if err := c.reload(ctx); err != nil {
		return false, err
	}
	return true, nil
}

// Reload reads the calendar from its source now, whatever the interval (after this instance
// changed it itself).
func (c *Calendar) Reload(ctx context.Context) error {
	if c.src == nil {
		return nil
	}
	c.syncMu.Lock()
	defer c.syncMu.Unlock()
	c.checked = c.now()
	return c.reload(ctx)
}

// StartSync runs Sync on a real-time ticker every SyncEvery until the returned stop is called,
// logging reloads and failures, and logging CoverageWarning at WARN whenever its text changes
// (e.g. on 1 December). It lets every instance pick up a year another instance loaded.
func (c *Calendar) StartSync(log *slog.Logger) (stop func() error) {
	if c.src == nil {
		return func() error { return nil }
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	lastWarning := c.CoverageWarning(c.now())
	go func() {
		defer close(done)
		t := time.NewTicker(c.every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			sctx, scancel := context.WithTimeout(ctx, 5*time.Second)
			changed, err := c.Sync(sctx)
			scancel()
			switch {
			case err != nil && ctx.Err() == nil:
				log.WarnContext(ctx, "calendar sync failed; keeping the loaded calendar", "err", err)
			case changed:
				log.InfoContext(ctx, "calendar reloaded", "version", c.Version(), "loaded_years", c.LoadedYears())
			}
			if w := c.CoverageWarning(c.now()); w != lastWarning {
				lastWarning = w
				if w != "" {
					log.WarnContext(ctx, "calendar coverage", "warning", w)
				}
			}
		}
	}()
	return func() error {
		cancel()
		<-done
		return nil
	}
}

// CoverageWarning returns a warning in Chinese for staff and operators, or "" when the
// calendar covers what it should: the current year must be loaded, and from 1 December also
// the next one (the State Council publishes it around November).
func (c *Calendar) CoverageWarning(now time.Time) string {
	cd := civilOf(now)
	var parts []string
	if !c.isLoaded(cd.y) {
		parts = append(parts, fmt.Sprintf("%d年节假日安排尚未导入，本年的工作日只按周一至周五和固定日期的法定假日（1月1日、5月1—2日、10月1—3日）推算，据此计算的期限均为暂定。", cd.y))
	}
	if cd.m == time.December && !c.isLoaded(cd.y+1) {
		parts = append(parts, fmt.Sprintf("%d年节假日安排尚未导入，跨入%d年的期限均为暂定。", cd.y+1, cd.y+1))
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, "") + "请管理员按国务院办公厅发布的通知导入（PUT /api/v1/admin/calendar/{year}）。"
}

func (c *Calendar) isLoaded(year int) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.loaded[year]
}
