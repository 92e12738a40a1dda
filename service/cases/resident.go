package cases

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/residents"
	"palmaid/service/store"
)

var (
	errIdentityRequired = model.E(model.KindUnprocessable, "identity.required", "请先登记本人的真实姓名和身份证号")
	errPledgeRequired   = model.E(model.KindUnprocessable, "case.pledge_required", "请阅读并确认诚信承诺和家庭经济状况核对授权")
	errCategories       = model.Invalid("case.invalid_categories", "请选择要申请的救助类别（低保、特困、临时救助）")
	errMembers          = model.Invalid("case.invalid_members", "家庭成员信息不完整")
	errNotVillage       = model.E(model.KindUnprocessable, "area.not_village", "请选择户籍或居住地所在的村（社区）")
	errIdemKey          = model.Invalid("request.invalid_idempotency_key", "请求编号格式不正确")
	errApplicantMatch   = model.E(model.KindUnprocessable, "case.applicant_mismatch", "第一位家庭成员应为申请人本人，身份证号须与实名登记一致")
	errDuplicateMember  = model.Invalid("case.duplicate_member", "家庭成员中有重复的身份证号")
	errVersionRequired  = model.Invalid("case.version_required", "缺少版本号，请刷新后重试").WithField("version", "必填，且不小于1")
)

const maxMembers = 20

var idemKeyRe = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)

// MemberInput is one household member as the resident enters it.
type MemberInput struct {
	Relation model.Relation `json:"relation"`
	Name     string         `json:"name"`
	IDNumber string         `json:"idNumber"`
}

// CreateInput is a new application.
type CreateInput struct {
	VillageCode           string           `json:"villageCode"`
	Address               string           `json:"address"`
	Categories            []model.Category `json:"categories"`
	Reason                string           `json:"reason"`
	Members               []MemberInput    `json:"members"`
	PledgeAccepted        bool             `json:"pledgeAccepted"`
	AuthorizationAccepted bool             `json:"authorizationAccepted"`
}

// Create validates and submits an application for the resident's own household.
// With an idempotency key, repeating the call returns the first case (created=false).
func (s *Service) Create(ctx context.Context, residentID uint64, in CreateInput, idemKey string) (*Record, bool, error) {
	if idemKey != "" && !idemKeyRe.MatchString(idemKey) {
		return nil, false, errIdemKey.WithField("Idempotency-Key", "8至64位字母、数字、-或_")
	}
	r, err := s.st.GetResident(ctx, residentID)
	if err != nil {
		return nil, false, err
	}
	if !r.HasIdentity() {
		return nil, false, errIdentityRequired
	}
	nc, areaName, err := s.buildCase(ctx, r, &in)
	if err != nil {
		return nil, false, err
	}
	if idemKey != "" {
		nc.Idem = &model.IdempotencyRecord{ResidentID: residentID, Key: idemKey, RequestHash: s.hashInput(&in), CreatedAt: s.now()}
	}
	f, created, err := s.st.CreateCase(ctx, nc)
	if err != nil {
		return nil, false, err
	}
	if !created {
		rec, err := s.GetMine(ctx, residentID, f.Case.PublicID) // a replay: the case as it is now
		return rec, false, err
	}
	// A new case: the answer is built from the rows just written — no read-back, no view sealed
	// and cached on the submit path (the first progress read fills it).
	rec, err := s.residentView(ctx, residentID, s.newRecord(f, nc.Event, areaName))
	return rec, err == nil, err
}

