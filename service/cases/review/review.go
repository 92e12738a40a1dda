package review

import (
	"context"
	"encoding/json"
	"fmt"
	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/cases"
	"palmaid/service/econcheck"
	"palmaid/service/store"
	"strings"
	"time"
)

// Accept records 受理 and starts the investigation clock.
func (s *Service) Accept(ctx context.Context, st *model.Staff, publicID string, version int, opinion string) (*cases.StaffRecord, error) {
	op, err := cases.Text("opinion", opinion, 500, false)
	if err != nil {
		return nil, err
	}
	return s.k.Act(ctx, st, publicID, version, model.PermCaseAccept, model.ActAccept, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		if err := f.Accept(env, op); err != nil {
			return err
		}
		due := dueOf(f, model.StepInvestigation)
		cases.Tell(f, env.Now, "已受理", fmt.Sprintf("将于%s前启动调查", due),
			fmt.Sprintf("您的申请（%s）已受理。乡镇（街道）将于%s前启动入户调查和家庭经济状况核对，请保持电话畅通。", f.Case.CaseNo, due))
		return nil
	})
}

func dueOf(f *model.CaseFile, step string) string {
	for i := len(f.Deadlines) - 1; i >= 0; i-- {
		if f.Deadlines[i].Step == step && f.Deadlines[i].State == model.ClockOpen {
			return f.Deadlines[i].DueOn
		}
	}
	return ""
}

// MissingItemInput is one line of the one-time notice.
type MissingItemInput struct {
	Name string `json:"name"`
	Note string `json:"note"`
}

// Return sends the case back with every missing item listed at once.
func (s *Service) Return(ctx context.Context, st *model.Staff, publicID string, version int, opinion string, items []MissingItemInput) (*cases.StaffRecord, error) {
	op, err := cases.Text("opinion", opinion, 500, false)
	if err != nil {
		return nil, err
	}
	list, err := missingItems(items)
	if err != nil {
		return nil, err
	}
	return s.k.Act(ctx, st, publicID, version, model.PermCaseAccept, model.ActReturn, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		names := make([]string, len(list))
		for i, it := range list {
			names[i] = it.Name
		}
		// What data sharing holds is refused first: it is the more precise answer (免证明).
		if err := s.refuseShared(ctx, &f.Case, env.Now, names); err != nil {
			return err
		}
		if err := f.Return(env, op, list); err != nil {
			return err
		}
		cases.Tell(f, env.Now, "需补正", fmt.Sprintf("请补充%d项材料，详见小程序", len(list)),
			fmt.Sprintf("您的申请（%s）需要补充以下%d项材料：%s。请一次补齐后重新提交。", f.Case.CaseNo, len(list), strings.Join(names, "、")))
		return nil
	})
}

// ErrItemShared refuses a return naming a document that government data sharing supplies.
var ErrItemShared = model.E(model.KindUnprocessable, "case.item_shared", "所列材料已通过政务数据共享获取，无需群众提供（免证明）")

// refuseShared answers 422 for the first returned item that data sharing supplies in the
// case's area today. It runs inside the action's transaction (ctx), on its connection.
func (s *Service) refuseShared(ctx context.Context, c *model.Case, now time.Time, names []string) error {
	if s.shared == nil {
		return nil
	}
	sources, err := s.shared.SharedSources(ctx, model.AreaCode(c.AreaCode), calendar.DateOf(now), names)
	if err != nil {
		return err
	}
	for i, src := range sources {
		if src != "" {
			return ErrItemShared.WithField(fmt.Sprintf("missingItems[%d].name", i),
				"“"+names[i]+"”已通过数据共享（"+src+"）获取，无需群众提供")
		}
	}
	return nil
}

var errMissingItems = model.Invalid("case.invalid_missing_items", "所缺材料清单不正确")

func missingItems(items []MissingItemInput) ([]model.MissingItem, error) {
	if len(items) == 0 {
		return nil, model.ErrMissingItemsRequired.WithField("missingItems", "至少一项")
	}
	if len(items) > 30 {
		return nil, errMissingItems.WithField("missingItems", "最多30项")
	}
	seen := map[string]bool{}
	out := make([]model.MissingItem, 0, len(items))
	for i, it := range items {
		field := fmt.Sprintf("missingItems[%d]", i)
		name, err := cases.Text(field+".name", it.Name, 60, false)
		if err != nil {
			return nil, err
		}
		note, err := cases.Text(field+".note", it.Note, 200, false)
		if err != nil {
			return nil, err
		}
		if name == "" {
			return nil, errMissingItems.WithField(field+".name", "材料名称为1至60字")
		}
		if seen[name] {
			return nil, errMissingItems.WithField(field+".name", "材料重复")
		}
		seen[name] = true
		out = append(out, model.MissingItem{Name: name, Note: note})
	}
	return out, nil
}

