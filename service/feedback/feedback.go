// Package feedback holds what a resident says about the service: one rating per finished case
// (好差评, five levels) and complaints (投诉), which land on the worklist of the county they
// concern and are answered there. A complaint may hold personal data: its text is encrypted at
// rest. Texts other people read pass WeChat's content check first (service/contentcheck).
package feedback

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/contentcheck"
	"palmaid/service/crypto"
	"palmaid/service/reqmeta"
	"palmaid/service/store"
)

// Service is the feedback use case; build it once.
type Service struct {
	st      Store
	cipher  crypto.Cipher
	content contentcheck.Checker // nil: texts are not checked
	now     func() time.Time
}

// New builds the service.
func New(st Store, cipher crypto.Cipher, content contentcheck.Checker, now func() time.Time) *Service {
	return &Service{st: st, cipher: cipher, content: content, now: now}
}

const (
	maxComment       = 200
	maxComplaintText = 1000
	maxAnswer        = 1000
)

var (
	errStars          = model.Invalid("rating.invalid_stars", "请选择1至5星").WithField("stars", "1至5的整数")
	errCommentTooLong = model.Invalid("rating.comment_too_long", "评价内容请控制在200字以内").WithField("comment", "最多200字")
	errNotFinished    = model.E(model.KindConflict, "rating.not_finished", "申请办结后才能评价")
	errApplicantOnly  = model.E(model.KindForbidden, "rating.applicant_only", "只有申请人或代办人可以评价")
	errTextRequired   = model.E(model.KindUnprocessable, "complaint.text_required", "请填写投诉内容").WithField("text", "必填")
	errTextTooLong    = model.Invalid("complaint.text_too_long", "投诉内容请控制在1000字以内").WithField("text", "最多1000字")
	errVillageMissing = model.Invalid("complaint.village_required", "请选择投诉事项所在的村（社区），或选择相关的申请").WithField("villageCode", "不关联申请时必填")
	errNotVillage     = model.ErrNotVillage
	errAnswerRequired = model.E(model.KindUnprocessable, "complaint.answer_required", "请填写答复内容").WithField("answer", "必填")
	errAnswerTooLong  = model.Invalid("complaint.answer_too_long", "答复内容请控制在1000字以内").WithField("answer", "最多1000字")
	errAnswered       = model.E(model.KindConflict, "complaint.answered", "该投诉已经答复")
	errCountyOnly     = model.ErrForbidden // 投诉由县级民政部门经办人或分管领导处理
	errNoComplaint    = model.ErrComplaintNotFound
)

func (s *Service) check(ctx context.Context, residentID uint64, field, text string) (string, error) {
	if s.content == nil || text == "" {
		return model.ContentPass, nil
	}
	return s.content.Check(ctx, residentID, field, text)
}

// RatingInput is a rating as the resident gives it.
type RatingInput struct {
	Stars   int    `json:"stars"`
	Comment string `json:"comment"`
}

// Rate records the one rating of a finished case, by its applicant or agent.
func (s *Service) Rate(ctx context.Context, residentID uint64, publicID string, in RatingInput) (*model.Rating, error) {
	if in.Stars < 1 || in.Stars > 5 {
		return nil, errStars
	}
	comment := strings.TrimSpace(in.Comment)
	if utf8.RuneCountInString(comment) > maxComment {
		return nil, errCommentTooLong
	}
	if err := model.CheckText("comment", comment); err != nil {
		return nil, err
	}
	f, err := s.st.LoadCaseFile(ctx, store.ResidentScope(residentID), publicID)
	if err != nil {
		return nil, err
	}
	c := &f.Case
	if c.ApplicantResidentID != residentID && (c.AgentResidentID == nil || *c.AgentResidentID != residentID) {
		return nil, errApplicantOnly
	}
	if !c.Status.Closed() {
		return nil, errNotFinished.WithField("status", string(c.Status))
	}
	if existing, err := s.st.RatingForCase(ctx, c.ID); err != nil {
		return nil, err
	} else if existing != nil {
		return nil, store.ErrRatingExists // before asking WeChat about the comment
	}
	flag, err := s.check(ctx, residentID, "comment", comment)
	if err != nil {
		return nil, err
	}
	now := s.now()
	r := &model.Rating{CaseID: c.ID, ResidentID: residentID, Stars: in.Stars, Comment: comment, ContentFlag: flag, CreatedAt: now}
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.InsertRating(ctx, r); err != nil {
			return err
		}
		return s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorResident, residentID, c.AreaCode, "case.rating", &c.ID, fmt.Sprintf("stars=%d", in.Stars), now))
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// CaseRating is the rating of a case the caller already reached through its scope (nil: none).
func (s *Service) CaseRating(ctx context.Context, caseID uint64) (*model.Rating, error) {
	return s.st.RatingForCase(ctx, caseID)
}

