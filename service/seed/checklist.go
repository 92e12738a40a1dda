package seed

import (
	"context"
	"time"

	"palmaid/model"
	"palmaid/service/checklist"
)

// Checklist writes the national checklist rules (service/checklist NationalRules) as the
// national rows of checklist_rules, replacing what an earlier binary wrote; region overrides
// are the administrators' and are not touched.
// A restart with unchanged rules only reads, so replicas starting together do not contend.
func Checklist(ctx context.Context, st Store, now time.Time) error {
	rows := checklist.NationalRules()
	have, err := st.ChecklistRulesAt(ctx, "")
	if err != nil {
		return err
	}
	if same(have, rows) {
		return nil
	}
	for i := range rows {
		rows[i].UpdatedAt = now
	}
	return st.SyncNationalChecklistRules(ctx, rows)
}

// same compares stored national rows with the code's, ignoring ids and times.
func same(have, want []model.ChecklistRule) bool {
	if len(have) != len(want) {
		return false
	}
	key := func(r model.ChecklistRule) model.ChecklistRule {
		r.ID, r.UpdatedAt = 0, time.Time{}
		return r
	}
	index := make(map[model.ChecklistRule]bool, len(have))
	for _, r := range have {
		index[key(r)] = true
	}
	for _, r := range want {
		if !index[key(r)] {
			return false
		}
	}
	return true
}
