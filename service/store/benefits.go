package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"palmaid/model"
)

// BenefitRepo is the GORM repository of recipient records, payee accounts and payment rosters
// (service/benefits owns the interface it implements). It shares the store's connection core:
// the transaction in the context, text sealing, unavailability mapping.
type BenefitRepo struct{ s *Store }

// Benefits is the repository of recipient records and payment rosters.
func (s *Store) Benefits() *BenefitRepo { return &BenefitRepo{s: s} }

// ErrStale: a row changed since it was read (version check failed).
var ErrStale = model.E(model.KindConflict, "benefit.stale", "数据已被他人修改，请刷新后重试")

func (r *BenefitRepo) db(ctx context.Context) *gorm.DB { return r.s.conn(ctx) }

func (r *BenefitRepo) lock(db *gorm.DB) *gorm.DB {
	if r.s.dialect == "mysql" {
		return db.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return db
}

// AddOutbox queues a notification in the transaction.
func (r *BenefitRepo) AddOutbox(ctx context.Context, o *model.Outbox) error {
	return r.s.AddOutbox(ctx, o)
}

// InTx runs fn in the store's transaction (joining the one in ctx).
func (r *BenefitRepo) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return r.s.InTx(ctx, fn)
}

// Audit appends an audit row.
func (r *BenefitRepo) Audit(ctx context.Context, a *model.AuditLog) error { return r.s.Audit(ctx, a) }

// RegionPolicy is the policy in force in an area on a date.
func (r *BenefitRepo) RegionPolicy(ctx context.Context, area model.AreaCode, date string) (model.Policy, error) {
	return r.s.RegionPolicy(ctx, area, date)
}

// BenefitForSubject is the benefit of a category for a household (position HouseholdLevel) or
// one of its members, locked for the transaction; nil when there is none.
func (r *BenefitRepo) BenefitForSubject(ctx context.Context, cat model.Category, householdID uint64, position int) (*model.Benefit, error) {
	var b model.Benefit
	err := r.lock(r.db(ctx)).Where("category = ? AND household_id = ? AND member_position = ?", cat, householdID, position).Take(&b).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	return &b, err
}

// InsertBenefit writes a new benefit and its first change.
func (r *BenefitRepo) InsertBenefit(ctx context.Context, b *model.Benefit, first *model.BenefitChange) error {
	return r.InTx(ctx, func(ctx context.Context) error {
		if err := r.db(ctx).Create(b).Error; err != nil {
			return err
		}
		first.BenefitID = b.ID
		return r.db(ctx).Create(first).Error
	})
}

// SaveBenefit writes the benefit's current state if nobody changed it since it was read
// (b.Version is the version read; it is incremented).
func (r *BenefitRepo) SaveBenefit(ctx context.Context, b *model.Benefit) error {
	return saveVersioned(r.db(ctx), b, b.ID, &b.Version, ErrStale)
}

// AddBenefitChange appends a change row.
func (r *BenefitRepo) AddBenefitChange(ctx context.Context, c *model.BenefitChange) error {
	return r.db(ctx).Create(c).Error
}

// BenefitChanges are the changes of the benefits, in order.
func (r *BenefitRepo) BenefitChanges(ctx context.Context, ids []uint64) (map[uint64][]model.BenefitChange, error) {
	out := map[uint64][]model.BenefitChange{}
	if len(ids) == 0 {
		return out, nil
	}
	for start := 0; start < len(ids); start += 1000 {
		end := min(start+1000, len(ids))
		var rows []model.BenefitChange
		if err := r.db(ctx).Where("benefit_id IN ?", ids[start:end]).Order("benefit_id, effective_month, id").Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, c := range rows {
			out[c.BenefitID] = append(out[c.BenefitID], c)
		}
	}
	return out, nil
}

// VerifiedBidx is the blind index of the resident's assured identity ("" when none).
func (r *BenefitRepo) VerifiedBidx(ctx context.Context, residentID uint64) (string, error) {
	var res model.Resident
	if err := r.db(ctx).Select("id", "verified_bidx").Where("id = ?", residentID).Take(&res).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return "", nil
		}
		return "", err
	}
	if res.VerifiedBidx == nil {
		return "", nil
	}
	return *res.VerifiedBidx, nil
}

func residentBenefits(db *gorm.DB, residentID uint64, bidx string) *gorm.DB {
	if bidx == "" {
		return db.Where("(beneficiary_resident_id = ? OR agent_resident_id = ?)", residentID, residentID)
	}
	return db.Where("(beneficiary_resident_id = ? OR agent_resident_id = ? OR person_bidx = ?)", residentID, residentID, bidx)
}

// ResidentBenefits are the benefits the resident is the beneficiary or agent of (or, with an
// assured identity, paid for).
func (r *BenefitRepo) ResidentBenefits(ctx context.Context, residentID uint64, bidx string) ([]model.Benefit, error) {
	var rows []model.Benefit
	err := residentBenefits(r.db(ctx), residentID, bidx).Order("id").Limit(50).Find(&rows).Error
	return rows, err
}