// buildCase is the new case's rows, and its area name ("town village").
func (s *Service) buildCase(ctx context.Context, r *model.Resident, in *CreateInput) (*store.NewCase, string, error) {
	if !in.PledgeAccepted || !in.AuthorizationAccepted {
		return nil, "", errPledgeRequired
	}
	cats, err := validCategories(in.Categories)
	if err != nil {
		return nil, "", err
	}
	village, err := model.ParseAreaCode(in.VillageCode)
	if err != nil {
		return nil, "", err.(*model.Error).WithField("villageCode", "应为12位行政区划代码")
	}
	if village.Level() != model.LevelVillage {
		return nil, "", errNotVillage
	}
	areaName, err := s.openVillage(ctx, village)
	if err != nil {
		return nil, "", err
	}
	if utf8.RuneCountInString(in.Reason) > 500 {
		return nil, "", model.Invalid("case.reason_too_long", "申请理由请控制在500字以内").WithField("reason", "最多500字")
	}
	if utf8.RuneCountInString(in.Address) > 100 {
		return nil, "", model.Invalid("case.address_too_long", "住址请控制在100字以内").WithField("address", "最多100字")
	}
	members, err := s.members(r, in.Members)
	if err != nil {
		return nil, "", err
	}
	publicID, err := newPublicID()
	if err != nil {
		return nil, "", err
	}
	now := s.now()
	p, err := s.st.RegionPolicy(ctx, village, calendar.DateOf(now))
	if err != nil {
		return nil, "", err
	}
	urgent, accWD := acceptanceClock(p, in.Categories)
	due, prov := clock{s.cal}.AddWorkingDays(now, accWD)
	return &store.NewCase{
		Deadlines: []model.Deadline{{Step: model.StepAcceptance, Round: 1, DueOn: due, Days: accWD, Provisional: prov,
			State: model.ClockOpen, StartedAt: now, Basis: fmt.Sprintf("提交后%d个工作日内受理审查", accWD)}},
		Household: model.Household{AreaCode: string(village), Address: strings.TrimSpace(in.Address), CreatedAt: now, UpdatedAt: now},
		Members:   members,
		Case: model.Case{
			PublicID: publicID, ApplicantResidentID: r.ID,
			AreaCode: string(village), TownCode: string(village.Ancestor(model.LevelTown)), CountyCode: string(village.Ancestor(model.LevelCounty)),
			Status: model.StatusSubmitted, Stage: model.StageToAccept, Reason: strings.TrimSpace(in.Reason), Round: 1, Urgent: urgent,
			NextDueOn: due, NextDueStep: model.StepAcceptance, NextDueProvisional: prov,
			PledgeAt: now, AuthorizationAt: now, SubmittedAt: now, Version: 1, CreatedAt: now, UpdatedAt: now,
		},
		Categories: cats,
		Event: model.CaseEvent{Step: model.StepApplication, Action: model.ActionSubmit, ToStatus: model.StatusSubmitted,
			ActorType: model.ActorResident, ActorID: r.ID, CreatedAt: now},
	}, areaName, nil
}

// validCategories: at least one requestable category, no repeats; the case is then reviewed
// for all five (五合一), with Requested marking the applicant's choice.
func validCategories(in []model.Category) ([]model.CaseCategory, error) {
	if len(in) == 0 {
		return nil, errCategories.WithField("categories", "至少选择一项")
	}
	chosen := map[model.Category]bool{}
	for _, c := range in {
		if !c.Requestable() || chosen[c] {
			return nil, errCategories.WithField("categories", "只能选择低保、特困、临时救助，且不能重复")
		}
		chosen[c] = true
	}
	out := make([]model.CaseCategory, 0, len(model.AllCategories))
	for _, c := range model.AllCategories {
		out = append(out, model.CaseCategory{Category: c, Requested: chosen[c]})
	}
	return out, nil
}

func (s *Service) members(r *model.Resident, in []MemberInput) ([]model.Member, error) {
	if len(in) == 0 || len(in) > maxMembers {
		return nil, errMembers.WithField("members", fmt.Sprintf("请填写1至%d位家庭成员", maxMembers))
	}
	today := s.now().In(calendar.Location())
	seen := map[string]bool{}
	out := make([]model.Member, 0, len(in))
	for i, m := range in {
		field := fmt.Sprintf("members[%d]", i)
		if (i == 0) != (m.Relation == model.RelSelf) || !m.Relation.Valid() {
			return nil, errMembers.WithField(field+".relation", "第一位成员为本人（self），其余成员填写与申请人的关系")
		}
		name := strings.TrimSpace(m.Name)
		if !residents.ValidName(name) {
			return nil, errMembers.WithField(field+".name", "请填写与身份证一致的姓名")
		}
		id := model.NormalizeIDNumber(m.IDNumber)
		if err := model.ValidateIDNumber(id, today); err != nil {
			e := model.AsError(err)
			hint := e.Fields["idNumber"]
			if hint == "" {
				hint = e.Message
			}
			return nil, e.WithField(field+".idNumber", hint)
		}
		bidx := s.cipher.BlindIndex(residents.PurposeIDNumber, id)
		if seen[bidx] {
			return nil, errDuplicateMember.WithField(field+".idNumber", "与其他成员重复")
		}
		seen[bidx] = true
		if i == 0 && (r.IDBidx == nil || *r.IDBidx != bidx) {
			return nil, errApplicantMatch
		}
		enc, err := s.cipher.EncryptString(id)
		if err != nil {
			return nil, err
		}
		// No birth date in clear: with the mask's first 6 and last 4 digits it would rebuild the
		// number. Age is derived from the encrypted ID number when needed.
		out = append(out, model.Member{Position: i, Relation: m.Relation, Name: name, IDEnc: enc, IDBidx: bidx,
			IDMasked: model.MaskIDNumber(id), Gender: model.GenderFromID(id), CreatedAt: s.now()})
	}
	return out, nil
}

