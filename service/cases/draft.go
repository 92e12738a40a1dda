package cases

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/residents"
	"palmaid/service/store"
)

// The resident's side of an application: a draft saved server-side with the declared household
// facts (encrypted), the one-time document list from the rules, the consents of every adult
// member (and, for 特困, every supporter), then submission. An agent (a daughter applying for
// her mother) files the draft; each adult confirms from their own WeChat through a one-time
// invitation, or gives a signed paper form the town verifies.

var (
	errNotApplicant   = model.E(model.KindForbidden, "case.not_applicant", "只有提交申请的人可以修改或提交这份申请")
	errAgentIsSelf    = model.E(model.KindUnprocessable, "case.agent_is_beneficiary", "为他人代办时，第一位家庭成员应为被申请救助的人，不能是您本人")
	errAgentRelation  = model.Invalid("case.invalid_agent_relation", "请选择您与被申请人的关系").WithField("agentRelation", "spouse、child、parent、grandchild、grandparent、sibling、other 之一")
	errFactsLocked    = model.E(model.KindConflict, "case.facts_locked", "申请已提交，家庭情况如有变化请联系乡镇（街道）经办窗口申报")
	errConsentMissing = model.E(model.KindUnprocessable, "case.consents_missing", "还有家庭成员未确认诚信承诺和核对授权，请发送邀请或上传签字的授权书")
	errConsentUnknown = model.E(model.KindNotFound, "consent.not_found", "授权记录不存在")
	errConsentGiven   = model.E(model.KindConflict, "consent.already_given", "该成员已确认授权，无需重复邀请")
	errTextVersion    = model.E(model.KindConflict, "consent.text_changed", "承诺书内容已更新，请刷新后重新阅读确认")
	errNotBeneficiary = model.E(model.KindForbidden, "case.not_beneficiary", "只有被申请救助的本人可以接手这份申请")
	errNoAgent        = model.E(model.KindConflict, "case.no_agent", "这份申请不是代办的，无需接手")
	errItemUnknown    = model.E(model.KindNotFound, "item.not_found", "材料项不存在")
	errNoCommitment   = model.E(model.KindUnprocessable, "item.commitment_not_allowed", "本地不允许以承诺代替该项材料，请上传")
	errDocsMissing    = model.E(model.KindUnprocessable, "case.documents_missing", "还有材料未上传，请上传或对可承诺的材料签署承诺后再提交")
)

// InviteTTL is how long a consent invitation stays valid.
const InviteTTL = 72 * time.Hour

// DocumentRules produce the one-time document list (一次性告知) for a household's declaration
// (the rules service implements it; nil: no list).
type DocumentRules interface {
	Documents(ctx context.Context, village model.AreaCode, date string, q DocumentQuery) ([]RequiredDocument, error)
}

// DocumentQuery is what the rules read.
type DocumentQuery struct {
	Categories []model.Category
	ByAgent    bool
	Facts      *Facts
	Today      time.Time
}

// RequiredDocument is one item of the list.
type RequiredDocument struct {
	Code, Name, Note, Why string
	Provide               string // model.ProvideRequired | ProvideShared | ProvideCommitment
	Source                string // the data-sharing source of a shared item
}

// UseDocumentRules sets the rules the drafts' lists come from (wiring, before serving).
func (s *Service) UseDocumentRules(r DocumentRules) { s.rules = r }

// DraftInput creates a draft. AgentRelation is empty when applying for oneself, else the
// caller's relation to members[0], the person the application is for.
type DraftInput struct {
	VillageCode   string           `json:"villageCode"`
	Address       string           `json:"address"`
	Categories    []model.Category `json:"categories"`
	Reason        string           `json:"reason"`
	AgentRelation model.Relation   `json:"agentRelation"`
	Facts         Facts            `json:"facts"`
}

// DraftUpdate replaces a draft's categories, reason and facts.
type DraftUpdate struct {
	Version    int              `json:"version"`
	Categories []model.Category `json:"categories"`
	Reason     string           `json:"reason"`
	Facts      Facts            `json:"facts"`
}

// CreateDraft saves a new application as a draft: nobody but the resident (and the people it
// names, through their invitations) sees it until it is submitted.
func (s *Service) CreateDraft(ctx context.Context, residentID uint64, in DraftInput) (*Record, error) {
	r, err := s.st.GetResident(ctx, residentID)
	if err != nil {
		return nil, err
	}
	d, err := s.buildDraft(ctx, r, in)
	if err != nil {
		return nil, err
	}
	created, _, err := s.st.CreateCase(ctx, d.nc)
	if err != nil {
		return nil, err
	}
	// The answer is built from the rows just written (the first progress read fills the view).
	return s.residentView(ctx, residentID, s.newRecord(created, d.nc.Event, d.areaName))
}

// newDraft is a draft built in memory: its rows, its case file (consents and list derived from
// the declared facts) and the area's name.
type newDraft struct {
	nc       *store.NewCase
	file     *model.CaseFile
	facts    *Facts
	areaName string
}

func (s *Service) buildDraft(ctx context.Context, r *model.Resident, in DraftInput) (*newDraft, error) {
	if !r.HasIdentity() {
		return nil, errIdentityRequired
	}
	cats, err := validCategories(in.Categories)
	if err != nil {
		return nil, err
	}
	village, err := model.ParseAreaCode(in.VillageCode)
	if err != nil {
		return nil, model.AsError(err).WithField("villageCode", "应为12位行政区划代码")
	}
	if village.Level() != model.LevelVillage {
		return nil, errNotVillage
	}
	areaName, err := s.openVillage(ctx, village)
	if err != nil {
		return nil, err
	}
	reason, err := text("reason", in.Reason, 500, false)
	if err != nil {
		return nil, err
	}
	address, err := text("address", in.Address, 100, false)
	if err != nil {
		return nil, err
	}
	byAgent := in.AgentRelation != ""
	if byAgent && (!in.AgentRelation.Valid() || in.AgentRelation == model.RelSelf) {
		return nil, errAgentRelation
	}
	now := s.now()
	today := now.In(calendar.Location())
	facts := in.Facts
	members, err := s.declaredMembers(r, &facts, byAgent, today)
	if err != nil {
		return nil, err
	}
	if err := s.st.CheckOpen(ctx, members, cats); err != nil {
		return nil, err
	}
	enc, err := s.sealFacts(&facts)
	if err != nil {
		return nil, err
	}
	publicID, err := newPublicID()
	if err != nil {
		return nil, err
	}
	c := model.Case{PublicID: publicID, ApplicantResidentID: r.ID,
		AreaCode: string(village), TownCode: string(village.Ancestor(model.LevelTown)), CountyCode: string(village.Ancestor(model.LevelCounty)),
		Status: model.StatusDraft, Stage: model.StageDraft, Reason: reason, Round: 1, BeneficiaryIDBidx: members[0].IDBidx,
		PledgeAt: now, AuthorizationAt: now, SubmittedAt: now, Version: 1, CreatedAt: now, UpdatedAt: now}
	if byAgent {
		c.AgentResidentID, c.AgentRelation = &r.ID, string(in.AgentRelation)
		if ben, err := s.st.ResidentByVerifiedID(ctx, members[0].IDBidx); err != nil {
			return nil, err
		} else if ben != nil {
			c.BeneficiaryResidentID = &ben.ID
		}
	} else {
		c.BeneficiaryResidentID = &r.ID
	}
	f := &model.CaseFile{Case: c, Categories: cats, Members: members, Facts: &model.CaseFacts{Seq: 1, FactsEnc: enc, UpdatedAt: now}}
	f.Consents = s.syncConsents(nil, r, &facts, f, today, now)
	if err := s.syncChecklist(ctx, f, &facts, byAgent, now); err != nil {
		return nil, err
	}
	nc := &store.NewCase{Household: model.Household{AreaCode: string(village), Address: address, CreatedAt: now, UpdatedAt: now},
		Members: members, Case: c, Categories: cats, Facts: f.Facts, Checklist: f.Checklist, Consents: f.Consents,
		Event: model.CaseEvent{Step: model.StepApplication, Action: string(model.ActDraft), ToStatus: model.StatusDraft,
			ActorType: model.ActorResident, ActorID: r.ID, CreatedAt: now},
		DraftCap: s.maxDrafts}
	return &newDraft{nc: nc, file: f, facts: &facts, areaName: areaName}, nil
}

