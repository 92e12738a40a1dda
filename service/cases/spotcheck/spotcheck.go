package spotcheck

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/cases"
	"palmaid/service/reqmeta"
	"palmaid/service/store"
	"slices"
	"time"
)

// 特困 spot checks: the county draws, the system chooses (model/spotcheck.go).

var (
	errSpotPeriod = model.E(model.KindUnprocessable, "spot_check.invalid_period", "抽签期间不正确")
	errSpotEmpty  = model.E(model.KindUnprocessable, "spot_check.empty_population",
		"该期间没有待抽签的特困认定案件（进入审核确认的特困申请或乡镇初审提出的特困，已抽签的不再重复）")
	errSpotCounty = model.ErrForbidden // the county draws (特困抽查抽签由县级民政部门进行)
)

// DrawRecord is a draw with its population and, for an audit, the sample re-drawn from the
// recorded seed and population.
type DrawRecord struct {
	Draw  model.SpotCheckDraw
	Cases []store.SpotDrawCase
	// Redrawn is model.SpotSample(seed, population, percent) computed now; Reproducible says
	// it is the sample recorded.
	Redrawn      []string
	Reproducible bool
}

func (r *DrawRecord) redraw() {
	population, sample := make([]string, len(r.Cases)), []string{}
	for i, c := range r.Cases {
		population[i] = c.PublicID
		if c.Sampled {
			sample = append(sample, c.PublicID)
		}
	}
	r.Redrawn = model.SpotSample(r.Draw.Seed, population, r.Draw.Percent)
	slices.Sort(sample)
	r.Reproducible = slices.Equal(r.Redrawn, sample) && len(r.Cases) == r.Draw.PopulationSize
}

func countyOfficer(st *model.Staff) error {
	if !st.Can(model.PermCaseDecide) || st.Area().Level() != model.LevelCounty {
		return errSpotCounty
	}
	return nil
}

// DrawSpotChecks draws the county's sample for a period [from, to] (dates, to not after today):
// the population is its 特困 cases awaiting confirmation whose decision clock started in the
// period and that no earlier draw covered; the sample is SpotSampleSize of them for the
// region's share, ranked by a fresh random seed that is recorded. Audited.
func (s *Service) DrawSpotChecks(ctx context.Context, st *model.Staff, from, to string) (*DrawRecord, error) {
	if err := countyOfficer(st); err != nil {
		return nil, err
	}
	loc := model.China()
	now := s.now()
	today := now.In(loc).Format("2006-01-02")
	start, err1 := time.ParseInLocation("2006-01-02", from, loc)
	end, err2 := time.ParseInLocation("2006-01-02", to, loc)
	switch {
	case err1 != nil:
		return nil, errSpotPeriod.WithField("from", "YYYY-MM-DD")
	case err2 != nil || to > today:
		return nil, errSpotPeriod.WithField("to", "YYYY-MM-DD，不晚于今天")
	case from > to || end.Sub(start) > 366*24*time.Hour:
		return nil, errSpotPeriod.WithField("from", "不晚于结束日期，期间不超过一年")
	}
	county := st.AreaCode
	p, err := s.st.RegionPolicy(ctx, model.AreaCode(county), today)
	if err != nil {
		return nil, err
	}
	var seed [16]byte
	if _, err := rand.Read(seed[:]); err != nil {
		return nil, err
	}
	rec := &DrawRecord{}
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		pop, err := s.st.SpotCheckPopulation(ctx, county, start, end.AddDate(0, 0, 1))
		if err != nil {
			return err
		}
		if len(pop) == 0 {
			return errSpotEmpty
		}
		ids := make([]string, len(pop))
		for i, c := range pop {
			ids[i] = c.PublicID
		}
		sample := model.SpotSample(hex.EncodeToString(seed[:]), ids, p.SpotCheckPercent)
		sampled := map[string]bool{}
		for _, id := range sample {
			sampled[id] = true
		}
		rec.Draw = model.SpotCheckDraw{CountyCode: county, PeriodFrom: from, PeriodTo: to, Seed: hex.EncodeToString(seed[:]),
			Percent: p.SpotCheckPercent, PopulationSize: len(pop), SampleSize: len(sample), DrawnByStaff: st.ID, DrawnAt: now}
		if err := s.st.CreateSpotCheckDraw(ctx, &rec.Draw, pop, sampled); err != nil {
			return err
		}
		for _, c := range pop {
			rec.Cases = append(rec.Cases, store.SpotDrawCase{PublicID: c.PublicID, Sampled: sampled[c.PublicID]})
		}
		row := *reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, "spot_check.draw", nil,
			fmt.Sprintf("draw=%d period=%s..%s seed=%s percent=%d population=%d sample=%d", rec.Draw.ID, from, to, rec.Draw.Seed,
				rec.Draw.Percent, len(pop), len(sample)), now)
		return s.st.Audit(ctx, &row)
	})
	if err != nil {
		return nil, err
	}
	rec.redraw()
	return rec, nil
}

