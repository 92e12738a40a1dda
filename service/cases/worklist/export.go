package worklist

import (
	"context"
	"fmt"

	"palmaid/model"
	"palmaid/service/cases"
	"palmaid/service/store"
)

// ExportLimit is the most cases one worklist export (台账) holds.
const ExportLimit = 5000

// Export reads a whole worklist, in its order, for the ledger (台账) export: as Queue, page by
// page (at most ExportLimit cases; more answers truncated), audited once as case.export with the
// list and the number of rows rather than once per page.
func (s *Service) Export(ctx context.Context, st *model.Staff, f QueueFilter) (p *cases.Page, truncated bool, err error) {
	if !st.Can(model.PermCaseRead) {
		return nil, false, cases.ErrRoleForbidden
	}
	f.Before, f.CursorDueOn, f.Limit = 0, "", 500
	out := &cases.Page{Names: map[uint64]string{}, AreaNames: map[string]string{}, DaysLeft: map[uint64]int{}}
	for {
		cf, err := s.filter(st, f)
		if err != nil {
			return nil, false, err
		}
		pg, err := s.k.Page(ctx, store.StaffScope(st), cf, true)
		if err != nil {
			return nil, false, err
		}
		out.Today = pg.Today
		out.Cases = append(out.Cases, pg.Cases...)
		for k, v := range pg.Names {
			out.Names[k] = v
		}
		for k, v := range pg.AreaNames {
			out.AreaNames[k] = v
		}
		for k, v := range pg.DaysLeft {
			out.DaysLeft[k] = v
		}
		if pg.NextCursor == 0 {
			break
		}
		if len(out.Cases) >= ExportLimit {
			out.Cases, truncated = out.Cases[:ExportLimit], true
			break
		}
		f.Before, f.CursorDueOn = pg.NextCursor, pg.NextDueOn
	}
	detail := fmt.Sprintf("list=%s status=%s category=%s village=%s rows=%d", f.List, f.Status, f.Category, f.Village, len(out.Cases))
	if err := s.k.AuditOutside(ctx, st, "case.export", nil, detail); err != nil {
		return nil, false, err
	}
	return out, truncated, nil
}

// ExportStats is Stats for the statistics' Excel export, audited as stats.export with the window.
func (s *Service) ExportStats(ctx context.Context, st *model.Staff, days int) (*Stats, error) {
	out, err := s.Stats(ctx, st, days)
	if err != nil {
		return nil, err
	}
	if err := s.k.AuditOutside(ctx, st, "stats.export", nil, fmt.Sprintf("days=%d", out.Days)); err != nil {
		return nil, err
	}
	return out, nil
}
