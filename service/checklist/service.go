package checklist

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/reqmeta"
	"palmaid/service/store"
)

// ActionSetRules is the audit action of an administrator's change of an area's rules.
const ActionSetRules = "checklist.rules.set"

// Service loads an area's rules and evaluates them; administrators read and set overrides.
// Build it once.
type Service struct {
	st  Store
	now func() time.Time
}

// New builds the service.
func New(st Store, now func() time.Time) *Service { return &Service{st: st, now: now} }

var (
	errNotVillage   = model.ErrNotVillage.WithField("villageCode", "12位村（社区）代码")
	errAreaNotFound = model.E(model.KindNotFound, "checklist.area_not_found", "区划不存在，或不在本人管辖范围内")
)

func (s *Service) today() string { return calendar.DateOf(s.now()) }

// RulesFor are the rules that apply to area on date, resolved (Resolve).
func (s *Service) RulesFor(ctx context.Context, area model.AreaCode, date string) ([]Rule, error) {
	rows, err := s.st.ChecklistRulesFor(ctx, area, date)
	if err != nil {
		return nil, err
	}
	return Resolve(rows, date), nil
}

// List evaluates in for a village on date (the lead's draft and case use this).
func (s *Service) List(ctx context.Context, village model.AreaCode, date string, in Input) ([]Item, error) {
	rows, err := s.st.ChecklistRulesFor(ctx, village, date)
	if err != nil {
		return nil, err
	}
	return Evaluate(in, rows, date), nil
}

// Preview is the list shown before applying.
type Preview struct {
	AreaName string
	Date     string
	Items    []Item
}

func (s *Service) village(ctx context.Context, code string) (model.AreaCode, *model.Area, error) {
	c, err := model.ParseAreaCode(code)
	if err != nil || c.Level() != model.LevelVillage {
		return "", nil, errNotVillage
	}
	a, err := s.st.GetArea(ctx, string(c))
	if err != nil {
		return "", nil, err
	}
	return c, a, nil
}

// Preview computes the list for a village today. It stores nothing.
func (s *Service) Preview(ctx context.Context, villageCode string, in Input) (*Preview, error) {
	if c, err := model.ParseAreaCode(villageCode); err != nil || c.Level() != model.LevelVillage {
		return nil, errNotVillage
	}
	if err := in.Validate(); err != nil { // bad input costs no database work
		return nil, err
	}
	code, area, err := s.village(ctx, villageCode)
	if err != nil {
		return nil, err
	}
	date := s.today()
	items, err := s.List(ctx, code, date, in)
	if err != nil {
		return nil, err
	}
	return &Preview{AreaName: area.Name, Date: date, Items: items}, nil
}

// SharedSources implements the cases service's check of a return: for each document name, the
// department whose data sharing supplies it in area on date ("" when the resident must
// provide it, or no rule names it).
func (s *Service) SharedSources(ctx context.Context, area model.AreaCode, date string, names []string) ([]string, error) {
	rules, err := s.RulesFor(ctx, area, date)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(names))
	for i, n := range names {
		if r := Match(rules, n); r != nil {
			out[i] = r.SharedSource
		}
	}
	return out, nil
}

// AreaRules is what an administrator sees for an area.
type AreaRules struct {
	AreaCode  string
	AreaName  string
	Date      string
	Overrides []Rule // the rows set at this area, by code and date
	InForce   []Rule // what applies in this area today (AreaCode says where each row comes from; "" national)
}

func (s *Service) adminArea(ctx context.Context, admin *model.Staff, code string) (model.AreaCode, *model.Area, error) {
	if !admin.Can(model.PermRegionAdmin) {
		return "", nil, model.ErrForbidden
	}
	c, err := model.ParseAreaCode(code)
	if err != nil || !admin.Area().Contains(c) {
		return "", nil, errAreaNotFound
	}
	a, err := s.st.GetArea(ctx, string(c))
	if err != nil {
		if errors.Is(err, store.ErrAreaUnknown) {
			return "", nil, errAreaNotFound
		}
		return "", nil, err
	}
	return c, a, nil
}

// AreaRules reads an area's overrides and the rules in force there today.
func (s *Service) AreaRules(ctx context.Context, admin *model.Staff, code string) (*AreaRules, error) {
	c, a, err := s.adminArea(ctx, admin, code)
	if err != nil {
		return nil, err
	}
	return s.areaRules(ctx, c, a)
}

func (s *Service) areaRules(ctx context.Context, c model.AreaCode, a *model.Area) (*AreaRules, error) {
	own, err := s.st.ChecklistRulesAt(ctx, string(c))
	if err != nil {
		return nil, err
	}
	date := s.today()
	rows, err := s.st.ChecklistRulesFor(ctx, c, date)
	if err != nil {
		return nil, err
	}
	return &AreaRules{AreaCode: string(c), AreaName: a.Name, Date: date, Overrides: own, InForce: Resolve(rows, date)}, nil
}

// SetAreaRules replaces an area's overrides (every row set at this area) and audits the change,
// in one transaction. An empty list removes them: the area inherits again.
func (s *Service) SetAreaRules(ctx context.Context, admin *model.Staff, code string, in []RuleInput) (*AreaRules, error) {
	c, a, err := s.adminArea(ctx, admin, code)
	if err != nil {
		return nil, err
	}
	rows, err := toRows(in)
	if err != nil {
		return nil, err
	}
	now := s.now()
	codes := make([]string, 0, len(rows))
	for i := range rows {
		rows[i].AreaCode, rows[i].UpdatedAt = string(c), now
		codes = append(codes, rows[i].Code+"@"+rows[i].EffectiveFrom)
	}
	sort.Strings(codes)
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.ReplaceChecklistRules(ctx, string(c), rows); err != nil {
			return err
		}
		detail := fmt.Sprintf("area=%s rules=%d %s", c, len(rows), strings.Join(codes, ","))
		if len(detail) > 1000 {
			detail = detail[:1000]
		}
		return s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorStaff, admin.ID, admin.AreaCode, ActionSetRules, nil, detail, now))
	})
	if err != nil {
		return nil, err
	}
	return s.areaRules(ctx, c, a)
}