// ResidentBenefit is one of them by public id; anything else is not found.
func (r *BenefitRepo) ResidentBenefit(ctx context.Context, residentID uint64, bidx, publicID string, notYours *model.Error) (*model.Benefit, error) {
	var b model.Benefit
	err := residentBenefits(r.db(ctx).Where("public_id = ?", publicID), residentID, bidx).Take(&b).Error
	return &b, notFound(err, notYours)
}

// StaffBenefits are the benefits in the officer's area subtree, by id after a key.
func (r *BenefitRepo) StaffBenefits(ctx context.Context, st *model.Staff, cat model.Category, after uint64, limit int) ([]model.Benefit, error) {
	q := StaffScope(st).area(r.db(ctx)).Where("id > ?", after)
	if cat != "" {
		q = q.Where("category = ?", cat)
	}
	var rows []model.Benefit
	err := q.Order("id").Limit(limit).Find(&rows).Error
	return rows, err
}

// StaffBenefit is a benefit of the officer's area by public id (notYours otherwise).
func (r *BenefitRepo) StaffBenefit(ctx context.Context, st *model.Staff, publicID string, forUpdate bool, notYours *model.Error) (*model.Benefit, error) {
	q := StaffScope(st).area(r.db(ctx)).Where("public_id = ?", publicID)
	if forUpdate {
		q = r.lock(q)
	}
	var b model.Benefit
	err := q.Take(&b).Error
	return &b, notFound(err, notYours)
}

// InsertAccount records a payee account.
func (r *BenefitRepo) InsertAccount(ctx context.Context, a *model.PayeeAccount) error {
	return r.db(ctx).Create(a).Error
}

// AccountsByIDs loads accounts; the sealed holder and number only when sealed is set (a
// roster of 100 000 lines needs only the masked name and the tail until the unmasked export).
func (r *BenefitRepo) AccountsByIDs(ctx context.Context, ids []uint64, sealed bool) (map[uint64]model.PayeeAccount, error) {
	out := map[uint64]model.PayeeAccount{}
	for start := 0; start < len(ids); start += 1000 {
		end := min(start+1000, len(ids))
		var rows []model.PayeeAccount
		q := r.db(ctx).Where("id IN ?", ids[start:end])
		if !sealed {
			q = q.Select("id", "benefit_id", "kind", "bank", "holder_masked", "tail4", "custody_agreement", "verified_by_staff_id", "verified_at")
		}
		if err := q.Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, a := range rows {
			out[a.ID] = a
		}
	}
	return out, nil
}

// rosterColumns are the columns of a benefit the roster reads.
var rosterColumns = []string{"id", "public_id", "category", "town_code", "area_code", "person_masked", "account_id",
	"beneficiary_resident_id", "agent_resident_id", "source_case_id"}

// BenefitsByIDs loads the benefits' roster columns (id, public id, category, town, area,
// masked name, account, who is told of a payment, the source case).
func (r *BenefitRepo) BenefitsByIDs(ctx context.Context, ids []uint64) (map[uint64]model.Benefit, error) {
	out := map[uint64]model.Benefit{}
	for start := 0; start < len(ids); start += 1000 {
		end := min(start+1000, len(ids))
		var rows []model.Benefit
		if err := r.db(ctx).Select(rosterColumns).Where("id IN ?", ids[start:end]).Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, b := range rows {
			out[b.ID] = b
		}
	}
	return out, nil
}

// CountiesWithBenefits are the counties with a benefit not terminated.
func (r *BenefitRepo) CountiesWithBenefits(ctx context.Context) ([]string, error) {
	var out []string
	err := r.db(ctx).Model(&model.Benefit{}).Where("status <> ?", model.BenefitTerminated).Distinct().Order("county_code").Pluck("county_code", &out).Error
	return out, err
}

// RosterCandidates are the benefits of a county and category whose period covers the month
// (the changes decide what each pays), with their roster columns.
func (r *BenefitRepo) RosterCandidates(ctx context.Context, county string, cat model.Category, month string) ([]model.Benefit, error) {
	var rows []model.Benefit
	err := r.db(ctx).Select(rosterColumns).Where("county_code = ? AND category = ? AND effective_from <= ? AND (effective_to = '' OR effective_to >= ?)", county, cat, month, month).
		Order("id").Find(&rows).Error
	return rows, err
}

// UnrepaidFailedLines are the failed lines of the county's earlier rosters of the category that
// no arrears line repays yet.
func (r *BenefitRepo) UnrepaidFailedLines(ctx context.Context, county string, cat model.Category, month string) ([]model.RosterLine, error) {
	var rows []model.RosterLine
	err := r.db(ctx).Table("roster_lines AS l").Select("l.*").
		Joins("JOIN payment_rosters AS p ON p.id = l.roster_id").
		Where("p.county_code = ? AND p.category = ? AND p.month < ? AND l.status = ?", county, cat, month, model.LineFailed).
		Where("NOT EXISTS (SELECT 1 FROM roster_lines AS a WHERE a.arrears_of_line_id = l.id)").
		Order("l.id").Find(&rows).Error
	return rows, err
}

