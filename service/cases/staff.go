package cases

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/econcheck"
	"palmaid/service/eligibility"
	"palmaid/service/store"
)

var (
	errRoleForbidden = model.E(model.KindForbidden, "case.role_forbidden", "您的岗位不能进行此操作")
	errInvalidFilter = model.Invalid("case.invalid_filter", "筛选条件不正确")
	errUnmaskField   = model.Invalid("case.invalid_unmask", "请选择要查看的信息")
	errNotAuthorised = model.E(model.KindUnprocessable, "case.authorization_missing", "有家庭成员尚未授权核对家庭经济状况，不能发起核对")
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

// noDueCursor stands in a page cursor for the due date "" of a case without an open clock
// (such a case comes first on a step's list): a cursor's date is a real day.
const noDueCursor = "1970-01-01"

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
		return store.CaseFilter{}, errInvalidFilter.WithField("status", "未知的办理状态")
	}
	if f.Category != "" && !f.Category.Valid() {
		return store.CaseFilter{}, errInvalidFilter.WithField("category", "未知的救助类别")
	}
	if f.Village != "" {
		if v, err := model.ParseAreaCode(f.Village); err != nil || v.Level() != model.LevelVillage {
			return store.CaseFilter{}, errInvalidFilter.WithField("village", "应为12位村（社区）代码")
		}
	}
	cf := store.CaseFilter{Status: f.Status, Category: f.Category, Village: f.Village, AgentCase: f.AgentCase,
		CloseRelative: f.CloseRelative, Urgent: f.Urgent, Before: f.Before, Limit: f.Limit}
	// a due-date list's cursor has both parts; any other list's has no date
	if f.List.ByDueDate() && (f.Before == 0) != (f.CursorDueOn == "") || !f.List.ByDueDate() && f.CursorDueOn != "" {
		return store.CaseFilter{}, errInvalidFilter.WithField("cursor", "分页标记无效，请从第一页重新加载")
	}
	if f.List.ByDueDate() {
		cf.Before, cf.AfterID, cf.AfterDueOn = 0, f.Before, f.CursorDueOn
		if cf.AfterDueOn == noDueCursor {
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
			return store.CaseFilter{}, errInvalidFilter.WithField("days", "1至30")
		}
		cf.DueOnOrBefore = calendar.DateOf(s.cal.AddWorkingDays(s.now(), n))
		cf.DueOnOrAfter = today // the overdue ones are on their own list
	default:
		return store.CaseFilter{}, errInvalidFilter.WithField("list", "未知的工作清单")
	}
	return cf, nil
}

// Queue lists cases inside the staff member's area, most urgent first (List.ByDueDate), else
// newest first. Every list is audited.
func (s *Service) Queue(ctx context.Context, st *model.Staff, f QueueFilter) (*Page, error) {
	if !st.Can(model.PermCaseRead) {
		return nil, errRoleForbidden
	}
	cf, err := s.filter(st, f)
	if err != nil {
		return nil, err
	}
	p, err := s.page(ctx, store.StaffScope(st), cf, true)
	if err != nil {
		return nil, err
	}
	if err := s.auditOutside(ctx, st, "case.list", nil, fmt.Sprintf("list=%s status=%s category=%s results=%d", f.List, f.Status, f.Category, len(p.Cases))); err != nil {
		return nil, err
	}
	return p, nil
}

