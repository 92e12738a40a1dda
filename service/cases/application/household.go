package application

import (
	"context"
	"encoding/json"
	"fmt"
	"palmaid/model"
	"palmaid/service/cases"
	"strings"
)

// ActHouseholdChange names the town counter's record of a member joining or leaving (its audit
// row; the case history shows it as a declared change).
const ActHouseholdChange model.Action = "household_change"

var errHouseholdChange = model.E(model.KindUnprocessable, "case.household_change_invalid", "请填写加入的成员或离开的成员（二选一）")

// HouseholdChangeInput is a member joining (Join: the member as declared) or leaving (Leave: the
// member's place, from 0; the person applied for, 0, does not leave), with the reason (出生、
// 婚入、死亡、迁出 …).
type HouseholdChangeInput struct {
	Join   *model.MemberFacts
	Leave  *int
	Reason string
}

// ChangeHousehold records at the town's counter a member joining or leaving a submitted
// household (issue 21): the declaration is replaced (a leaving member's income lines and
// supporters go with them), the member rows, the open claims and the declared rows follow; the
// consents follow the members (a joining adult's is asked, a leaving member's is void); the list
// is re-derived — what the joining member needs is added as needed by a change (a later return
// may ask for it), a leaving member's items are no longer needed. Audited; the applicant is told.
func (s *Service) ChangeHousehold(ctx context.Context, st *model.Staff, publicID string, version int, in HouseholdChangeInput) (*cases.StaffRecord, error) {
	reason, err := cases.Text("reason", in.Reason, 200, true)
	if err != nil {
		return nil, err
	}
	if (in.Join == nil) == (in.Leave == nil) {
		return nil, errHouseholdChange.WithField("join", "join 与 leave 二选一")
	}
	var rec *cases.StaffRecord
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		var f *model.CaseFile
		rec, err = s.k.Act(ctx, st, publicID, version, model.PermCaseAccept, ActHouseholdChange, func(ctx context.Context, cf *model.CaseFile, env model.Env) error {
			f = cf
			return s.changeHousehold(ctx, cf, env, in, reason)
		})
		if err != nil {
			return err
		}
		// the rows that hang on the member rows: the open claims and the declared rows
		facts, err := s.k.OpenFacts(f)
		if err != nil {
			return err
		}
		return s.st.RewriteHousehold(ctx, f, s.declaredRows(facts, f.Members, s.now()))
	})
	return rec, err
}

func (s *Service) changeHousehold(ctx context.Context, f *model.CaseFile, env model.Env, in HouseholdChangeInput, reason string) error {
	if f.Facts == nil {
		return cases.ErrFactsLocked
	}
	applicant, err := s.st.GetResident(ctx, f.Case.ApplicantResidentID)
	if err != nil {
		return err
	}
	old, err := s.k.OpenFacts(f)
	if err != nil {
		return err
	}
	var facts model.HouseholdFacts
	b, err := json.Marshal(old)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &facts); err != nil {
		return err
	}
	today := env.Now.In(model.China())
	var note string
	joined := -1
	if in.Join != nil {
		m := *in.Join
		facts.Members = append(facts.Members, m)
		joined = len(facts.Members) - 1
		note = fmt.Sprintf("窗口登记家庭成员增加：成员%d（%s，%s）", joined+1, model.MaskName(strings.TrimSpace(m.Name)), m.Relation.Label())
	} else {
		p := *in.Leave
		if p < 1 || p >= len(facts.Members) {
			return errHouseholdChange.WithField("leave", fmt.Sprintf("离开的成员：1 到 %d（被申请救助的本人不能离开）", len(facts.Members)-1))
		}
		note = fmt.Sprintf("窗口登记家庭成员减少：成员%d（%s，%s）", p+1, model.MaskName(facts.Members[p].Name), facts.Members[p].Relation.Label())
		facts.Members = append(facts.Members[:p:p], facts.Members[p+1:]...)
		var income []model.IncomeLine
		for _, l := range facts.Income {
			switch {
			case l.Member == p:
				continue
			case l.Member > p:
				l.Member--
			}
			income = append(income, l)
		}
		facts.Income = income
		if len(facts.Income) == 0 && len(old.Income) > 0 {
			facts.NoIncome = true
		}
		var sup []model.SupporterDecl
		for _, sp := range facts.Supporter {
			switch {
			case sp.ForMember == p:
				continue
			case sp.ForMember > p:
				sp.ForMember--
			}
			sup = append(sup, sp)
		}
		facts.Supporter = sup
		renumberItems(f, p)
	}
	facts.Normalise()
	if err := cases.ValidateShape(&facts, today); err != nil {
		return err
	}
	if err := cases.Completeness(&facts, askedCategories(f), today); err != nil {
		return err
	}
	byAgent := f.Case.AgentResidentID != nil
	members, err := s.declaredMembers(applicant, &facts, byAgent, today)
	if err != nil {
		return err
	}
	if err := f.DeclareChange(env, note+"；原因："+reason); err != nil {
		return err
	}
	seq := f.Facts.Seq + 1
	enc, err := s.k.SealFacts(&facts)
	if err != nil {
		return err
	}
	f.Consents = s.syncConsents(f.Consents, applicant, &facts, f, today, env.Now)
	for i := range f.Consents { // the others' confirmations carry over; a joining adult's is asked
		if k := &f.Consents[i]; k.State == model.ConsentConfirmed {
			k.FactsSeq = seq
		}
	}
	f.Facts = &model.CaseFacts{CaseID: f.Case.ID, Seq: seq, FactsEnc: enc, UpdatedAt: env.Now}
	f.FactsChanged = true
	if err := s.st.DeleteDeclaredFacts(ctx, f.Case.HouseholdID); err != nil { // rewritten once the member rows are
		return err
	}
	f.NewMembers = members
	before := len(f.Checklist)
	if err := s.syncChecklist(ctx, f, &facts, byAgent, env.Now); err != nil {
		return err
	}
	for i := before; i < len(f.Checklist); i++ { // what the joining member needs: asked by a change
		if it := &f.Checklist[i]; it.Status != model.ItemShared {
			it.Notice, it.Why = model.NoticeChange, it.Why+"（家庭成员变化后）"
		}
	}
	var again []string // a joining adult confirms from their own WeChat
	for _, k := range f.Consents {
		if k.Subject == model.ConsentMember && k.State == model.ConsentPending && k.Position < len(facts.Members) {
			again = append(again, fmt.Sprintf("成员%d（%s）", k.Position+1, facts.Members[k.Position].Relation.Label()))
		}
	}
	cases.TellChangeReceived(f, env.Now, again...)
	return nil
}

// renumberItems moves the per-member items of the members after a leaving member (place p,
// from 0) down one place, so each keeps its status and uploads under the member's new place;
// the leaving member's items are no longer needed (syncChecklist drops them from the list).
func renumberItems(f *model.CaseFile, p int) {
	gone := p + 1
	for i := range f.Checklist {
		it := &f.Checklist[i]
		n := memberOfCode(it.Code)
		switch {
		case n == gone:
			it.Status, it.Code = model.ItemNotNeeded, it.Code+".left"
		case n > gone:
			it.Code = it.Code[:strings.LastIndexByte(it.Code, '.')] + fmt.Sprintf(".%d", n-1)
			it.Name = strings.Replace(it.Name, fmt.Sprintf("（家庭成员%d）", n), fmt.Sprintf("（家庭成员%d）", n-1), 1)
		}
	}
}