// InsertRoster writes a new roster; model.ErrRosterExists when the county's roster of that
// month and category was written meanwhile (the unique key).
func (r *BenefitRepo) InsertRoster(ctx context.Context, ro *model.Roster) error {
	err := r.db(ctx).Create(ro).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return model.ErrRosterExists
	}
	return err
}

// SaveRoster writes the roster if it still has the version read (incremented).
func (r *BenefitRepo) SaveRoster(ctx context.Context, ro *model.Roster) error {
	return saveVersioned(r.db(ctx), ro, ro.ID, &ro.Version, ErrStale)
}

// RosterFor is the roster of a county, month and category (nil when none).
func (r *BenefitRepo) RosterFor(ctx context.Context, county, month string, cat model.Category) (*model.Roster, error) {
	var ro model.Roster
	err := r.db(ctx).Where("county_code = ? AND month = ? AND category = ?", county, month, cat).Take(&ro).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	return &ro, err
}

// RosterByPublicID loads a roster (locked when forUpdate); notYours when none.
func (r *BenefitRepo) RosterByPublicID(ctx context.Context, publicID string, forUpdate bool, notYours *model.Error) (*model.Roster, error) {
	q := r.db(ctx).Where("public_id = ?", publicID)
	if forUpdate {
		q = r.lock(q)
	}
	var ro model.Roster
	err := q.Take(&ro).Error
	return &ro, notFound(err, notYours)
}

// Rosters lists the rosters of the counties under prefix (a county code is its own prefix),
// newest month first.
func (r *BenefitRepo) Rosters(ctx context.Context, countyPrefix, month string, limit int) ([]model.Roster, error) {
	q := r.db(ctx).Where("county_code LIKE ?", countyPrefix+"%")
	if month != "" {
		q = q.Where("month = ?", month)
	}
	var rows []model.Roster
	err := q.Order("month DESC, id DESC").Limit(limit).Find(&rows).Error
	return rows, err
}

// ReplaceLines deletes a roster's lines and writes new ones (a draft being rebuilt).
func (r *BenefitRepo) ReplaceLines(ctx context.Context, rosterID uint64, lines []model.RosterLine) error {
	return r.InTx(ctx, func(ctx context.Context) error {
		if err := r.db(ctx).Where("roster_id = ?", rosterID).Delete(&model.RosterLine{}).Error; err != nil {
			return err
		}
		for i := range lines {
			lines[i].RosterID = rosterID
		}
		if len(lines) == 0 {
			return nil
		}
		return r.db(ctx).CreateInBatches(lines, 500).Error
	})
}

// Lines are a roster's lines (of one town when town is not "").
func (r *BenefitRepo) Lines(ctx context.Context, rosterID uint64, town string) ([]model.RosterLine, error) {
	q := r.db(ctx).Where("roster_id = ?", rosterID)
	if town != "" {
		q = q.Where("town_code = ?", town)
	}
	var rows []model.RosterLine
	err := q.Order("id").Find(&rows).Error
	return rows, err
}

// SetLinesFeedback records one answer (paid, or failed with its reason) on pending lines of a
// roster, in statements of at most 1 000 ids, and answers how many lines it set.
func (r *BenefitRepo) SetLinesFeedback(ctx context.Context, rosterID uint64, lineIDs []uint64, status, reason string, by uint64, at time.Time) (int, error) {
	n := 0
	for len(lineIDs) > 0 {
		chunk := lineIDs[:min(len(lineIDs), 1000)]
		lineIDs = lineIDs[len(chunk):]
		res := r.db(ctx).Model(&model.RosterLine{}).Where("roster_id = ? AND status = ? AND id IN ?", rosterID, model.LinePending, chunk).
			Updates(map[string]any{"status": status, "fail_reason": reason, "fed_back_by_staff_id": by, "fed_back_at": at})
		if res.Error != nil {
			return n, res.Error
		}
		n += int(res.RowsAffected)
	}
	return n, nil
}

// LinesOfBenefits are the lines paying the benefits, newest month first (for the resident's
// payment record), limited.
func (r *BenefitRepo) LinesOfBenefit(ctx context.Context, benefitID uint64, limit int) ([]model.RosterLine, []model.Roster, error) {
	var lines []model.RosterLine
	if err := r.db(ctx).Where("benefit_id = ?", benefitID).Order("id DESC").Limit(limit).Find(&lines).Error; err != nil {
		return nil, nil, err
	}
	ids := make([]uint64, 0, len(lines))
	for _, l := range lines {
		ids = append(ids, l.RosterID)
	}
	var rosters []model.Roster
	if len(ids) > 0 {
		if err := r.db(ctx).Where("id IN ?", ids).Find(&rosters).Error; err != nil {
			return nil, nil, err
		}
	}
	return lines, rosters, nil
}
