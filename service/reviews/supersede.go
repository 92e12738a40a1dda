package reviews

import (
	"sort"

	"palmaid/model"
)

// supersede makes new changes prevail over changes already written for later months (a 渐退's
// remaining steps, a decrease decided for next month): changes are append-only and a month pays
// the last change effective in or before it, so for every later month an earlier change starts in,
// the change of the new ones in force that month is written again for it (later rows win ties).
func supersede(existing, changes []model.BenefitChange) []model.BenefitChange {
	if len(changes) == 0 {
		return changes
	}
	first := changes[0].EffectiveMonth
	has := map[string]bool{}
	for _, c := range changes {
		has[c.EffectiveMonth] = true
	}
	var months []string
	for _, c := range existing {
		if c.EffectiveMonth > first && !has[c.EffectiveMonth] {
			has[c.EffectiveMonth] = true
			months = append(months, c.EffectiveMonth)
		}
	}
	sort.Strings(months)
	out := append([]model.BenefitChange(nil), changes...)
	for _, m := range months {
		var cur model.BenefitChange
		for _, c := range changes {
			if c.EffectiveMonth <= m {
				cur = c
			}
		}
		cur.EffectiveMonth = m
		out = append(out, cur)
	}
	return out
}
