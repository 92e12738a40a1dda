package worklist

import (
	"context"
	"palmaid/model"
	"palmaid/service/cases"
	"palmaid/service/store"
)

// Reminders lists the reminders of the officer's area, newest first.
func (s *Service) Reminders(ctx context.Context, st *model.Staff, before uint64, limit int) ([]store.Reminder, error) {
	if !st.Can(model.PermCaseRead) {
		return nil, cases.ErrRoleForbidden
	}
	return s.st.Reminders(ctx, store.StaffScope(st), before, limit)
}
