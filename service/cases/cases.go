// Package cases is the kernel of the five-in-one review (五合一): the case record and its views,
// the action environment and its working-day clock, the staff and resident acts run inside
// store.UpdateCaseFile, the sealing of the declared household facts, and the audit row. The use
// cases live beside it, each its own Service built with everything it needs:
//
//   - application: drafts, consents and invitations, submission, changes, 帮办 filings, the public
//     notice and its objections;
//   - review: the statutory steps from acceptance to the decision, document items, suggestions;
//   - worklist: the staff lists, counts, the staff read and unmask, search, statistics, reminders;
//   - spotcheck: the county's 特困 spot checks;
//   - deadlines: the clock sweeps, the purge and the re-timing after a calendar change;
//   - progress: the resident's progress read model (its Redis cache and its session read).
//
// Every step is one CaseFile method run inside store.UpdateCaseFile, with its history, clocks,
// outbox rows and audit row written in the same transaction.
package cases

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"log/slog"
	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/contentcheck"
	"palmaid/service/crypto"
	"palmaid/service/reqmeta"
	"palmaid/service/store"
	"strings"
	"time"
	"unicode/utf8"
)

// Deps is what the kernel and every use case of a case share.
type Deps struct {
	Store    *store.Store
	Cipher   crypto.Cipher
	Calendar *calendar.Calendar
	Now      func() time.Time
	Log      *slog.Logger
	// Content checks residents' free text that staff or the public read (nil: not checked).
	Content contentcheck.Checker
}

// Kernel is what every use case of a case builds on: records and views, the environment of an
// action, the acts, the sealing of the facts and the audit rows. Build it once.
type Kernel struct {
	d       Deps
	st      *store.Store
	cipher  crypto.Cipher
	cal     *calendar.Calendar
	now     func() time.Time
	log     *slog.Logger
	content contentcheck.Checker
}

// NewKernel builds the kernel.
func NewKernel(d Deps) *Kernel {
	return &Kernel{d: d, st: d.Store, cipher: d.Cipher, cal: d.Calendar, now: d.Now, log: d.Log, content: d.Content}
}

// Deps are the dependencies the kernel was built with (the use cases share them).
func (s *Kernel) Deps() Deps { return s.d }

// Record is a case file with what its views show.
type Record struct {
	File     *model.CaseFile
	Events   []model.CaseEvent
	AreaName string
	NextStep NextStep
	Today    string // the service clock's civil date, for "overdue" flags in views
	// Resident is set on the resident's face: their declaration and a draft's gaps.
	Resident *ResidentView
	// Rating is the case's service rating when RatingKnown (the cached progress view holds it).
	Rating      *model.Rating
	RatingKnown bool
	// Responsible is the officer who owns the case (首问负责: name and office phone), set on the
	// resident's face once the case has an owner (acceptance, or a 帮办 filing).
	Responsible *Responsible
}

// Responsible is the officer a resident may call about the case.
type Responsible struct {
	Name        string
	OfficePhone string
}

// Case is the case row.
func (r *Record) Case() *model.Case { return &r.File.Case }

// NextStep names the pending step and a stored due date (civil date, CST): the step's own clock
// when it has one; otherwise the case's strictest open clock, named by DueFor so that the date
// is never read as the step's own (issue 21: 在村公示 shown with the 30-day overall date).
type NextStep struct {
	Step        string
	Label       string
	DueOn       string
	DueFor      string // the clock DueOn belongs to (its label)
	Provisional bool
}

// Page is one page of a list with the cursor of the next page (0 = last page): the last case's
// id, and for a due-date list also its due date (NextDueOn), the list being in that order.
type Page struct {
	Cases     []*model.Case
	Names     map[uint64]string // applicant names by case id (staff lists only, shown masked)
	AreaNames map[string]string
	// DaysLeft: working days from today to each case's next due date (0: due today; negative:
	// working days past it), by case id; absent when the case has no open clock.
	DaysLeft   map[uint64]int
	NextCursor uint64
	NextDueOn  string
	Today      string
}

