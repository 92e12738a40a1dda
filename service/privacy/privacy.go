// Package privacy answers a resident's personal-data rights (个人信息保护法, articles 45 and
// 47): a copy of their data, and the deletion of their account. Case records that the law
// requires the civil-affairs department to keep (applications, investigations, decisions and
// their history) are kept; the README's "Personal data" section lists what goes and what stays.
package privacy

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"palmaid/model"
	"palmaid/service/crypto"
	"palmaid/service/reqmeta"
	"palmaid/service/store"
)

// Sessions ends a resident's sessions (service/auth).
type Sessions interface {
	RevokeResident(ctx context.Context, residentID uint64) error
}

// Service is the personal-data rights use case.
type Service struct {
	st       Store
	cipher   crypto.Cipher
	sessions Sessions
	now      func() time.Time
}

// New builds the service.
func New(st Store, cipher crypto.Cipher, sessions Sessions, now func() time.Time) *Service {
	return &Service{st: st, cipher: cipher, sessions: sessions, now: now}
}

var (
	errConfirm  = model.E(model.KindUnprocessable, "account.confirm_required", "请确认注销账号").WithField("confirm", "应为 true")
	errOpenCase = model.E(model.KindConflict, "account.open_case", "您有正在办理的申请，请先撤回或等待办结")
)

// Export is the resident's copy of their data.
type Export struct {
	GeneratedAt time.Time         `json:"generatedAt"`
	Profile     Profile           `json:"profile"`
	Cases       []ExportCase      `json:"cases"`
	Messages    []ExportMessage   `json:"messages"`
	Ratings     []ExportRating    `json:"ratings"`
	Complaints  []ExportComplaint `json:"complaints"`
	// Notes say what the copy leaves out and why.
	Notes []string `json:"notes"`
}

// Profile is the account, unmasked: it is the resident's own data.
type Profile struct {
	WeChatOpenID       string     `json:"wechatOpenId"`
	RealName           string     `json:"realName,omitempty"`
	IDNumber           string     `json:"idNumber,omitempty"`
	Phone              string     `json:"phone,omitempty"`
	IdentityVerifiedAt *time.Time `json:"identityVerifiedAt,omitempty"`
	CreatedAt          time.Time  `json:"createdAt"`
}

// ExportCase is one case the resident applied for, acts as agent in, or benefits from.
type ExportCase struct {
	ID          string           `json:"id"`
	CaseNo      string           `json:"caseNo,omitempty"`
	Role        string           `json:"role"` // applicant | agent | beneficiary
	Status      model.Status     `json:"status"`
	StatusLabel string           `json:"statusLabel"`
	Categories  []string         `json:"categories"`
	AreaCode    string           `json:"areaCode"`
	Address     string           `json:"address"`
	Reason      string           `json:"reason"`
	SubmittedAt time.Time        `json:"submittedAt"`
	Members     []ExportMember   `json:"members"`
	Timeline    []ExportEvent    `json:"timeline"`
	Decisions   []ExportDecision `json:"decisions"`
}

// ExportMember is a household member: the resident unmasked, everyone else masked (their data
// is theirs).
type ExportMember struct {
	Relation string `json:"relation"`
	Name     string `json:"name"`
	IDNumber string `json:"idNumber"`
	Self     bool   `json:"self"`
}

// ExportEvent is one step of a case's history as the resident's own case view shows it.
type ExportEvent struct {
	Step   string    `json:"step"`
	Action string    `json:"action"`
	Status string    `json:"status"`
	Note   string    `json:"note,omitempty"`
	At     time.Time `json:"at"`
}

// ExportDecision is a decision on the case.
type ExportDecision struct {
	Category       string `json:"category"`
	Outcome        string `json:"outcome"`
	MonthlyCents   int64  `json:"monthlyCents,omitempty"`
	OneOffCents    int64  `json:"oneOffCents,omitempty"`
	EffectiveMonth string `json:"effectiveMonth,omitempty"`
	Reason         string `json:"reason,omitempty"`
}

// ExportMessage is an in-app message.
type ExportMessage struct {
	Title  string     `json:"title"`
	Body   string     `json:"body"`
	CaseID string     `json:"caseId,omitempty"`
	At     time.Time  `json:"at"`
	ReadAt *time.Time `json:"readAt,omitempty"`
}

// ExportRating is a rating the resident gave.
type ExportRating struct {
	CaseID  string    `json:"caseId"`
	Stars   int       `json:"stars"`
	Comment string    `json:"comment,omitempty"`
	At      time.Time `json:"at"`
}