// Counts answers the number of cases on each worklist (badges).
func (s *Service) Counts(ctx context.Context, st *model.Staff) (map[Worklist]int64, error) {
	if !st.Can(model.PermCaseRead) {
		return nil, errRoleForbidden
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

// StaffRecord is the staff view of a case file.
type StaffRecord struct {
	*Record
	Address         string
	PhoneMasked     string
	Allowed         []model.Action
	Ages            map[int]int // member position → age today
	Investigators   map[uint64]string
	ObjectionMasked map[uint64]string
	// Facts is the household's declaration (ID numbers masked; nil for applications made
	// before declarations existed); Eligibility the engine's classification of it under the
	// region's policy today, rule by rule with exact figures — a pre-filled basis for the
	// opinion, which the investigation confirms or corrects. EligibilityNote says why there is
	// none (an incomplete declaration).
	Facts           *Facts
	Suggestions     []Suggestion // the engine's pre-filled opinion entries
	Eligibility     *eligibility.Report
	EligibilityNote string
	ConsentNames    map[uint64]string
	// ApplicantIdentity and BeneficiaryIdentity are the identity assurance of the applicant's
	// and the linked beneficiary's accounts (model.Assurance*; BeneficiaryIdentity is
	// "not_linked" while no account is linked); BeneficiaryVerifiedAt when it was assured.
	ApplicantIdentity     string
	BeneficiaryIdentity   string
	BeneficiaryVerifiedAt *time.Time
}

// Get opens a case in the staff member's area (ID numbers and phone masked). Reads are
// audited, including refused ones.
func (s *Service) Get(ctx context.Context, st *model.Staff, publicID string) (*StaffRecord, error) {
	if !st.Can(model.PermCaseRead) {
		return nil, errRoleForbidden
	}
	f, err := s.st.LoadCaseFile(ctx, store.StaffScope(st), publicID)
	if err != nil {
		if aerr := s.auditOutside(ctx, st, "case.view.denied", nil, "public_id="+truncate(publicID, 40)); aerr != nil {
			return nil, aerr
		}
		return nil, err
	}
	id := f.Case.ID
	if err := s.auditOutside(ctx, st, "case.view", &id, "masked"); err != nil {
		return nil, err
	}
	return s.staffRecord(ctx, st, f)
}

func (s *Service) staffRecord(ctx context.Context, st *model.Staff, f *model.CaseFile) (*StaffRecord, error) {
	rec, err := s.record(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &StaffRecord{Record: rec, Allowed: f.AllowedFor(st), Ages: map[int]int{}, Investigators: map[uint64]string{}}
	hh, err := s.st.Household(ctx, f.Case.HouseholdID)
	if err != nil {
		return nil, err
	}
	out.Address = hh.Address
	out.BeneficiaryIdentity = "not_linked"
	if r, err := s.st.GetResident(ctx, f.Case.ApplicantResidentID); err == nil {
		out.PhoneMasked = r.PhoneMasked
		out.ApplicantIdentity = r.Assurance()
	}
	if b := f.Case.BeneficiaryResidentID; b != nil {
		if r, err := s.st.GetResident(ctx, *b); err == nil {
			out.BeneficiaryIdentity, out.BeneficiaryVerifiedAt = r.Assurance(), r.IdentityVerifiedAt
		}
	}
	today := s.now().In(calendar.Location())
	for _, m := range f.Members {
		if id, err := s.cipher.DecryptString(m.IDEnc); err == nil {
			if b, ok := model.BirthDateFromID(id); ok {
				out.Ages[m.Position] = model.AgeOn(b, today)
			}
		}
	}
	if f.Facts != nil {
		facts, err := s.openFacts(f)
		if err != nil {
			return nil, err
		}
		out.Facts = facts.masked()
		out.ConsentNames = map[uint64]string{}
		for _, k := range f.Consents {
			out.ConsentNames[k.ID] = consentWho(&k, facts)
		}
		p, err := s.st.RegionPolicy(ctx, model.AreaCode(f.Case.AreaCode), calendar.DateOf(s.now()))
		if err != nil {
			return nil, err
		}
		day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
		if rep, err := eligibility.Evaluate(*facts.eligibility(day, false), p, day); err == nil {
			out.Eligibility = rep
			out.Suggestions = suggestions(rep)
		} else {
			out.EligibilityNote = "申报信息不完整，无法测算：" + model.AsError(err).Message
		}
	}
	var ids []uint64
	for id := range f.Investigators() {
		ids = append(ids, id)
	}
	if sc := f.SpotCheckRow(); sc != nil { // the spot check's officers are named too
		ids = append(ids, model.ParseIDList(sc.Officers)...)
	}
	staff, err := s.st.StaffByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	for id, st := range staff {
		out.Investigators[id] = st.DisplayName
	}
	return out, nil
}

// UnmaskField names what a staff member may read in clear.
type UnmaskField string

const (
	UnmaskPhone    UnmaskField = "phone"
	UnmaskIDNumber UnmaskField = "idNumber"
)

// unmaskReasonMin is the shortest reason an unmask takes (characters): enough for "电话核实身份"
// or "核对户籍信息", not a token "看看" (issue 19).
const unmaskReasonMin = 5

var errUnmaskReason = model.E(model.KindUnprocessable, "unmask.reason_too_short", "请写明查看完整号码的事由（至少5个字），例如“电话核实申请人身份”").
	WithField("reason", "至少5个字")

// Unmask returns one personal datum in clear, with a stated reason; the read is audited in
// the same transaction as nothing else: if the audit row cannot be written, nothing is shown.
func (s *Service) Unmask(ctx context.Context, st *model.Staff, publicID string, field UnmaskField, position int, reason string) (string, error) {
	if !st.Can(model.PermCaseUnmask) {
		return "", errRoleForbidden
	}
	reason, err := text("reason", reason, 200, true)
	if err != nil {
		return "", err
	}
	if utf8.RuneCountInString(reason) < unmaskReasonMin {
		return "", errUnmaskReason
	}
	f, err := s.st.LoadCaseFile(ctx, store.StaffScope(st), publicID)
	if err != nil {
		return "", err
	}
	var value string
	switch field {
	case UnmaskPhone:
		r, err := s.st.GetResident(ctx, f.Case.ApplicantResidentID)
		if err != nil {
			return "", err
		}
		if len(r.PhoneEnc) == 0 {
			return "", model.E(model.KindNotFound, "case.phone_missing", "申请人未绑定手机号")
		}
		if value, err = s.cipher.DecryptString(r.PhoneEnc); err != nil {
			return "", err
		}
	case UnmaskIDNumber:
		found := false
		for _, m := range f.Members {
			if m.Position == position {
				if value, err = s.cipher.DecryptString(m.IDEnc); err != nil {
					return "", err
				}
				found = true
			}
		}
		if !found {
			return "", errUnmaskField.WithField("memberPosition", "没有这位家庭成员")
		}
	default:
		return "", errUnmaskField.WithField("field", "phone 或 idNumber")
	}
	id := f.Case.ID
	if err := s.auditOutside(ctx, st, "case.unmask", &id, fmt.Sprintf("field=%s position=%d reason=%s", field, position, reason)); err != nil {
		return "", err
	}
	return value, nil
}

// act runs one staff action as a single transaction: the locked case file, the model method,
// the history, clocks, outbox and the audit row commit together or not at all.
func (s *Service) act(ctx context.Context, st *model.Staff, publicID string, version int, perm model.Permission, action model.Action,
	fn func(ctx context.Context, f *model.CaseFile, env model.Env) error) (*StaffRecord, error) {
	if !st.Can(perm) {
		return nil, errRoleForbidden
	}
	if version < 1 {
		return nil, errVersionRequired
	}
	by := model.Actor{Type: model.ActorStaff, ID: st.ID, AreaCode: st.AreaCode}
	f, err := s.st.UpdateCaseFile(ctx, store.StaffScope(st), publicID, version, s.now(), func(ctx context.Context, f *model.CaseFile) error {
		env, err := s.env(ctx, &f.Case, by, st)
		if err != nil {
			return err
		}
		if err := fn(ctx, f, env); err != nil {
			return err
		}
		id := f.Case.ID
		f.Audit = append(f.Audit, auditRow(ctx, model.ActorStaff, st.ID, st.AreaCode, "case."+string(action), &id, fmt.Sprintf("version=%d", f.Case.Version+1), env.Now))
		return nil
	})
	if err != nil {
		if model.AsError(err).Kind == model.KindNotFound && model.AsError(err).Code == model.ErrCaseNotFound.Code {
			if aerr := s.auditOutside(ctx, st, "case."+string(action)+".denied", nil, "public_id="+truncate(publicID, 40)); aerr != nil {
				return nil, aerr
			}
		}
		return nil, err
	}
	return s.staffRecord(ctx, st, f)
}

// Accept records 受理 and starts the investigation clock.
func (s *Service) Accept(ctx context.Context, st *model.Staff, publicID string, version int, opinion string) (*StaffRecord, error) {
	op, err := text("opinion", opinion, 500, false)
	if err != nil {
		return nil, err
	}
	return s.act(ctx, st, publicID, version, model.PermCaseAccept, model.ActAccept, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		if err := f.Accept(env, op); err != nil {
			return err
		}
		due := dueOf(f, model.StepInvestigation)
		tell(f, env.Now, "已受理", fmt.Sprintf("将于%s前启动调查", due),
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
func (s *Service) Return(ctx context.Context, st *model.Staff, publicID string, version int, opinion string, items []MissingItemInput) (*StaffRecord, error) {
	op, err := text("opinion", opinion, 500, false)
	if err != nil {
		return nil, err
	}
	list, err := missingItems(items)
	if err != nil {
		return nil, err
	}
	return s.act(ctx, st, publicID, version, model.PermCaseAccept, model.ActReturn, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
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
		tell(f, env.Now, "需补正", fmt.Sprintf("请补充%d项材料，详见小程序", len(list)),
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
		name, err := text(field+".name", it.Name, 60, false)
		if err != nil {
			return nil, err
		}
		note, err := text(field+".note", it.Note, 200, false)
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
func (s *Service) RefuseAcceptance(ctx context.Context, st *model.Staff, publicID string, version int, reason string) (*StaffRecord, error) {
	reason, err := text("reason", reason, 500, true)
	if err != nil {
		return nil, err
	}
	return s.act(ctx, st, publicID, version, model.PermCaseAccept, model.ActRefuseAcceptance, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		if err := f.RefuseAcceptance(env, reason); err != nil {
			return err
		}
		tell(f, env.Now, "不予受理", "申请不予受理，详见小程序",
			fmt.Sprintf("您的申请（%s）不予受理，理由：%s。如有异议，可依法申请行政复议或提起行政诉讼，也可拨打12349热线。", f.Case.CaseNo, reason)+RateInvitation)
		return nil
	})
}

// StartInvestigation starts the investigation and requests the data check.
func (s *Service) StartInvestigation(ctx context.Context, st *model.Staff, publicID string, version int, opinion string) (*StaffRecord, error) {
	op, err := text("opinion", opinion, 500, false)
	if err != nil {
		return nil, err
	}
	return s.act(ctx, st, publicID, version, model.PermCaseInvestigate, model.ActStartInvestigation, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
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
func (s *Service) RecordDataCheck(ctx context.Context, st *model.Staff, publicID string, version int, in DataCheckInput) (*StaffRecord, error) {
	if !st.Can(model.PermCaseDataCheck) {
		return nil, errRoleForbidden
	}
	summary, err := text("summary", in.Summary, 1000, false)
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
	if err := authorised(pre, people, s.now().In(calendar.Location())); err != nil {
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
	return s.act(ctx, st, publicID, version, model.PermCaseDataCheck, model.ActDataCheckResult, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
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
	g := gaps{}
	for i, m := range f.Members {
		ok := given[m.IDBidx]
		if !ok && i < len(people) && !adult(people[i].IDNumber, today) {
			ok = guardian
		}
		if !ok {
			g.add(fmt.Sprintf("members[%d]", m.Position), fmt.Sprintf("第%d位家庭成员（%s）没有已记录的核对授权", m.Position+1, m.Relation.Label()))
		}
	}
	return g.err(errNotAuthorised)
}

// VisitInput is one home visit.
type VisitInput struct {
	VisitedOn       string
	Investigators   []string // staff usernames
	Findings        string
	FamilyConfirmed bool
}

// RecordVisit records a home visit by at least two distinct staff of the case's area.
func (s *Service) RecordVisit(ctx context.Context, st *model.Staff, publicID string, version int, in VisitInput) (*StaffRecord, error) {
	findings, err := text("findings", in.Findings, 2000, true)
	if err != nil {
		return nil, err
	}
	day, ok := model.ParseDate(in.VisitedOn, calendar.Location())
	if !ok || day.After(s.now()) {
		return nil, model.Invalid("case.invalid_visit_date", "入户日期不正确").WithField("visitedOn", "YYYY-MM-DD，不晚于今天")
	}
	if len(in.Investigators) > 10 {
		return nil, model.ErrVisitNeedsTwo.WithField("investigators", "最多10人")
	}
	return s.act(ctx, st, publicID, version, model.PermCaseVisit, model.ActRecordVisit, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		people, err := s.staffNamed(ctx, in.Investigators)
		if err != nil {
			return err
		}
		return f.RecordVisit(env, in.VisitedOn, findings, in.FamilyConfirmed, people)
	})
}

// staffNamed looks the investigators up by username, in the order given; an unknown name stays
// nil for the case file's rules to refuse.
func (s *Service) staffNamed(ctx context.Context, names []string) ([]*model.Staff, error) {
	found, err := s.st.StaffByUsernames(ctx, names)
	if err != nil {
		return nil, err
	}
	people := make([]*model.Staff, len(names))
	for i, name := range names {
		people[i] = found[strings.ToLower(strings.TrimSpace(name))]
	}
	return people, nil
}

// AppointmentInput is a home-visit appointment: the day, the window (HH:MM–HH:MM, China
// Standard Time) and the investigators' usernames when already known (none, or at least two).
type AppointmentInput struct {
	On, From, To  string
	Investigators []string
}

// ScheduleVisit records the home-visit appointment of a case under investigation and tells the
// residents the day and time (not who comes).
func (s *Service) ScheduleVisit(ctx context.Context, st *model.Staff, publicID string, version int, in AppointmentInput) (*StaffRecord, error) {
	loc := calendar.Location()
	day, err := time.ParseInLocation("2006-01-02", in.On, loc)
	today := s.now().In(loc).Format("2006-01-02")
	if err != nil || in.On < today || day.After(s.now().AddDate(0, 3, 0)) {
		return nil, model.Invalid("case.invalid_visit_date", "入户日期不正确").WithField("on", "YYYY-MM-DD，今天起三个月内")
	}
	from, err1 := time.Parse("15:04", in.From)
	to, err2 := time.Parse("15:04", in.To)
	if err1 != nil || err2 != nil || !from.Before(to) || from.Hour() < 7 || to.Hour() > 21 || (to.Hour() == 21 && to.Minute() > 0) {
		return nil, model.Invalid("case.invalid_visit_window", "入户时段不正确").WithField("from", "HH:MM–HH:MM，07:00至21:00之间，开始早于结束")
	}
	if len(in.Investigators) > 10 {
		return nil, model.ErrVisitNeedsTwo.WithField("investigators", "最多10人")
	}
	return s.act(ctx, st, publicID, version, model.PermCaseInvestigate, model.ActScheduleVisit, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		people, err := s.staffNamed(ctx, in.Investigators)
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

// EntryInput is one per-category line of an opinion or a decision.
type EntryInput struct {
	Category       model.Category
	MemberPosition *int // nil: the household
	Outcome        string
	MonthlyCents   int64
	OneOffCents    int64
	Reason         string
	EffectiveMonth string
	MeetingRef     string
	// MeetingOn (YYYY-MM-DD) and MeetingParticipants complete the 一事一议 record.
	MeetingOn           string
	MeetingParticipants string
	// DeviationReason: why a preliminary opinion departs from the engine's suggestion.
	DeviationReason string
}

func position(p *int) int {
	if p == nil {
		return model.HouseholdLevel
	}
	return *p
}

func checkEntryTexts(entries []EntryInput) error {
	if len(entries) > 40 {
		return model.ErrEntryInvalid.WithField("entries", "最多40项")
	}
	for i := range entries {
		r, err := text(fmt.Sprintf("entries[%d].reason", i), entries[i].Reason, 500, false)
		if err != nil {
			return err
		}
		entries[i].Reason = r
		if m := entries[i].EffectiveMonth; m != "" {
			if _, err := time.Parse("2006-01", m); err != nil {
				return model.ErrEntryInvalid.WithField(fmt.Sprintf("entries[%d].effectiveMonth", i), "YYYY-MM")
			}
		}
		ref, err := text(fmt.Sprintf("entries[%d].meetingRef", i), entries[i].MeetingRef, 60, false)
		if err != nil {
			return err
		}
		entries[i].MeetingRef = ref
		who, err := text(fmt.Sprintf("entries[%d].meetingParticipants", i), entries[i].MeetingParticipants, 150, false)
		if err != nil {
			return err
		}
		entries[i].MeetingParticipants = who
		if d := entries[i].MeetingOn; d != "" {
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				return model.ErrEntryInvalid.WithField(fmt.Sprintf("entries[%d].meetingOn", i), "YYYY-MM-DD")
			}
		}
		dev, err := text(fmt.Sprintf("entries[%d].deviationReason", i), entries[i].DeviationReason, 500, false)
		if err != nil {
			return err
		}
		entries[i].DeviationReason = dev
	}
	return nil
}

// GiveOpinion records the town's preliminary opinion for all five categories.
func (s *Service) GiveOpinion(ctx context.Context, st *model.Staff, publicID string, version int, entries []EntryInput, summary string) (*StaffRecord, error) {
	summary, err := text("summary", summary, 500, false)
	if err != nil {
		return nil, err
	}
	if err := checkEntryTexts(entries); err != nil {
		return nil, err
	}
	ops := make([]model.Opinion, len(entries))
	devs := make([]string, len(entries))
	for i, e := range entries {
		ops[i] = model.Opinion{Category: e.Category, MemberPosition: position(e.MemberPosition), Outcome: e.Outcome, MonthlyCents: e.MonthlyCents, OneOffCents: e.OneOffCents, Reason: e.Reason}
		devs[i] = e.DeviationReason
	}
	return s.act(ctx, st, publicID, version, model.PermCaseOpinion, model.ActOpinion, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		// The engine's suggestion on the declared facts is recorded beside each entry; departing
		// from it needs a reason.
		rep, err := s.engineReport(ctx, f)
		if err != nil {
			return err
		}
		if rep != nil {
			if err := annotate(ops, devs, suggestions(rep)); err != nil {
				return err
			}
		}
		if err := f.GiveOpinion(env, ops, summary); err != nil {
			return err
		}
		tellOpinion(f, env.Now)
		return nil
	})
}

// StartNotice posts the public notice in the village.
func (s *Service) StartNotice(ctx context.Context, st *model.Staff, publicID string, version int) (*StaffRecord, error) {
	ref, err := newPublicID()
	if err != nil {
		return nil, err
	}
	return s.act(ctx, st, publicID, version, model.PermCaseOpinion, model.ActStartNotice, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		name := ""
		for _, m := range f.Members {
			if f.Case.ApplicantMemberID != nil && m.ID == *f.Case.ApplicantMemberID {
				name = m.Name
			}
		}
		if err := f.StartNotice(env, ref, name); err != nil {
			return err
		}
		n := f.OpenNotice()
		tell(f, env.Now, "公示中", "公示至"+n.EndsOn,
			fmt.Sprintf("您的申请（%s）初审完成，正在村（社区）公示，公示期至%s。", f.Case.CaseNo, n.EndsOn))
		return nil
	})
}

// ResolveObjection rules on an objection raised during the notice.
func (s *Service) ResolveObjection(ctx context.Context, st *model.Staff, publicID string, version int, objectionID uint64, upheld bool, resolution, followup string) (*StaffRecord, error) {
	resolution, err := text("resolution", resolution, 1000, true)
	if err != nil {
		return nil, err
	}
	return s.act(ctx, st, publicID, version, model.PermCaseOpinion, model.ActResolveObjection, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		if err := f.ResolveObjection(env, objectionID, upheld, resolution, followup); err != nil {
			return err
		}
		tellObjectionOutcome(f, env.Now, upheld)
		return nil
	})
}

// MergeObjection merges a duplicate objection into another of the same notice (it stops
// blocking the notice's close; the investigation is not reopened).
func (s *Service) MergeObjection(ctx context.Context, st *model.Staff, publicID string, version int, objectionID, into uint64) (*StaffRecord, error) {
	return s.act(ctx, st, publicID, version, model.PermCaseOpinion, model.ActResolveObjection, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		return f.MergeObjection(env, objectionID, into)
	})
}

// CloseNotice ends a notice that ran its full period and forwards the file to the decider.
func (s *Service) CloseNotice(ctx context.Context, st *model.Staff, publicID string, version int) (*StaffRecord, error) {
	return s.act(ctx, st, publicID, version, model.PermCaseOpinion, model.ActCloseNotice, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		if err := f.CloseNotice(env); err != nil {
			return err
		}
		tellNoticeEnded(f, env.Now)
		return nil
	})
}

// Decide is 审核确认 for all five categories, by the level the region names.
func (s *Service) Decide(ctx context.Context, st *model.Staff, publicID string, version int, entries []EntryInput, note string) (*StaffRecord, error) {
	note, err := text("note", note, 500, false)
	if err != nil {
		return nil, err
	}
	if err := checkEntryTexts(entries); err != nil {
		return nil, err
	}
	if !st.Can(model.PermCaseDecide) && !st.Can(model.PermCaseDecideTown) {
		return nil, errRoleForbidden
	}
	ds := make([]model.Decision, len(entries))
	for i, e := range entries {
		ds[i] = model.Decision{Category: e.Category, MemberPosition: position(e.MemberPosition), Outcome: e.Outcome,
			MonthlyCents: e.MonthlyCents, OneOffCents: e.OneOffCents, Reason: e.Reason, EffectiveMonth: e.EffectiveMonth, MeetingRef: e.MeetingRef,
			MeetingOn: e.MeetingOn, MeetingParticipants: e.MeetingParticipants}
	}
	perm := model.PermCaseDecide
	if st.Area().Level() >= model.LevelTown {
		perm = model.PermCaseDecideTown
	}
	return s.act(ctx, st, publicID, version, perm, model.ActDecide, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		// the level that decides is the region's choice, per case
		if (f.Case.DeciderLevel == model.DeciderTown) != (perm == model.PermCaseDecideTown) {
			return errRoleForbidden
		}
		in := model.DecideInput{Entries: ds, Note: note, MayHoldMeeting: st.Can(model.PermCaseMeeting)}
		local := env
		local.Now = env.Now.In(calendar.Location())
		if err := f.Decide(local, in); err != nil {
			return err
		}
		if s.decided != nil {
			if err := s.decided.Decided(ctx, f, local); err != nil {
				return err
			}
		}
		tellDecision(f, env.Now)
		return nil
	})
}

// RefusalDelivered records the written refusal as delivered.
func (s *Service) RefusalDelivered(ctx context.Context, st *model.Staff, publicID string, version int, how string) (*StaffRecord, error) {
	how, err := text("how", how, 200, true)
	if err != nil {
		return nil, err
	}
	return s.act(ctx, st, publicID, version, model.PermCaseOpinion, model.ActRefusalDelivered, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		if err := f.RefusalDelivered(env, how); err != nil {
			return err
		}
		tellRefusalDelivered(f, env.Now)
		return nil
	})
}

// UrgentGrant is 先行救助: the town grants urgent temporary aid the same day within its cap;
// above the cap the case goes to the county.
func (s *Service) UrgentGrant(ctx context.Context, st *model.Staff, publicID string, version int, amountCents int64, reason string) (*StaffRecord, error) {
	reason, err := text("reason", reason, 500, true)
	if err != nil {
		return nil, err
	}
	return s.act(ctx, st, publicID, version, model.PermCaseUrgent, model.ActUrgentGrant, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		forwarded, err := f.UrgentGrant(env, amountCents, reason)
		if err != nil {
			return err
		}
		if forwarded {
			tell(f, env.Now, "已受理", "已报县级审批临时救助",
				fmt.Sprintf("您的临时救助申请（%s）已受理，救助金额超过乡镇审批额度，已报县级民政部门审核确认。", f.Case.CaseNo))
			return nil
		}
		tell(f, env.Now, "已救助", "临时救助"+model.Yuan(amountCents),
			fmt.Sprintf("您的临时救助申请（%s）已先行救助%s。请按乡镇（街道）通知补齐相关手续。", f.Case.CaseNo, model.Yuan(amountCents)))
		return nil
	})
}

// Backfill records the paperwork of an urgent grant as complete.
func (s *Service) Backfill(ctx context.Context, st *model.Staff, publicID string, version int, note string) (*StaffRecord, error) {
	note, err := text("note", note, 500, true)
	if err != nil {
		return nil, err
	}
	return s.act(ctx, st, publicID, version, model.PermCaseOpinion, model.ActBackfill, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		return f.Backfill(env, note)
	})
}

// Terminate ends the procedure for non-cooperation.
func (s *Service) Terminate(ctx context.Context, st *model.Staff, publicID string, version int, reason string) (*StaffRecord, error) {
	reason, err := text("reason", reason, 500, true)
	if err != nil {
		return nil, err
	}
	return s.act(ctx, st, publicID, version, model.PermCaseOpinion, model.ActTerminate, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		if err := f.Terminate(env, reason); err != nil {
			return err
		}
		tell(f, env.Now, "已终止", "办理已终止，详见小程序",
			fmt.Sprintf("您的申请（%s）已终止办理，理由：%s。", f.Case.CaseNo, reason)+RateInvitation)
		return nil
	})
}

// FlagCloseRelative registers a close relative of staff or a village cadre (备案).
func (s *Service) FlagCloseRelative(ctx context.Context, st *model.Staff, publicID string, version int, note string) (*StaffRecord, error) {
	note, err := text("note", note, 500, true)
	if err != nil {
		return nil, err
	}
	return s.act(ctx, st, publicID, version, model.PermCaseOpinion, model.ActFlagCloseRelative, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		return f.FlagCloseRelative(env, note)
	})
}

// Extend records a special reason: the 低保 overall clock becomes 45 working days.
func (s *Service) Extend(ctx context.Context, st *model.Staff, publicID string, version int, reason string) (*StaffRecord, error) {
	reason, err := text("reason", reason, 200, true)
	if err != nil {
		return nil, err
	}
	return s.act(ctx, st, publicID, version, model.PermCaseOpinion, model.ActExtend, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		return f.Extend(env, reason)
	})
}

// RecordObjection lets staff record an objection received in person or by phone.
func (s *Service) RecordObjection(ctx context.Context, st *model.Staff, publicID string, version int, in ObjectionInput) (*StaffRecord, error) {
	o, err := s.objection(in)
	if err != nil {
		return nil, err
	}
	return s.act(ctx, st, publicID, version, model.PermCaseOpinion, model.ActObject, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		return f.Object(env, o)
	})
}