// SaveDraft replaces the draft's categories, reason and facts; the document list and the
// consents follow. Consents given on earlier facts must be given again.
func (s *Service) SaveDraft(ctx context.Context, residentID uint64, publicID string, in DraftUpdate) (*Record, error) {
	if in.Version < 1 {
		return nil, errVersionRequired
	}
	cats, err := validCategories(in.Categories)
	if err != nil {
		return nil, err
	}
	reason, err := text("reason", in.Reason, 500, false)
	if err != nil {
		return nil, err
	}
	r, err := s.st.GetResident(ctx, residentID)
	if err != nil {
		return nil, err
	}
	f, err := s.st.UpdateCaseFile(ctx, store.ResidentScope(residentID), publicID, in.Version, s.now(), func(ctx context.Context, f *model.CaseFile) error {
		if f.Case.ApplicantResidentID != residentID {
			return errNotApplicant
		}
		if f.Case.Status != model.StatusDraft {
			return errFactsLocked
		}
		now := s.now()
		today := now.In(calendar.Location())
		facts := in.Facts
		if old, err := s.openFacts(f); err == nil {
			facts.unmask(old)
		}
		byAgent := f.Case.AgentResidentID != nil
		members, err := s.declaredMembers(r, &facts, byAgent, today)
		if err != nil {
			return err
		}
		enc, err := s.sealFacts(&facts)
		if err != nil {
			return err
		}
		f.Facts = &model.CaseFacts{CaseID: f.Case.ID, Seq: f.Facts.Seq + 1, FactsEnc: enc, UpdatedAt: now}
		f.FactsChanged = true
		f.NewMembers = members
		f.Members = members
		for i := range f.Categories {
			f.Categories[i].Requested = false
			for _, c := range cats {
				if c.Category == f.Categories[i].Category {
					f.Categories[i].Requested = c.Requested
				}
			}
		}
		f.CategoriesChanged = true
		f.Case.Reason = reason
		if f.Case.BeneficiaryIDBidx != members[0].IDBidx {
			f.Case.BeneficiaryIDBidx = members[0].IDBidx
			f.Case.BeneficiaryResidentID = nil
			if !byAgent {
				f.Case.BeneficiaryResidentID = &r.ID
			} else if ben, err := s.st.ResidentByVerifiedID(ctx, members[0].IDBidx); err != nil {
				return err
			} else if ben != nil {
				f.Case.BeneficiaryResidentID = &ben.ID
			}
		}
		f.Consents = s.syncConsents(f.Consents, r, &facts, f, today, now)
		if err := s.syncChecklist(ctx, f, &facts, byAgent, now); err != nil {
			return err
		}
		id := f.Case.ID
		f.Audit = append(f.Audit, auditRow(ctx, model.ActorResident, residentID, f.Case.AreaCode, "case.draft_saved", &id, fmt.Sprintf("facts_seq=%d", f.Facts.Seq), now))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.residentRecord(ctx, residentID, f)
}

// SubmitInput is the applicant's own pledge and authorisation at submission.
type SubmitInput struct {
	Version               int  `json:"version"`
	PledgeAccepted        bool `json:"pledgeAccepted"`
	AuthorizationAccepted bool `json:"authorizationAccepted"`
}

// Submit sends the draft to the town: the facts must be complete for the categories asked,
// every document provided (or committed, or shared), every consent given. Every gap answers 422
// with its field path. The acceptance clock starts; the household's open application in each
// category is claimed (a second one answers 409 naming the open case).
func (s *Service) Submit(ctx context.Context, residentID uint64, publicID string, in SubmitInput) (*Record, error) {
	if in.Version < 1 {
		return nil, errVersionRequired
	}
	if !in.PledgeAccepted || !in.AuthorizationAccepted {
		return nil, errPledgeRequired
	}
	r, err := s.st.GetResident(ctx, residentID)
	if err != nil {
		return nil, err
	}
	// The reason is what officers (and, on a notice, the public) read: WeChat's content check
	// runs before the transaction, on the case row alone (the transaction loads the whole file).
	cur, err := s.st.GetCase(ctx, store.ResidentScope(residentID), publicID)
	if err != nil {
		return nil, err
	}
	flag, err := s.checkContent(ctx, residentID, "reason", cur.Reason)
	if err != nil {
		return nil, err
	}
	by := model.Actor{Type: model.ActorResident, ID: residentID}
	f, err := s.st.UpdateCaseFile(ctx, store.ResidentScope(residentID), publicID, in.Version, s.now(), func(ctx context.Context, f *model.CaseFile) error {
		if f.Case.ApplicantResidentID != residentID {
			return errNotApplicant
		}
		if f.Case.Status != model.StatusDraft {
			return f.Submit(model.Env{}, 0, "") // the state machine's 409
		}
		if f.Case.Reason != cur.Reason {
			return model.ErrStaleVersion // changed since it was checked
		}
		env, err := s.env(ctx, &f.Case, by, nil)
		if err != nil {
			return err
		}
		today := env.Now.In(calendar.Location())
		facts, err := s.openFacts(f)
		if err != nil {
			return err
		}
		asked := askedCategories(f)
		if err := submissionGaps(f, facts, r, residentID, today, env.Now); err != nil {
			return err
		}
		urgent, accWD := acceptanceClock(env.Policy, asked)
		f.Case.Urgent = urgent
		at := env.Now.Truncate(time.Microsecond) // as stored: the answer equals the next read
		f.Case.PledgeAt, f.Case.AuthorizationAt, f.Case.SubmittedAt = at, at, at
		if err := f.Submit(env, accWD, fmt.Sprintf("提交后%d个工作日内受理审查", accWD)); err != nil {
			return err
		}
		flagLastEvent(f, flag)
		if err := s.st.WriteDeclaredFacts(ctx, f.Case.HouseholdID, s.declaredRows(facts, f.Members, env.Now)); err != nil {
			return err
		}
		id := f.Case.ID
		f.Audit = append(f.Audit, auditRow(ctx, model.ActorResident, residentID, f.Case.AreaCode, "case.submit", &id, fmt.Sprintf("facts_seq=%d", f.Facts.Seq), env.Now))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.residentRecord(ctx, residentID, f)
}

func askedCategories(f *model.CaseFile) []model.Category {
	var asked []model.Category
	for _, c := range f.Categories {
		if c.Requested {
			asked = append(asked, c.Category)
		}
	}
	return asked
}

// submissionGaps is what submission requires of a draft: the facts complete for the categories
// asked, every consent given (the caller's own is given now), every document provided,
// committed or shared. Every gap answers 422 with its path. A draft not stored yet (the
// one-request application) has no row ids: its consents are named by the person's place in
// the declaration and its items by their code.
func submissionGaps(f *model.CaseFile, facts *Facts, r *model.Resident, residentID uint64, today, now time.Time) error {
	if err := facts.completeness(askedCategories(f), today); err != nil {
		return err
	}
	mine := ""
	if r.IDBidx != nil {
		mine = *r.IDBidx
	}
	g := gaps{}
	for i := range f.Consents {
		k := &f.Consents[i]
		if k.State == model.ConsentVoid {
			continue
		}
		if k.PersonBidx == mine && !k.Given(f.Facts.Seq) {
			confirm(k, residentID, model.ConsentBySelf, f.Facts.Seq, now)
		}
		if !k.Given(f.Facts.Seq) {
			path := fmt.Sprintf("consents[%d]", k.ID)
			if k.ID == 0 {
				path = fmt.Sprintf("facts.%ss[%d]", k.Subject, k.Position)
			}
			g.add(path, consentWho(k, facts)+"尚未确认（可发送邀请或上传签字的授权书）")
		}
	}
	if err := g.err(errConsentMissing); err != nil {
		return err
	}
	onlineItems(f, facts)
	for _, it := range f.Checklist {
		if it.Status == model.ItemMissing {
			path := fmt.Sprintf("items[%d]", it.ID)
			if it.ID == 0 {
				path = "items." + it.Code
			}
			g.add(path, it.Name+"：请上传"+map[bool]string{true: "或签署承诺", false: ""}[it.Provide == model.ProvideCommitment])
		}
	}
	return g.err(errDocsMissing)
}

func confirm(k *model.Consent, residentID uint64, method string, seq int, now time.Time) {
	at := now
	rid := residentID
	k.State, k.Method, k.TextVersion, k.FactsSeq, k.ResidentID, k.ConfirmedAt = model.ConsentConfirmed, method, model.ConsentTextVersion, seq, &rid, &at
	k.InviteHash, k.InviteExpiresAt, k.UpdatedAt = nil, nil, now
}

func consentWho(k *model.Consent, f *Facts) string {
	switch k.Subject {
	case model.ConsentMember:
		if k.Position < len(f.Members) {
			return model.MaskName(f.Members[k.Position].Name)
		}
	case model.ConsentSupporter:
		if k.Position < len(f.Supporter) {
			return "赡养人" + model.MaskName(f.Supporter[k.Position].Name)
		}
	case model.ConsentAgent:
		return "代办人"
	}
	return "有关人员"
}

// declaredMembers validates the declaration's shape and builds the member rows. A draft may
// be incomplete, but every listed member needs a relation, a name and a valid ID number (the
// household is keyed by them), and members[0] is the caller unless an agent applies.
func (s *Service) declaredMembers(r *model.Resident, facts *Facts, byAgent bool, today time.Time) ([]model.Member, error) {
	facts.normalise()
	if err := facts.validateShape(today); err != nil {
		return nil, err
	}
	if len(facts.Members) == 0 {
		return nil, errMembers.WithField("facts.members", "至少填写被申请救助的本人")
	}
	out := make([]model.Member, 0, len(facts.Members))
	for i, m := range facts.Members {
		p := fmt.Sprintf("facts.members[%d].", i)
		if m.Relation == "" || m.Name == "" || m.IDNumber == "" {
			return nil, errMembers.WithField(p+"idNumber", "每位成员须填写关系、姓名和身份证号")
		}
		bidx := s.cipher.BlindIndex(residents.PurposeIDNumber, m.IDNumber)
		if i == 0 {
			self := r.IDBidx != nil && *r.IDBidx == bidx
			if byAgent && self {
				return nil, errAgentIsSelf
			}
			if !byAgent && !self {
				return nil, errApplicantMatch
			}
		}
		enc, err := s.cipher.EncryptString(m.IDNumber)
		if err != nil {
			return nil, err
		}
		out = append(out, model.Member{Position: i, Relation: m.Relation, Name: m.Name, IDEnc: enc, IDBidx: bidx,
			IDMasked: model.MaskIDNumber(m.IDNumber), Gender: model.GenderFromID(m.IDNumber), DisabilityKind: m.DisabilityKind,
			DisabilityGrade: m.DisabilityGrade, Health: m.Health, WorkAbility: m.WorkAbility, HukouType: m.HukouType,
			InEducation: m.InEducation, Employment: m.Employment, CreatedAt: s.now()})
	}
	return out, nil
}

func (s *Service) sealFacts(f *Facts) ([]byte, error) {
	b, err := json.Marshal(f)
	if err != nil {
		return nil, err
	}
	return s.cipher.Encrypt(b)
}

// openFacts decrypts a case's declared facts (an application made before drafts has none).
func (s *Service) openFacts(f *model.CaseFile) (*Facts, error) {
	out := &Facts{}
	if f.Facts == nil {
		return out, nil
	}
	b, err := s.cipher.Decrypt(f.Facts.FactsEnc)
	if err != nil {
		return nil, fmt.Errorf("case %d facts: %w", f.Case.ID, err)
	}
	return out, json.Unmarshal(b, out)
}

// syncConsents lists whose consent the declaration needs: every adult member, every supporter
// when 特困 is asked, and the agent. Existing rows are kept (a person already asked keeps their
// row and its state); people no longer declared are void. The caller's own row is confirmed
// when they submit.
func (s *Service) syncConsents(cur []model.Consent, caller *model.Resident, facts *Facts, f *model.CaseFile, today, now time.Time) []model.Consent {
	type key struct {
		subject string
		bidx    string
	}
	need := map[key]int{}
	var order []key
	add := func(subject, bidx string, pos int) {
		k := key{subject, bidx}
		if _, ok := need[k]; !ok {
			need[k] = pos
			order = append(order, k)
		}
	}
	for i, m := range facts.Members {
		if adult(m.IDNumber, today) {
			add(model.ConsentMember, s.cipher.BlindIndex(residents.PurposeIDNumber, m.IDNumber), i)
		}
	}
	if f.Requested(model.CatExtremeHardship) {
		for i, sp := range facts.Supporter {
			if sp.IDNumber != "" {
				add(model.ConsentSupporter, s.cipher.BlindIndex(residents.PurposeIDNumber, sp.IDNumber), i)
			}
		}
	}
	if f.Case.AgentResidentID != nil && caller.IDBidx != nil {
		mine := *caller.IDBidx
		member := false
		for _, k := range order {
			member = member || (k.subject == model.ConsentMember && k.bidx == mine)
		}
		if !member {
			add(model.ConsentAgent, mine, 0)
		}
	}
	seen := map[key]bool{}
	for i := range cur {
		c := &cur[i]
		k := key{c.Subject, c.PersonBidx}
		pos, ok := need[k]
		switch {
		case !ok || seen[k]:
			if c.State != model.ConsentVoid {
				c.State, c.InviteHash, c.InviteExpiresAt, c.UpdatedAt = model.ConsentVoid, nil, nil, now
			}
		default:
			seen[k] = true
			if c.State == model.ConsentVoid {
				c.State = model.ConsentPending
			}
			if c.Position != pos {
				c.Position, c.UpdatedAt = pos, now
			}
		}
	}
	for _, k := range order {
		if !seen[k] {
			cur = append(cur, model.Consent{Subject: k.subject, Position: need[k], PersonBidx: k.bidx, State: model.ConsentPending,
				CreatedAt: now, UpdatedAt: now})
		}
	}
	return cur
}

// syncChecklist brings the draft's document list in line with the rules for its facts: new
// items are added, items the rules no longer ask for become not_needed (their uploads stay),
// and each paper consent asks for its signed form.
func (s *Service) syncChecklist(ctx context.Context, f *model.CaseFile, facts *Facts, byAgent bool, now time.Time) error {
	var want []RequiredDocument
	if s.rules != nil {
		var cats []model.Category
		for _, c := range f.Categories {
			if c.Requested {
				cats = append(cats, c.Category)
			}
		}
		docs, err := s.rules.Documents(ctx, model.AreaCode(f.Case.AreaCode), calendar.DateOf(now),
			DocumentQuery{Categories: cats, ByAgent: byAgent, Facts: facts, Today: now.In(calendar.Location())})
		if err != nil {
			return err
		}
		want = docs
	}
	for _, k := range f.Consents {
		if k.State == model.ConsentPaper || k.State == model.ConsentVerified {
			want = append(want, RequiredDocument{Code: paperCode(&k), Name: "诚信承诺及核对授权书（" + consentWho(&k, facts) + "签字）",
				Note: "请本人签字或按手印后拍照上传", Why: "该成员以纸质方式确认授权", Provide: model.ProvideRequired})
		}
	}
	byCode := map[string]int{}
	for i, it := range f.Checklist {
		if it.Code != "" {
			byCode[it.Code] = i
		}
	}
	wanted := map[string]bool{}
	for _, d := range want {
		wanted[d.Code] = true
		status := model.ItemMissing
		if d.Provide == model.ProvideShared {
			status = model.ItemShared
		}
		if i, ok := byCode[d.Code]; ok {
			it := &f.Checklist[i]
			it.Name, it.Note, it.Why, it.Provide, it.Source = d.Name, d.Note, d.Why, d.Provide, d.Source
			if it.Status == model.ItemNotNeeded || (status == model.ItemShared) != (it.Status == model.ItemShared) {
				it.Status = status
			}
			continue
		}
		f.Checklist = append(f.Checklist, model.ChecklistItem{CaseID: f.Case.ID, Code: d.Code, Name: d.Name, Note: d.Note, Why: d.Why,
			Provide: d.Provide, Source: d.Source, Status: status, Round: f.Case.Round, CreatedAt: now})
	}
	for i := range f.Checklist {
		it := &f.Checklist[i]
		if it.Code != "" && !wanted[it.Code] && it.Status != model.ItemNotNeeded {
			it.Status = model.ItemNotNeeded
		}
	}
	onlineItems(f, facts)
	return nil
}

// Items the application itself provides online: the declaration of income and assets (the
// draft's facts, confirmed by every adult's consent) and the agent's authorisation (the
// person applied for confirmed it from their own WeChat). They count as provided while that
// holds; an upload stays what it is.
const (
	codeAssetDeclaration   = "asset_declaration"
	codeAgentAuthorization = "agent_authorization"
	onlineNote             = "已在线提供"
)

func onlineItems(f *model.CaseFile, facts *Facts) {
	beneficiaryOnline := false
	for _, k := range f.Consents {
		if k.Subject == model.ConsentMember && k.Position == 0 && k.Method == model.ConsentByWeChat && f.Facts != nil && k.Given(f.Facts.Seq) {
			beneficiaryOnline = true
		}
	}
	for i := range f.Checklist {
		it := &f.Checklist[i]
		var online bool
		switch it.Code {
		case codeAssetDeclaration:
			online = facts.Assets.Declared
		case codeAgentAuthorization:
			online = beneficiaryOnline
		default:
			continue
		}
		switch {
		case online && it.Status == model.ItemMissing:
			it.Status, it.Source = model.ItemProvided, onlineNote
		case !online && it.Status == model.ItemProvided && it.Source == onlineNote && len(f.ItemDocuments(it.ID)) == 0:
			it.Status, it.Source = model.ItemMissing, ""
		}
	}
}

func paperCode(k *model.Consent) string {
	return fmt.Sprintf("consent_form_%s_%d", k.Subject, k.Position)
}

// Invitation is a one-time link for a person to confirm from their own WeChat.
type Invitation struct {
	Token     string
	Path      string // the mini-program page that opens it
	ExpiresAt time.Time
}

// Invite issues (or re-issues: the earlier link stops working) the invitation for a consent.
func (s *Service) Invite(ctx context.Context, residentID uint64, publicID string, consentID uint64) (*Invitation, *Record, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, nil, err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(token))
	hash := hex.EncodeToString(sum[:])
	exp := s.now().Add(InviteTTL)
	f, err := s.st.UpdateCaseFile(ctx, store.ResidentScope(residentID), publicID, 0, s.now(), func(ctx context.Context, f *model.CaseFile) error {
		if f.Case.ApplicantResidentID != residentID {
			return errNotApplicant
		}
		k := findConsent(f, consentID)
		// After submission, only a consent a declared change asked for again is invited.
		if f.Case.Status != model.StatusDraft && (f.Case.Status.Closed() || k == nil || k.State != model.ConsentPending) {
			return errFactsLocked
		}
		if k == nil {
			return errConsentUnknown
		}
		if k.Given(f.Facts.Seq) {
			return errConsentGiven
		}
		k.InviteHash, k.InviteExpiresAt, k.UpdatedAt = &hash, &exp, s.now()
		// The invited person may already use the mini-program with their identity bound: they
		// hear of the invitation there too (in-app, and a subscribe message if they accepted
		// one), not only through the applicant's WeChat share. Nothing personal in it.
		invitee, err := s.st.ResidentByVerifiedID(ctx, k.PersonBidx)
		if err != nil {
			return err
		}
		if invitee != nil && invitee.ID != residentID && invitee.ErasedAt == nil {
			f.Outbox = append(f.Outbox, invitationNotice(&f.Case, f.Categories, invitee.ID, k.ID, hash, exp, s.now()))
		}
		id := f.Case.ID
		f.Audit = append(f.Audit, auditRow(ctx, model.ActorResident, residentID, f.Case.AreaCode, "consent.invite", &id, fmt.Sprintf("consent=%d", k.ID), s.now()))
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	rec, err := s.residentRecord(ctx, residentID, f)
	return &Invitation{Token: token, Path: "pages/consent/index?t=" + token, ExpiresAt: exp}, rec, err
}

func findConsent(f *model.CaseFile, id uint64) *model.Consent {
	for i := range f.Consents {
		if f.Consents[i].ID == id && f.Consents[i].State != model.ConsentVoid {
			return &f.Consents[i]
		}
	}
	return nil
}

// InvitationView is what the invited person reads before confirming.
type InvitationView struct {
	CaseID      string
	AreaName    string
	Categories  []model.Category
	ApplicantBy string // the masked name of who filed it
	Relation    string // the invitee's place in the declaration (本人, 配偶, 赡养人 …)
	Members     int
	Text        string
	TextVersion string
	ExpiresAt   time.Time
	Confirmed   bool
}

// openInvite resolves a token for the logged-in resident: only the invited person, with a
// verified or desk-verified identity of the invited number, may open it; to anyone else —
// without an identity, with an unverified one, with another number — it does not exist, and
// the answer is the same 404 whether or not the token is valid (docs/SECURITY.md, "Identity
// assurance").
func (s *Service) openInvite(ctx context.Context, residentID uint64, token string) (*model.Consent, *model.Resident, error) {
	if len(token) < 20 || len(token) > 64 {
		return nil, nil, model.AsError(store.ErrInviteNotFound)
	}
	sum := sha256.Sum256([]byte(token))
	k, _, err := s.st.ConsentByInvite(ctx, hex.EncodeToString(sum[:]))
	if err != nil {
		return nil, nil, err
	}
	r, err := s.st.GetResident(ctx, residentID)
	if err != nil {
		return nil, nil, err
	}
	if !r.HoldsNumber(k.PersonBidx) || k.InviteExpiresAt == nil || !s.now().Before(*k.InviteExpiresAt) {
		return nil, nil, store.ErrInviteNotFound
	}
	return k, r, nil
}

// ViewInvitation shows the invited person what they are asked to confirm, in their own words.
func (s *Service) ViewInvitation(ctx context.Context, residentID uint64, token string) (*InvitationView, error) {
	k, r, err := s.openInvite(ctx, residentID, token)
	if err != nil {
		return nil, err
	}
	f, err := s.st.LoadCaseFile(ctx, store.InviteScope(k.CaseID), "")
	if err != nil {
		return nil, store.ErrInviteNotFound
	}
	return s.invitationView(ctx, f, k, r)
}

func (s *Service) invitationView(ctx context.Context, f *model.CaseFile, k *model.Consent, r *model.Resident) (*InvitationView, error) {
	facts, err := s.openFacts(f)
	if err != nil {
		return nil, err
	}
	area, err := s.st.CaseAreaName(ctx, &f.Case)
	if err != nil {
		return nil, err
	}
	applicant, err := s.st.GetResident(ctx, f.Case.ApplicantResidentID)
	if err != nil {
		return nil, err
	}
	var cats []model.Category
	var labels []string
	for _, c := range f.Categories {
		if c.Requested {
			cats = append(cats, c.Category)
			labels = append(labels, c.Category.Label())
		}
	}
	rel := "赡养（抚养、扶养）义务人"
	if k.Subject == model.ConsentMember && k.Position < len(facts.Members) {
		rel = facts.Members[k.Position].Relation.Label()
	} else if k.Subject == model.ConsentAgent {
		rel = "代办人"
	}
	v := &InvitationView{CaseID: f.Case.PublicID, AreaName: area, Categories: cats, ApplicantBy: model.MaskName(applicant.RealName),
		Relation: rel, Members: len(facts.Members), TextVersion: model.ConsentTextVersion,
		Text:      model.ConsentText(r.RealName, r.IDMasked, area, strings.Join(labels, "、")),
		Confirmed: k.Given(f.Facts.Seq)}
	if k.InviteExpiresAt != nil {
		v.ExpiresAt = *k.InviteExpiresAt
	}
	return v, nil
}

// ConfirmInput is the invited person's answer.
type ConfirmInput struct {
	PledgeAccepted        bool   `json:"pledgeAccepted"`
	AuthorizationAccepted bool   `json:"authorizationAccepted"`
	TextVersion           string `json:"textVersion"`
}

// ConfirmInvitation records the consent: who (the logged-in resident whose verified ID matches),
// how (their own WeChat), when, and which text version. The link is used up. The person the
// application is for sees the case from now on.
func (s *Service) ConfirmInvitation(ctx context.Context, residentID uint64, token string, in ConfirmInput) (*InvitationView, error) {
	// The invitation first: to anyone it is not for, it does not exist, whatever the body says.
	k, r, err := s.openInvite(ctx, residentID, token)
	if err != nil {
		return nil, err
	}
	if !in.PledgeAccepted || !in.AuthorizationAccepted {
		return nil, errPledgeRequired
	}
	if in.TextVersion != model.ConsentTextVersion {
		return nil, errTextVersion.WithField("textVersion", model.ConsentTextVersion)
	}
	var view *InvitationView
	_, err = s.st.UpdateCaseFile(ctx, store.InviteScope(k.CaseID), "", 0, s.now(), func(ctx context.Context, f *model.CaseFile) error {
		kk := findConsent(f, k.ID)
		if kk == nil || kk.InviteHash == nil || *kk.InviteHash != *k.InviteHash {
			return store.ErrInviteNotFound
		}
		now := s.now()
		confirm(kk, residentID, model.ConsentByWeChat, f.Facts.Seq, now)
		kk.TextVersion = in.TextVersion
		if facts, err := s.openFacts(f); err == nil {
			onlineItems(f, facts)
		} else {
			return err
		}
		if kk.Subject == model.ConsentMember && kk.Position == 0 {
			f.Case.BeneficiaryResidentID = &r.ID
		}
		// The applicant (the agent) hears that this person confirmed.
		if f.Case.ApplicantResidentID != residentID {
			who := model.MaskName(r.RealName)
			f.Case.Categories = f.Categories
			body := who + "已确认诚信承诺和家庭经济状况核对授权。"
			if f.Case.CaseNo != "" {
				body = "您的申请（" + f.Case.CaseNo + "）：" + body
			}
			for _, o := range progressNotice(&f.Case, now, "已确认", who+"已确认授权", body) {
				if o.ResidentID == f.Case.ApplicantResidentID {
					f.Outbox = append(f.Outbox, o)
				}
			}
		}
		id := f.Case.ID
		f.Audit = append(f.Audit, auditRow(ctx, model.ActorResident, residentID, f.Case.AreaCode, "consent.confirm", &id,
			fmt.Sprintf("consent=%d method=wechat text=%s facts_seq=%d", kk.ID, kk.TextVersion, kk.FactsSeq), now))
		v, err := s.invitationView(ctx, f, kk, r)
		view = v
		return err
	})
	if err != nil {
		return nil, err
	}
	return view, nil
}

// DeclarePaper: the person will sign a paper form (an elder without a phone); the form becomes
// an item of the document list, and the town verifies it at acceptance.
func (s *Service) DeclarePaper(ctx context.Context, residentID uint64, publicID string, version int, consentID uint64) (*Record, error) {
	if version < 1 {
		return nil, errVersionRequired
	}
	f, err := s.st.UpdateCaseFile(ctx, store.ResidentScope(residentID), publicID, version, s.now(), func(ctx context.Context, f *model.CaseFile) error {
		if f.Case.ApplicantResidentID != residentID {
			return errNotApplicant
		}
		if f.Case.Status != model.StatusDraft {
			return errFactsLocked
		}
		k := findConsent(f, consentID)
		if k == nil {
			return errConsentUnknown
		}
		if k.Given(f.Facts.Seq) {
			return errConsentGiven
		}
		now := s.now()
		k.State, k.Method, k.TextVersion, k.FactsSeq, k.InviteHash, k.InviteExpiresAt, k.UpdatedAt =
			model.ConsentPaper, model.ConsentByPaper, model.ConsentTextVersion, f.Facts.Seq, nil, nil, now
		facts, err := s.openFacts(f)
		if err != nil {
			return err
		}
		if err := s.syncChecklist(ctx, f, facts, f.Case.AgentResidentID != nil, now); err != nil {
			return err
		}
		id := f.Case.ID
		f.Audit = append(f.Audit, auditRow(ctx, model.ActorResident, residentID, f.Case.AreaCode, "consent.paper", &id, fmt.Sprintf("consent=%d", k.ID), now))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.residentRecord(ctx, residentID, f)
}

// Commit signs a commitment (告知承诺) instead of providing a document, where the rules allow.
func (s *Service) Commit(ctx context.Context, residentID uint64, publicID string, version int, itemID uint64) (*Record, error) {
	if version < 1 {
		return nil, errVersionRequired
	}
	f, err := s.st.UpdateCaseFile(ctx, store.ResidentScope(residentID), publicID, version, s.now(), func(ctx context.Context, f *model.CaseFile) error {
		if f.Case.ApplicantResidentID != residentID {
			return errNotApplicant
		}
		if f.Case.Status != model.StatusDraft && f.Case.Status != model.StatusReturned {
			return errFactsLocked
		}
		for i := range f.Checklist {
			it := &f.Checklist[i]
			if it.ID != itemID {
				continue
			}
			if it.Provide != model.ProvideCommitment {
				return errNoCommitment
			}
			it.Status = model.ItemCommitted
			id := f.Case.ID
			f.Audit = append(f.Audit, auditRow(ctx, model.ActorResident, residentID, f.Case.AreaCode, "item.commit", &id, fmt.Sprintf("item=%d code=%s", it.ID, it.Code), s.now()))
			return nil
		}
		return errItemUnknown
	})
	if err != nil {
		return nil, err
	}
	return s.residentRecord(ctx, residentID, f)
}

// TakeOver: the person the application is for takes it over from the agent; the agent no
// longer acts on it.
func (s *Service) TakeOver(ctx context.Context, residentID uint64, publicID string, version int) (*Record, error) {
	if version < 1 {
		return nil, errVersionRequired
	}
	by := model.Actor{Type: model.ActorResident, ID: residentID}
	me, err := s.st.GetResident(ctx, residentID)
	if err != nil {
		return nil, err
	}
	f, err := s.st.UpdateCaseFile(ctx, store.ResidentScope(residentID), publicID, version, s.now(), func(ctx context.Context, f *model.CaseFile) error {
		c := &f.Case
		if c.BeneficiaryResidentID == nil || *c.BeneficiaryResidentID != residentID {
			return errNotBeneficiary
		}
		// Only an assured identity of the beneficiary's number takes a case over (the link is
		// only ever made for one; this holds should a link outlive it).
		if !me.HoldsNumber(c.BeneficiaryIDBidx) {
			return model.ErrCaseNotFound
		}
		if c.AgentResidentID == nil {
			return errNoAgent
		}
		env, err := s.env(ctx, c, by, nil)
		if err != nil {
			return err
		}
		if err := f.TakeOver(env); err != nil {
			return err
		}
		c.ApplicantResidentID, c.AgentResidentID, c.AgentRelation = residentID, nil, ""
		id := c.ID
		f.Audit = append(f.Audit, auditRow(ctx, model.ActorResident, residentID, c.AreaCode, "case.take_over", &id, "", env.Now))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.residentRecord(ctx, residentID, f)
}

// declaredRows turns the declaration into the household's income, asset and supporter rows
// (written once, at submission, for staff queries; the encrypted document stays the record).
func (s *Service) declaredRows(f *Facts, members []model.Member, now time.Time) store.DeclaredRows {
	var out store.DeclaredRows
	for _, in := range f.Income {
		amt := in.AmountCents
		if in.Period == "yearly" {
			amt /= 12
		}
		row := model.IncomeItem{Kind: in.Kind, MonthlyCents: amt, Note: truncate(in.Source, 60), CreatedAt: now}
		if in.Member >= 0 && in.Member < len(members) {
			id := members[in.Member].ID
			row.MemberID = &id
		}
		out.Income = append(out.Income, row)
	}
	a := f.Assets
	for _, x := range []struct {
		kind  string
		value int64
		note  string
	}{{"deposit", a.DepositCents, ""}, {"securities", a.SecuritiesCents, ""},
		{"vehicle", 0, fmt.Sprintf("%d辆", a.Vehicles)}, {"real_estate", 0, fmt.Sprintf("%d套", a.Housing)},
		{"business", 0, fmt.Sprintf("%d户", a.Businesses)}} {
		out.Assets = append(out.Assets, model.AssetItem{Kind: x.kind, ValueCents: x.value, Note: x.note, CreatedAt: now})
	}
	for _, sp := range f.Supporter {
		row := model.Supporter{Relation: truncate(sp.Relation, 16), Name: sp.Name, Ability: sp.Ability, CreatedAt: now}
		if sp.IDNumber != "" {
			if enc, err := s.cipher.EncryptString(sp.IDNumber); err == nil {
				row.IDEnc, row.IDBidx, row.IDMasked = enc, s.cipher.BlindIndex(residents.PurposeIDNumber, sp.IDNumber), model.MaskIDNumber(sp.IDNumber)
			}
		}
		if sp.ForMember >= 0 && sp.ForMember < len(members) {
			id := members[sp.ForMember].ID
			row.ForMemberID = &id
		}
		out.Supporters = append(out.Supporters, row)
	}
	return out
}

// ResidentView is what the applicant (or the person the application is for) sees beyond the
// progress: the declaration (ID numbers masked), and for a draft what is still missing.
type ResidentView struct {
	Facts        *Facts            // masked
	Gaps         map[string]string // a draft's remaining gaps (field path → hint); empty when ready
	IsApplicant  bool
	CanTakeOver  bool
	ConsentNames map[uint64]string // consent id → masked name of the person
	Invited      map[uint64]bool   // consent id → an unexpired invitation is out
}

// residentRecord is the record with the resident's own view of the declaration.
func (s *Service) residentRecord(ctx context.Context, residentID uint64, f *model.CaseFile) (*Record, error) {
	rec, err := s.record(ctx, f)
	if err != nil {
		return nil, err
	}
	if rec.Responsible, err = s.responsible(ctx, f); err != nil {
		return nil, err
	}
	return s.residentView(ctx, residentID, rec)
}

// responsible reads the case owner's name and office phone (nil: no owner yet).
func (s *Service) responsible(ctx context.Context, f *model.CaseFile) (*Responsible, error) {
	if f.Case.OwnerStaffID == nil {
		return nil, nil
	}
	m, err := s.st.StaffByIDs(ctx, []uint64{*f.Case.OwnerStaffID})
	if err != nil {
		return nil, err
	}
	st := m[*f.Case.OwnerStaffID]
	if st == nil {
		return nil, nil
	}
	return &Responsible{Name: st.DisplayName, OfficePhone: st.OfficePhone}, nil
}

// residentView adds the resident's own view of the declaration to rec.
func (s *Service) residentView(ctx context.Context, residentID uint64, rec *Record) (*Record, error) {
	f := rec.File
	facts, err := s.openFacts(f)
	if err != nil {
		return nil, err
	}
	c := &f.Case
	v := &ResidentView{IsApplicant: c.ApplicantResidentID == residentID, ConsentNames: map[uint64]string{}, Gaps: map[string]string{}}
	v.CanTakeOver = c.AgentResidentID != nil && c.BeneficiaryResidentID != nil && *c.BeneficiaryResidentID == residentID && f.Allows(model.ActTakeOver)
	v.Invited = map[uint64]bool{}
	for _, k := range f.Consents {
		v.ConsentNames[k.ID] = consentWho(&k, facts)
		v.Invited[k.ID] = k.InviteExpiresAt != nil && k.InviteExpiresAt.After(s.now())
	}
	if f.Facts != nil {
		v.Facts = facts.masked()
	}
	if c.Status == model.StatusDraft && f.Facts != nil {
		var asked []model.Category
		for _, cc := range f.Categories {
			if cc.Requested {
				asked = append(asked, cc.Category)
			}
		}
		if err := facts.completeness(asked, s.now().In(calendar.Location())); err != nil {
			for k, h := range model.AsError(err).Fields {
				v.Gaps[k] = h
			}
		}
		// The applicant's own consent is given when they submit: not a gap. One resident read.
		mine := ""
		if c.ApplicantResidentID == residentID {
			r, err := s.st.GetResident(ctx, residentID)
			if err != nil {
				return nil, err
			}
			if r.IDBidx != nil {
				mine = *r.IDBidx
			}
		}
		for _, k := range f.Consents {
			if k.State != model.ConsentVoid && !k.Given(f.Facts.Seq) && !(k.ResidentID == nil && mine != "" && k.PersonBidx == mine) {
				v.Gaps[fmt.Sprintf("consents[%d]", k.ID)] = consentWho(&k, facts) + "尚未确认授权"
			}
		}
		for _, it := range f.Checklist {
			if it.Status == model.ItemMissing {
				v.Gaps[fmt.Sprintf("items[%d]", it.ID)] = it.Name + "：尚未上传"
			}
		}
	}
	rec.Resident = v
	return rec, nil
}

// masked is a copy with every ID number masked (what the screens show).
func (f *Facts) masked() *Facts {
	cp := *f
	cp.Members = append([]MemberFacts(nil), f.Members...)
	for i := range cp.Members {
		if cp.Members[i].IDNumber != "" {
			cp.Members[i].IDNumber = model.MaskIDNumber(cp.Members[i].IDNumber)
		}
	}
	cp.Supporter = append([]SupporterDecl(nil), f.Supporter...)
	for i := range cp.Supporter {
		if cp.Supporter[i].IDNumber != "" {
			cp.Supporter[i].IDNumber = model.MaskIDNumber(cp.Supporter[i].IDNumber)
		}
	}
	cp.Income = append([]IncomeLine(nil), f.Income...)
	return &cp
}

// unmask lets a client send back the masked ID numbers it was shown: a masked value that
// matches exactly one number of the earlier declaration stands for it.
func (f *Facts) unmask(old *Facts) {
	known := map[string][]string{}
	for _, m := range old.Members {
		known[model.MaskIDNumber(m.IDNumber)] = append(known[model.MaskIDNumber(m.IDNumber)], m.IDNumber)
	}
	for _, sp := range old.Supporter {
		if sp.IDNumber != "" {
			known[model.MaskIDNumber(sp.IDNumber)] = append(known[model.MaskIDNumber(sp.IDNumber)], sp.IDNumber)
		}
	}
	fix := func(v *string) {
		if strings.Contains(*v, "*") {
			if ids := known[strings.TrimSpace(*v)]; len(ids) == 1 {
				*v = ids[0]
			}
		}
	}
	for i := range f.Members {
		fix(&f.Members[i].IDNumber)
	}
	for i := range f.Supporter {
		fix(&f.Supporter[i].IDNumber)
	}
}

// ChangeInput is a change of the household's circumstances declared after submission.
type ChangeInput struct {
	Version int    `json:"version"`
	Facts   Facts  `json:"facts"`
	Note    string `json:"note"`
	// PledgeAccepted and AuthorizationAccepted: the declarer confirms the pledge and the
	// data-check authorisation again on the new facts (needed when their own facts changed).
	PledgeAccepted        bool `json:"pledgeAccepted"`
	AuthorizationAccepted bool `json:"authorizationAccepted"`
}

var errChangeMembers = model.E(model.KindUnprocessable, "case.change_members", "提交后家庭成员的增减或身份证号变更须到乡镇（街道）经办窗口办理").
	WithField("facts.members", "成员及其身份证号须与申请时一致")

// DeclareChange records a change of circumstances after submission (income, assets, health,
// work, supporters…): the declaration is replaced and the history says what changed, for the
// officers to weigh (a new data check, a return, a changed opinion). The members themselves —
// who they are — change only at the town's counter.
func (s *Service) DeclareChange(ctx context.Context, residentID uint64, publicID string, in ChangeInput) (*Record, error) {
	if in.Version < 1 {
		return nil, errVersionRequired
	}
	note, err := text("note", in.Note, 500, true)
	if err != nil {
		return nil, err
	}
	flag, err := s.checkContent(ctx, residentID, "note", note)
	if err != nil {
		return nil, err
	}
	by := model.Actor{Type: model.ActorResident, ID: residentID}
	f, err := s.st.UpdateCaseFile(ctx, store.ResidentScope(residentID), publicID, in.Version, s.now(), func(ctx context.Context, f *model.CaseFile) error {
		if f.Case.ApplicantResidentID != residentID {
			return errNotApplicant
		}
		if f.Facts == nil {
			return errFactsLocked
		}
		env, err := s.env(ctx, &f.Case, by, nil)
		if err != nil {
			return err
		}
		old, err := s.openFacts(f)
		if err != nil {
			return err
		}
		facts := in.Facts
		facts.unmask(old)
		facts.normalise()
		today := env.Now.In(calendar.Location())
		if err := facts.validateShape(today); err != nil {
			return err
		}
		if len(facts.Members) != len(old.Members) {
			return errChangeMembers
		}
		for i := range facts.Members {
			if facts.Members[i].IDNumber != old.Members[i].IDNumber {
				return errChangeMembers
			}
		}
		var asked []model.Category
		for _, c := range f.Categories {
			if c.Requested {
				asked = append(asked, c.Category)
			}
		}
		if err := facts.completeness(asked, today); err != nil {
			return err
		}
		enc, err := s.sealFacts(&facts)
		if err != nil {
			return err
		}
		summary := changeSummary(old, &facts)
		seq := f.Facts.Seq + 1
		again := reaskConsents(f, changedMembers(old, &facts), residentID, in.PledgeAccepted && in.AuthorizationAccepted, seq, env.Now)
		if len(again) > 0 {
			summary += "；须重新确认诚信承诺和核对授权：" + strings.Join(again, "、")
		}
		if err := f.DeclareChange(env, note+"（"+summary+"）"); err != nil {
			return err
		}
		flagLastEvent(f, flag)
		f.Facts = &model.CaseFacts{CaseID: f.Case.ID, Seq: seq, FactsEnc: enc, UpdatedAt: env.Now}
		f.FactsChanged = true
		if err := s.deriveChangedItems(ctx, f, old, &facts, env.Now); err != nil {
			return err
		}
		tellChangeReceived(f, env.Now, again...)
		id := f.Case.ID
		f.Audit = append(f.Audit, auditRow(ctx, model.ActorResident, residentID, f.Case.AreaCode, "case.declare_change", &id, fmt.Sprintf("facts_seq=%d", f.Facts.Seq), env.Now))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.residentRecord(ctx, residentID, f)
}

// deriveChangedItems re-derives the one-time list after a declared change (issue 21): an item
// the new facts need that the list did not hold is added, to be provided (a new diagnosis asks
// for its certificate); an item already on the list that concerns a member whose facts changed
// (or the household's assets, when they changed) is needed anew (a new wage, a new income
// proof). Both are marked NoticeChange, so a later return may ask for them; what was provided
// stays provided until then.
func (s *Service) deriveChangedItems(ctx context.Context, f *model.CaseFile, old, facts *Facts, now time.Time) error {
	if s.rules == nil {
		return nil
	}
	docs, err := s.rules.Documents(ctx, model.AreaCode(f.Case.AreaCode), calendar.DateOf(now),
		DocumentQuery{Categories: askedCategories(f), ByAgent: f.Case.AgentResidentID != nil, Facts: facts, Today: now.In(calendar.Location())})
	if err != nil {
		return err
	}
	changed := changedMembers(old, facts)
	have := map[string]int{}
	for i, it := range f.Checklist {
		if it.Code != "" {
			have[it.Code] = i
		}
	}
	for _, d := range docs {
		status := model.ItemMissing
		if d.Provide == model.ProvideShared {
			status = model.ItemShared
		}
		if i, ok := have[d.Code]; ok {
			it := &f.Checklist[i]
			if status != model.ItemShared && it.Status != model.ItemShared && it.Status != model.ItemNotNeeded &&
				(changed[memberOfCode(d.Code)] || (d.Code == codeAssetDeclaration && old.Assets != facts.Assets)) {
				it.Notice = model.NoticeChange
			}
			continue
		}
		notice := model.NoticeChange
		if status == model.ItemShared {
			notice = ""
		}
		f.Checklist = append(f.Checklist, model.ChecklistItem{CaseID: f.Case.ID, Code: d.Code, Name: d.Name, Note: d.Note, Why: d.Why + "（申报变化后）",
			Provide: d.Provide, Source: d.Source, Status: status, Round: f.Case.Round, CreatedAt: now, Notice: notice})
	}
	return nil
}

// reaskConsents asks again for the pledge and authorisation of the members whose facts a
// declared change touched (issue 21): their consent goes back to pending — the data check does
// not run on them until they confirm again (an invitation from their own WeChat) — unless the
// member is the declarer, who confirmed again with the change. The others' confirmations carry
// over to the new facts. It returns who must confirm again ("成员2（配偶）").
func reaskConsents(f *model.CaseFile, changed map[int]bool, declarer uint64, reconfirmed bool, seq int, now time.Time) []string {
	var again []string
	for i := range f.Consents {
		k := &f.Consents[i]
		if k.State == model.ConsentVoid {
			continue
		}
		if k.Subject != model.ConsentMember || !changed[k.Position+1] {
			if k.State == model.ConsentConfirmed {
				k.FactsSeq, k.UpdatedAt = seq, now
			}
			continue
		}
		if reconfirmed && k.ResidentID != nil && *k.ResidentID == declarer {
			confirm(k, declarer, model.ConsentBySelf, seq, now)
			continue
		}
		k.State, k.Method, k.ResidentID, k.ConfirmedAt, k.InviteHash, k.InviteExpiresAt, k.UpdatedAt =
			model.ConsentPending, "", nil, nil, nil, nil, now
		who := fmt.Sprintf("成员%d", k.Position+1)
		for _, m := range f.Members {
			if m.Position == k.Position {
				who += "（" + m.Relation.Label() + "）"
			}
		}
		again = append(again, who)
	}
	return again
}

// changedMembers are the places (from 1, as in the items' codes) of the members whose declared
// facts, or income lines, differ between two declarations of the same household.
func changedMembers(old, cur *Facts) map[int]bool {
	out := map[int]bool{}
	for i := range cur.Members {
		if i >= len(old.Members) {
			out[i+1] = true
			continue
		}
		o, c := old.Members[i], cur.Members[i]
		o.Name, c.Name = "", ""
		if o != c {
			out[i+1] = true
		}
	}
	lines := func(f *Facts, m int) []IncomeLine {
		var ls []IncomeLine
		for _, l := range f.Income {
			if l.Member == m {
				ls = append(ls, l)
			}
		}
		return ls
	}
	for i := range cur.Members {
		if !slices.Equal(lines(old, i), lines(cur, i)) {
			out[i+1] = true
		}
	}
	return out
}

// memberOfCode is the member place of a per-member item code ("income_proof.2" → 2), 0 for a
// household item.
func memberOfCode(code string) int {
	i := strings.LastIndexByte(code, '.')
	if i < 0 {
		return 0
	}
	n, err := strconv.Atoi(code[i+1:])
	if err != nil {
		return 0
	}
	return n
}

// changeSummary says in a line what a declared change touched (no personal identifiers).
func changeSummary(old, cur *Facts) string {
	var parts []string
	monthly := func(f *Facts) int64 {
		var sum int64
		for _, in := range f.Income {
			if in.Period == "yearly" {
				sum += in.AmountCents / 12
			} else {
				sum += in.AmountCents
			}
		}
		return sum
	}
	if a, b := monthly(old), monthly(cur); a != b {
		parts = append(parts, fmt.Sprintf("月收入申报 %.2f 元 → %.2f 元", float64(a)/100, float64(b)/100))
	}
	if old.Assets != cur.Assets {
		parts = append(parts, "财产")
	}
	for i := range cur.Members {
		o, c := old.Members[i], cur.Members[i]
		o.Name, c.Name = "", ""
		if o != c {
			parts = append(parts, fmt.Sprintf("成员%d的情况", i+1))
		}
	}
	if len(old.Supporter) != len(cur.Supporter) {
		parts = append(parts, "赡养人")
	}
	if old.Emergency != cur.Emergency || old.EssentialSpendingCents != cur.EssentialSpendingCents || old.MedicalOutOfPocket12mCents != cur.MedicalOutOfPocket12mCents {
		parts = append(parts, "突发事件或支出")
	}
	if len(parts) == 0 {
		return "无实质变化"
	}
	return "变化：" + strings.Join(parts, "、")
}
