package benefits

import (
	"context"
	"slices"

	"palmaid/model"
)

// Count is households (a per-person benefit counts as one) and persons.
type Count struct {
	Households int
	Persons    int
}

// CategoryCount is the recipients of one category.
type CategoryCount struct {
	Category model.Category
	Count
}

// Stats are the recipients and the money of an area subtree in a month.
type Stats struct {
	AreaCode, Month string
	Count
	ByCategory   []CategoryCount
	Urban, Rural Count // by the village's code: 居委会 or 村委会
	New, Stopped int   // benefits first paid this month; last paid the month before
	PaidMonth    int64 // paid (fed back as paid) in this month's rosters
	PaidYear     int64 // in the rosters of this year up to this month
	PerCapita    int64 // paid this month per person paid (regular lines)
	FailedLines  int
	FailedCents  int64
	ArrearsLines int // arrears lines (补发) in this month's rosters
	ArrearsCents int64
}

var (
	errStatsQuery = model.Invalid("stats.invalid_query", "统计条件不正确")
	errStatsMonth = errStatsQuery.WithField("month", "YYYY-MM")
	errStatsArea  = errStatsQuery.WithField("area", "本人辖区内的区划代码（12位）")
	errStatsNone  = model.E(model.KindNotFound, "area.not_found", "区划不存在，或不在本人辖区")
)

// Statistics are the figures of the officer's area, or of an area inside it (never another
// area's: that is not found), for a month (China time; "" the current one).
func (s *Service) Statistics(ctx context.Context, st *model.Staff, area, month string) (*Stats, error) {
	if !st.Can(model.PermBenefitRead) {
		return nil, errForbidden
	}
	if month == "" {
		month = s.now().In(s.loc).Format("2006-01")
	}
	if !model.ValidMonth(month) {
		return nil, errStatsMonth
	}
	code := st.Area()
	if area != "" {
		a, err := model.ParseAreaCode(area)
		if err != nil {
			return nil, errStatsArea
		}
		if !code.Contains(a) {
			return nil, errStatsNone
		}
		code = a
	}
	prefix := code.Prefix()
	out := &Stats{AreaCode: string(code), Month: month}
	counts, err := s.repo.BenefitCounts(ctx, prefix, month)
	if err != nil {
		return nil, err
	}
	for _, c := range counts {
		out.Households += c.N
		out.Persons += c.Persons
		out.New += c.New
		part := &out.Urban
		if model.Rural(c.AreaCode) {
			part = &out.Rural
		}
		part.Households += c.N
		part.Persons += c.Persons
		i := slices.IndexFunc(out.ByCategory, func(x CategoryCount) bool { return x.Category == c.Category })
		if i < 0 {
			out.ByCategory = append(out.ByCategory, CategoryCount{Category: c.Category})
			i = len(out.ByCategory) - 1
		}
		out.ByCategory[i].Households += c.N
		out.ByCategory[i].Persons += c.Persons
	}
	if out.Stopped, err = s.repo.BenefitsStopped(ctx, prefix, model.AddMonths(month, -1)); err != nil {
		return nil, err
	}
	sums, err := s.repo.LineSums(ctx, prefix, month[:4]+"-01", month)
	if err != nil {
		return nil, err
	}
	paidPersons := 0
	for _, l := range sums {
		if l.Status == model.LinePaid {
			out.PaidYear += l.Cents
		}
		if l.Month != month {
			continue
		}
		switch {
		case l.Status == model.LinePaid:
			out.PaidMonth += l.Cents
			if l.Kind == model.LineRegular {
				paidPersons += l.Persons
			}
		case l.Status == model.LineFailed:
			out.FailedLines += l.N
			out.FailedCents += l.Cents
		}
		if l.Kind == model.LineArrears {
			out.ArrearsLines += l.N
			out.ArrearsCents += l.Cents
		}
	}
	if paidPersons > 0 {
		out.PerCapita = out.PaidMonth / int64(paidPersons)
	}
	return out, nil
}
