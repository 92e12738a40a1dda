package seed

import (
	"context"
	"time"

	"palmaid/service/checklist"
	"palmaid/service/store"
)

// Checklist writes the national checklist rules (service/checklist NationalRules) as the
// national rows of checklist_rules, replacing what an earlier binary wrote; region overrides
// are the administrators' and are not touched.
func Checklist(ctx context.Context, st *store.Store, now time.Time) error {
	rows := checklist.NationalRules()
	for i := range rows {
		rows[i].UpdatedAt = now
	}
	return st.SyncNationalChecklistRules(ctx, rows)
}