// stageLabels: what the resident reads as the next step.
var stageLabels = map[model.Stage]string{
	model.StageToAccept:       "乡镇（街道）受理审查",
	model.StageReturned:       "按告知补齐材料后重新提交",
	model.StageToInvestigate:  "乡镇（街道）启动调查",
	model.StageCheckAndVisit:  "家庭经济状况核对和入户调查",
	model.StageToCheck:        "家庭经济状况核对",
	model.StageToVisit:        "入户调查",
	model.StageToOpinion:      "乡镇（街道）提出初审意见",
	model.StageToNotice:       "在村（社区）公示",
	model.StageInNotice:       "公示中",
	model.StageToDecideTown:   "乡镇（街道）审核确认",
	model.StageToDecideCounty: "县级民政部门审核确认",
	model.StageToBackfill:     "补办先行救助手续",
	model.StageRefusalNotice:  "书面告知审核结果",
}

// stageClocks: the clock of each stage's own step (stages absent: the step has no clock of its
// own; the 特困 初审 clock runs while the town investigates).
var stageClocks = map[model.Stage][]string{
	model.StageToAccept:       {model.StepAcceptance},
	model.StageToInvestigate:  {model.StepInvestigation},
	model.StageCheckAndVisit:  {model.StepPreliminary},
	model.StageToCheck:        {model.StepPreliminary},
	model.StageToVisit:        {model.StepPreliminary},
	model.StageToOpinion:      {model.StepPreliminary},
	model.StageInNotice:       {model.StepNotice},
	model.StageToDecideTown:   {model.StepDecision},
	model.StageToDecideCounty: {model.StepDecision},
	model.StageToBackfill:     {model.StepBackfill},
	model.StageRefusalNotice:  {model.StepRefusalNotice},
}

// ClockLabels: what the resident reads for each clock (case_deadlines.step).
var ClockLabels = map[string]string{
	model.StepAcceptance:    "受理审查",
	model.StepInvestigation: "启动调查",
	model.StepPreliminary:   "特困供养初审意见",
	model.StepOverall:       "办理总时限（审核确认）",
	model.StepNotice:        "公示期满并结束公示",
	model.StepDecision:      "审核确认",
	model.StepRefusalNotice: "书面告知审核结果",
	model.StepBackfill:      "补办先行救助手续",
}

