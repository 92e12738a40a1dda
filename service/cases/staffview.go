package cases

import (
	"context"
	"fmt"
	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/eligibility"
	"palmaid/service/reqmeta"
	"palmaid/service/store"
	"strings"
	"time"
)

// StaffRecord is the staff view of a case file.
type StaffRecord struct {
	*Record
	Address         string
	PhoneMasked     string
	Allowed         []model.Action
	Ages            map[int]int // member position → age today
	Investigators   map[uint64]string
	ObjectionMasked map[uint64]string
	// model.HouseholdFacts is the household's declaration (ID numbers masked; nil for applications made
	// before declarations existed); Eligibility the engine's classification of it under the
	// region's policy today, rule by rule with exact figures — a pre-filled basis for the
	// opinion, which the investigation confirms or corrects. EligibilityNote says why there is
	// none (an incomplete declaration).
	Facts           *model.HouseholdFacts
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

// StaffView is the staff view of a case file (ID numbers and phone masked), with the engine's
// classification of the declaration and the officers named.
func (s *Kernel) StaffView(ctx context.Context, st *model.Staff, f *model.CaseFile) (*StaffRecord, error) {
	rec, err := s.Record(ctx, f)
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
	today := s.now().In(model.China())
	for _, m := range f.Members {
		if id, err := s.cipher.DecryptString(m.IDEnc); err == nil {
			if b, ok := model.BirthDateFromID(id); ok {
				out.Ages[m.Position] = model.AgeOn(b, today)
			}
		}
	}
	if f.Facts != nil {
		facts, err := s.OpenFacts(f)
		if err != nil {
			return nil, err
		}
		out.Facts = facts.Masked()
		out.ConsentNames = map[uint64]string{}
		for _, k := range f.Consents {
			out.ConsentNames[k.ID] = ConsentWho(&k, facts)
		}
		p, err := s.st.RegionPolicy(ctx, model.AreaCode(f.Case.AreaCode), calendar.DateOf(s.now()))
		if err != nil {
			return nil, err
		}
		day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
		if rep, err := eligibility.Evaluate(*eligibility.FromDeclaration(facts, day, false), p, day); err == nil {
			out.Eligibility = rep
			out.Suggestions = Suggestions(rep)
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

// Act runs one staff action as a single transaction: the locked case file, the model method,
// the history, clocks, outbox and the audit row commit together or not at all.
func (s *Kernel) Act(ctx context.Context, st *model.Staff, publicID string, version int, perm model.Permission, action model.Action,
	fn func(ctx context.Context, f *model.CaseFile, env model.Env) error) (*StaffRecord, error) {
	if !st.Can(perm) {
		return nil, ErrRoleForbidden
	}
	if version < 1 {
		return nil, ErrVersionRequired
	}
	by := model.Actor{Type: model.ActorStaff, ID: st.ID, AreaCode: st.AreaCode}
	f, err := s.st.UpdateCaseFile(ctx, store.StaffScope(st), publicID, version, s.now(), func(ctx context.Context, f *model.CaseFile) error {
		env, err := s.Env(ctx, &f.Case, by, st)
		if err != nil {
			return err
		}
		if err := fn(ctx, f, env); err != nil {
			return err
		}
		id := f.Case.ID
		f.Audit = append(f.Audit, *reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, "case."+string(action), &id, fmt.Sprintf("version=%d", f.Case.Version+1), env.Now))
		return nil
	})
	if err != nil {
		if model.AsError(err).Kind == model.KindNotFound && model.AsError(err).Code == model.ErrCaseNotFound.Code {
			if aerr := s.AuditOutside(ctx, st, "case."+string(action)+".denied", nil, "public_id="+model.Truncate(publicID, 40)); aerr != nil {
				return nil, aerr
			}
		}
		return nil, err
	}
	return s.StaffView(ctx, st, f)
}

// StaffNamed looks the investigators up by username, in the order given; an unknown name stays
// nil for the case file's rules to refuse.
func (s *Kernel) StaffNamed(ctx context.Context, names []string) ([]*model.Staff, error) {
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

// Suggestion is the engine's pre-filled opinion entry for one category (and person): the
// officer starts from it and may depart from it only with a reason, recorded beside it.
type Suggestion struct {
	Category       model.Category
	MemberPosition int // model.HouseholdLevel for the household
	Outcome        string
	MonthlyCents   int64
	Basis          string // the engine's checks in one line (staff figures)
}

// Suggestions maps the engine's report to opinion entries (none where the engine needs an
// officer's judgement: needs_review).
func Suggestions(rep *eligibility.Report) []Suggestion {
	var out []Suggestion
	add := func(r eligibility.Result, pos int, withAmount bool) {
		var outcome string
		switch r.Status {
		case eligibility.Eligible:
			outcome = model.OutcomeApproved
		case eligibility.NotEligible:
			outcome = model.OutcomeRefused
		default:
			return
		}
		s := Suggestion{Category: r.Category, MemberPosition: pos, Outcome: outcome}
		if withAmount && outcome == model.OutcomeApproved {
			s.MonthlyCents = r.AmountCents
		}
		for i, c := range r.Checks {
			if i > 0 {
				s.Basis += "；"
			}
			s.Basis += c.Staff
		}
		out = append(out, s)
	}
	add(rep.MinimumLiving, model.HouseholdLevel, true)
	for i, r := range rep.Extreme {
		add(r, i, true)
	}
	add(rep.Edge, model.HouseholdLevel, false)
	add(rep.Illness, model.HouseholdLevel, false)
	add(rep.Temporary, model.HouseholdLevel, false)
	return out
}
