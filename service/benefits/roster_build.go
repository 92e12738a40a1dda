package benefits

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"palmaid/model"
	"palmaid/service/reqmeta"
)

// buildChunk is how many benefits a roster build reads changes and accounts for at a time.
const buildChunk = 5000

func (s *Service) buildLines(ctx context.Context, county string, cat model.Category, month string) ([]model.RosterLine, error) {
	cands, err := s.repo.RosterCandidates(ctx, county, cat, month)
	if err != nil {
		return nil, err
	}
	failed, err := s.repo.UnrepaidFailedLines(ctx, county, cat, month)
	if err != nil {
		return nil, err
	}
	lines := make([]model.RosterLine, 0, len(cands)+len(failed))
	// payees looks up the accounts of a chunk of benefits: name shown and card tail.
	payees := func(bs []model.Benefit) (func(b *model.Benefit) (string, string), error) {
		var accIDs []uint64
		for _, b := range bs {
			if b.AccountID != nil {
				accIDs = append(accIDs, *b.AccountID)
			}
		}
		accounts, err := s.repo.AccountsByIDs(ctx, accIDs, false)
		if err != nil {
			return nil, err
		}
		return func(b *model.Benefit) (string, string) {
			if b.AccountID == nil {
				return b.PersonMasked, ""
			}
			a := accounts[*b.AccountID]
			return a.HolderMasked, a.Tail4
		}, nil
	}
	// The changes and accounts of a chunk at a time: a county of 100 000 never holds them all.
	for start := 0; start < len(cands); start += buildChunk {
		chunk := cands[start:min(start+buildChunk, len(cands))]
		ids := make([]uint64, len(chunk))
		for i, b := range chunk {
			ids[i] = b.ID
		}
		changes, err := s.repo.BenefitChanges(ctx, ids)
		if err != nil {
			return nil, err
		}
		payee, err := payees(chunk)
		if err != nil {
			return nil, err
		}
		for i := range chunk {
			b := &chunk[i]
			p, ok := model.PaysIn(changes[b.ID], month)
			if !ok {
				continue
			}
			name, tail := payee(b)
			lines = append(lines, model.RosterLine{BenefitID: b.ID, TownCode: b.TownCode, AreaCode: b.AreaCode, Kind: model.LineRegular,
				ForMonth: month, Persons: p.Persons, TotalCents: p.Cents, PayeeMasked: name, AccountTail4: tail, Status: model.LinePending})
		}
	}
	if len(failed) == 0 {
		return lines, nil
	}
	ids := make([]uint64, len(failed))
	for i, f := range failed {
		ids[i] = f.BenefitID
	}
	byID, err := s.repo.BenefitsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	bs := make([]model.Benefit, 0, len(byID))
	for _, b := range byID {
		bs = append(bs, b)
	}
	payee, err := payees(bs)
	if err != nil {
		return nil, err
	}
	for _, f := range failed {
		b := byID[f.BenefitID]
		name, tail := payee(&b)
		lines = append(lines, model.RosterLine{BenefitID: f.BenefitID, TownCode: f.TownCode, AreaCode: f.AreaCode, Kind: model.LineArrears,
			ForMonth: f.ForMonth, Persons: f.Persons, TotalCents: f.TotalCents, PayeeMasked: name, AccountTail4: tail,
			Status: model.LinePending, ArrearsOfLine: f.ID})
	}
	return lines, nil
}

func totals(lines []model.RosterLine) (households, persons int, cents int64) {
	seen := map[uint64]bool{}
	for _, l := range lines {
		cents += l.TotalCents
		if l.Kind == model.LineRegular && !seen[l.BenefitID] {
			seen[l.BenefitID] = true
			households++
			persons += l.Persons
		}
	}
	return
}

func townsOf(lines []model.RosterLine) string {
	var towns []string
	for _, l := range lines {
		if !slices.Contains(towns, l.TownCode) {
			towns = append(towns, l.TownCode)
		}
	}
	slices.Sort(towns)
	return strings.Join(towns, ",")
}

