package store

import (
	"context"

	"palmaid/model"
)

// LinePage is a page of a roster's lines by id, filtered as q says (the viewer's own area
// always applies). A name or ID number matches a member of the household a household benefit
// pays, or the person of a per-person benefit.
func (r *BenefitRepo) LinePage(ctx context.Context, rosterID uint64, q model.LineQuery) ([]model.RosterLine, error) {
	db := r.db(ctx).Where("roster_id = ? AND id > ?", rosterID, q.After)
	for _, area := range []string{q.Only, q.Area} {
		if area != "" {
			db = db.Where("area_code LIKE ?", model.AreaCode(area).Prefix()+"%")
		}
	}
	if q.Status != "" {
		db = db.Where("status = ?", q.Status)
	}
	const person = "EXISTS (SELECT 1 FROM benefits b JOIN household_members m ON m.household_id = b.household_id " +
		"WHERE b.id = roster_lines.benefit_id AND (b.member_id IS NULL OR m.id = b.member_id) AND "
	switch {
	case q.IDBidx != "":
		db = db.Where(person+"m.id_bidx = ?)", q.IDBidx)
	case q.NamePrefix != "":
		db = db.Where(person+"m.name LIKE ? ESCAPE '!')", escapeLike(q.NamePrefix)+"%")
	}
	var rows []model.RosterLine
	err := db.Order("id").Limit(q.Limit).Find(&rows).Error
	return rows, err
}

// DraftsPastConfirmBy are the draft rosters whose towns' confirmation deadline is before today.
func (r *BenefitRepo) DraftsPastConfirmBy(ctx context.Context, today string) ([]model.Roster, error) {
	var rows []model.Roster
	err := r.db(ctx).Where("status = ? AND confirm_by_on <> '' AND confirm_by_on < ?", model.RosterDraft, today).Order("id").Find(&rows).Error
	return rows, err
}
