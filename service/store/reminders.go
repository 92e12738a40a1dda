package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"palmaid/model"
)

// SweepDeadlines writes a reminder for every open clock due on or before soon (due_soon) or
// before today (overdue), once per (deadline, kind): run it as often as you like. It returns
// how many reminders are new.
func (s *CaseFileRepo) SweepDeadlines(ctx context.Context, today, soon string, now time.Time) (int64, error) {
	var rows []struct {
		ID, CaseID                     uint64
		Step, DueOn                    string
		AreaCode, TownCode, CountyCode string
	}
	err := s.conn(ctx).Table("case_deadlines AS d").
		Select("d.id, d.case_id, d.step, d.due_on, c.area_code, c.town_code, c.county_code").
		Joins("JOIN cases c ON c.id = d.case_id").
		Where("d.state = ? AND d.due_on <= ?", model.ClockOpen, soon).
		// only clocks still missing the reminder of their current kind: the sweep's work stays
		// proportional to what is new, however many clocks are long overdue
		Where("NOT EXISTS (SELECT 1 FROM staff_reminders r WHERE r.deadline_id = d.id AND r.kind = CASE WHEN d.due_on < ? THEN ? ELSE ? END)",
			today, model.ReminderOverdue, model.ReminderDueSoon).
		Order("d.id").Limit(5000).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	out := make([]model.StaffReminder, 0, len(rows))
	for _, r := range rows {
		kind := model.ReminderDueSoon
		if r.DueOn < today {
			kind = model.ReminderOverdue
		}
		out = append(out, model.StaffReminder{DeadlineID: r.ID, CaseID: r.CaseID, Kind: kind, Step: r.Step, DueOn: r.DueOn,
			AreaCode: r.AreaCode, TownCode: r.TownCode, CountyCode: r.CountyCode, CreatedAt: now})
	}
	res := s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(&out, 500)
	return res.RowsAffected, res.Error
}

// Reminder is a reminder with its case's public id and number.
type Reminder struct {
	model.StaffReminder
	PublicID string
	CaseNo   string
}

// Reminders lists the reminders of the scope's cases, newest first (keyset on id).
func (s *CaseFileRepo) Reminders(ctx context.Context, sc Scope, before uint64, limit int) ([]Reminder, error) {
	var list []model.StaffReminder
	q := sc.area(s.conn(ctx).Model(&model.StaffReminder{}))
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	if err := q.Order("id DESC").Limit(limit).Find(&list).Error; err != nil || len(list) == 0 {
		return nil, err
	}
	ids := make([]uint64, 0, len(list))
	for _, r := range list {
		ids = append(ids, r.CaseID)
	}
	var cases []model.Case
	if err := s.conn(ctx).Select("id", "public_id", "case_no").Where("id IN ?", ids).Find(&cases).Error; err != nil {
		return nil, err
	}
	byID := make(map[uint64]model.Case, len(cases))
	for _, c := range cases {
		byID[c.ID] = c
	}
	out := make([]Reminder, 0, len(list))
	for _, r := range list {
		out = append(out, Reminder{StaffReminder: r, PublicID: byID[r.CaseID].PublicID, CaseNo: byID[r.CaseID].CaseNo})
	}
	return out, nil
}

// PurgeExpired deletes idempotency keys created before keysBefore, and delivered outbox rows
// and dead letters done before outboxBefore (retention; the in-app copy of every row stays); it
// returns the rows deleted. Staff and resident sessions live in Redis and expire there.
func (s *CaseFileRepo) PurgeExpired(ctx context.Context, keysBefore, outboxBefore time.Time) (int64, error) {
	a := s.conn(ctx).Where("created_at < ?", keysBefore).Delete(&model.IdempotencyRecord{})
	if a.Error != nil {
		return 0, a.Error
	}
	b := s.conn(ctx).Where("status IN ? AND done_at < ?", []string{model.OutboxDone, model.OutboxDead}, outboxBefore).Delete(&model.Outbox{})
	return a.RowsAffected + b.RowsAffected, b.Error
}

