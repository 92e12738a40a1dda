package application

import (
	"context"
	"fmt"
	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/cases"
	"palmaid/service/reqmeta"
	"palmaid/service/store"
	"strings"
)

// 帮办代办: a village assistant or a town caseworker files an application for a resident who
// cannot use the mini-program, with the household's signed paper forms in hand. The case
// belongs to a placeholder account (no WeChat behind it) until the person it is for logs in
// with their ID number: they see it at once and may take it over.

var (
	errAssistForbidden = model.E(model.KindForbidden, "case.assist_forbidden", "您的角色不能代为提交申请")
	errOutsideArea     = model.E(model.KindUnprocessable, "area.outside_jurisdiction", "该村（社区）不在您的辖区内").WithField("villageCode", "须为本辖区的村（社区）")
	errFormsRequired   = model.E(model.KindUnprocessable, "case.paper_forms_required", "代为申请须收取每位成年家庭成员签字的诚信承诺及核对授权书").WithField("paperFormsSigned", "确认已收取签字的纸质授权书")
)

// AssistedAppID is the app id of placeholder accounts of assisted applications.
const AssistedAppID = "assisted"

// AssistedInput is an application a staff member files for a resident.
type AssistedInput struct {
	VillageCode string               `json:"villageCode"`
	Address     string               `json:"address"`
	Categories  []model.Category     `json:"categories"`
	Reason      string               `json:"reason"`
	Facts       model.HouseholdFacts `json:"facts"`
	// PaperFormsSigned: every adult member (and, for 特困, every supporter) signed the pledge and
	// authorisation form, which the office keeps; the staff member vouches for it (audited).
	PaperFormsSigned bool `json:"paperFormsSigned"`
}

// CreateAssisted files and submits an application for a resident (帮办代办).
func (s *Service) CreateAssisted(ctx context.Context, st *model.Staff, in AssistedInput) (*cases.StaffRecord, error) {
	if !st.Can(model.PermCaseAssist) {
		return nil, errAssistForbidden
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
	if !strings.HasPrefix(string(village), st.Area().Prefix()) {
		return nil, errOutsideArea
	}
	if _, err := s.openVillage(ctx, village); err != nil {
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
	if !in.PaperFormsSigned {
		return nil, errFormsRequired
	}
	now := s.now()
	today := now.In(model.China())
	facts := in.Facts
	var asked []model.Category
	for _, c := range cats {
		if c.Requested {
			asked = append(asked, c.Category)
		}
	}
	publicID, err := cases.NewPublicID()
	if err != nil {
		return nil, err
	}
	var created *model.Case
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		shell, err := s.st.UpsertResident(ctx, AssistedAppID, "assisted:"+publicID, "", now)
		if err != nil {
			return err
		}
		members, err := s.declaredMembers(shell, &facts, true, today)
		if err != nil {
			return err
		}
		if err := cases.Completeness(&facts, asked, today); err != nil {
			return err
		}
		enc, err := s.k.SealFacts(&facts)
		if err != nil {
			return err
		}
		p, err := s.st.RegionPolicy(ctx, village, calendar.DateOf(now))
		if err != nil {
			return err
		}
		urgent, accWD := acceptanceClock(p, asked)
		due, prov := cases.ClockOf(s.cal).AddWorkingDays(now, accWD)
		c := model.Case{PublicID: publicID, ApplicantResidentID: shell.ID, AgentResidentID: &shell.ID, AgentRelation: "assistant",
			AreaCode: string(village), TownCode: string(village.Ancestor(model.LevelTown)), CountyCode: string(village.Ancestor(model.LevelCounty)),
			Status: model.StatusSubmitted, Stage: model.StageToAccept, Reason: reason, Round: 1, Urgent: urgent, BeneficiaryIDBidx: members[0].IDBidx,
			NextDueOn: due, NextDueStep: model.StepAcceptance, NextDueProvisional: prov,
			PledgeAt: now, AuthorizationAt: now, SubmittedAt: now, Version: 1, CreatedAt: now, UpdatedAt: now}
		if ben, err := s.st.ResidentByVerifiedID(ctx, members[0].IDBidx); err != nil {
			return err
		} else if ben != nil {
			c.BeneficiaryResidentID = &ben.ID
		}
		f := &model.CaseFile{Case: c, Categories: cats, Members: members, Facts: &model.CaseFacts{Seq: 1, FactsEnc: enc, UpdatedAt: now}}
		// Every consent is on paper, received and checked by the filing officer.
		f.Consents = s.syncConsents(nil, shell, &facts, f, today, now)
		for i := range f.Consents {
			k := &f.Consents[i]
			at := now
			k.State, k.Method, k.TextVersion, k.FactsSeq, k.ConfirmedAt = model.ConsentVerified, model.ConsentByPaper, model.ConsentTextVersion, 1, &at
		}
		if err := s.syncChecklist(ctx, f, &facts, true, now); err != nil {
			return err
		}
		for i := range f.Checklist {
			if strings.HasPrefix(f.Checklist[i].Code, "consent_form_") {
				f.Checklist[i].Status = model.ItemAccepted
			}
		}
		nc := &store.NewCase{Household: model.Household{AreaCode: string(village), Address: address, CreatedAt: now, UpdatedAt: now},
			Members: members, Case: c, Categories: cats, Facts: f.Facts, Checklist: f.Checklist, Consents: f.Consents,
			Deadlines: []model.Deadline{{Step: model.StepAcceptance, Round: 1, DueOn: due, Days: accWD, Provisional: prov,
				State: model.ClockOpen, StartedAt: now, Basis: fmt.Sprintf("提交后%d个工作日内受理审查", accWD)}},
			Event: model.CaseEvent{Step: model.StepApplication, Action: string(model.ActSubmit), ToStatus: model.StatusSubmitted,
				ActorType: model.ActorStaff, ActorID: st.ID, AreaCode: st.AreaCode, Opinion: "帮办代办", CreatedAt: now}}
		cf, _, err := s.st.CreateCase(ctx, nc)
		if err != nil {
			return err
		}
		cs := &cf.Case
		created = cs
		id := cs.ID
		row := *reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, "case.assisted_create", &id,
			fmt.Sprintf("paper_forms=%d facts_seq=1", len(f.Consents)), now)
		return s.st.Audit(ctx, &row)
	})
	if err != nil {
		return nil, err
	}
	f, err := s.st.LoadCaseFile(ctx, store.StaffScope(st), created.PublicID)
	if err != nil {
		return nil, err
	}
	return s.k.StaffView(ctx, st, f)
}