// ComplaintInput is a complaint as the resident files it: about one of their cases, or about
// a village's service when no case is named.
type ComplaintInput struct {
	CaseID      string `json:"caseId,omitempty"`
	VillageCode string `json:"villageCode,omitempty"`
	Text        string `json:"text"`
}

// ComplaintRecord is a complaint with its text decrypted and what its views show.
type ComplaintRecord struct {
	model.Complaint
	Text         string
	CasePublicID string
	VillageName  string
}

// File records a complaint and puts it on the county's worklist.
func (s *Service) File(ctx context.Context, residentID uint64, in ComplaintInput) (*ComplaintRecord, error) {
	text := strings.TrimSpace(in.Text)
	switch {
	case text == "":
		return nil, errTextRequired
	case utf8.RuneCountInString(text) > maxComplaintText:
		return nil, errTextTooLong
	}
	if err := model.CheckText("text", text); err != nil {
		return nil, err
	}
	now := s.now()
	cp := &model.Complaint{ResidentID: residentID, CreatedAt: now}
	rec := &ComplaintRecord{Text: text}
	if in.CaseID != "" {
		f, err := s.st.LoadCaseFile(ctx, store.ResidentScope(residentID), in.CaseID)
		if err != nil {
			return nil, err
		}
		id := f.Case.ID
		cp.CaseID, cp.VillageCode, cp.CountyCode = &id, f.Case.AreaCode, f.Case.CountyCode
		rec.CasePublicID = f.Case.PublicID
	} else {
		if strings.TrimSpace(in.VillageCode) == "" {
			return nil, errVillageMissing
		}
		code, err := model.ParseAreaCode(in.VillageCode)
		if err != nil {
			return nil, model.AsError(err).WithField("villageCode", "应为12位行政区划代码")
		}
		if code.Level() != model.LevelVillage {
			return nil, errNotVillage.WithField("villageCode", "应为村（社区）代码")
		}
		if _, err := s.st.GetArea(ctx, string(code)); err != nil {
			return nil, err
		}
		cp.VillageCode, cp.CountyCode = string(code), string(code.Ancestor(model.LevelCounty))
	}
	flag, err := s.check(ctx, residentID, "text", text)
	if err != nil {
		return nil, err
	}
	cp.ContentFlag = flag
	if cp.TextEnc, err = s.cipher.EncryptString(text); err != nil {
		return nil, err
	}
	if cp.PublicID, err = newPublicID(); err != nil {
		return nil, err
	}
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.InsertComplaint(ctx, cp); err != nil {
			return err
		}
		return s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorResident, residentID, cp.VillageCode, "complaint.file", cp.CaseID, "complaint="+cp.PublicID, now))
	})
	if err != nil {
		return nil, err
	}
	rec.Complaint = *cp
	rec.VillageName, err = s.st.AreaName(ctx, cp.VillageCode)
	return rec, err
}

// Mine lists the resident's own complaints with the answers, newest first; next is the cursor
// of the following page (0: last page).
func (s *Service) Mine(ctx context.Context, residentID uint64, before uint64, limit int) ([]ComplaintRecord, uint64, error) {
	rows, err := s.st.ResidentComplaints(ctx, residentID, before, limit+1)
	if err != nil {
		return nil, 0, err
	}
	var next uint64
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].ID
	}
	out, err := s.records(ctx, rows)
	return out, next, err
}

