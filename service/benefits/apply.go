package benefits

import (
	"context"
	"time"

	"palmaid/model"
)

// ApplyChanges appends changes to a benefit the caller read and locked in its transaction (a
// decided review: service/reviews) and brings the benefit's current-state columns in line with
// them: status, amount and persons, the last month paid (a termination pays through the month
// before its own) and the next review date ("" leaves it; a termination clears it). What a
// month pays stays model.PaysIn of the changes.
func (s *Service) ApplyChanges(ctx context.Context, b *model.Benefit, changes []model.BenefitChange, nextReviewOn string, now time.Time) error {
	var gradual bool
	for i := range changes {
		c := &changes[i]
		c.BenefitID = b.ID
		if err := s.repo.AddBenefitChange(ctx, c); err != nil {
			return err
		}
		switch c.Kind {
		case model.ChangeTerminate:
			if b.Status != model.BenefitTerminated || b.EffectiveTo == "" || c.EffectiveMonth <= b.EffectiveTo {
				// the first termination decides the last month paid (later rows repeat it for
				// months earlier changes had been written for)
				b.EffectiveTo = model.AddMonths(c.EffectiveMonth, -1)
			}
			b.Status, nextReviewOn, b.NextReviewOn = model.BenefitTerminated, "", ""
		case model.ChangeSuspend:
			b.Status = model.BenefitSuspended
		case model.ChangeGradualExit:
			if !gradual {
				b.MonthlyCents, b.Persons = c.MonthlyCentsAfter, c.Persons
			}
			gradual = true
		default:
			b.Status, b.MonthlyCents, b.Persons, b.EffectiveTo = model.BenefitActive, c.MonthlyCentsAfter, c.Persons, ""
		}
	}
	if gradual {
		b.Status = model.BenefitGradualExit // ends with the terminate change after its last month
	}
	if nextReviewOn != "" {
		b.NextReviewOn = nextReviewOn
	}
	b.UpdatedAt = now
	return s.repo.SaveBenefit(ctx, b)
}
