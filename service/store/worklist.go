package store

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"palmaid/model"
)

// CaseFilter narrows a case list. Lists are newest first (id descending) with the keyset
// cursor Before, except the due-date lists (DueBefore or DueOnOrBefore set): those are most
// urgent first, (next_due_on, id) ascending, with the cursor (AfterDueOn, AfterID). OrderByDue
// puts any other list (a step's worklist) in that order too.
type CaseFilter struct {
	Status        model.Status
	Stages        []model.Stage  // worklist: one or more stages
	Category      model.Category // a category the applicant asked for
	Village       string         // one village/community
	DueBefore     string         // open clock due before this date (overdue: today)
	DueOnOrBefore string         // open clock due on or before this date (due soon)
	DueOnOrAfter  string         // and not before this date (due soon: not the overdue ones again)
	AgentCase     *bool
	CloseRelative *bool
	Urgent        *bool
	Before        uint64 // keyset cursor: only ids below it
	// The due-date lists' keyset cursor, the last row of the previous page: only cases after
	// (AfterDueOn, AfterID) in (next_due_on, id) order. Both set, or neither.
	AfterDueOn string
	AfterID    uint64
	Limit      int
	// OrderByDue: most urgent first, (next_due_on, id), whatever the filter (a step's worklist;
	// a case without an open clock, due "", comes first).
	OrderByDue bool

	// flags: one value of the generated column worklist_flags, replacing the three flag
	// filters (one branch of a list merged from several index walks).
	flags *int
}

// ByDueDate: the list is ordered by due date (next_due_on, id ascending), not newest first.
func (f CaseFilter) ByDueDate() bool {
	return f.OrderByDue || f.DueBefore != "" || f.DueOnOrBefore != ""
}

func (f CaseFilter) hasFlags() bool {
	return f.AgentCase != nil || f.CloseRelative != nil || f.Urgent != nil
}

// flagValues lists the values of worklist_flags that f's flag filters accept.
func (f CaseFilter) flagValues() []int {
	var out []int
	accepts := func(want *bool, v, bit int) bool { return want == nil || *want == (v&bit != 0) }
	for v := 0; v < 8; v++ {
		if accepts(f.AgentCase, v, flagAgent) && accepts(f.CloseRelative, v, flagCloseRelative) && accepts(f.Urgent, v, flagUrgent) {
			out = append(out, v)
		}
	}
	return out
}

func (f CaseFilter) apply(q *gorm.DB) *gorm.DB {
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if len(f.Stages) == 1 {
		q = q.Where("stage = ?", f.Stages[0])
	} else if len(f.Stages) > 1 {
		q = q.Where("stage IN ?", f.Stages)
	}
	if f.Category != "" {
		q = q.Where("EXISTS (SELECT 1 FROM case_categories cc WHERE cc.case_id = cases.id AND cc.category = ? AND cc.requested = ?)", f.Category, true)
	}
	if f.Village != "" {
		q = q.Where("area_code = ?", f.Village)
	}
	if f.DueBefore != "" {
		q = q.Where("next_due_on <> '' AND next_due_on < ?", f.DueBefore)
	}
	if f.DueOnOrBefore != "" {
		q = q.Where("next_due_on <> '' AND next_due_on <= ?", f.DueOnOrBefore)
	}
	if f.DueOnOrAfter != "" {
		q = q.Where("next_due_on >= ?", f.DueOnOrAfter)
	}
	if f.flags != nil {
		return q.Where("worklist_flags = ?", *f.flags)
	}
	if f.AgentCase != nil {
		if *f.AgentCase {
			q = q.Where("agent_resident_id IS NOT NULL")
		} else {
			q = q.Where("agent_resident_id IS NULL")
		}
	}
	if f.CloseRelative != nil {
		q = q.Where("close_relative = ?", *f.CloseRelative)
	}
	if f.Urgent != nil {
		q = q.Where("urgent = ?", *f.Urgent)
	}
	return q
}

// CountCases counts the cases in scope matching f (for worklist badges).
func (s *CaseFileRepo) CountCases(ctx context.Context, sc Scope, f CaseFilter) (int64, error) {
	var n int64
	f.Before, f.AfterDueOn, f.AfterID = 0, "", 0
	err := f.apply(sc.apply(s.conn(ctx).Model(&model.Case{}))).Count(&n).Error
	return n, err
}

// worklistIndex is the one cases index that serves a staff worklist page: equality on the area
// column and on the filter's leading column, then id, so the ORDER BY id DESC LIMIT n is a
// backward walk of the index that stops after n rows. Without the hint MariaDB may pick an
// index-merge intersection of idx_cases_town and idx_cases_town_status followed by a filesort
// of every matching row (1.4 s a page at 500 000 cases a town). A list of several stages, or a
// flag filter (several values of worklist_flags), is one such walk per value (listBranches).
// The due-date lists are a range of idx_cases_<area>_due read in the index's order, which is
// theirs: (next_due_on, id). "" means no hint.
func worklistIndex(sc Scope, f CaseFilter) string {
	area := sc.indexArea
	if area == "" {
		return ""
	}
	if f.Village != "" {
		area = "area" // the village is inside the staff member's area, and narrower
	}
	switch {
	case f.OrderByDue && len(f.Stages) > 0 && f.Status == "":
		// a step's list by due date: equality on the area and the stage, then the due date
		return "idx_cases_" + area + "_stage_due"
	case f.ByDueDate():
		// the order: any other index would sort every case of the town it reads
		return "idx_cases_" + area + "_due"
	case f.Status != "":
		return "idx_cases_" + area + "_status"
	case len(f.Stages) > 0:
		return "idx_cases_" + area + "_stage"
	case f.hasFlags():
		return "idx_cases_" + area + "_flags"
	}
	return "idx_cases_" + area
}

