package benefits

import (
	"context"
	"fmt"
	"sort"

	"palmaid/model"
)

// Part is one line of an amount's breakdown.
type Part struct {
	Label string
	Cents int64
}

// View is a benefit as its beneficiary, agent or an officer of its area sees it.
type View struct {
	Benefit      model.Benefit
	Breakdown    []Part
	Formula      string // how the amount is made, in words
	AccountKind  string
	AccountBank  string
	AccountTail4 string
	Account      model.PayeeAccount // without its sealed columns
	Changes      []model.BenefitChange
	// AccountChange is the resident's pending request for another account (without its sealed
	// columns), nil when none.
	AccountChange *model.AccountChangeRequest
}

// PaymentRecord is one month's payment of a benefit (发放记录).
type PaymentRecord struct {
	Month        string // the roster's month
	ForMonth     string // the month paid for (an arrears line: an earlier month)
	Kind         string // regular | arrears
	Cents        int64
	Status       string // pending | paid | failed
	StatusLabel  string
	AccountTail4 string
}

// breakdown explains the amount: 低保 S × n − counted income; 特困 basic + care.
func breakdown(b *model.Benefit) ([]Part, string) {
	if b.StandardCents <= 0 {
		return []Part{{Label: "保障金", Cents: b.MonthlyCents}}, "按审批确定的金额发放"
	}
	switch b.Category {
	case model.CatExtremeHardship:
		basic := b.MonthlyCents - b.CareCents
		return []Part{{Label: "基本生活费", Cents: basic}, {Label: "照料护理费", Cents: b.CareCents}},
			"基本生活费 + 照料护理费"
	default:
		gross := b.StandardCents * int64(b.Persons)
		income := max(gross-b.MonthlyCents, 0)
		return []Part{{Label: fmt.Sprintf("低保标准 %s × %d人", model.Yuan(b.StandardCents), b.Persons), Cents: gross},
				{Label: "扣减家庭月收入", Cents: -income}},
			"低保标准 × 保障人数 − 家庭月收入"
	}
}

func (s *Service) views(ctx context.Context, rows []model.Benefit, withChanges bool) ([]View, error) {
	ids, accIDs := make([]uint64, 0, len(rows)), []uint64{}
	for _, b := range rows {
		ids = append(ids, b.ID)
		if b.AccountID != nil {
			accIDs = append(accIDs, *b.AccountID)
		}
	}
	accounts, err := s.repo.AccountsByIDs(ctx, accIDs, false)
	if err != nil {
		return nil, err
	}
	var changes map[uint64][]model.BenefitChange
	if withChanges {
		if changes, err = s.repo.BenefitChanges(ctx, ids); err != nil {
			return nil, err
		}
	}
	pending, err := s.repo.PendingAccountChanges(ctx, ids, false)
	if err != nil {
		return nil, err
	}
	out := make([]View, 0, len(rows))
	for _, b := range rows {
		v := View{Benefit: b, Changes: changes[b.ID]}
		if p, ok := pending[b.ID]; ok {
			v.AccountChange = &p
		}
		v.Breakdown, v.Formula = breakdown(&b)
		if b.AccountID != nil {
			a := accounts[*b.AccountID]
			v.AccountKind, v.AccountBank, v.AccountTail4, v.Account = a.Kind, a.Bank, a.Tail4, a
		}
		out = append(out, v)
	}
	return out, nil
}

// Mine are the benefits of which the resident is the beneficiary or the agent (我的保障).
func (s *Service) Mine(ctx context.Context, residentID uint64) ([]View, error) {
	bidx, err := s.repo.VerifiedBidx(ctx, residentID)
	if err != nil {
		return nil, err
	}
	rows, err := s.repo.ResidentBenefits(ctx, residentID, bidx)
	if err != nil {
		return nil, err
	}
	return s.views(ctx, rows, false)
}

// StatusLabel is the resident's word for a line's state.
func StatusLabel(status string) string {
	switch status {
	case model.LinePaid:
		return "已发放"
	case model.LineFailed:
		return "发放失败，将于下月补发"
	}
	return "待发放"
}

// Payments is the payment record of one of the resident's benefits (发放记录): the lines of
// approved rosters, newest first. Anyone else's benefit is not found.
func (s *Service) Payments(ctx context.Context, residentID uint64, publicID string) (*View, []PaymentRecord, error) {
	if !model.WellFormedPublicID(publicID) {
		return nil, nil, ErrNotFound
	}
	bidx, err := s.repo.VerifiedBidx(ctx, residentID)
	if err != nil {
		return nil, nil, err
	}
	b, err := s.repo.ResidentBenefit(ctx, residentID, bidx, publicID, ErrNotFound)
	if err != nil {
		return nil, nil, err
	}
	vs, err := s.views(ctx, []model.Benefit{*b}, false)
	if err != nil {
		return nil, nil, err
	}
	recs, err := s.paymentRecords(ctx, b.ID)
	return &vs[0], recs, err
}

func (s *Service) paymentRecords(ctx context.Context, benefitID uint64) ([]PaymentRecord, error) {
	lines, rosters, err := s.repo.LinesOfBenefit(ctx, benefitID, 120)
	if err != nil {
		return nil, err
	}
	byID := map[uint64]model.Roster{}
	for _, r := range rosters {
		byID[r.ID] = r
	}
	out := []PaymentRecord{}
	for _, l := range lines {
		r := byID[l.RosterID]
		if r.LinesEditable() { // a draft may still change: shown once approved
			continue
		}
		out = append(out, PaymentRecord{Month: r.Month, ForMonth: l.ForMonth, Kind: l.Kind, Cents: l.TotalCents, Status: l.Status,
			StatusLabel: StatusLabel(l.Status), AccountTail4: l.AccountTail4})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Month > out[j].Month })
	return out, nil
}
