// Package cases holds the application use cases of the five-in-one review (五合一): a resident
// submits, answers a return and follows progress; staff work the statutory steps from acceptance
// to the decision. Every step is one CaseFile method run inside store.UpdateCaseFile, with its
// history, clocks, outbox rows and audit row written in the same transaction.
package cases

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/contentcheck"
	"palmaid/service/crypto"
	"palmaid/service/econcheck"
	"palmaid/service/reqmeta"
	"palmaid/service/store"
)

// Service is the cases use case; build it once.
type Service struct {
	st     *store.Store
	cipher crypto.Cipher
	cal    *calendar.Calendar
	econ   econcheck.Source // nil: the county enters results by hand
	now    func() time.Time
	log    *slog.Logger
	rules  DocumentRules // nil: drafts get no document list from rules
	// content checks residents' free text that staff or the public read (nil: not checked).
	content contentcheck.Checker
	shared  SharingRules // nil: no document is known to come from data sharing
	cache   *ReadCache   // nil: the progress view is read from the database every time
	// decided is told of every decision inside its transaction (nil: nobody).
	decided DecisionHook
	// maxDrafts is how many drafts one account may hold at once (0: no cap).
	maxDrafts int
}

// WithDraftCap lets one account hold at most n drafts at once (issue 19: 100 drafts from one
// account in 0.6 s, each a case with its household, members, checklist and consents).
func WithDraftCap(n int) Option { return func(s *Service) { s.maxDrafts = n } }

// Option configures the service.
type Option func(*Service)

// WithContentCheck checks residents' free text (reasons, notes, evidence, objections) with c.
func WithContentCheck(c contentcheck.Checker) Option { return func(s *Service) { s.content = c } }

// DecisionHook is told of a decision inside the decision's transaction (ctx carries it): the
// recipient record (service/benefits) is created or changed there, so a decision and its
// benefit commit or fail together. f holds the decisions just made (ID 0), env the action's
// clock (China time) and officer.
type DecisionHook interface {
	Decided(ctx context.Context, f *model.CaseFile, env model.Env) error
}

// WithDecisionHook tells h of every decision in its transaction.
func WithDecisionHook(h DecisionHook) Option { return func(s *Service) { s.decided = h } }

// SharingRules tells which documents government data sharing supplies in an area on a date
// (service/checklist): a return may not ask the resident for them (免证明).
type SharingRules interface {
	// SharedSources answers, for each document name as staff wrote it, the department whose data
	// sharing supplies it in area on date, or "" when the resident must provide it.
	SharedSources(ctx context.Context, area model.AreaCode, date string, names []string) ([]string, error)
}

// UseSharingRules makes a return refuse items that data sharing supplies (wiring, before serving).
func (s *Service) UseSharingRules(r SharingRules) { s.shared = r }

// New builds the service.
func New(st *store.Store, cipher crypto.Cipher, cal *calendar.Calendar, econ econcheck.Source, now func() time.Time, log *slog.Logger, opts ...Option) *Service {
	s := &Service{st: st, cipher: cipher, cal: cal, econ: econ, now: now, log: log}
	for _, o := range opts {
		o(s)
	}
	return s
}

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

func nextStep(f *model.CaseFile) NextStep {
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

func (s *Service) record(ctx context.Context, f *model.CaseFile) (*Record, error) {
	ev, err := s.st.CaseEvents(ctx, f.Case.ID)
	if err != nil {
		return nil, err
	}
	name, err := s.st.CaseAreaName(ctx, &f.Case)
	if err != nil {
		return nil, err
	}
	return &Record{File: f, Events: ev, AreaName: name, NextStep: nextStep(f), Today: calendar.DateOf(s.now())}, nil
}

// daysLeft counts, on the working-day calendar, how long each case has until its next due date.
func (s *Service) daysLeft(rows []*model.Case) map[uint64]int {
	out := make(map[uint64]int, len(rows))
	now := s.now()
	today := calendar.DateOf(now)
	for _, c := range rows {
		if c.NextDueOn == "" {
			continue
		}
		due, err := time.ParseInLocation("2006-01-02", c.NextDueOn, calendar.Location())
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

func (s *Service) page(ctx context.Context, sc store.Scope, f store.CaseFilter, withNames bool) (*Page, error) {
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
				p.NextDueOn = noDueCursor
			}
		}
	}
	p.Cases = rows
	p.DaysLeft = s.daysLeft(rows)
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

func (c clock) AddWorkingDays(from time.Time, n int) (string, bool) {
	due, prov := c.cal.AddWorkingDaysFlag(from, n)
	return calendar.DateOf(due), prov
}

func (c clock) AddDays(from time.Time, n int) (string, bool) {
	due := from.In(calendar.Location()).AddDate(0, 0, n)
	return calendar.DateOf(due), c.cal.Provisional(due)
}

func (c clock) Date(t time.Time) string { return calendar.DateOf(t) }

// env builds what an action needs, reading the region's policy through ctx (inside an
// action: the action's own transaction, never a second connection).
func (s *Service) env(ctx context.Context, c *model.Case, by model.Actor, st *model.Staff) (model.Env, error) {
	now := s.now()
	p, err := s.st.RegionPolicy(ctx, model.AreaCode(c.AreaCode), calendar.DateOf(now))
	if err != nil {
		return model.Env{}, err
	}
	return model.Env{Now: now, By: by, Staff: st, Policy: p, Clock: clock{s.cal}}, nil
}

func auditRow(ctx context.Context, actorType string, actorID uint64, area, action string, caseID *uint64, detail string, at time.Time) model.AuditLog {
	return *reqmeta.Audit(ctx, actorType, actorID, area, action, caseID, truncate(detail, 1000), at)
}

// auditOutside writes an audit row that belongs to no case change (a read, a refused lookup).
// It fails the request when it cannot be written: a read that cannot be audited is not served.
func (s *Service) auditOutside(ctx context.Context, st *model.Staff, action string, caseID *uint64, detail string) error {
	row := auditRow(ctx, model.ActorStaff, st.ID, st.AreaCode, action, caseID, detail, s.now())
	if err := s.st.Audit(ctx, &row); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

func newPublicID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)), nil
}

