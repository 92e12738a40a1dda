package benefits

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"palmaid/model"
	"palmaid/service/residents"
)

// Roster is one roster as the officer sees it.
func (s *Service) Roster(ctx context.Context, st *model.Staff, publicID string) (*RosterRecord, error) {
	r, only, err := s.roster(ctx, st, publicID, false)
	if err != nil {
		return nil, err
	}
	if s.lapsed(r) { // past the towns' deadline: checked on this read, once
		if r, err = s.lapseOne(ctx, publicID); err != nil {
			return nil, err
		}
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
		if s.lapsed(&rows[i]) {
			r, err := s.lapseOne(ctx, rows[i].PublicID)
			if err != nil {
				return nil, err
			}
			rows[i] = *r
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
	rec.Households, rec.Persons, rec.TotalCents = totals(own(lines, only))
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

// LineFilter is a search of a roster's lines: Area a town or village of the county, Query the
// start of a name or an ID number, Status a line status; After and Limit page by id.
type LineFilter struct {
	Area, Query, Status string
	After               uint64
	Limit               int
}

// LinePage is one page of lines: Next is the cursor of the following page (0: none).
type LinePage struct {
	Lines    []model.RosterLine
	Benefits map[uint64]string // a line's benefit to its public id
	Next     uint64
}

// MaxLinePage is the largest page of lines.
const MaxLinePage = 500

// ErrLineQuery is roster.invalid_line_query (the API adds its own field hints).
var ErrLineQuery = model.Invalid("roster.invalid_line_query", "名单查询条件不正确")

var errLineQuery = ErrLineQuery

// Lines is a page of a roster's lines the officer may see (a town or village only its own,
// whatever it asks for), searched by area, by the start of a name or an ID number (through
// the blind index, never stored or logged), and by status.
func (s *Service) Lines(ctx context.Context, st *model.Staff, publicID string, f LineFilter) (*LinePage, error) {
	r, only, err := s.roster(ctx, st, publicID, false)
	if err != nil {
		return nil, err
	}
	q := model.LineQuery{Only: only, Status: f.Status, After: f.After, Limit: f.Limit}
	switch f.Status {
	case "", model.LinePending, model.LinePaid, model.LineFailed:
	default:
		return nil, errLineQuery.WithField("status", "pending、paid 或 failed")
	}
	if f.Limit < 1 || f.Limit > MaxLinePage {
		return nil, errLineQuery.WithField("limit", fmt.Sprintf("1至%d", MaxLinePage))
	}
	if f.Area != "" {
		a, err := model.ParseAreaCode(f.Area)
		if err != nil || a.Level() < model.LevelTown {
			return nil, errLineQuery.WithField("area", "本县的乡镇或村（社区）代码（12位）")
		}
		q.Area = string(a)
	}
	if query := strings.TrimSpace(strings.ReplaceAll(f.Query, "\u3000", " ")); query != "" {
		if utf8.RuneCountInString(query) > 30 || strings.ContainsAny(query, "\x00\r\n\t") {
			return nil, errLineQuery.WithField("q", "姓名开头或身份证号（最多30字）")
		}
		if id := model.NormalizeIDNumber(query); len(id) == 18 && strings.Trim(id[:17], "0123456789") == "" {
			q.IDBidx = s.cipher.BlindIndex(residents.PurposeIDNumber, id)
		} else {
			q.NamePrefix = query
		}
	}
	lines, err := s.repo.LinePage(ctx, r.ID, q)
	if err != nil {
		return nil, err
	}
	page := &LinePage{Lines: lines}
	if len(lines) == f.Limit {
		page.Next = lines[len(lines)-1].ID
	}
	ids := make([]uint64, 0, len(lines))
	for _, l := range lines {
		ids = append(ids, l.BenefitID)
	}
	bs, err := s.repo.BenefitsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	page.Benefits = make(map[uint64]string, len(bs))
	for id, b := range bs {
		page.Benefits[id] = b.PublicID
	}
	return page, nil
}
