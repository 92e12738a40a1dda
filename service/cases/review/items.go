package review

import (
	"context"
	"palmaid/model"
	"palmaid/service/cases"
)

// ReviewItem records the staff verdict on one checklist item: accepted, or rejected with a
// reason the applicant sees. A rejected item is what a later return may ask for again. It is a
// staff action like the others: version checked, one transaction, audited.
func (s *Service) ReviewItem(ctx context.Context, st *model.Staff, publicID string, version int, itemID string, accepted bool, reason string) (*cases.StaffRecord, error) {
	reason, err := cases.Text("reason", reason, 200, false)
	if err != nil {
		return nil, err
	}
	id, perr := model.ParseID(itemID)
	return s.k.Act(ctx, st, publicID, version, model.PermCaseAccept, model.ActReviewItem, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		if perr != nil { // after the scope check: another area's case stays 404 case.not_found
			return perr
		}
		// No message here: the resident hears of a rejection with the return that asks for the
		// item again (one subscribe message, not two).
		return f.ReviewItem(env, id, accepted, reason)
	})
}