// fill sets the totals, the towns that must confirm and the status after (re)building.
func fill(r *model.Roster, lines []model.RosterLine) {
	r.Households, r.Persons, r.TotalCents = totals(lines)
	r.TownsPending = townsOf(lines)
	r.Status = model.RosterDraft
	if r.TownsPending == "" {
		r.Status = model.RosterChecked
	}
}

// Prepare builds the county's roster of a month and category from the benefits (on demand;
// the monthly job calls the same). Only a county officer of that county prepares it.
func (s *Service) Prepare(ctx context.Context, st *model.Staff, month string, cat model.Category) (*RosterRecord, error) {
	if !st.Can(model.PermRosterPrepare) {
		return nil, errForbidden
	}
	if st.Area().Level() != model.LevelCounty {
		return nil, errCountyOnly
	}
	if !model.ValidMonth(month) {
		return nil, errMonth
	}
	if !monthly(cat) {
		return nil, errCategory
	}
	now := s.now()
	if month < now.In(s.loc).Format("2006-01") {
		return nil, errMonthTooEarly
	}
	r, err := s.prepare(ctx, st.AreaCode, month, cat, st.ID, audit(ctx, st, "roster.prepare", nil, "", now))
	if err != nil {
		return nil, err
	}
	return s.record(ctx, st, r, "")
}

// prepare builds and stores the roster of a county, month and category (errRosterExists when
// there is one); a is the audit row to write, its detail filled in.
func (s *Service) prepare(ctx context.Context, county, month string, cat model.Category, by uint64, a *model.AuditLog) (*model.Roster, error) {
	id, err := newPublicID()
	if err != nil {
		return nil, err
	}
	now := s.now()
	var r *model.Roster
	err = s.repo.InTx(ctx, func(ctx context.Context) error {
		if old, err := s.repo.RosterFor(ctx, county, month, cat); err != nil {
			return err
		} else if old != nil {
			return errRosterExists
		}
		pol, err := s.repo.RegionPolicy(ctx, model.AreaCode(county), month+"-01")
		if err != nil {
			return err
		}
		lines, err := s.buildLines(ctx, county, cat, month)
		if err != nil {
			return err
		}
		r = &model.Roster{PublicID: id, CountyCode: county, Month: month, Category: cat, PreparedBy: by, Version: 1, CreatedAt: now, UpdatedAt: now}
		r.PayByOn, r.PayByProvisional = PayBy(s.cal, s.loc, month, pol.Eligibility.PaymentDay)
		r.ConfirmByOn = ConfirmBy(s.cal, s.loc, r.PayByOn, pol.Eligibility.TownConfirmWD)
		fill(r, lines)
		if err := s.repo.InsertRoster(ctx, r); err != nil {
			return err
		}
		if err := s.repo.ReplaceLines(ctx, r.ID, lines); err != nil {
			return err
		}
		a.Detail = fmt.Sprintf("roster=%s month=%s category=%s lines=%d total=%d", r.PublicID, month, cat, len(lines), r.TotalCents)
		return s.repo.Audit(ctx, a)
	})
	return r, err
}

// BuildMonth is the scheduled job (once across replicas, service/scheduler): the current
// China-time month's roster of every county with benefits and every monthly category, where
// none exists yet, prepared by the system (so any county officer may approve it). It returns
// how many it built.
func (s *Service) BuildMonth(ctx context.Context) (int, error) {
	now := s.now()
	month := now.In(s.loc).Format("2006-01")
	counties, err := s.repo.CountiesWithBenefits(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, county := range counties {
		for _, cat := range []model.Category{model.CatMinimumLiving, model.CatExtremeHardship} {
			old, err := s.repo.RosterFor(ctx, county, month, cat)
			if err != nil {
				return n, err
			}
			if old != nil {
				continue
			}
			a := reqmeta.Audit(ctx, model.ActorSystem, 0, county, "roster.prepare", nil, "", now)
			if _, err := s.prepare(ctx, county, month, cat, 0, a); err != nil {
				if errors.Is(err, errRosterExists) { // another replica's run, or an officer, got there first
					continue
				}
				return n, err
			}
			n++
		}
	}
	return n, nil
}
