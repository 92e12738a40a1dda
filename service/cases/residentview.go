package cases

import (
	"context"
	"fmt"
	"palmaid/model"
)

// ResidentView is what the applicant (or the person the application is for) sees beyond the
// progress: the declaration (ID numbers masked), and for a draft what is still missing.
type ResidentView struct {
	Facts        *model.HouseholdFacts // masked
	Gaps         map[string]string     // a draft's remaining Gaps (field path → hint); empty when ready
	IsApplicant  bool
	CanTakeOver  bool
	ConsentNames map[uint64]string // consent id → masked name of the person
	Invited      map[uint64]bool   // consent id → an unexpired invitation is out
}

// ResidentRecord is the record with the resident's own view of the declaration.
func (s *Kernel) ResidentRecord(ctx context.Context, residentID uint64, f *model.CaseFile) (*Record, error) {
	rec, err := s.Record(ctx, f)
	if err != nil {
		return nil, err
	}
	if rec.Responsible, err = s.ResponsibleFor(ctx, f); err != nil {
		return nil, err
	}
	return s.ViewForResident(ctx, residentID, rec)
}

// ResponsibleFor reads the case owner's name and office phone (nil: no owner yet).
func (s *Kernel) ResponsibleFor(ctx context.Context, f *model.CaseFile) (*Responsible, error) {
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

// ViewForResident adds the resident's own view of the declaration to rec.
func (s *Kernel) ViewForResident(ctx context.Context, residentID uint64, rec *Record) (*Record, error) {
	f := rec.File
	facts, err := s.OpenFacts(f)
	if err != nil {
		return nil, err
	}
	c := &f.Case
	v := &ResidentView{IsApplicant: c.ApplicantResidentID == residentID, ConsentNames: map[uint64]string{}, Gaps: map[string]string{}}
	v.CanTakeOver = c.AgentResidentID != nil && c.BeneficiaryResidentID != nil && *c.BeneficiaryResidentID == residentID && f.Allows(model.ActTakeOver)
	v.Invited = map[uint64]bool{}
	for _, k := range f.Consents {
		v.ConsentNames[k.ID] = ConsentWho(&k, facts)
		v.Invited[k.ID] = k.InviteExpiresAt != nil && k.InviteExpiresAt.After(s.now())
	}
	if f.Facts != nil {
		v.Facts = facts.Masked()
	}
	if c.Status == model.StatusDraft && f.Facts != nil {
		var asked []model.Category
		for _, cc := range f.Categories {
			if cc.Requested {
				asked = append(asked, cc.Category)
			}
		}
		if err := Completeness(facts, asked, s.now().In(model.China())); err != nil {
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
				v.Gaps[fmt.Sprintf("consents[%d]", k.ID)] = ConsentWho(&k, facts) + "尚未确认授权"
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
