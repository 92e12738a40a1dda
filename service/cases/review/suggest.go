package review

import (
	"context"
	"fmt"
	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/cases"
	"palmaid/service/eligibility"
	"time"
)

var errDeviationReason = model.E(model.KindUnprocessable, "case.deviation_reason_required",
	"初审意见与系统测算结果不同，请说明理由")

// engineReport evaluates the declared facts under the area's policy today (nil when the case
// has no declaration or it cannot be evaluated).
func (s *Service) engineReport(ctx context.Context, f *model.CaseFile) (*eligibility.Report, error) {
	if f.Facts == nil {
		return nil, nil
	}
	facts, err := s.k.OpenFacts(f)
	if err != nil {
		return nil, err
	}
	p, err := s.st.RegionPolicy(ctx, model.AreaCode(f.Case.AreaCode), calendar.DateOf(s.now()))
	if err != nil {
		return nil, err
	}
	t := s.now().In(model.China())
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	rep, err := eligibility.Evaluate(*eligibility.FromDeclaration(facts, day, false), p, day)
	if err != nil {
		return nil, nil // an incomplete declaration: no suggestion
	}
	return rep, nil
}

// granted: approved is a grant; refused and not applicable are not.
func granted(outcome string) bool { return outcome == model.OutcomeApproved }

// annotate records the engine's suggestion on each opinion entry and requires a reason where the
// officer departs from it (granted or not, or another monthly amount). deviations holds the
// reasons by entry index.
func annotate(entries []model.Opinion, deviations []string, sugg []cases.Suggestion) error {
	by := map[string]cases.Suggestion{}
	for _, s := range sugg {
		by[fmt.Sprintf("%s/%d", s.Category, s.MemberPosition)] = s
	}
	for i := range entries {
		e := &entries[i]
		s, ok := by[fmt.Sprintf("%s/%d", e.Category, e.MemberPosition)]
		if !ok {
			continue
		}
		e.EngineOutcome, e.EngineCents = s.Outcome, s.MonthlyCents
		differs := granted(e.Outcome) != granted(s.Outcome) || (granted(e.Outcome) && s.MonthlyCents != 0 && e.MonthlyCents != s.MonthlyCents)
		if i < len(deviations) {
			e.DeviationReason = deviations[i]
		}
		if differs && e.DeviationReason == "" {
			hint := fmt.Sprintf("系统测算为“%s”", outcomeLabel(s.Outcome))
			if s.MonthlyCents > 0 {
				hint += fmt.Sprintf("，每月 %.2f 元", float64(s.MonthlyCents)/100)
			}
			return errDeviationReason.WithField(fmt.Sprintf("entries[%d].deviationReason", i), hint+"；与之不同须说明理由")
		}
	}
	return nil
}

func outcomeLabel(o string) string {
	switch o {
	case model.OutcomeApproved:
		return "符合"
	case model.OutcomeRefused:
		return "不符合"
	}
	return "不适用"
}
