package worklist

import (
	"context"
	"fmt"
	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/cases"
	"palmaid/service/store"
)

// Worklist names one list of the staff console.
type Worklist string

// Worklists in display order.
const (
	WLToAccept      Worklist = "to_accept"
	WLReturned      Worklist = "returned"
	WLToInvestigate Worklist = "to_investigate"
	WLToCheck       Worklist = "to_check"
	WLToVisit       Worklist = "to_visit"
	WLToOpinion     Worklist = "to_opinion"
	WLToNotice      Worklist = "to_notice"
	WLInNotice      Worklist = "in_notice"
	WLToDecide      Worklist = "to_decide"
	WLToBackfill    Worklist = "to_backfill"
	WLRefusalNotice Worklist = "refusal_notice"
	WLDecided       Worklist = "decided"
	WLClosed        Worklist = "closed"
	WLOverdue       Worklist = "overdue"
	WLDueSoon       Worklist = "due_soon"
	WLAll           Worklist = "all"
)

// ByDueDate: the list is ordered by due date, most urgent first (next_due_on, then id), not
// newest first; its page cursor carries the last case's due date as well as its id. Every
// step's list is (overdue cases first, issue 22); 补正 (no clock runs), the decided and closed
// cases and the whole area are newest first.
func (w Worklist) ByDueDate() bool {
	switch w {
	case "", WLAll, WLReturned, WLDecided, WLClosed:
		return false
	}
	return true
}

// AllWorklists lists every worklist (the counts endpoint answers each).
var AllWorklists = [...]Worklist{WLToAccept, WLReturned, WLToInvestigate, WLToCheck, WLToVisit, WLToOpinion, WLToNotice,
	WLInNotice, WLToDecide, WLToBackfill, WLRefusalNotice, WLDecided, WLClosed, WLOverdue, WLDueSoon}

// QueueFilter narrows the staff queue.
type QueueFilter struct {
	List          Worklist
	DueSoonDays   int // for due_soon: open clock due within this many working days (default 3)
	Status        model.Status
	Category      model.Category
	Village       string
	AgentCase     *bool
	CloseRelative *bool
	Urgent        *bool
	// The cursor: the last case of the previous page, its id (Before) and, on a due-date list
	// (List.ByDueDate), its due date (CursorDueOn) — required there, refused elsewhere.
	Before      uint64
	CursorDueOn string
	Limit       int
}

