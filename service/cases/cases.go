// Package cases holds the application use cases: a resident submits an application for their
// household and follows its progress; a caseworker lists the queue of their area, opens a
// case, and accepts it (受理) or returns it with the one-time list of missing items (一次性告知).
package cases

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/crypto"
	"palmaid/service/reqmeta"
	"palmaid/service/store"
)

// Region-setting keys this package reads.
const (
	SettingAcceptanceWD    = "clock.acceptance_working_days"    // local: 1–5 WD to accept or return
	SettingInvestigationWD = "clock.investigation_working_days" // national: 3 WD after acceptance
)

// Service is the cases use case; build it once.
type Service struct {
	st     *store.Store
	cipher crypto.Cipher
	cal    *calendar.Calendar
	now    func() time.Time
	log    *slog.Logger
}

// New builds the service.
func New(st *store.Store, cipher crypto.Cipher, cal *calendar.Calendar, now func() time.Time, log *slog.Logger) *Service {
	return &Service{st: st, cipher: cipher, cal: cal, now: now, log: log}
}

// Record is a case with everything its views show.
type Record struct {
	Case   *model.Case
	Detail *store.CaseDetail
	// NextStep is what happens next and by when (empty Step when nothing is pending).
	NextStep NextStep
}

// NextStep names the next statutory step and its due date (civil date, CST).
type NextStep struct {
	Step  string
	Label string
	DueOn string
}

// Page is one page of a list with the cursor of the next page (0 = last page).
type Page struct {
	Cases      []*model.Case
	Names      map[uint64]string // applicant names by case id (staff lists only, shown masked)
	AreaNames  map[string]string
	NextCursor uint64
}

func (s *Service) workingDays(ctx context.Context, area string, key string, def int) int {
	v, ok, err := s.st.RegionSetting(ctx, model.AreaCode(area), key, calendar.DateOf(s.now()))
	if err != nil || !ok {
		if err != nil {
			s.log.WarnContext(ctx, "region setting lookup failed", "key", key, "err", err)
		}
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 60 {
		return def
	}
	return n
}

// nextStep derives the pending step from the case state and its deadlines.
func (s *Service) nextStep(ctx context.Context, c *model.Case, d *store.CaseDetail) NextStep {
	switch c.Status {
	case model.StatusSubmitted:
		n := s.workingDays(ctx, c.AreaCode, SettingAcceptanceWD, 3)
		return NextStep{Step: model.StepAcceptance, Label: "乡镇（街道）受理审查", DueOn: calendar.DateOf(s.cal.AddWorkingDays(c.SubmittedAt, n))}
	case model.StatusReturned:
		return NextStep{Step: model.StepApplication, Label: "按告知补齐材料后重新提交"}
	case model.StatusAccepted:
		for _, dl := range d.Deadlines {
			if dl.Step == model.StepInvestigation && dl.MetAt == nil {
				return NextStep{Step: dl.Step, Label: "乡镇（街道）启动入户调查", DueOn: dl.DueOn}
			}
		}
	}
	return NextStep{}
}

func (s *Service) record(ctx context.Context, c *model.Case) (*Record, error) {
	d, err := s.st.LoadDetail(ctx, c)
	if err != nil {
		return nil, err
	}
	return &Record{Case: c, Detail: d, NextStep: s.nextStep(ctx, c, d)}, nil
}

func (s *Service) page(ctx context.Context, sc store.Scope, f store.CaseFilter, withNames bool) (*Page, error) {
	limit := f.Limit
	f.Limit = limit + 1
	rows, err := s.st.ListCases(ctx, sc, f)
	if err != nil {
		return nil, err
	}
	p := &Page{}
	if len(rows) > limit {
		rows = rows[:limit]
		p.NextCursor = rows[limit-1].ID
	}
	p.Cases = rows
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

func (s *Service) audit(ctx context.Context, st *model.Staff, action string, caseID *uint64, detail string) {
	m := reqmeta.MetaFrom(ctx)
	err := s.st.Audit(ctx, &model.AuditLog{ActorType: model.ActorStaff, ActorID: st.ID, Action: action, CaseID: caseID,
		AreaCode: st.AreaCode, RequestID: m.RequestID, ClientIP: m.ClientIP, Detail: detail, CreatedAt: s.now()})
	if err != nil {
		s.log.ErrorContext(ctx, "audit write failed", "action", action, "err", err)
	}
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
