package eligibility

import (
	"context"
	"time"

	"palmaid/model"
)

// PolicyLoader is what the self-check needs from the store: the area and its policy on a date.
type PolicyLoader interface {
	GetArea(ctx context.Context, code string) (*model.Area, error)
	RegionPolicy(ctx context.Context, area model.AreaCode, date string) (model.Policy, error)
}

// Service runs the engine for the resident's self-check. It stores nothing.
type Service struct {
	policies PolicyLoader
	now      func() time.Time
}

// New builds the service.
func New(policies PolicyLoader, now func() time.Time) *Service {
	return &Service{policies: policies, now: now}
}

// CheckInput is the self-check request: where the household lives and what it tells.
type CheckInput struct {
	VillageCode string `json:"villageCode"`
	Household   Facts  `json:"household"`
}

// Figures are the region's numbers the answer was computed with, shown beside the results.
type Figures struct {
	StandardCents          int64  `json:"standardCents"`          // S for this household (urban or rural)
	UrbanStandardCents     int64  `json:"urbanStandardCents"`     // S for urban households
	RuralStandardCents     int64  `json:"ruralStandardCents"`     // S for rural households
	EdgeMultiplier         string `json:"edgeMultiplier"`         // k, e.g. "1.5"
	EdgeLineCents          int64  `json:"edgeLineCents"`          // k × S per person
	AmountMethod           string `json:"amountMethod"`           // difference | tiers
	MinAmountCents         int64  `json:"minAmountCents"`         // monthly floor of an eligible household
	DepositMonths          int    `json:"depositMonths"`          // deposits per member ≤ months × S (低保)
	EdgeDepositMonths      int    `json:"edgeDepositMonths"`      // the same for edge households
	ExtremeBasicCents      int64  `json:"extremeBasicCents"`      // 特困 basic standard per month
	CareSelfCents          int64  `json:"careSelfCents"`          // 全自理
	CarePartialCents       int64  `json:"carePartialCents"`       // 半护理
	CareFullCents          int64  `json:"careFullCents"`          // 全护理
	TemporaryTierMonths    []int  `json:"temporaryTierMonths"`    // months of S per person by severity
	TemporaryCapMonths     int    `json:"temporaryCapMonths"`     // above: 一事一议
	DisposableIncomeCents  int64  `json:"disposableIncomeCents"`  // last year's per-capita disposable income (annual)
	IllnessSpendingPercent int    `json:"illnessSpendingPercent"` // 因病致贫: out-of-pocket share of income
}

// CheckResult is the self-check's answer: for reference only, never stored.
type CheckResult struct {
	AreaName string  `json:"areaName"`
	Date     string  `json:"date"`
	Figures  Figures `json:"figures"`
	Report   *Report `json:"report"`
}

var errNotVillage = model.ErrNotVillage.WithField("villageCode", "12位村（社区）代码")

// Check evaluates the facts under the policy of the household's village today.
func (s *Service) Check(ctx context.Context, in CheckInput) (*CheckResult, error) {
	code, err := model.ParseAreaCode(in.VillageCode)
	if err != nil || code.Level() != model.LevelVillage {
		return nil, errNotVillage
	}
	now := s.now().In(model.China())
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	// validate before touching the store: bad facts cost nothing
	if err := in.Household.Validate(today); err != nil {
		return nil, err
	}
	area, err := s.policies.GetArea(ctx, string(code))
	if err != nil {
		return nil, err
	}
	p, err := s.policies.RegionPolicy(ctx, code, today.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	r, err := Evaluate(in.Household, p, today)
	if err != nil {
		return nil, err
	}
	el := p.Eligibility
	return &CheckResult{AreaName: area.Name, Date: r.Date, Report: r, Figures: Figures{
		StandardCents: r.StandardCents, UrbanStandardCents: p.Standard(false), RuralStandardCents: p.Standard(true),
		EdgeMultiplier: ratio(el.EdgeMultiplierPermille), EdgeLineCents: permille(r.StandardCents, el.EdgeMultiplierPermille),
		AmountMethod: el.AmountMethod, MinAmountCents: el.MinAmountCents,
		DepositMonths: el.DepositMonths, EdgeDepositMonths: el.EdgeDepositMonths,
		ExtremeBasicCents: permille(r.StandardCents, el.ExtremeBasicPermille),
		CareSelfCents:     el.CareSelfCents, CarePartialCents: el.CarePartialCents, CareFullCents: el.CareFullCents,
		TemporaryTierMonths: el.TemporaryTierMonths, TemporaryCapMonths: el.TemporaryCapMonths,
		DisposableIncomeCents: el.DisposableIncomeAnnualCents, IllnessSpendingPercent: el.IllnessSpendingPercent,
	}}, nil
}
