package worklist

import (
	"context"
	"math"
	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/cases"
	"palmaid/service/store"
	"sort"
	"time"
)

// The dashboard's figures for a staff member's area (GET /api/v1/stats). Definitions:
//
//   - ByStatus: the area's cases (drafts excluded) per status, now.
//   - ByCategory: per category the applicant asked for, how many cases are open (not in a
//     closed status) and how many closed.
//   - Overdue: the open statutory clocks whose due date is before today (CST), per step.
//   - StepDays: the time a case spent in a status. A stay begins with the history event that
//     moved the case into the status and ends with the first later event that moved it out;
//     events that leave the status unchanged (a visit recorded during the investigation) do not
//     end it. Only stays that ended inside the window (the last Days days up to now) count, so
//     a case still waiting adds nothing. CalendarDays is the elapsed time in days (one decimal);
//     WorkingDays counts the working days after the entry's civil date up to and including the
//     exit's (CST, holiday calendar: calendar.WorkingDaysBetween) — a stay within one day is 0.
type Stats struct {
	Days       int
	Since      time.Time
	ByStatus   map[model.Status]int64
	ByCategory []CategoryStat
	Overdue    map[string]int64 // step → open clocks past due
	StepDays   []StepDays
}

// CategoryStat counts the cases asking for one category.
type CategoryStat struct {
	Category     model.Category
	Open, Closed int64
}

// StepDays is the average stay in one status over the window.
type StepDays struct {
	Status       model.Status
	Stays        int
	CalendarDays float64 // average, one decimal
	WorkingDays  float64 // average, one decimal
}

// ErrStatsDays: the window is out of range.
var ErrStatsDays = model.Invalid("stats.invalid_days", "统计天数应为1到366之间的整数").WithField("days", "1–366")

// Stats computes the dashboard figures for st's area over the last days days.
func (s *Service) Stats(ctx context.Context, st *model.Staff, days int) (*Stats, error) {
	if !st.Can(model.PermCaseRead) {
		return nil, cases.ErrRoleForbidden
	}
	if days < 1 || days > 366 {
		return nil, ErrStatsDays
	}
	sc := store.StaffScope(st)
	now := s.now()
	out := &Stats{Days: days, Since: now.AddDate(0, 0, -days), ByStatus: map[model.Status]int64{}, Overdue: map[string]int64{}}
	byStatus, err := s.st.CaseCountsByStatus(ctx, sc)
	if err != nil {
		return nil, err
	}
	for _, r := range byStatus {
		out.ByStatus[r.Status] = r.N
	}
	byCat, err := s.st.CaseCountsByCategory(ctx, sc)
	if err != nil {
		return nil, err
	}
	cats := map[model.Category]*CategoryStat{}
	for _, r := range byCat {
		c := cats[r.Category]
		if c == nil {
			c = &CategoryStat{Category: r.Category}
			cats[r.Category] = c
		}
		if r.Status.Closed() {
			c.Closed += r.N
		} else {
			c.Open += r.N
		}
	}
	for _, c := range cats {
		out.ByCategory = append(out.ByCategory, *c)
	}
	sort.Slice(out.ByCategory, func(i, j int) bool { return out.ByCategory[i].Category < out.ByCategory[j].Category })
	clocks, err := s.st.OpenDeadlines(ctx, sc)
	if err != nil {
		return nil, err
	}
	today := calendar.DateOf(now)
	for _, d := range clocks {
		if d.DueOn < today {
			out.Overdue[d.Step]++
		}
	}
	events, err := s.st.EventsOfCasesActiveSince(ctx, sc, out.Since)
	if err != nil {
		return nil, err
	}
	out.StepDays = s.stepDays(events, out.Since)
	return out, nil
}

// stepDays averages the stays that ended at or after since; events are ordered by case, id.
func (s *Service) stepDays(events []model.CaseEvent, since time.Time) []StepDays {
	type acc struct {
		n         int
		cal, work float64
	}
	sum := map[model.Status]*acc{}
	var cur model.Status
	var enteredAt time.Time
	var caseID uint64
	for _, e := range events {
		if e.CaseID != caseID {
			caseID, cur = e.CaseID, ""
		}
		if e.ToStatus == cur {
			continue
		}
		if cur != "" && !e.CreatedAt.Before(since) {
			a := sum[cur]
			if a == nil {
				a = &acc{}
				sum[cur] = a
			}
			a.n++
			a.cal += e.CreatedAt.Sub(enteredAt).Hours() / 24
			a.work += float64(s.cal.WorkingDaysBetween(enteredAt, e.CreatedAt))
		}
		cur, enteredAt = e.ToStatus, e.CreatedAt
	}
	out := []StepDays{}
	for _, st := range model.AllStatuses {
		if a := sum[st]; a != nil && st != model.StatusDraft { // a draft's time is the resident's
			out = append(out, StepDays{Status: st, Stays: a.n, CalendarDays: round1(a.cal / float64(a.n)), WorkingDays: round1(a.work / float64(a.n))})
		}
	}
	return out
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }
