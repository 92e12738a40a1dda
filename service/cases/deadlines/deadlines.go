package deadlines

import (
	"context"
	"fmt"
	"palmaid/model"
	"palmaid/service/cases"
	"palmaid/service/store"
	"time"
)

// SweepDeadlines is the scheduled deadline sweep: a reminder for every open clock due within
// one working day, and one when it has passed (each written once). It returns how many are new.
//
// The clocks a resident must act on (the back-fill of an urgent grant: the household completes
// the paperwork) are also told to the case's residents — applicant, agent and beneficiary as
// for every notice — ResidentNoticeWorkingDays working days before they fall due and once when
// they have passed, each once per clock however often and on however many replicas it runs.
func (s *Service) SweepDeadlines(ctx context.Context) (int64, error) {
	now := s.now()
	loc := model.China()
	today := now.In(loc).Format("2006-01-02")
	soon, _ := s.cal.AddWorkingDaysFlag(now, 1)
	n, err := s.st.SweepDeadlines(ctx, today, soon.Format("2006-01-02"), now)
	if err != nil {
		return n, err
	}
	told, err := s.tellResidentDeadlines(ctx, now, today)
	return n + told, err
}

// ResidentNoticeWorkingDays is how long before a back-fill deadline the residents are reminded
// (the back-fill itself is clock.backfill_working_days, 10 WD by default).
const ResidentNoticeWorkingDays = 3

// residentSteps are the clocks the resident must act on.
var residentSteps = []string{model.StepBackfill}

func (s *Service) tellResidentDeadlines(ctx context.Context, now time.Time, today string) (int64, error) {
	soon, _ := s.cal.AddWorkingDaysFlag(now, ResidentNoticeWorkingDays)
	due, err := s.st.DueResidentDeadlines(ctx, residentSteps, today, soon.Format("2006-01-02"))
	if err != nil {
		return 0, err
	}
	var n int64
	for _, d := range due {
		sent, err := s.st.NoticeResidentDeadline(ctx, d, now, func(c *model.Case) []model.Outbox {
			return backfillNotice(c, d, now)
		})
		if err != nil {
			return n, err
		}
		if sent {
			n++
		}
	}
	return n, nil
}

// backfillNotice tells the residents of an urgent grant that its paperwork is due soon or
// overdue: one row per recipient, keyed by the deadline and kind (never by the case version,
// which the sweep does not change).
func backfillNotice(c *model.Case, d store.DueResidentDeadline, now time.Time) []model.Outbox {
	phrase, short := "补办手续", "请于"+d.DueOn+"前补齐手续"
	body := fmt.Sprintf("您的申请（%s）已先行救助，请于%s前到乡镇（街道）补齐申请手续（补充材料、签字确认）。", c.CaseNo, d.DueOn)
	if d.Kind == model.ReminderOverdue {
		phrase, short = "手续逾期", "补办手续已逾期，请尽快办理"
		body = fmt.Sprintf("您的申请（%s）先行救助后补办手续的期限（%s）已过，请尽快到乡镇（街道）补齐申请手续。", c.CaseNo, d.DueOn)
	}
	rows := cases.ProgressNotice(c, now, phrase, short, body)
	for i := range rows {
		rows[i].IdempotencyKey = fmt.Sprintf("deadline:%d:%s:r%d", d.DeadlineID, d.Kind, rows[i].ResidentID)
	}
	return rows
}

// Purge deletes what retention allows: idempotency keys after 30 days (a client retry never
// comes that late) and delivered outbox rows and dead letters after 180 days (the in-app
// message stays; a dead letter not requeued in half a year is not going to be).
func (s *Service) Purge(ctx context.Context) (int64, error) {
	now := s.now()
	return s.st.PurgeExpired(ctx, now.Add(-30*24*time.Hour), now.Add(-180*24*time.Hour))
}
