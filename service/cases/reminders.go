package cases

import (
	"context"
	"time"

	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/store"
)

// SweepDeadlines is the scheduled deadline sweep: a reminder for every open clock due within
// one working day, and one when it has passed (each written once). It returns how many are new.
func (s *Service) SweepDeadlines(ctx context.Context) (int64, error) {
	now := s.now()
	loc := calendar.Location()
	soon, _ := s.cal.AddWorkingDaysFlag(now, 1)
	return s.st.SweepDeadlines(ctx, now.In(loc).Format("2006-01-02"), soon.Format("2006-01-02"), now)
}

// Purge deletes what retention allows: idempotency keys after 30 days (a client retry never
// comes that late) and delivered outbox rows after 180 days (the in-app message stays).
func (s *Service) Purge(ctx context.Context) (int64, error) {
	now := s.now()
	return s.st.PurgeExpired(ctx, now.Add(-30*24*time.Hour), now.Add(-180*24*time.Hour))
}

// Reminders lists the reminders of the officer's area, newest first.
func (s *Service) Reminders(ctx context.Context, st *model.Staff, before uint64, limit int) ([]store.Reminder, error) {
	if !st.Can(model.PermCaseRead) {
		return nil, errRoleForbidden
	}
	return s.st.Reminders(ctx, store.StaffScope(st), before, limit)
}