// DueResidentDeadline is an open clock of a step the resident must act on, due soon or overdue,
// whose residents have not been told of it in its current kind yet.
type DueResidentDeadline struct {
	DeadlineID, CaseID uint64
	DueOn, Kind        string
}

// DueResidentDeadlines lists the open clocks of steps due on or before soon whose residents
// have not yet heard of them in their current kind (due_soon, or overdue once before today).
func (s *CaseFileRepo) DueResidentDeadlines(ctx context.Context, steps []string, today, soon string) ([]DueResidentDeadline, error) {
	var rows []struct {
		ID, CaseID uint64
		DueOn      string
	}
	err := s.conn(ctx).Table("case_deadlines AS d").Select("d.id, d.case_id, d.due_on").
		Where("d.state = ? AND d.step IN ? AND d.due_on <= ?", model.ClockOpen, steps, soon).
		Where("NOT EXISTS (SELECT 1 FROM resident_deadline_notices n WHERE n.deadline_id = d.id AND n.kind = CASE WHEN d.due_on < ? THEN ? ELSE ? END)",
			today, model.ReminderOverdue, model.ReminderDueSoon).
		Order("d.id").Limit(1000).Scan(&rows).Error
	out := make([]DueResidentDeadline, 0, len(rows))
	for _, r := range rows {
		kind := model.ReminderDueSoon
		if r.DueOn < today {
			kind = model.ReminderOverdue
		}
		out = append(out, DueResidentDeadline{DeadlineID: r.ID, CaseID: r.CaseID, DueOn: r.DueOn, Kind: kind})
	}
	return out, err
}

// NoticeResidentDeadline records the notice of d and queues the outbox rows build makes from
// the case (with its categories), in one transaction; a notice already recorded (another
// replica, an earlier run) queues nothing and answers false.
func (s *CaseFileRepo) NoticeResidentDeadline(ctx context.Context, d DueResidentDeadline, now time.Time, build func(c *model.Case) []model.Outbox) (bool, error) {
	sent := false
	err := s.InTx(ctx, func(ctx context.Context) error {
		res := s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).
			Create(&model.ResidentDeadlineNotice{DeadlineID: d.DeadlineID, Kind: d.Kind, CaseID: d.CaseID, CreatedAt: now})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		var c model.Case
		if err := s.conn(ctx).Where("id = ?", d.CaseID).Take(&c).Error; err != nil {
			return err
		}
		if err := s.conn(ctx).Where("case_id = ?", c.ID).Find(&c.Categories).Error; err != nil {
			return err
		}
		rows := build(&c)
		sent = len(rows) > 0
		return insertAll(s.conn(ctx), rows)
	})
	return sent, err
}

// CasesWithClocksIn lists the cases with an open clock that a change of year's calendar can
// move: provisional, or counting days of the year (started before its end, due on or after its
// start).
func (s *CaseFileRepo) CasesWithClocksIn(ctx context.Context, year int, yearEnd time.Time) ([]model.Case, error) {
	var out []model.Case
	from := fmt.Sprintf("%04d-01-01", year)
	err := s.conn(ctx).Select("id", "public_id").Where("id IN (?)",
		s.conn(ctx).Model(&model.Deadline{}).Select("case_id").Where("state = ? AND (provisional = ? OR (due_on >= ? AND started_at < ?))",
			model.ClockOpen, true, from, yearEnd)).
		Find(&out).Error
	return out, err
}

// RetimeReminders puts the moved clocks on the reminder list of their case's area (kind
// retimed, the new due date); a clock moved again replaces its earlier reminder's date.
func (s *CaseFileRepo) RetimeReminders(ctx context.Context, rs []model.StaffReminder) error {
	if len(rs) == 0 {
		return nil
	}
	return s.conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "deadline_id"}, {Name: "kind"}},
		DoUpdates: clause.AssignmentColumns([]string{"due_on", "created_at"})}).Create(&rs).Error
}