// ExportComplaint is a complaint with its answer.
type ExportComplaint struct {
	ID          string     `json:"id"`
	CaseID      string     `json:"caseId,omitempty"`
	VillageCode string     `json:"villageCode"`
	Text        string     `json:"text"`
	Answer      string     `json:"answer,omitempty"`
	AnsweredAt  *time.Time `json:"answeredAt,omitempty"`
	At          time.Time  `json:"at"`
}

// Export builds the copy (audited: it holds the unmasked ID number and phone).
func (s *Service) Export(ctx context.Context, residentID uint64) (*Export, error) {
	r, err := s.st.GetResident(ctx, residentID)
	if err != nil {
		return nil, err
	}
	loc := model.China()
	out := &Export{GeneratedAt: s.now().In(loc), Cases: []ExportCase{}, Messages: []ExportMessage{}, Ratings: []ExportRating{}, Complaints: []ExportComplaint{},
		Notes: []string{
			"家庭成员中他人的姓名和身份证号按规定脱敏显示",
			"工作人员的内部记录（如入户调查记录、审核意见的内部部分）不在本副本中，可向乡镇（街道）申请查阅",
		}}
	out.Profile = Profile{WeChatOpenID: r.OpenID, RealName: r.RealName, IdentityVerifiedAt: localPtr(r.IdentityVerifiedAt), CreatedAt: r.CreatedAt.In(loc)}
	if len(r.IDEnc) > 0 {
		if out.Profile.IDNumber, err = s.cipher.DecryptString(r.IDEnc); err != nil {
			return nil, err
		}
	}
	if len(r.PhoneEnc) > 0 {
		if out.Profile.Phone, err = s.cipher.DecryptString(r.PhoneEnc); err != nil {
			return nil, err
		}
	}
	if err := s.exportCases(ctx, r, out); err != nil {
		return nil, err
	}
	if err := s.exportActivity(ctx, residentID, out); err != nil {
		return nil, err
	}
	row := reqmeta.Audit(ctx, model.ActorResident, residentID, "", "resident.export", nil, fmt.Sprintf("cases=%d", len(out.Cases)), s.now())
	if err := s.st.Audit(ctx, row); err != nil {
		return nil, fmt.Errorf("audit resident.export: %w", err)
	}
	return out, nil
}

func (s *Service) exportCases(ctx context.Context, r *model.Resident, out *Export) error {
	loc := model.China()
	rows, err := s.st.CasesOfResident(ctx, r.ID)
	if err != nil {
		return err
	}
	for _, c := range rows {
		f, err := s.st.LoadCaseFile(ctx, store.ResidentScope(r.ID), c.PublicID)
		if err != nil {
			return err
		}
		events, err := s.st.CaseEvents(ctx, c.ID)
		if err != nil {
			return err
		}
		hh, err := s.st.Household(ctx, c.HouseholdID)
		if err != nil {
			return err
		}
		ec := ExportCase{ID: c.PublicID, CaseNo: c.CaseNo, Role: role(&c, r.ID), Status: c.Status, StatusLabel: c.Status.Label(), AreaCode: c.AreaCode,
			Address: hh.Address, Reason: c.Reason, SubmittedAt: c.SubmittedAt.In(loc), Categories: []string{}, Members: []ExportMember{},
			Timeline: []ExportEvent{}, Decisions: []ExportDecision{}}
		for _, cc := range f.Categories {
			if cc.Requested {
				ec.Categories = append(ec.Categories, cc.Category.Label())
			}
		}
		for _, m := range f.Members {
			em := ExportMember{Relation: m.Relation.Label(), Name: model.MaskName(m.Name), IDNumber: m.IDMasked}
			if r.IDBidx != nil && m.IDBidx == *r.IDBidx {
				id, err := s.cipher.DecryptString(m.IDEnc)
				if err != nil {
					return err
				}
				em.Name, em.IDNumber, em.Self = m.Name, id, true
			}
			ec.Members = append(ec.Members, em)
		}
		for _, ev := range events {
			if !model.Action(ev.Action).ResidentVisible() {
				continue
			}
			note := ev.ResidentNote()
			ec.Timeline = append(ec.Timeline, ExportEvent{Step: ev.Step, Action: ev.Action, Status: ev.ToStatus.Label(), Note: note, At: ev.CreatedAt.In(loc)})
		}
		for _, d := range f.Decisions {
			if d.Outcome == model.OutcomeNotApplicable {
				continue
			}
			ec.Decisions = append(ec.Decisions, ExportDecision{Category: d.Category.Label(), Outcome: d.Outcome, MonthlyCents: d.MonthlyCents,
				OneOffCents: d.OneOffCents, EffectiveMonth: d.EffectiveMonth, Reason: d.Reason})
		}
		out.Cases = append(out.Cases, ec)
	}
	return nil
}

