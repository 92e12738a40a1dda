package deadlines

import (
	"context"
	"fmt"
	"palmaid/model"
	"palmaid/service/reqmeta"
	"palmaid/service/store"
	"time"
)

// RecomputeProvisional re-times the open clocks after a calendar year was loaded or corrected
// (calendaradmin's OnYearLoaded hook): every open clock that counts days of the year, not only
// the provisional ones. A clock whose due date moved goes on its area's reminder list (kind
// retimed, the new date) in the same transaction, so the officers who own it are told; each case
// is its own audited system action.
func (s *Service) RecomputeProvisional(ctx context.Context, year int) error {
	yearEnd := time.Date(year+1, 1, 1, 0, 0, 0, 0, model.China())
	rows, err := s.st.CasesWithClocksIn(ctx, year, yearEnd)
	if err != nil {
		return err
	}
	by := model.Actor{Type: model.ActorSystem}
	for _, c := range rows {
		err := s.st.InTx(ctx, func(ctx context.Context) error {
			var moved []model.Deadline
			f, err := s.st.UpdateCaseFile(ctx, store.SystemScope(c.ID), c.PublicID, 0, s.now(), func(ctx context.Context, f *model.CaseFile) error {
				env, err := s.k.Env(ctx, &f.Case, by, nil)
				if err != nil {
					return err
				}
				var changed bool
				if changed, moved = f.Retime(env); changed {
					id := f.Case.ID
					f.Audit = append(f.Audit, *reqmeta.Audit(ctx, model.ActorSystem, 0, f.Case.AreaCode, "case.clocks_recomputed",
						&id, fmt.Sprintf("calendar_year=%d moved=%d", year, len(moved)), env.Now))
				}
				return nil
			})
			if err != nil || len(moved) == 0 {
				return err
			}
			rs := make([]model.StaffReminder, 0, len(moved))
			for _, d := range moved {
				rs = append(rs, model.StaffReminder{DeadlineID: d.ID, CaseID: f.Case.ID, Kind: model.ReminderRetimed, Step: d.Step, DueOn: d.DueOn,
					AreaCode: f.Case.AreaCode, TownCode: f.Case.TownCode, CountyCode: f.Case.CountyCode, CreatedAt: s.now()})
			}
			return s.st.RetimeReminders(ctx, rs)
		})
		if err != nil {
			return fmt.Errorf("recompute clocks of case %d: %w", c.ID, err)
		}
	}
	return nil
}