// hashInput fingerprints a request so an idempotency key reused for a different application
// is refused.
// It is keyed (SM3-HMAC) because the request holds ID numbers.
func (s *Service) hashInput(in *CreateInput) string {
	b, _ := json.Marshal(in)
	return s.cipher.BlindIndex("idempotency_request", string(b))
}

// ListMine lists the cases the resident applied for, acts as agent in, or benefits from.
func (s *Service) ListMine(ctx context.Context, residentID uint64, before uint64, limit int) (*Page, error) {
	return s.page(ctx, store.ResidentScope(residentID), store.CaseFilter{Before: before, Limit: limit}, false)
}

// GetMine opens one of the resident's cases; anyone else's is "not found".
func (s *Service) GetMine(ctx context.Context, residentID uint64, publicID string) (*Record, error) {
	if !model.WellFormedPublicID(publicID) {
		return nil, model.ErrCaseNotFound
	}
	if s.cache != nil {
		f := s.ProgressFetch(publicID)
		return s.getMineFetched(ctx, residentID, publicID, f, s.cachedGet(ctx, f.keys...))
	}
	f, err := s.st.LoadCaseFile(ctx, store.ResidentScope(residentID), publicID)
	if err != nil {
		return nil, err
	}
	return s.residentRecord(ctx, residentID, f)
}

// residentAct runs one action of the applicant (or agent) on their own case.
func (s *Service) residentAct(ctx context.Context, residentID uint64, publicID string, version int, action model.Action,
	fn func(ctx context.Context, f *model.CaseFile, env model.Env) error) (*Record, error) {
	if version < 1 {
		return nil, errVersionRequired
	}
	by := model.Actor{Type: model.ActorResident, ID: residentID}
	f, err := s.st.UpdateCaseFile(ctx, store.ResidentScope(residentID), publicID, version, s.now(), func(ctx context.Context, f *model.CaseFile) error {
		env, err := s.env(ctx, &f.Case, by, nil)
		if err != nil {
			return err
		}
		if err := fn(ctx, f, env); err != nil {
			return err
		}
		id := f.Case.ID
		f.Audit = append(f.Audit, auditRow(ctx, model.ActorResident, residentID, f.Case.AreaCode, "case."+string(action), &id, fmt.Sprintf("version=%d", f.Case.Version+1), env.Now))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.residentRecord(ctx, residentID, f)
}

// Resubmit answers a return: the listed items are provided, a new round starts.
func (s *Service) Resubmit(ctx context.Context, residentID uint64, publicID string, version int, note string) (*Record, error) {
	note, err := text("note", note, 500, false)
	if err != nil {
		return nil, err
	}
	flag, err := s.checkContent(ctx, residentID, "note", note)
	if err != nil {
		return nil, err
	}
	return s.residentAct(ctx, residentID, publicID, version, model.ActResubmit, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		if err := f.Resubmit(env, note); err != nil {
			return err
		}
		flagLastEvent(f, flag)
		return nil
	})
}

// Withdraw withdraws the application before a decision.
func (s *Service) Withdraw(ctx context.Context, residentID uint64, publicID string, version int, reason string) (*Record, error) {
	reason, err := text("reason", reason, 500, false)
	if err != nil {
		return nil, err
	}
	flag, err := s.checkContent(ctx, residentID, "reason", reason)
	if err != nil {
		return nil, err
	}
	return s.residentAct(ctx, residentID, publicID, version, model.ActWithdraw, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		if err := f.Withdraw(env, reason); err != nil {
			return err
		}
		flagLastEvent(f, flag)
		tellWithdrawn(f, env.Now)
		return nil
	})
}

// ObjectToDataCheck disputes a negative data-check result with evidence: a re-check is requested.
func (s *Service) ObjectToDataCheck(ctx context.Context, residentID uint64, publicID string, version int, evidence string) (*Record, error) {
	evidence, err := text("evidence", evidence, 1000, true)
	if err != nil {
		return nil, err
	}
	flag, err := s.checkContent(ctx, residentID, "evidence", evidence)
	if err != nil {
		return nil, err
	}
	return s.residentAct(ctx, residentID, publicID, version, model.ActDataCheckObjection, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		if err := f.DataCheckObjection(env, evidence); err != nil {
			return err
		}
		flagLastEvent(f, flag)
		return nil
	})
}

// acceptanceClock: a 临时救助-only application is urgent — it heads the town's list and may be
// granted the same day (先行救助) — and is accepted within one working day; any other within the
// region's acceptance clock.
func acceptanceClock(p model.Policy, asked []model.Category) (urgent bool, workingDays int) {
	if len(asked) == 1 && asked[0] == model.CatTemporaryAid {
		return true, 1
	}
	return false, p.AcceptanceWD
}