// RefuseAcceptance is 不予受理 with reasons.
func (s *Service) RefuseAcceptance(ctx context.Context, st *model.Staff, publicID string, version int, reason string) (*cases.StaffRecord, error) {
	reason, err := cases.Text("reason", reason, 500, true)
	if err != nil {
		return nil, err
	}
	return s.k.Act(ctx, st, publicID, version, model.PermCaseAccept, model.ActRefuseAcceptance, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		if err := f.RefuseAcceptance(env, reason); err != nil {
			return err
		}
		cases.Tell(f, env.Now, "不予受理", "申请不予受理，详见小程序",
			fmt.Sprintf("您的申请（%s）不予受理，理由：%s。如有异议，可依法申请行政复议或提起行政诉讼，也可拨打12349热线。", f.Case.CaseNo, reason)+cases.RateInvitation)
		return nil
	})
}

// StartInvestigation starts the investigation and requests the data check.
func (s *Service) StartInvestigation(ctx context.Context, st *model.Staff, publicID string, version int, opinion string) (*cases.StaffRecord, error) {
	op, err := cases.Text("opinion", opinion, 500, false)
	if err != nil {
		return nil, err
	}
	return s.k.Act(ctx, st, publicID, version, model.PermCaseInvestigate, model.ActStartInvestigation, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		if err := f.StartInvestigation(env, op); err != nil {
			return err
		}
		tellInvestigation(f, env.Now)
		return nil
	})
}

// DataCheckInput is the county's check result. Outcome may be empty when a source answers:
// negative if any member has a negative result.
type DataCheckInput struct {
	Outcome string
	Summary string
}

// RecordDataCheck fetches the economic-status results for every member (before taking the
// case lock: an outside call never runs inside a transaction) and records them.
func (s *Service) RecordDataCheck(ctx context.Context, st *model.Staff, publicID string, version int, in DataCheckInput) (*cases.StaffRecord, error) {
	if !st.Can(model.PermCaseDataCheck) {
		return nil, cases.ErrRoleForbidden
	}
	summary, err := cases.Text("summary", in.Summary, 1000, false)
	if err != nil {
		return nil, err
	}
	results := "[]"
	outcome := in.Outcome
	pre, err := s.st.LoadCaseFile(ctx, store.StaffScope(st), publicID)
	if err != nil {
		return nil, err
	}
	people := make([]econcheck.Person, 0, len(pre.Members))
	for _, m := range pre.Members {
		id, err := s.cipher.DecryptString(m.IDEnc)
		if err != nil {
			return nil, err
		}
		people = append(people, econcheck.Person{Position: m.Position, IDNumber: id})
	}
	if err := authorised(pre, people, s.now().In(model.China())); err != nil {
		return nil, err
	}
	if s.econ != nil {
		res, err := s.econ.Check(ctx, people)
		if err != nil {
			return nil, model.ErrUnavailable.WithCause(err)
		}
		b, _ := json.Marshal(res)
		results = string(b)
		if outcome == "" {
			outcome = model.CheckPass
			for _, r := range res {
				if r.Negative {
					outcome = model.CheckNegative
				}
			}
		}
	}
	if outcome == "" {
		return nil, model.ErrEntryInvalid.WithField("outcome", "pass 或 negative")
	}
	return s.k.Act(ctx, st, publicID, version, model.PermCaseDataCheck, model.ActDataCheckResult, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		if f.Facts != nil && pre.Facts != nil && f.Facts.Seq != pre.Facts.Seq {
			return model.ErrStaleVersion // the declaration (and so the consents) changed since the check
		}
		if err := f.DataCheckResult(env, outcome, summary, results); err != nil {
			return err
		}
		tellDataCheck(f, env.Now, outcome, summary)
		return nil
	})
}