func (s *Service) exportActivity(ctx context.Context, residentID uint64, out *Export) error {
	loc := model.China()
	var msgs []model.Message
	for before := uint64(0); ; {
		page, err := s.st.ListMessages(ctx, residentID, before, 200)
		if err != nil {
			return err
		}
		msgs = append(msgs, page...)
		if len(page) < 200 {
			break
		}
		before = page[len(page)-1].ID
	}
	var caseIDs []uint64
	for _, m := range msgs {
		caseIDs = append(caseIDs, m.CaseID)
	}
	ratings, err := s.st.RatingsByResident(ctx, residentID)
	if err != nil {
		return err
	}
	for _, r := range ratings {
		caseIDs = append(caseIDs, r.CaseID)
	}
	var complaints []model.Complaint
	for before := uint64(0); ; {
		page, err := s.st.ResidentComplaints(ctx, residentID, before, 200)
		if err != nil {
			return err
		}
		complaints = append(complaints, page...)
		if len(page) < 200 {
			break
		}
		before = page[len(page)-1].ID
	}
	for _, c := range complaints {
		if c.CaseID != nil {
			caseIDs = append(caseIDs, *c.CaseID)
		}
	}
	links, err := s.st.CasePublicIDs(ctx, caseIDs)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		out.Messages = append(out.Messages, ExportMessage{Title: m.Title, Body: m.Body, CaseID: links[m.CaseID], At: m.CreatedAt.In(loc), ReadAt: localPtr(m.ReadAt)})
	}
	for _, r := range ratings {
		out.Ratings = append(out.Ratings, ExportRating{CaseID: links[r.CaseID], Stars: r.Stars, Comment: r.Comment, At: r.CreatedAt.In(loc)})
	}
	for _, c := range complaints {
		ec := ExportComplaint{ID: c.PublicID, VillageCode: c.VillageCode, Answer: c.Answer, AnsweredAt: localPtr(c.AnsweredAt), At: c.CreatedAt.In(loc)}
		if c.CaseID != nil {
			ec.CaseID = links[*c.CaseID]
		}
		if len(c.TextEnc) > 0 {
			if ec.Text, err = s.cipher.DecryptString(c.TextEnc); err != nil {
				return err
			}
		}
		out.Complaints = append(out.Complaints, ec)
	}
	return nil
}

func role(c *model.Case, residentID uint64) string {
	switch {
	case c.ApplicantResidentID == residentID:
		return "applicant"
	case c.AgentResidentID != nil && *c.AgentResidentID == residentID:
		return "agent"
	}
	return "beneficiary"
}

// Delete deletes the resident's account (confirm must be true). A resident with a case still
// in progress is refused: the case needs its applicant until it ends (withdraw it first).
func (s *Service) Delete(ctx context.Context, residentID uint64, confirm bool) error {
	if !confirm {
		return errConfirm
	}
	rows, err := s.st.CasesOfResident(ctx, residentID)
	if err != nil {
		return err
	}
	kept := 0
	for _, c := range rows {
		if store.DraftFree(&c, residentID) {
			continue // deleted with the account
		}
		if !c.Status.Closed() {
			return errOpenCase.WithField("caseId", c.PublicID)
		}
		kept++
	}
	// Sessions first: if Redis is down nothing has changed yet (503), and the account is never
	// erased while a session could still act on it.
	if err := s.sessions.RevokeResident(ctx, residentID); err != nil {
		return err
	}
	tomb := make([]byte, 8)
	if _, err := rand.Read(tomb); err != nil {
		return err
	}
	now := s.now()
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.EraseResident(ctx, residentID, "erased:"+strconv.FormatUint(residentID, 10)+":"+hex.EncodeToString(tomb), now); err != nil {
			return err
		}
		return s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorResident, residentID, "", "resident.erase", nil, fmt.Sprintf("cases_kept=%d drafts_deleted=%d", kept, len(rows)-kept), now))
	})
	if err != nil {
		return err
	}
	// A login between the revocation and the commit got a session of the old row: end it too.
	return s.sessions.RevokeResident(ctx, residentID)
}

func localPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	l := t.In(model.China())
	return &l
}
