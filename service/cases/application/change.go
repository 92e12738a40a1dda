package application

import (
	"context"
	"fmt"
	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/cases"
	"palmaid/service/reqmeta"
	"palmaid/service/store"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ChangeInput is a change of the household's circumstances declared after submission.
type ChangeInput struct {
	Version int                  `json:"version"`
	Facts   model.HouseholdFacts `json:"facts"`
	Note    string               `json:"note"`
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
func (s *Service) DeclareChange(ctx context.Context, residentID uint64, publicID string, in ChangeInput) (*cases.Record, error) {
	if in.Version < 1 {
		return nil, cases.ErrVersionRequired
	}
	note, err := cases.Text("note", in.Note, 500, true)
	if err != nil {
		return nil, err
	}
	flag, err := s.k.CheckContent(ctx, residentID, "note", note)
	if err != nil {
		return nil, err
	}
	by := model.Actor{Type: model.ActorResident, ID: residentID}
	f, err := s.st.UpdateCaseFile(ctx, store.ResidentScope(residentID), publicID, in.Version, s.now(), func(ctx context.Context, f *model.CaseFile) error {
		if f.Case.ApplicantResidentID != residentID {
			return cases.ErrNotApplicant
		}
		if f.Facts == nil {
			return cases.ErrFactsLocked
		}
		env, err := s.k.Env(ctx, &f.Case, by, nil)
		if err != nil {
			return err
		}
		old, err := s.k.OpenFacts(f)
		if err != nil {
			return err
		}
		facts := in.Facts
		facts.RestoreMasked(old)
		facts.Normalise()
		today := env.Now.In(model.China())
		if err := cases.ValidateShape(&facts, today); err != nil {
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
		if err := cases.Completeness(&facts, asked, today); err != nil {
			return err
		}
		enc, err := s.k.SealFacts(&facts)
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
		cases.FlagLastEvent(f, flag)
		f.Facts = &model.CaseFacts{CaseID: f.Case.ID, Seq: seq, FactsEnc: enc, UpdatedAt: env.Now}
		f.FactsChanged = true
		if err := s.deriveChangedItems(ctx, f, old, &facts, env.Now); err != nil {
			return err
		}
		cases.TellChangeReceived(f, env.Now, again...)
		id := f.Case.ID
		f.Audit = append(f.Audit, *reqmeta.Audit(ctx, model.ActorResident, residentID, f.Case.AreaCode, "case.declare_change", &id, fmt.Sprintf("facts_seq=%d", f.Facts.Seq), env.Now))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.k.ResidentRecord(ctx, residentID, f)
}

// deriveChangedItems re-derives the one-time list after a declared change (issue 21): an item
// the new facts need that the list did not hold is added, to be provided (a new diagnosis asks
// for its certificate); an item already on the list that concerns a member whose facts changed
// (or the household's assets, when they changed) is needed anew (a new wage, a new income
// proof). Both are marked NoticeChange, so a later return may ask for them; what was provided
// stays provided until then.
func (s *Service) deriveChangedItems(ctx context.Context, f *model.CaseFile, old, facts *model.HouseholdFacts, now time.Time) error {
	if s.rules == nil {
		return nil
	}
	docs, err := s.rules.Documents(ctx, model.AreaCode(f.Case.AreaCode), calendar.DateOf(now),
		cases.DocumentQuery{Categories: askedCategories(f), ByAgent: f.Case.AgentResidentID != nil, Facts: facts, Today: now.In(model.China())})
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
func changedMembers(old, cur *model.HouseholdFacts) map[int]bool {
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
	lines := func(f *model.HouseholdFacts, m int) []model.IncomeLine {
		var ls []model.IncomeLine
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
func changeSummary(old, cur *model.HouseholdFacts) string {
	var parts []string
	monthly := func(f *model.HouseholdFacts) int64 {
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