// authorised: the county's data check reads a member's economic records only with that
// member's recorded authorisation — an adult's own consent (confirmed in their WeChat, or a
// signed paper form) — and a minor's through an adult of the household (or the agent) who
// consented. A declared change that touched a member's facts asks for their consent again
// (reaskConsents): until they confirm, they have none. A member without one answers 422
// naming their place in the household and relation, never their ID number.
func authorised(f *model.CaseFile, people []econcheck.Person, today time.Time) error {
	given := map[string]bool{}
	guardian := false
	for i := range f.Consents {
		k := &f.Consents[i]
		if k.State != model.ConsentConfirmed && k.State != model.ConsentPaper && k.State != model.ConsentVerified {
			continue
		}
		switch k.Subject {
		case model.ConsentMember:
			given[k.PersonBidx], guardian = true, true
		case model.ConsentAgent:
			guardian = true
		}
	}
	g := cases.Gaps{}
	for i, m := range f.Members {
		ok := given[m.IDBidx]
		if !ok && i < len(people) && !cases.Adult(people[i].IDNumber, today) {
			ok = guardian
		}
		if !ok {
			g.Add(fmt.Sprintf("members[%d]", m.Position), fmt.Sprintf("第%d位家庭成员（%s）没有已记录的核对授权", m.Position+1, m.Relation.Label()))
		}
	}
	return g.Err(cases.ErrNotAuthorised)
}

// VisitInput is one home visit.
type VisitInput struct {
	VisitedOn       string
	Investigators   []string // staff usernames
	Findings        string
	FamilyConfirmed bool
}

// RecordVisit records a home visit by at least two distinct staff of the case's area.
func (s *Service) RecordVisit(ctx context.Context, st *model.Staff, publicID string, version int, in VisitInput) (*cases.StaffRecord, error) {
	findings, err := cases.Text("findings", in.Findings, 2000, true)
	if err != nil {
		return nil, err
	}
	day, ok := model.ParseDate(in.VisitedOn, model.China())
	if !ok || day.After(s.now()) {
		return nil, model.ErrVisitDate.WithField("visitedOn", "YYYY-MM-DD，不晚于今天")
	}
	if len(in.Investigators) > 10 {
		return nil, model.ErrVisitNeedsTwo.WithField("investigators", "最多10人")
	}
	return s.k.Act(ctx, st, publicID, version, model.PermCaseVisit, model.ActRecordVisit, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		people, err := s.k.StaffNamed(ctx, in.Investigators)
		if err != nil {
			return err
		}
		return f.RecordVisit(env, in.VisitedOn, findings, in.FamilyConfirmed, people)
	})
}

// AppointmentInput is a home-visit appointment: the day, the window (HH:MM–HH:MM, China
// Standard Time) and the investigators' usernames when already known (none, or at least two).
type AppointmentInput struct {
	On, From, To  string
	Investigators []string
}

// ScheduleVisit records the home-visit appointment of a case under investigation and tells the
// residents the day and time (not who comes).
func (s *Service) ScheduleVisit(ctx context.Context, st *model.Staff, publicID string, version int, in AppointmentInput) (*cases.StaffRecord, error) {
	loc := model.China()
	day, err := time.ParseInLocation("2006-01-02", in.On, loc)
	today := s.now().In(loc).Format("2006-01-02")
	if err != nil || in.On < today || day.After(s.now().AddDate(0, 3, 0)) {
		return nil, model.ErrVisitDate.WithField("on", "YYYY-MM-DD，今天起三个月内")
	}
	from, err1 := time.Parse("15:04", in.From)
	to, err2 := time.Parse("15:04", in.To)
	if err1 != nil || err2 != nil || !from.Before(to) || from.Hour() < 7 || to.Hour() > 21 || (to.Hour() == 21 && to.Minute() > 0) {
		return nil, model.Invalid("case.invalid_visit_window", "入户时段不正确").WithField("from", "HH:MM–HH:MM，07:00至21:00之间，开始早于结束")
	}
	if len(in.Investigators) > 10 {
		return nil, model.ErrVisitNeedsTwo.WithField("investigators", "最多10人")
	}
	return s.k.Act(ctx, st, publicID, version, model.PermCaseInvestigate, model.ActScheduleVisit, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		people, err := s.k.StaffNamed(ctx, in.Investigators)
		if err != nil {
			return err
		}
		if err := f.ScheduleVisit(env, in.On, in.From, in.To, people); err != nil {
			return err
		}
		tellVisitScheduled(f, env.Now, day, in.From, in.To)
		return nil
	})
}
