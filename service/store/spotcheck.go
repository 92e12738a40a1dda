package store

import (
	"context"
	"time"

	"palmaid/model"
)

// ErrSpotDrawConflict: another draw took some of the same cases at the same moment.
var ErrSpotDrawConflict = model.E(model.KindConflict, "spot_check.draw_conflict", "另一次抽签同时进行，请刷新后重新抽签")

// ErrSpotDrawNotFound: no draw with that number in the officer's county.
var ErrSpotDrawNotFound = model.E(model.KindNotFound, "spot_check.draw_not_found", "抽签记录不存在")

// SpotCase is one case of a draw's population: its row id and public id.
type SpotCase struct {
	ID       uint64
	PublicID string
}

// SpotCheckPopulation lists the county's 特困 cases awaiting confirmation whose decision clock
// started in [from, to) and that no draw covered yet: 特困 asked for, or proposed by the town's
// opinion of the current round. Ordered by public id (the draw itself does not depend on it).
func (s *CaseFileRepo) SpotCheckPopulation(ctx context.Context, countyCode string, from, to time.Time) ([]SpotCase, error) {
	var out []SpotCase
	err := s.conn(ctx).Raw(`SELECT c.id, c.public_id FROM cases c
		WHERE c.county_code = ? AND c.status = ?
		AND NOT EXISTS (SELECT 1 FROM case_spot_checks s WHERE s.case_id = c.id)
		AND EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND d.step = ? AND d.state = ?
			AND d.started_at >= ? AND d.started_at < ?)
		AND (EXISTS (SELECT 1 FROM case_categories cc WHERE cc.case_id = c.id AND cc.category = ? AND cc.requested = ?)
			OR EXISTS (SELECT 1 FROM case_opinions o WHERE o.case_id = c.id AND o.round = c.investigation_round
				AND o.category = ? AND o.outcome = ?))
		ORDER BY c.public_id`,
		countyCode, model.StatusReviewing, model.StepDecision, model.ClockOpen, from.UTC(), to.UTC(),
		model.CatExtremeHardship, true, model.CatExtremeHardship, model.OutcomeApproved).Scan(&out).Error
	return out, err
}

// CreateSpotCheckDraw records a draw and one row per case of its population (sampled or not).
// A case is in one draw at most (unique case_id): a concurrent draw over the same cases fails
// with ErrSpotDrawConflict and writes nothing.
func (s *CaseFileRepo) CreateSpotCheckDraw(ctx context.Context, d *model.SpotCheckDraw, population []SpotCase, sampled map[string]bool) error {
	db := s.conn(ctx)
	if err := db.Create(d).Error; err != nil {
		return err
	}
	rows := make([]model.SpotCheck, len(population))
	for i, c := range population {
		rows[i] = model.SpotCheck{DrawID: d.ID, CaseID: c.ID, Sampled: sampled[c.PublicID]}
	}
	if err := insertAll(db, rows); err != nil {
		if isDuplicate(err) {
			return ErrSpotDrawConflict
		}
		return err
	}
	return nil
}

// SpotCheckDraws lists a county's draws, newest first (at most limit).
func (s *CaseFileRepo) SpotCheckDraws(ctx context.Context, countyCode string, limit int) ([]model.SpotCheckDraw, error) {
	var out []model.SpotCheckDraw
	err := s.conn(ctx).Where("county_code = ?", countyCode).Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// SpotDrawCase is a case of a draw with its public id (the row's texts stay sealed: not read).
type SpotDrawCase struct {
	PublicID   string
	Sampled    bool
	CheckedOn  string
	Officers   string
	Confirmed  bool
	RecordedAt *time.Time
}

// SpotCheckDraw reads one draw of a county and its population.
func (s *CaseFileRepo) SpotCheckDraw(ctx context.Context, countyCode string, id uint64) (*model.SpotCheckDraw, []SpotDrawCase, error) {
	var d model.SpotCheckDraw
	if err := s.conn(ctx).Where("id = ? AND county_code = ?", id, countyCode).Take(&d).Error; err != nil {
		return nil, nil, notFound(err, ErrSpotDrawNotFound)
	}
	var rows []SpotDrawCase
	err := s.conn(ctx).Raw(`SELECT c.public_id, s.sampled, s.checked_on, s.officers, s.confirmed, s.recorded_at
		FROM case_spot_checks s JOIN cases c ON c.id = s.case_id WHERE s.draw_id = ? ORDER BY c.public_id`, d.ID).Scan(&rows).Error
	return &d, rows, err
}

// SpotCheckDrawOf reads the draw a case's row belongs to (for the check's date rule).
func (s *CaseFileRepo) SpotCheckDrawOf(ctx context.Context, drawID uint64) (*model.SpotCheckDraw, error) {
	var d model.SpotCheckDraw
	if err := s.conn(ctx).Where("id = ?", drawID).Take(&d).Error; err != nil {
		return nil, err
	}
	return &d, nil
}
