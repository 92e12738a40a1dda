package benefits

import (
	"context"

	"palmaid/model"
)

// Roster is one roster as the officer sees it.
func (s *Service) Roster(ctx context.Context, st *model.Staff, publicID string) (*RosterRecord, error) {
	r, only, err := s.roster(ctx, st, publicID, false)
	if err != nil {
		return nil, err
	}
	return s.record(ctx, st, r, only)
}

// Rosters lists the rosters the officer may see (of a month, or the latest).
func (s *Service) Rosters(ctx context.Context, st *model.Staff, month string) ([]RosterRecord, error) {
	if !st.Can(model.PermBenefitRead) {
		return nil, errForbidden
	}
	if month != "" && !model.ValidMonth(month) {
		return nil, errMonth
	}
	area := st.Area()
	prefix := string(area.Ancestor(model.LevelCounty))
	if area.Level() < model.LevelCounty {
		prefix = area.Prefix()
	}
	rows, err := s.repo.Rosters(ctx, prefix, month, 50)
	if err != nil {
		return nil, err
	}
	out := make([]RosterRecord, 0, len(rows))
	for i := range rows {
		only, ok := visible(st, &rows[i])
		if !ok {
			continue
		}
		rec := RosterRecord{Roster: rows[i], Households: rows[i].Households, Persons: rows[i].Persons, TotalCents: rows[i].TotalCents, Partial: only != ""}
		if only != "" {
			lines, err := s.repo.Lines(ctx, rows[i].ID, "")
			if err != nil {
				return nil, err
			}
			rec.Households, rec.Persons, rec.TotalCents = totals(own(lines, only))
		}
		out = append(out, rec)
	}
	return out, nil
}

func own(lines []model.RosterLine, only string) []model.RosterLine {
	if only == "" {
		return lines
	}
	out := lines[:0:0]
	for _, l := range lines {
		if l.TownCode == only || l.AreaCode == only {
			out = append(out, l)
		}
	}
	return out
}

func (s *Service) record(ctx context.Context, st *model.Staff, r *model.Roster, only string) (*RosterRecord, error) {
	lines, err := s.repo.Lines(ctx, r.ID, "")
	if err != nil {
		return nil, err
	}
	rec := &RosterRecord{Roster: *r, Partial: only != ""}
	rec.Diff, err = s.diff(ctx, r, lines)
	if err != nil {
		return nil, err
	}
	rec.Lines = own(lines, only)
	rec.Households, rec.Persons, rec.TotalCents = totals(rec.Lines)
	ids := make([]uint64, 0, len(rec.Lines))
	for _, l := range rec.Lines {
		ids = append(ids, l.BenefitID)
	}
	bs, err := s.repo.BenefitsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	rec.Benefits = make(map[uint64]string, len(bs))
	for id, b := range bs {
		rec.Benefits[id] = b.PublicID
	}
	if only != "" { // the month-on-month difference is the county's figure
		rec.Diff = Diff{PrevMonth: rec.Diff.PrevMonth}
	}
	return rec, nil
}

func (s *Service) diff(ctx context.Context, r *model.Roster, lines []model.RosterLine) (Diff, error) {
	d := Diff{PrevMonth: model.AddMonths(r.Month, -1)}
	prev, err := s.repo.RosterFor(ctx, r.CountyCode, d.PrevMonth, r.Category)
	if err != nil {
		return d, err
	}
	if prev == nil { // no roster last month: every regular line is new
		for _, l := range lines {
			if l.Kind == model.LineRegular {
				d.New++
			}
		}
		return d, nil
	}
	d.PrevExists, d.PrevTotal = true, prev.TotalCents
	pl, err := s.repo.Lines(ctx, prev.ID, "")
	if err != nil {
		return d, err
	}
	before := map[uint64]int64{}
	for _, l := range pl {
		if l.Kind == model.LineRegular {
			before[l.BenefitID] = l.TotalCents
		}
	}
	now := map[uint64]bool{}
	for _, l := range lines {
		if l.Kind != model.LineRegular {
			continue
		}
		now[l.BenefitID] = true
		switch amt, ok := before[l.BenefitID]; {
		case !ok:
			d.New++
		case amt != l.TotalCents:
			d.Changed++
		}
	}
	for id := range before {
		if !now[id] {
			d.Stopped++
		}
	}
	return d, nil
}
