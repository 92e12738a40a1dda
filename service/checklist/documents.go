package checklist

import (
	"context"
	"fmt"

	"palmaid/model"
	"palmaid/service/cases"
)

var _ cases.DocumentRules = (*Service)(nil)
var _ cases.SharingRules = (*Service)(nil)

// Documents implements cases.DocumentRules: the list of a draft from its declared facts, under
// the rules of its village on date. Per-member items get the code "<code>.<n>" and the name
// "<name>（家庭成员n）" (n from 1), so each line of a case's checklist has its own code and name.
func (s *Service) Documents(ctx context.Context, village model.AreaCode, date string, q cases.DocumentQuery) ([]cases.RequiredDocument, error) {
	items, err := s.List(ctx, village, date, InputFromFacts(q))
	if err != nil {
		return nil, err
	}
	out := make([]cases.RequiredDocument, len(items))
	for i, it := range items {
		d := cases.RequiredDocument{Code: it.Code, Name: it.Name, Note: it.Note, Why: it.Why, Provide: it.Provide, Source: it.Source}
		if it.Member >= 0 {
			d.Code = fmt.Sprintf("%s.%d", it.Code, it.Member+1)
			d.Name = fmt.Sprintf("%s（家庭成员%d）", it.Name, it.Member+1)
		}
		out[i] = d
	}
	return out, nil
}

// InputFromFacts maps a draft's declaration to the rules' input: adults from the birth date in
// the ID number on q.Today; 户籍 elsewhere from hukouType; employed from the employment status or a
// declared wage; the supporters declared.
func InputFromFacts(q cases.DocumentQuery) Input {
	in := Input{Categories: q.Categories, ByAgent: q.ByAgent}
	f := q.Facts
	if f == nil {
		return in
	}
	in.Emergency, in.Supporters = f.Emergency, len(f.Supporter)
	wage := map[int]bool{}
	for _, l := range f.Income {
		if l.Kind == "wage" && l.AmountCents > 0 {
			wage[l.Member] = true
		}
	}
	for i, m := range f.Members {
		adult := false
		if b, ok := model.BirthDateFromID(m.IDNumber); ok {
			adult = model.AgeOn(b, q.Today) >= 18
		}
		in.Members = append(in.Members, MemberInput{Relation: m.Relation, Adult: adult, DisabilityKind: m.DisabilityKind,
			DisabilityGrade: m.DisabilityGrade, Health: m.Health, InEducation: m.InEducation, HukouElsewhere: m.HukouType == "elsewhere",
			Employed: m.Employment == "employed" || m.Employment == "self_employed" || wage[i]})
	}
	return in
}