// NextStepOf names the case's pending step and its due date.
func NextStepOf(f *model.CaseFile) NextStep {
	c := &f.Case
	label, ok := stageLabels[c.Stage]
	if !ok {
		return NextStep{}
	}
	n := NextStep{Step: string(c.Stage), Label: label}
	for _, d := range f.Deadlines {
		if d.State == model.ClockOpen && containsString(stageClocks[c.Stage], d.Step) && (n.DueOn == "" || d.DueOn < n.DueOn) {
			n.DueOn, n.DueFor, n.Provisional = d.DueOn, ClockLabels[d.Step], d.Provisional
		}
	}
	if n.DueOn == "" && c.NextDueOn != "" { // no clock of its own: the strictest one, named
		n.DueOn, n.DueFor, n.Provisional = c.NextDueOn, ClockLabels[c.NextDueStep], c.NextDueProvisional
	}
	return n
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Record reads what a view of the case file shows: its history and area name.
func (s *Kernel) Record(ctx context.Context, f *model.CaseFile) (*Record, error) {
	ev, err := s.st.CaseEvents(ctx, f.Case.ID)
	if err != nil {
		return nil, err
	}
	name, err := s.st.CaseAreaName(ctx, &f.Case)
	if err != nil {
		return nil, err
	}
	return &Record{File: f, Events: ev, AreaName: name, NextStep: NextStepOf(f), Today: calendar.DateOf(s.now())}, nil
}

// DaysLeft counts, on the working-day calendar, how long each case has until its next due date.
func (s *Kernel) DaysLeft(rows []*model.Case) map[uint64]int {
	out := make(map[uint64]int, len(rows))
	now := s.now()
	today := calendar.DateOf(now)
	for _, c := range rows {
		if c.NextDueOn == "" {
			continue
		}
		due, err := time.ParseInLocation("2006-01-02", c.NextDueOn, model.China())
		if err != nil {
			continue
		}
		if c.NextDueOn >= today {
			out[c.ID] = s.cal.WorkingDaysBetween(now, due)
		} else {
			out[c.ID] = -s.cal.WorkingDaysBetween(due, now)
		}
	}
	return out
}

// NoDueCursor stands in a page cursor for the due date "" of a case without an open clock
// (such a case comes first on a step's list): a cursor's date is a real day.
const NoDueCursor = "1970-01-01"

// Page is one page of the cases in scope sc matching f (limit+1 read: the next cursor only
// when there is more), with area names, days left and, for staff lists, applicant names.
func (s *Kernel) Page(ctx context.Context, sc store.Scope, f store.CaseFilter, withNames bool) (*Page, error) {
	limit := f.Limit
	f.Limit = limit + 1
	rows, err := s.st.ListCases(ctx, sc, f)
	if err != nil {
		return nil, err
	}
	p := &Page{Today: calendar.DateOf(s.now())}
	if len(rows) > limit {
		rows = rows[:limit]
		p.NextCursor = rows[limit-1].ID
		if f.ByDueDate() {
			if p.NextDueOn = rows[limit-1].NextDueOn; p.NextDueOn == "" {
				p.NextDueOn = NoDueCursor
			}
		}
	}
	p.Cases = rows
	p.DaysLeft = s.DaysLeft(rows)
	codes := make([]string, 0, len(rows))
	for _, c := range rows {
		codes = append(codes, c.AreaCode)
	}
	if p.AreaNames, err = s.st.AreaNames(ctx, codes); err != nil {
		return nil, err
	}
	if withNames {
		if p.Names, err = s.st.ApplicantNames(ctx, rows); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// clock adapts the calendar to the model's Clock.
type clock struct{ cal *calendar.Calendar }

// ClockOf adapts the calendar to the model's Clock (working days, calendar days, civil dates).
func ClockOf(cal *calendar.Calendar) model.Clock { return clock{cal} }

func (c clock) AddWorkingDays(from time.Time, n int) (string, bool) {
	due, prov := c.cal.AddWorkingDaysFlag(from, n)
	return calendar.DateOf(due), prov
}

func (c clock) AddDays(from time.Time, n int) (string, bool) {
	due := from.In(model.China()).AddDate(0, 0, n)
	return calendar.DateOf(due), c.cal.Provisional(due)
}

func (c clock) Date(t time.Time) string { return calendar.DateOf(t) }

// Env builds what an action needs, reading the region's policy through ctx (inside an
// action: the action's own transaction, never a second connection).
func (s *Kernel) Env(ctx context.Context, c *model.Case, by model.Actor, st *model.Staff) (model.Env, error) {
	now := s.now()
	p, err := s.st.RegionPolicy(ctx, model.AreaCode(c.AreaCode), calendar.DateOf(now))
	if err != nil {
		return model.Env{}, err
	}
	return model.Env{Now: now, By: by, Staff: st, Policy: p, Clock: ClockOf(s.cal)}, nil
}

// AuditOutside writes an audit row that belongs to no case change (a read, a refused lookup).
// It fails the request when it cannot be written: a read that cannot be audited is not served.
func (s *Kernel) AuditOutside(ctx context.Context, st *model.Staff, action string, caseID *uint64, detail string) error {
	if err := s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, action, caseID, model.Truncate(detail, 1000), s.now())); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// NewPublicID is a new case's random public id.
func NewPublicID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)), nil
}

// CategoryLabels joins the labels of the requested categories.
func CategoryLabels(cc []model.CaseCategory) string {
	var parts []string
	for _, c := range cc {
		if c.Requested {
			parts = append(parts, c.Category.Label())
		}
	}
	return strings.Join(parts, "、")
}

var errTextTooLong = model.Invalid("case.text_too_long", "填写的内容过长")

// Text trims and bounds a free-text field.
func Text(field, v string, max int, required bool) (string, error) {
	v = strings.TrimSpace(v)
	if n := utf8.RuneCountInString(v); n > max {
		return "", errTextTooLong.WithField(field, fmt.Sprintf("最多%d字", max))
	}
	if required && v == "" {
		return "", model.ErrReasonRequired.WithField(field, "必填")
	}
	if err := model.CheckText(field, v); err != nil {
		return "", err
	}
	return v, nil
}

// NewRecord is the record of a case just created, from what was written (f from
// store.CreateCase, its one event, the area name openVillage read): nothing is read back.
// A new case has no rating.
func (s *Kernel) NewRecord(f *model.CaseFile, event model.CaseEvent, areaName string) *Record {
	return &Record{File: f, Events: []model.CaseEvent{event}, AreaName: areaName, NextStep: NextStepOf(f),
		Today: calendar.DateOf(s.now()), RatingKnown: true}
}