// SpotCheckDraws lists the officer's county's draws, newest first.
func (s *Service) SpotCheckDraws(ctx context.Context, st *model.Staff) ([]model.SpotCheckDraw, error) {
	if err := countyOfficer(st); err != nil {
		return nil, err
	}
	return s.st.SpotCheckDraws(ctx, st.AreaCode, 100)
}

// SpotCheckDraw reads one draw of the officer's county with its population and the re-drawn
// sample (an auditor's check that the recorded sample follows from the recorded seed).
func (s *Service) SpotCheckDraw(ctx context.Context, st *model.Staff, id uint64) (*DrawRecord, error) {
	if err := countyOfficer(st); err != nil {
		return nil, err
	}
	d, rows, err := s.st.SpotCheckDraw(ctx, st.AreaCode, id)
	if err != nil {
		return nil, err
	}
	rec := &DrawRecord{Draw: *d, Cases: rows}
	rec.redraw()
	return rec, nil
}

// SpotCheckInput is the in-person check of a sampled case: the date, the place, the officers'
// usernames (at least two, who did not investigate the case), the findings and whether they
// confirm the town's report.
type SpotCheckInput struct {
	CheckedOn, Place, Findings string
	Officers                   []string
	Confirmed                  bool
}

// SpotCheck records the in-person check (抽查核实) of a case the county's draw sampled.
func (s *Service) SpotCheck(ctx context.Context, st *model.Staff, publicID string, version int, in SpotCheckInput) (*cases.StaffRecord, error) {
	place, err := cases.Text("place", in.Place, 200, true)
	if err != nil {
		return nil, err
	}
	findings, err := cases.Text("findings", in.Findings, 2000, true)
	if err != nil {
		return nil, err
	}
	day, ok := model.ParseDate(in.CheckedOn, model.China())
	if !ok || day.After(s.now()) {
		return nil, model.ErrVisitDate.WithField("checkedOn", "YYYY-MM-DD，不晚于今天")
	}
	if len(in.Officers) > 10 {
		return nil, model.ErrVisitNeedsTwo.WithField("officers", "最多10人")
	}
	return s.k.Act(ctx, st, publicID, version, model.PermCaseDecide, model.ActSpotCheck, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		row := f.SpotCheckRow()
		if row == nil || !row.Sampled {
			return model.ErrSpotCheckNotSampled
		}
		d, err := s.st.SpotCheckDrawOf(ctx, row.DrawID)
		if err != nil {
			return err
		}
		people, err := s.k.StaffNamed(ctx, in.Officers)
		if err != nil {
			return err
		}
		return f.SpotCheck(env, model.SpotCheckInput{CheckedOn: in.CheckedOn, Place: place, Findings: findings, Confirmed: in.Confirmed,
			Officers: people}, calendar.DateOf(d.DrawnAt))
	})
}