// CountyList is the county's complaint worklist: open complaints first, oldest first within
// each state. Only county officers and leaders read it (each read is audited: the texts are
// decrypted). answered filters when non-nil; next is nil on the last page.
func (s *Service) CountyList(ctx context.Context, st *model.Staff, answered *bool, after store.ComplaintKey, limit int) ([]ComplaintRecord, *store.ComplaintKey, error) {
	if !countyHandler(st) {
		return nil, nil, errCountyOnly
	}
	rows, err := s.st.CountyComplaints(ctx, st.AreaCode, answered, after, limit+1)
	if err != nil {
		return nil, nil, err
	}
	var next *store.ComplaintKey
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[limit-1]
		next = &store.ComplaintKey{Answered: last.Answered, ID: last.ID}
	}
	if err := s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, "complaint.list", nil, fmt.Sprintf("rows=%d", len(rows)), s.now())); err != nil {
		return nil, nil, err
	}
	out, err := s.records(ctx, rows)
	return out, next, err
}

// countyHandler: complaints are the county civil-affairs department's to answer.
func countyHandler(st *model.Staff) bool {
	return (st.Role == model.RoleCountyOfficer || st.Role == model.RoleCountyLeader) && st.Area().Level() == model.LevelCounty
}

// Answer records the county's answer (audited) and tells the resident through the outbox (an
// in-app message). A complaint of another county, or any complaint for someone who does not
// handle complaints, is complaint.not_found.
func (s *Service) Answer(ctx context.Context, st *model.Staff, publicID, answer string) (*ComplaintRecord, error) {
	if !countyHandler(st) {
		return nil, errNoComplaint
	}
	answer = strings.TrimSpace(answer)
	switch {
	case answer == "":
		return nil, errAnswerRequired
	case utf8.RuneCountInString(answer) > maxAnswer:
		return nil, errAnswerTooLong
	}
	if err := model.CheckText("answer", answer); err != nil {
		return nil, err
	}
	now := s.now()
	var cp *model.Complaint
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		var err error
		if cp, err = s.st.CountyComplaintForUpdate(ctx, st.AreaCode, publicID); err != nil {
			return err
		}
		if cp.Answered {
			return errAnswered
		}
		cp.Answered, cp.Answer, cp.AnsweredBy, cp.AnsweredAt = true, answer, st.ID, &now
		if err := s.st.SaveComplaintAnswer(ctx, cp); err != nil {
			return err
		}
		if err := s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, "complaint.answer", cp.CaseID, "complaint="+cp.PublicID, now)); err != nil {
			return err
		}
		var caseID uint64
		if cp.CaseID != nil {
			caseID = *cp.CaseID
		}
		return s.st.AddOutbox(ctx, &model.Outbox{CaseID: caseID, ResidentID: cp.ResidentID, TemplateKey: model.TemplateComplaintAnswer,
			Title: "投诉已答复", Body: fmt.Sprintf("您于%s提交的投诉已由县级民政部门答复，请在“我的投诉”中查看。", calendar.DateOf(cp.CreatedAt)),
			Payload: "{}", IdempotencyKey: "complaint-answer:" + cp.PublicID, Status: model.OutboxPending, NextAttemptAt: now, CreatedAt: now})
	})
	if err != nil {
		return nil, err
	}
	out, err := s.records(ctx, []model.Complaint{*cp})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// records decrypts texts and adds case links and village names (one query each).
func (s *Service) records(ctx context.Context, rows []model.Complaint) ([]ComplaintRecord, error) {
	out := make([]ComplaintRecord, 0, len(rows))
	var caseIDs []uint64
	var codes []string
	for _, r := range rows {
		if r.CaseID != nil {
			caseIDs = append(caseIDs, *r.CaseID)
		}
		codes = append(codes, r.VillageCode)
	}
	links, err := s.st.CasePublicIDs(ctx, caseIDs)
	if err != nil {
		return nil, err
	}
	names, err := s.st.AreaNames(ctx, codes)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		rec := ComplaintRecord{Complaint: r, VillageName: names[r.VillageCode]}
		if len(r.TextEnc) > 0 { // empty: cleared when the resident deleted the account
			if rec.Text, err = s.cipher.DecryptString(r.TextEnc); err != nil {
				return nil, fmt.Errorf("complaint %d: %w", r.ID, err)
			}
		}
		if r.CaseID != nil {
			rec.CasePublicID = links[*r.CaseID]
		}
		out = append(out, rec)
	}
	return out, nil
}

func newPublicID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)), nil
}
