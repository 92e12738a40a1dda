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

// BenefitCounts are the benefits under an area prefix paying a month, per category and village.
func (r *BenefitRepo) BenefitCounts(ctx context.Context, prefix, month string) ([]model.BenefitCount, error) {
	var rows []model.BenefitCount
	err := r.db(ctx).Model(&model.Benefit{}).
		Select("category, area_code, COUNT(*) AS n, COALESCE(SUM(persons), 0) AS persons, COALESCE(SUM(CASE WHEN effective_from = ? THEN 1 ELSE 0 END), 0) AS new", month).
		Where("area_code LIKE ? AND effective_from <= ? AND (effective_to = '' OR effective_to >= ?)", prefix+"%", month, month).
		Group("category, area_code").Order("category, area_code").Scan(&rows).Error
	return rows, err
}

// BenefitsStopped counts the benefits under an area prefix whose last month paid was lastPaid.
func (r *BenefitRepo) BenefitsStopped(ctx context.Context, prefix, lastPaid string) (int, error) {
	var n int64
	err := r.db(ctx).Model(&model.Benefit{}).Where("area_code LIKE ? AND effective_to = ?", prefix+"%", lastPaid).Count(&n).Error
	return int(n), err
}

// LineSums are the roster lines under an area prefix of the rosters of the months from..to,
// per month, kind and status.
func (r *BenefitRepo) LineSums(ctx context.Context, prefix, from, to string) ([]model.LineSum, error) {
	var rows []model.LineSum
	err := r.db(ctx).Table("roster_lines AS l").
		Select("p.month AS month, l.kind AS kind, l.status AS status, COUNT(*) AS n, COALESCE(SUM(l.total_cents), 0) AS cents, COALESCE(SUM(l.persons), 0) AS persons").
		Joins("JOIN payment_rosters AS p ON p.id = l.roster_id").
		Where("l.area_code LIKE ? AND p.month >= ? AND p.month <= ?", prefix+"%", from, to).
		Group("p.month, l.kind, l.status").Order("p.month").Scan(&rows).Error
	return rows, err
}