func (s *Service) filter(st *model.Staff, f QueueFilter) (store.CaseFilter, error) {
	if f.Status != "" && !f.Status.Valid() {
		return store.CaseFilter{}, cases.ErrInvalidFilter.WithField("status", "未知的办理状态")
	}
	if f.Category != "" && !f.Category.Valid() {
		return store.CaseFilter{}, cases.ErrInvalidFilter.WithField("category", "未知的救助类别")
	}
	if f.Village != "" {
		if v, err := model.ParseAreaCode(f.Village); err != nil || v.Level() != model.LevelVillage {
			return store.CaseFilter{}, cases.ErrInvalidFilter.WithField("village", "应为12位村（社区）代码")
		}
	}
	cf := store.CaseFilter{Status: f.Status, Category: f.Category, Village: f.Village, AgentCase: f.AgentCase,
		CloseRelative: f.CloseRelative, Urgent: f.Urgent, Before: f.Before, Limit: f.Limit}
	// a due-date list's cursor has both parts; any other list's has no date
	if f.List.ByDueDate() && (f.Before == 0) != (f.CursorDueOn == "") || !f.List.ByDueDate() && f.CursorDueOn != "" {
		return store.CaseFilter{}, cases.ErrInvalidFilter.WithField("cursor", "分页标记无效，请从第一页重新加载")
	}
	if f.List.ByDueDate() {
		cf.Before, cf.AfterID, cf.AfterDueOn = 0, f.Before, f.CursorDueOn
		if cf.AfterDueOn == cases.NoDueCursor {
			cf.AfterDueOn = ""
		}
		cf.OrderByDue = true
	}
	today := calendar.DateOf(s.now())
	switch f.List {
	case "", WLAll:
	case WLToAccept:
		cf.Stages = []model.Stage{model.StageToAccept}
	case WLReturned:
		cf.Stages = []model.Stage{model.StageReturned}
	case WLToInvestigate:
		cf.Stages = []model.Stage{model.StageToInvestigate}
	case WLToCheck:
		cf.Stages = []model.Stage{model.StageCheckAndVisit, model.StageToCheck}
	case WLToVisit:
		cf.Stages = []model.Stage{model.StageCheckAndVisit, model.StageToVisit}
	case WLToOpinion:
		cf.Stages = []model.Stage{model.StageToOpinion}
	case WLToNotice:
		cf.Stages = []model.Stage{model.StageToNotice}
	case WLInNotice:
		cf.Stages = []model.Stage{model.StageInNotice}
	case WLToDecide:
		// the town sees what it decides under delegation; the county (and above) the rest
		if st.Area().Level() >= model.LevelTown {
			cf.Stages = []model.Stage{model.StageToDecideTown}
		} else {
			cf.Stages = []model.Stage{model.StageToDecideCounty}
		}
	case WLToBackfill:
		cf.Stages = []model.Stage{model.StageToBackfill}
	case WLRefusalNotice:
		cf.Stages = []model.Stage{model.StageRefusalNotice}
	case WLDecided:
		cf.Status = model.StatusDecided
	case WLClosed:
		cf.Stages = []model.Stage{model.StageClosed}
	case WLOverdue:
		cf.DueBefore = today
	case WLDueSoon:
		n := f.DueSoonDays
		if n <= 0 {
			n = 3
		}
		if n > 30 {
			return store.CaseFilter{}, cases.ErrInvalidFilter.WithField("days", "1至30")
		}
		cf.DueOnOrBefore = calendar.DateOf(s.cal.AddWorkingDays(s.now(), n))
		cf.DueOnOrAfter = today // the overdue ones are on their own list
	default:
		return store.CaseFilter{}, cases.ErrInvalidFilter.WithField("list", "未知的工作清单")
	}
	return cf, nil
}

// Queue lists cases inside the staff member's area, most urgent first (List.ByDueDate), else
// newest first. Every list is audited.
func (s *Service) Queue(ctx context.Context, st *model.Staff, f QueueFilter) (*cases.Page, error) {
	if !st.Can(model.PermCaseRead) {
		return nil, cases.ErrRoleForbidden
	}
	cf, err := s.filter(st, f)
	if err != nil {
		return nil, err
	}
	p, err := s.k.Page(ctx, store.StaffScope(st), cf, true)
	if err != nil {
		return nil, err
	}
	if err := s.k.AuditOutside(ctx, st, "case.list", nil, fmt.Sprintf("list=%s status=%s category=%s results=%d", f.List, f.Status, f.Category, len(p.Cases))); err != nil {
		return nil, err
	}
	return p, nil
}

// Counts answers the number of cases on each worklist (badges).
func (s *Service) Counts(ctx context.Context, st *model.Staff) (map[Worklist]int64, error) {
	if !st.Can(model.PermCaseRead) {
		return nil, cases.ErrRoleForbidden
	}
	out := make(map[Worklist]int64, len(AllWorklists))
	for _, wl := range AllWorklists {
		cf, err := s.filter(st, QueueFilter{List: wl})
		if err != nil {
			return nil, err
		}
		n, err := s.st.CountCases(ctx, store.StaffScope(st), cf)
		if err != nil {
			return nil, err
		}
		out[wl] = n
	}
	return out, nil
}

// Get opens a case in the staff member's area (ID numbers and phone masked). Reads are
// audited, including refused ones.
func (s *Service) Get(ctx context.Context, st *model.Staff, publicID string) (*cases.StaffRecord, error) {
	if !st.Can(model.PermCaseRead) {
		return nil, cases.ErrRoleForbidden
	}
	f, err := s.st.LoadCaseFile(ctx, store.StaffScope(st), publicID)
	if err != nil {
		if aerr := s.k.AuditOutside(ctx, st, "case.view.denied", nil, "public_id="+model.Truncate(publicID, 40)); aerr != nil {
			return nil, aerr
		}
		return nil, err
	}
	id := f.Case.ID
	if err := s.k.AuditOutside(ctx, st, "case.view", &id, "masked"); err != nil {
		return nil, err
	}
	return s.k.StaffView(ctx, st, f)
}
