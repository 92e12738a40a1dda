package application

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"palmaid/model"
	"palmaid/service/cases"
	"palmaid/service/reqmeta"
	"palmaid/service/store"
	"strings"
	"time"
)

// Invitation is a one-time link for a person to confirm from their own WeChat.
type Invitation struct {
	Token     string
	Path      string // the mini-program page that opens it
	ExpiresAt time.Time
}

// Invite issues (or re-issues: the earlier link stops working) the invitation for a consent.
func (s *Service) Invite(ctx context.Context, residentID uint64, publicID string, consentID uint64) (*Invitation, *cases.Record, error) {
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
			return cases.ErrNotApplicant
		}
		k := findConsent(f, consentID)
		// After submission, only a consent a declared change asked for again is invited.
		if f.Case.Status != model.StatusDraft && (f.Case.Status.Closed() || k == nil || k.State != model.ConsentPending) {
			return cases.ErrFactsLocked
		}
		if k == nil {
			return cases.ErrConsentUnknown
		}
		if k.Given(f.Facts.Seq) {
			return cases.ErrConsentGiven
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
		f.Audit = append(f.Audit, *reqmeta.Audit(ctx, model.ActorResident, residentID, f.Case.AreaCode, "consent.invite", &id, fmt.Sprintf("consent=%d", k.ID), s.now()))
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	rec, err := s.k.ResidentRecord(ctx, residentID, f)
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
	facts, err := s.k.OpenFacts(f)
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
		return nil, cases.ErrPledgeRequired
	}
	if in.TextVersion != model.ConsentTextVersion {
		return nil, cases.ErrTextVersion.WithField("textVersion", model.ConsentTextVersion)
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
		if facts, err := s.k.OpenFacts(f); err == nil {
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
			for _, o := range cases.ProgressNotice(&f.Case, now, "已确认", who+"已确认授权", body) {
				if o.ResidentID == f.Case.ApplicantResidentID {
					f.Outbox = append(f.Outbox, o)
				}
			}
		}
		id := f.Case.ID
		f.Audit = append(f.Audit, *reqmeta.Audit(ctx, model.ActorResident, residentID, f.Case.AreaCode, "consent.confirm", &id,
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
func (s *Service) DeclarePaper(ctx context.Context, residentID uint64, publicID string, version int, consentID uint64) (*cases.Record, error) {
	if version < 1 {
		return nil, cases.ErrVersionRequired
	}
	f, err := s.st.UpdateCaseFile(ctx, store.ResidentScope(residentID), publicID, version, s.now(), func(ctx context.Context, f *model.CaseFile) error {
		if f.Case.ApplicantResidentID != residentID {
			return cases.ErrNotApplicant
		}
		if f.Case.Status != model.StatusDraft {
			return cases.ErrFactsLocked
		}
		k := findConsent(f, consentID)
		if k == nil {
			return cases.ErrConsentUnknown
		}
		if k.Given(f.Facts.Seq) {
			return cases.ErrConsentGiven
		}
		now := s.now()
		k.State, k.Method, k.TextVersion, k.FactsSeq, k.InviteHash, k.InviteExpiresAt, k.UpdatedAt =
			model.ConsentPaper, model.ConsentByPaper, model.ConsentTextVersion, f.Facts.Seq, nil, nil, now
		facts, err := s.k.OpenFacts(f)
		if err != nil {
			return err
		}
		if err := s.syncChecklist(ctx, f, facts, f.Case.AgentResidentID != nil, now); err != nil {
			return err
		}
		id := f.Case.ID
		f.Audit = append(f.Audit, *reqmeta.Audit(ctx, model.ActorResident, residentID, f.Case.AreaCode, "consent.paper", &id, fmt.Sprintf("consent=%d", k.ID), now))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.k.ResidentRecord(ctx, residentID, f)
}

// Commit signs a commitment (告知承诺) instead of providing a document, where the rules allow.
func (s *Service) Commit(ctx context.Context, residentID uint64, publicID string, version int, itemID uint64) (*cases.Record, error) {
	if version < 1 {
		return nil, cases.ErrVersionRequired
	}
	f, err := s.st.UpdateCaseFile(ctx, store.ResidentScope(residentID), publicID, version, s.now(), func(ctx context.Context, f *model.CaseFile) error {
		if f.Case.ApplicantResidentID != residentID {
			return cases.ErrNotApplicant
		}
		if f.Case.Status != model.StatusDraft && f.Case.Status != model.StatusReturned {
			return cases.ErrFactsLocked
		}
		for i := range f.Checklist {
			it := &f.Checklist[i]
			if it.ID != itemID {
				continue
			}
			if it.Provide != model.ProvideCommitment {
				return cases.ErrNoCommitment
			}
			it.Status = model.ItemCommitted
			id := f.Case.ID
			f.Audit = append(f.Audit, *reqmeta.Audit(ctx, model.ActorResident, residentID, f.Case.AreaCode, "item.commit", &id, fmt.Sprintf("item=%d code=%s", it.ID, it.Code), s.now()))
			return nil
		}
		return cases.ErrItemUnknown
	})
	if err != nil {
		return nil, err
	}
	return s.k.ResidentRecord(ctx, residentID, f)
}

// TakeOver: the person the application is for takes it over from the agent; the agent no
// longer acts on it.
func (s *Service) TakeOver(ctx context.Context, residentID uint64, publicID string, version int) (*cases.Record, error) {
	if version < 1 {
		return nil, cases.ErrVersionRequired
	}
	by := model.Actor{Type: model.ActorResident, ID: residentID}
	me, err := s.st.GetResident(ctx, residentID)
	if err != nil {
		return nil, err
	}
	f, err := s.st.UpdateCaseFile(ctx, store.ResidentScope(residentID), publicID, version, s.now(), func(ctx context.Context, f *model.CaseFile) error {
		c := &f.Case
		if c.BeneficiaryResidentID == nil || *c.BeneficiaryResidentID != residentID {
			return cases.ErrNotBeneficiary
		}
		// Only an assured identity of the beneficiary's number takes a case over (the link is
		// only ever made for one; this holds should a link outlive it).
		if !me.HoldsNumber(c.BeneficiaryIDBidx) {
			return model.ErrCaseNotFound
		}
		if c.AgentResidentID == nil {
			return cases.ErrNoAgent
		}
		env, err := s.k.Env(ctx, c, by, nil)
		if err != nil {
			return err
		}
		if err := f.TakeOver(env); err != nil {
			return err
		}
		c.ApplicantResidentID, c.AgentResidentID, c.AgentRelation = residentID, nil, ""
		id := c.ID
		f.Audit = append(f.Audit, *reqmeta.Audit(ctx, model.ActorResident, residentID, c.AreaCode, "case.take_over", &id, "", env.Now))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.k.ResidentRecord(ctx, residentID, f)
}