// categoryLabels joins the labels of the requested categories.
func categoryLabels(cc []model.CaseCategory) string {
	var parts []string
	for _, c := range cc {
		if c.Requested {
			parts = append(parts, c.Category.Label())
		}
	}
	return strings.Join(parts, "、")
}

var errTextTooLong = model.Invalid("case.text_too_long", "填写的内容过长")

// text trims and bounds a free-text field.
func text(field, v string, max int, required bool) (string, error) {
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

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// RecomputeProvisional re-times the open clocks after a calendar year was loaded or corrected
// (calendaradmin's OnYearLoaded hook): every open clock that counts days of the year, not only
// the provisional ones. A clock whose due date moved goes on its area's reminder list (kind
// retimed, the new date) in the same transaction, so the officers who own it are told; each case
// is its own audited system action.
func (s *Service) RecomputeProvisional(ctx context.Context, year int) error {
	yearEnd := time.Date(year+1, 1, 1, 0, 0, 0, 0, calendar.Location())
	rows, err := s.st.CasesWithClocksIn(ctx, year, yearEnd)
	if err != nil {
		return err
	}
	by := model.Actor{Type: model.ActorSystem}
	for _, c := range rows {
		err := s.st.InTx(ctx, func(ctx context.Context) error {
			var moved []model.Deadline
			f, err := s.st.UpdateCaseFile(ctx, store.SystemScope(c.ID), c.PublicID, 0, s.now(), func(ctx context.Context, f *model.CaseFile) error {
				env, err := s.env(ctx, &f.Case, by, nil)
				if err != nil {
					return err
				}
				var changed bool
				if changed, moved = f.Retime(env); changed {
					id := f.Case.ID
					f.Audit = append(f.Audit, auditRow(ctx, model.ActorSystem, 0, f.Case.AreaCode, "case.clocks_recomputed",
						&id, fmt.Sprintf("calendar_year=%d moved=%d", year, len(moved)), env.Now))
				}
				return nil
			})
			if err != nil || len(moved) == 0 {
				return err
			}
			rs := make([]model.StaffReminder, 0, len(moved))
			for _, d := range moved {
				rs = append(rs, model.StaffReminder{DeadlineID: d.ID, CaseID: f.Case.ID, Kind: model.ReminderRetimed, Step: d.Step, DueOn: d.DueOn,
					AreaCode: f.Case.AreaCode, TownCode: f.Case.TownCode, CountyCode: f.Case.CountyCode, CreatedAt: s.now()})
			}
			return s.st.RetimeReminders(ctx, rs)
		})
		if err != nil {
			return fmt.Errorf("recompute clocks of case %d: %w", c.ID, err)
		}
	}
	return nil
}

var errVillageInactive = model.E(model.KindUnprocessable, "area.inactive", "该村（社区）已撤销或合并，请选择现在所在的村（社区）").
	WithField("villageCode", "已不在现行区划中")

// openVillage: a new application goes to a village that exists and is still in the current
// division codes (an import marks a vanished one inactive, never deletes it). It answers the
// new case's area name ("town village", read with the village in one query).
func (s *Service) openVillage(ctx context.Context, village model.AreaCode) (string, error) {
	a, name, err := s.st.VillageForCase(ctx, village)
	if err != nil {
		return "", err
	}
	if !a.Active {
		return "", errVillageInactive
	}
	return name, nil
}

// newRecord is the record of a case just created, from what was written (f from
// store.CreateCase, its one event, the area name openVillage read): nothing is read back.
// A new case has no rating.
func (s *Service) newRecord(f *model.CaseFile, event model.CaseEvent, areaName string) *Record {
	return &Record{File: f, Events: []model.CaseEvent{event}, AreaName: areaName, NextStep: nextStep(f),
		Today: calendar.DateOf(s.now()), RatingKnown: true}
}
