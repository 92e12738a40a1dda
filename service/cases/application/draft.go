package application

import (
	"context"
	"fmt"
	"palmaid/model"
	"palmaid/service/cases"
	"palmaid/service/reqmeta"
	"palmaid/service/store"
	"time"
)

// InviteTTL is how long a consent invitation stays valid.
const InviteTTL = 72 * time.Hour

// DraftInput creates a draft. AgentRelation is empty when applying for oneself, else the
// caller's relation to members[0], the person the application is for.
type DraftInput struct {
	VillageCode   string               `json:"villageCode"`
	Address       string               `json:"address"`
	Categories    []model.Category     `json:"categories"`
	Reason        string               `json:"reason"`
	AgentRelation model.Relation       `json:"agentRelation"`
	Facts         model.HouseholdFacts `json:"facts"`
}

// DraftUpdate replaces a draft's categories, reason and facts.
type DraftUpdate struct {
	Version    int                  `json:"version"`
	Categories []model.Category     `json:"categories"`
	Reason     string               `json:"reason"`
	Facts      model.HouseholdFacts `json:"facts"`
}

// CreateDraft saves a new application as a draft: nobody but the resident (and the people it
// names, through their invitations) sees it until it is submitted.
func (s *Service) CreateDraft(ctx context.Context, residentID uint64, in DraftInput) (*cases.Record, error) {
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
	return s.k.ViewForResident(ctx, residentID, s.k.NewRecord(created, d.nc.Event, d.areaName))
}

// newDraft is a draft built in memory: its rows, its case file (consents and list derived from
// the declared facts) and the area's name.
type newDraft struct {
	nc       *store.NewCase
	file     *model.CaseFile
	facts    *model.HouseholdFacts
	areaName string
}

