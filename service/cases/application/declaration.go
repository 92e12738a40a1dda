package application

import (
	"context"
	"fmt"
	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/cases"
	"palmaid/service/residents"
	"palmaid/service/store"
	"time"
)

// declaredMembers validates the declaration's shape and builds the member rows. A draft may
// be incomplete, but every listed member needs a relation, a name and a valid ID number (the
// household is keyed by them), and members[0] is the caller unless an agent applies.
func (s *Service) declaredMembers(r *model.Resident, facts *model.HouseholdFacts, byAgent bool, today time.Time) ([]model.Member, error) {
	facts.Normalise()
	if err := cases.ValidateShape(facts, today); err != nil {
		return nil, err
	}
	if len(facts.Members) == 0 {
		return nil, cases.ErrMembers.WithField("facts.members", "至少填写被申请救助的本人")
	}
	out := make([]model.Member, 0, len(facts.Members))
	for i, m := range facts.Members {
		p := fmt.Sprintf("facts.members[%d].", i)
		if m.Relation == "" || m.Name == "" || m.IDNumber == "" {
			return nil, cases.ErrMembers.WithField(p+"idNumber", "每位成员须填写关系、姓名和身份证号")
		}
		bidx := s.cipher.BlindIndex(residents.PurposeIDNumber, m.IDNumber)
		if i == 0 {
			self := r.IDBidx != nil && *r.IDBidx == bidx
			if byAgent && self {
				return nil, cases.ErrAgentIsSelf
			}
			if !byAgent && !self {
				return nil, cases.ErrApplicantMatch
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

// syncConsents lists whose consent the declaration needs: every adult member, every supporter
// when 特困 is asked, and the agent. Existing rows are kept (a person already asked keeps their
// row and its state); people no longer declared are void. The caller's own row is confirmed
// when they submit.
func (s *Service) syncConsents(cur []model.Consent, caller *model.Resident, facts *model.HouseholdFacts, f *model.CaseFile, today, now time.Time) []model.Consent {
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
		if cases.Adult(m.IDNumber, today) {
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
func (s *Service) syncChecklist(ctx context.Context, f *model.CaseFile, facts *model.HouseholdFacts, byAgent bool, now time.Time) error {
	var want []cases.RequiredDocument
	if s.rules != nil {
		var cats []model.Category
		for _, c := range f.Categories {
			if c.Requested {
				cats = append(cats, c.Category)
			}
		}
		docs, err := s.rules.Documents(ctx, model.AreaCode(f.Case.AreaCode), calendar.DateOf(now),
			cases.DocumentQuery{Categories: cats, ByAgent: byAgent, Facts: facts, Today: now.In(model.China())})
		if err != nil {
			return err
		}
		want = docs
	}
	for _, k := range f.Consents {
		if k.State == model.ConsentPaper || k.State == model.ConsentVerified {
			want = append(want, cases.RequiredDocument{Code: paperCode(&k), Name: "诚信承诺及核对授权书（" + cases.ConsentWho(&k, facts) + "签字）",
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

func onlineItems(f *model.CaseFile, facts *model.HouseholdFacts) {
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

// declaredRows turns the declaration into the household's income, asset and supporter rows
// (written once, at submission, for staff queries; the encrypted document stays the record).
func (s *Service) declaredRows(f *model.HouseholdFacts, members []model.Member, now time.Time) store.DeclaredRows {
	var out store.DeclaredRows
	for _, in := range f.Income {
		amt := in.AmountCents
		if in.Period == "yearly" {
			amt /= 12
		}
		row := model.IncomeItem{Kind: in.Kind, MonthlyCents: amt, Note: model.Truncate(in.Source, 60), CreatedAt: now}
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
		row := model.Supporter{Relation: model.Truncate(sp.Relation, 16), Name: sp.Name, Ability: sp.Ability, CreatedAt: now}
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
