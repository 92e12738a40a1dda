package worklist

import (
	"context"
	"fmt"
	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/cases"
	"palmaid/service/residents"
	"palmaid/service/store"
	"strings"
	"unicode/utf8"
)

var errInvalidSearch = model.Invalid("case.invalid_search", "请输入受理编号、身份证号、姓名或村（社区）名称（1至30个字）")

// SearchLimit is the most cases one search answers.
const SearchLimit = 50

// SearchPage is the answer of a search: the cases (newest first) and how each was matched.
type SearchPage struct {
	*cases.Page
	MatchedBy map[uint64]string // case id → case_no | id_number | name | village
}

// Search finds cases in the officer's area by what a caseworker has at hand: the 受理编号
// (exact), an ID number of a household member (through the blind index; the number is never
// stored or logged), the start of a member's name, or part of a village's name. Every search
// is audited with its kind and the number of results.
func (s *Service) Search(ctx context.Context, st *model.Staff, q string) (*SearchPage, error) {
	if !st.Can(model.PermCaseRead) {
		return nil, cases.ErrRoleForbidden
	}
	q = strings.TrimSpace(strings.ReplaceAll(q, "\u3000", " "))
	if q == "" || utf8.RuneCountInString(q) > 30 || !utf8.ValidString(q) || strings.ContainsAny(q, "\x00\r\n\t") {
		return nil, errInvalidSearch
	}
	sc := store.StaffScope(st)
	out := &SearchPage{Page: &cases.Page{Today: calendar.DateOf(s.now())}, MatchedBy: map[uint64]string{}}
	var by string
	add := func(kind string, f store.CaseSearch) error {
		f.Limit = SearchLimit
		rows, err := s.st.SearchCases(ctx, sc, f)
		if err != nil {
			return err
		}
		for _, c := range rows {
			if _, seen := out.MatchedBy[c.ID]; !seen && len(out.Cases) < SearchLimit {
				out.MatchedBy[c.ID] = kind
				out.Cases = append(out.Cases, c)
			}
		}
		return nil
	}
	id := model.NormalizeIDNumber(q)
	switch {
	case len(id) == 18 && isDigits(id[:17]):
		if err := model.ValidateIDNumber(id, s.now().In(model.China())); err != nil {
			return nil, err
		}
		by = "id_number"
		if err := add(by, store.CaseSearch{IDBidx: s.cipher.BlindIndex(residents.PurposeIDNumber, id)}); err != nil {
			return nil, err
		}
	case isCaseNo(q):
		by = "case_no"
		if err := add(by, store.CaseSearch{CaseNo: strings.ToUpper(q)}); err != nil {
			return nil, err
		}
	default:
		by = "name_or_village"
		if err := add("name", store.CaseSearch{NamePrefix: q}); err != nil {
			return nil, err
		}
		villages, err := s.st.AreaCodesNamed(ctx, st.Area(), q, 50)
		if err != nil {
			return nil, err
		}
		if len(villages) > 0 {
			if err := add("village", store.CaseSearch{Villages: villages}); err != nil {
				return nil, err
			}
		}
	}
	// newest first across the kinds
	sortCasesNewestFirst(out.Cases)
	out.DaysLeft = s.k.DaysLeft(out.Cases)
	codes := make([]string, 0, len(out.Cases))
	for _, c := range out.Cases {
		codes = append(codes, c.AreaCode)
	}
	var err error
	if out.AreaNames, err = s.st.AreaNames(ctx, codes); err != nil {
		return nil, err
	}
	if out.Names, err = s.st.ApplicantNames(ctx, out.Cases); err != nil {
		return nil, err
	}
	if err := s.k.AuditOutside(ctx, st, "case.search", nil, fmt.Sprintf("by=%s results=%d", by, len(out.Cases))); err != nil {
		return nil, err
	}
	return out, nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// isCaseNo: a 受理编号 is ASCII letters followed by digits (JZ2026112300000001).
func isCaseNo(s string) bool {
	i := 0
	for i < len(s) && (s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 'a' && s[i] <= 'z') {
		i++
	}
	return i > 0 && len(s)-i >= 6 && isDigits(s[i:])
}

func sortCasesNewestFirst(cs []*model.Case) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].ID > cs[j-1].ID; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// Village is a village of the officer's area with the name of its town.
type Village struct {
	Code, Name, TownName string
}

// Villages lists the villages of the officer's area (for pickers by name).
func (s *Service) Villages(ctx context.Context, st *model.Staff) ([]Village, error) {
	if !st.Can(model.PermCaseRead) {
		return nil, cases.ErrRoleForbidden
	}
	rows, err := s.st.VillagesWithin(ctx, st.Area(), 5000)
	if err != nil {
		return nil, err
	}
	towns := make([]string, 0, len(rows))
	for _, a := range rows {
		towns = append(towns, a.ParentCode)
	}
	names, err := s.st.AreaNames(ctx, towns)
	if err != nil {
		return nil, err
	}
	out := make([]Village, len(rows))
	for i, a := range rows {
		out[i] = Village{Code: a.Code, Name: a.Name, TownName: names[a.ParentCode]}
	}
	return out, nil
}