// listBranches splits f into one filter per value of the index's second column when f accepts
// several (two stages; a flag filter), so that each branch is an equality walk of the index in
// id order; the branches' pages are then merged. Otherwise f alone.
func listBranches(index string, f CaseFilter) []CaseFilter {
	switch {
	case (strings.HasSuffix(index, "_stage") || strings.HasSuffix(index, "_stage_due")) && len(f.Stages) > 1:
		out := make([]CaseFilter, len(f.Stages))
		for i, st := range f.Stages {
			out[i] = f
			out[i].Stages = []model.Stage{st}
		}
		return out
	case strings.HasSuffix(index, "_flags"):
		values := f.flagValues()
		out := make([]CaseFilter, len(values))
		for i := range values {
			out[i] = f
			out[i].flags = &values[i]
		}
		return out
	}
	return []CaseFilter{f}
}

// casesFrom is the FROM clause of a worklist query: cases with its index hint on MySQL.
// SQLite's planner picks the equality index by itself; its hint syntax differs.
func (s *CaseFileRepo) casesFrom(db *gorm.DB, index string) *gorm.DB {
	if index == "" || s.db.Dialector.Name() != "mysql" {
		return db
	}
	return db.Table("cases FORCE INDEX (" + index + ")")
}

// ListCases lists cases in scope, newest first (due-date lists: most urgent first), with
// categories loaded in one query.
func (s *CaseFileRepo) ListCases(ctx context.Context, sc Scope, f CaseFilter) ([]*model.Case, error) {
	var rows []*model.Case
	if err := s.listQuery(s.conn(ctx), sc, f).Find(&rows).Error; err != nil {
		return nil, err
	}
	return rows, s.loadCategories(ctx, rows)
}

// listQuery is ListCases's query (EXPLAINed by the worklist index test). A list merged from
// several index walks is
//
//	SELECT cases.* FROM cases JOIN (
//	  SELECT id FROM (SELECT id … WHERE stage = a … ORDER BY id DESC LIMIT n) AS w0
//	  UNION ALL SELECT id FROM (… stage = b …) AS w1 ORDER BY id DESC LIMIT n
//	) AS page ON page.id = cases.id ORDER BY cases.id DESC
//
// (derived tables rather than parenthesised SELECTs, which SQLite does not accept): at most n
// index entries read per branch, only those ids sorted, then the page's n rows read by key.
func (s *CaseFileRepo) listQuery(db *gorm.DB, sc Scope, f CaseFilter) *gorm.DB {
	index := worklistIndex(sc, f)
	branches := listBranches(index, f)
	if len(branches) == 1 {
		return s.pageQuery(db, sc, branches[0], index)
	}
	parts := make([]string, len(branches))
	args := make([]any, 0, len(branches)+1)
	cols, order, outer := "id", "id DESC", "cases.id DESC"
	if f.ByDueDate() {
		// a step's list by due date: each branch in (next_due_on, id) order, merged in it
		cols, order, outer = "id, next_due_on", "next_due_on, id", "cases.next_due_on, cases.id"
	}
	for i, b := range branches {
		// ids only: a branch reads the index entries alone (they hold the id); only the
		// page's n rows are then read, by primary key
		parts[i] = fmt.Sprintf("SELECT %s FROM (?) AS w%d", cols, i)
		args = append(args, s.pageQuery(db, sc, b, index).Select("cases."+strings.ReplaceAll(cols, ", ", ", cases.")))
	}
	args = append(args, f.Limit)
	return db.Raw("SELECT cases.* FROM cases JOIN ("+strings.Join(parts, " UNION ALL ")+
		" ORDER BY "+order+" LIMIT ?) AS page ON page.id = cases.id ORDER BY "+outer, args...)
}

// pageQuery is one index walk: f in scope, after the cursor, in the list's order.
func (s *CaseFileRepo) pageQuery(db *gorm.DB, sc Scope, f CaseFilter, index string) *gorm.DB {
	q := f.apply(sc.apply(s.casesFrom(db.Model(&model.Case{}), index)))
	if f.ByDueDate() {
		switch {
		case f.AfterID == 0: // the first page (a case without a clock has the due date "")
		case s.db.Dialector.Name() == "mysql":
			// MariaDB turns this into exact ranges of the index, and a row value (below) into
			// a filter over every case due from the first page on (measured with ANALYZE)
			q = q.Where("(next_due_on > ? OR (next_due_on = ? AND id > ?))", f.AfterDueOn, f.AfterDueOn, f.AfterID)
		default:
			// SQLite starts the index range at a row value, and reads the OR as a filter
			q = q.Where("(next_due_on, id) > (?, ?)", f.AfterDueOn, f.AfterID)
		}
		return q.Order("next_due_on, id").Limit(f.Limit)
	}
	if f.Before > 0 {
		q = q.Where("id < ?", f.Before)
	}
	return q.Order("id DESC").Limit(f.Limit)
}