func (s *Service) buildDraft(ctx context.Context, r *model.Resident, in DraftInput) (*newDraft, error) {
	if !r.HasIdentity() {
		return nil, cases.ErrIdentityRequired
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
		return nil, cases.ErrNotVillage
	}
	areaName, err := s.openVillage(ctx, village)
	if err != nil {
		return nil, err
	}
	reason, err := cases.Text("reason", in.Reason, 500, false)
	if err != nil {
		return nil, err
	}
	address, err := cases.Text("address", in.Address, 100, false)
	if err != nil {
		return nil, err
	}
	byAgent := in.AgentRelation != ""
	if byAgent && (!in.AgentRelation.Valid() || in.AgentRelation == model.RelSelf) {
		return nil, cases.ErrAgentRelation
	}
	now := s.now()
	today := now.In(model.China())
	facts := in.Facts
	members, err := s.declaredMembers(r, &facts, byAgent, today)
	if err != nil {
		return nil, err
	}
	if err := s.st.CheckOpen(ctx, members, cats); err != nil {
		return nil, err
	}
	enc, err := s.k.SealFacts(&facts)
	if err != nil {
		return nil, err
	}
	publicID, err := cases.NewPublicID()
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
func (s *Service) SaveDraft(ctx context.Context, residentID uint64, publicID string, in DraftUpdate) (*cases.Record, error) {
	if in.Version < 1 {
		return nil, cases.ErrVersionRequired
	}
	cats, err := validCategories(in.Categories)
	if err != nil {
		return nil, err
	}
	reason, err := cases.Text("reason", in.Reason, 500, false)
	if err != nil {
		return nil, err
	}
	r, err := s.st.GetResident(ctx, residentID)
	if err != nil {
		return nil, err
	}
	f, err := s.st.UpdateCaseFile(ctx, store.ResidentScope(residentID), publicID, in.Version, s.now(), func(ctx context.Context, f *model.CaseFile) error {
		if f.Case.ApplicantResidentID != residentID {
			return cases.ErrNotApplicant
		}
		if f.Case.Status != model.StatusDraft {
			return cases.ErrFactsLocked
		}
		now := s.now()
		today := now.In(model.China())
		facts := in.Facts
		if old, err := s.k.OpenFacts(f); err == nil {
			facts.RestoreMasked(old)
		}
		byAgent := f.Case.AgentResidentID != nil
		members, err := s.declaredMembers(r, &facts, byAgent, today)
		if err != nil {
			return err
		}
		enc, err := s.k.SealFacts(&facts)
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
		f.Audit = append(f.Audit, *reqmeta.Audit(ctx, model.ActorResident, residentID, f.Case.AreaCode, "case.draft_saved", &id, fmt.Sprintf("facts_seq=%d", f.Facts.Seq), now))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.k.ResidentRecord(ctx, residentID, f)
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
func (s *Service) Submit(ctx context.Context, residentID uint64, publicID string, in SubmitInput) (*cases.Record, error) {
	if in.Version < 1 {
		return nil, cases.ErrVersionRequired
	}
	if !in.PledgeAccepted || !in.AuthorizationAccepted {
		return nil, cases.ErrPledgeRequired
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
	flag, err := s.k.CheckContent(ctx, residentID, "reason", cur.Reason)
	if err != nil {
		return nil, err
	}
	by := model.Actor{Type: model.ActorResident, ID: residentID}
	f, err := s.st.UpdateCaseFile(ctx, store.ResidentScope(residentID), publicID, in.Version, s.now(), func(ctx context.Context, f *model.CaseFile) error {
		if f.Case.ApplicantResidentID != residentID {
			return cases.ErrNotApplicant
		}
		if f.Case.Status != model.StatusDraft {
			return f.Submit(model.Env{}, 0, "") // the state machine's 409
		}
		if f.Case.Reason != cur.Reason {
			return model.ErrStaleVersion // changed since it was checked
		}
		env, err := s.k.Env(ctx, &f.Case, by, nil)
		if err != nil {
			return err
		}
		today := env.Now.In(model.China())
		facts, err := s.k.OpenFacts(f)
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
		cases.FlagLastEvent(f, flag)
		if err := s.st.WriteDeclaredFacts(ctx, f.Case.HouseholdID, s.declaredRows(facts, f.Members, env.Now)); err != nil {
			return err
		}
		id := f.Case.ID
		f.Audit = append(f.Audit, *reqmeta.Audit(ctx, model.ActorResident, residentID, f.Case.AreaCode, "case.submit", &id, fmt.Sprintf("facts_seq=%d", f.Facts.Seq), env.Now))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.k.ResidentRecord(ctx, residentID, f)
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
func submissionGaps(f *model.CaseFile, facts *model.HouseholdFacts, r *model.Resident, residentID uint64, today, now time.Time) error {
	if err := cases.Completeness(facts, askedCategories(f), today); err != nil {
		return err
	}
	mine := ""
	if r.IDBidx != nil {
		mine = *r.IDBidx
	}
	g := cases.Gaps{}
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
			g.Add(path, cases.ConsentWho(k, facts)+"尚未确认（可发送邀请或上传签字的授权书）")
		}
	}
	if err := g.Err(cases.ErrConsentMissing); err != nil {
		return err
	}
	onlineItems(f, facts)
	for _, it := range f.Checklist {
		if it.Status == model.ItemMissing {
			path := fmt.Sprintf("items[%d]", it.ID)
			if it.ID == 0 {
				path = "items." + it.Code
			}
			g.Add(path, it.Name+"：请上传"+map[bool]string{true: "或签署承诺", false: ""}[it.Provide == model.ProvideCommitment])
		}
	}
	return g.Err(cases.ErrDocsMissing)
}

func confirm(k *model.Consent, residentID uint64, method string, seq int, now time.Time) {
	at := now
	rid := residentID
	k.State, k.Method, k.TextVersion, k.FactsSeq, k.ResidentID, k.ConfirmedAt = model.ConsentConfirmed, method, model.ConsentTextVersion, seq, &rid, &at
	k.InviteHash, k.InviteExpiresAt, k.UpdatedAt = nil, nil, now
}
