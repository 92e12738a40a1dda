package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"palmaid/model"
)

// Message centre, ratings, complaints and account erasure (migration 00012).

// UnreadMessages counts the resident's unread messages (idx_messages_unread).
func (s *DeliveryRepo) UnreadMessages(ctx context.Context, residentID uint64) (int64, error) {
	var n int64
	err := s.conn(ctx).Model(&model.Message{}).Where("resident_id = ? AND read_at IS NULL", residentID).Count(&n).Error
	return n, err
}

// MarkMessageRead marks one of the resident's messages read (a second call changes nothing).
// false: no such message of this resident.
func (s *DeliveryRepo) MarkMessageRead(ctx context.Context, residentID, id uint64, now time.Time) (bool, error) {
	res := s.conn(ctx).Model(&model.Message{}).Where("id = ? AND resident_id = ? AND read_at IS NULL", id, residentID).Update("read_at", now)
	if res.Error != nil || res.RowsAffected == 1 {
		return res.Error == nil, res.Error
	}
	var n int64
	err := s.conn(ctx).Model(&model.Message{}).Where("id = ? AND resident_id = ?", id, residentID).Count(&n).Error
	return n == 1, err
}

// MarkAllMessagesRead marks every unread message of the resident read and returns how many.
func (s *DeliveryRepo) MarkAllMessagesRead(ctx context.Context, residentID uint64, now time.Time) (int64, error) {
	res := s.conn(ctx).Model(&model.Message{}).Where("resident_id = ? AND read_at IS NULL", residentID).Update("read_at", now)
	return res.RowsAffected, res.Error
}

// CasePublicIDs maps case ids to public ids (one query; unknown ids are left out).
func (s *CaseFileRepo) CasePublicIDs(ctx context.Context, ids []uint64) (map[uint64]string, error) {
	out := map[uint64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID       uint64
		PublicID string
	}
	if err := s.conn(ctx).Model(&model.Case{}).Select("id, public_id").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.PublicID
	}
	return out, nil
}

// ErrRatingExists: the case was rated already (one rating per case, unique case_id).
var ErrRatingExists = model.E(model.KindConflict, "rating.exists", "该申请已经评价过了")

// InsertRating stores a case's rating; a second one is ErrRatingExists. The progress view shows
// the rating: the case version is bumped in the same transaction.
func (s *CaseFileRepo) InsertRating(ctx context.Context, r *model.Rating) error {
	err := s.InTx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		if err := db.Create(r).Error; err != nil {
			return err
		}
		_, err := s.bumpCases(ctx, func(q *gorm.DB) *gorm.DB { return q.Where("id = ?", r.CaseID) }, nil)
		return err
	})
	if err != nil && isDuplicate(err) {
		return ErrRatingExists
	}
	return err
}

// bumpCases adds one to the version of the cases where selects, and sets the columns in set
// (nil: none): a writer of case rows outside UpdateCaseFile supersedes the cached progress views
// of those cases (service/cases readcache), which the CaseWatch is told of. The cases are read
// and locked first, then written by id, so the ids told are exactly the rows changed. It returns
// how many changed.
func (s *CaseFileRepo) bumpCases(ctx context.Context, where func(*gorm.DB) *gorm.DB, set map[string]any) (int64, error) {
	ids, err := s.bumpCaseIDs(ctx, where, set)
	return int64(len(ids)), err
}

// bumpCaseIDs is bumpCases answering the ids of the cases it changed.
func (s *CaseFileRepo) bumpCaseIDs(ctx context.Context, where func(*gorm.DB) *gorm.DB, set map[string]any) ([]uint64, error) {
	var rows []struct {
		ID       uint64
		PublicID string
	}
	err := s.InTx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		if err := s.forUpdate(where(db.Model(&model.Case{}))).Select("id, public_id").Order("id").Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		ids, pubs := make([]uint64, len(rows)), make([]string, len(rows))
		for i, r := range rows {
			ids[i], pubs[i] = r.ID, r.PublicID
		}
		upd := map[string]any{"version": gorm.Expr("version + 1")}
		for k, v := range set {
			upd[k] = v
		}
		if err := db.Model(&model.Case{}).Where("id IN ?", ids).Updates(upd).Error; err != nil {
			return err
		}
		changed(ctx, pubs...)
		return nil
	})
	ids := make([]uint64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids, err
}

// RatingForCase returns the case's rating, nil when it has none (the case comes from a
// scoped lookup).
func (s *CaseFileRepo) RatingForCase(ctx context.Context, caseID uint64) (*model.Rating, error) {
	var r model.Rating
	err := s.conn(ctx).Where("case_id = ?", caseID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	return &r, err
}

// RatingsByResident lists the ratings the resident gave, oldest first.
func (s *CaseFileRepo) RatingsByResident(ctx context.Context, residentID uint64) ([]model.Rating, error) {
	var out []model.Rating
	return out, s.conn(ctx).Where("resident_id = ?", residentID).Order("id").Find(&out).Error
}

// CasesOfResident lists every case in the resident's scope (applicant, agent or
// beneficiary), oldest first: a resident has a handful.
func (s *CaseFileRepo) CasesOfResident(ctx context.Context, residentID uint64) ([]model.Case, error) {
	var out []model.Case
	return out, ResidentScope(residentID).apply(s.conn(ctx).Model(&model.Case{})).Order("id").Find(&out).Error
}

// InsertComplaint stores a complaint.
func (s *CaseFileRepo) InsertComplaint(ctx context.Context, c *model.Complaint) error {
	return s.conn(ctx).Create(c).Error
}

var errComplaintNotFound = model.ErrComplaintNotFound

// ComplaintKey is the keyset position in a county's worklist: open complaints first, then
// answered ones, oldest first within each.
type ComplaintKey struct {
	Answered bool
	ID       uint64
}

// CountyComplaints lists a county's complaints after key (zero key: from the start), served
// by idx_complaints_county. answered filters when non-nil.
func (s *CaseFileRepo) CountyComplaints(ctx context.Context, county string, answered *bool, after ComplaintKey, limit int) ([]model.Complaint, error) {
	var out []model.Complaint
	return out, countyComplaints(s.conn(ctx), county, answered, after, limit).Find(&out).Error
}

func countyComplaints(q *gorm.DB, county string, answered *bool, after ComplaintKey, limit int) *gorm.DB {
	q = q.Where("county_code = ?", county)
	if answered != nil {
		q = q.Where("answered = ?", *answered)
	}
	if after.ID > 0 {
		q = q.Where("(answered > ? OR (answered = ? AND id > ?))", after.Answered, after.Answered, after.ID)
	}
	return q.Order("answered, id").Limit(limit)
}

// ResidentComplaints lists the resident's own complaints, newest first.
func (s *CaseFileRepo) ResidentComplaints(ctx context.Context, residentID uint64, before uint64, limit int) ([]model.Complaint, error) {
	q := s.conn(ctx).Where("resident_id = ?", residentID)
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	var out []model.Complaint
	return out, q.Order("id DESC").Limit(limit).Find(&out).Error
}

// CountyComplaintForUpdate loads a complaint of the county, locked for the answer (MySQL).
// Another county's complaint is complaint.not_found, like one that does not exist.
func (s *CaseFileRepo) CountyComplaintForUpdate(ctx context.Context, county, publicID string) (*model.Complaint, error) {
	var c model.Complaint
	err := s.forUpdate(s.conn(ctx)).Where("public_id = ? AND county_code = ?", publicID, county).Take(&c).Error
	return &c, notFound(err, errComplaintNotFound)
}

// SaveComplaintAnswer writes the county's answer.
func (s *CaseFileRepo) SaveComplaintAnswer(ctx context.Context, c *model.Complaint) error {
	return s.conn(ctx).Model(c).Select("answered", "answer", "answered_by_staff_id", "answered_at").Updates(c).Error
}

// AddOutbox queues a notification that belongs to no case change (a complaint's answer).
func (s *DeliveryRepo) AddOutbox(ctx context.Context, o *model.Outbox) error {
	return s.conn(ctx).Create(o).Error
}

// AreaName is the name of an area (empty when unknown).
func (s *ReferenceRepo) AreaName(ctx context.Context, code string) (string, error) {
	names, err := s.AreaNames(ctx, []string{code})
	return names[code], err
}

// EraseResident deletes a resident's account in one transaction: the identifiers are cleared
// (name, ID number and phone ciphertexts, masks and blind indexes; unionid), the openid is
// replaced by tombstone so the WeChat user starts afresh at the next login, and the resident's
// messages, subscribe quotas, idempotency keys, pending notifications and unsubmitted drafts
// are deleted; rating comments and complaint texts are cleared. Case records stay (they point
// at the tombstone).
func (s *PeopleRepo) EraseResident(ctx context.Context, residentID uint64, tombstone string, now time.Time) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		res := db.Model(&model.Resident{}).Where("id = ? AND erased_at IS NULL", residentID).Updates(map[string]any{
			"open_id": tombstone, "union_id": nil, "real_name": "", "id_enc": nil, "id_bidx": nil, "id_masked": "",
			"phone_enc": nil, "phone_bidx": nil, "phone_masked": "", "identity_verified_at": nil, "identity_method": "", "verified_bidx": nil, "identity_verified_by": nil, "desk_code_hash": nil, "erased_at": now, "updated_at": now,
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errResidentNotFound
		}
		for _, m := range []any{&model.Message{}, &model.SubscribeQuota{}, &model.IdempotencyRecord{}} {
			if err := db.Where("resident_id = ?", residentID).Delete(m).Error; err != nil {
				return err
			}
		}
		if err := db.Where("resident_id = ? AND status = ?", residentID, model.OutboxPending).Delete(&model.Outbox{}).Error; err != nil {
			return err
		}
		if err := db.Model(&model.Rating{}).Where("resident_id = ?", residentID).Update("comment", "").Error; err != nil {
			return err
		}
		if err := db.Model(&model.Complaint{}).Where("resident_id = ?", residentID).Update("text_enc", []byte{}).Error; err != nil {
			return err
		}
		// The cases the resident is in show their rating comment (cleared above): superseded.
		if _, err := s.caseFiles().bumpCases(ctx, ResidentScope(residentID).apply, nil); err != nil {
			return err
		}
		return s.caseFiles().deleteDrafts(ctx, residentID)
	})
}

// draftChildren are the tables holding a case's rows, children before parents (foreign keys).
// A draft has few of them; all are cleared so nothing of it is left behind.
var draftChildren = []string{"staff_reminders", "case_objections", "case_notices", "case_opinions", "case_visits", "case_data_checks",
	"documents", "checklist_items", "decisions", "case_deadlines", "case_events", "case_categories", "case_consents", "case_facts", "open_claims"}

// deleteDrafts deletes the drafts the resident started (as applicant or agent): never
// submitted, they are no record of the administration, only the resident's own notes about the
// household (its members' ID numbers among them).
func (s *CaseFileRepo) deleteDrafts(ctx context.Context, residentID uint64) error {
	db := s.conn(ctx)
	var drafts []model.Case
	if err := db.Where("status = ? AND (applicant_resident_id = ? OR agent_resident_id = ?)", model.StatusDraft, residentID, residentID).
		Find(&drafts).Error; err != nil {
		return err
	}
	for _, c := range drafts {
		for _, table := range draftChildren {
			if err := db.Exec("DELETE FROM "+table+" WHERE case_id = ?", c.ID).Error; err != nil {
				return fmt.Errorf("delete draft %d from %s: %w", c.ID, table, err)
			}
		}
		if err := db.Exec("DELETE FROM cases WHERE id = ?", c.ID).Error; err != nil {
			return err
		}
		var others int64
		if err := db.Model(&model.Case{}).Where("household_id = ?", c.HouseholdID).Count(&others).Error; err != nil {
			return err
		}
		if others > 0 {
			continue // the household is shared with another case: it stays
		}
		for _, table := range []string{"income_items", "asset_items", "legal_supporters", "household_members"} {
			if err := db.Exec("DELETE FROM "+table+" WHERE household_id = ?", c.HouseholdID).Error; err != nil {
				return fmt.Errorf("delete draft household %d from %s: %w", c.HouseholdID, table, err)
			}
		}
		if err := db.Exec("DELETE FROM households WHERE id = ?", c.HouseholdID).Error; err != nil {
			return err
		}
	}
	return nil
}

// DraftFree reports whether a case stays out of the deletion refusal: a draft the resident
// started is deleted with the account (deleteDrafts).
func DraftFree(c *model.Case, residentID uint64) bool {
	return c.Status == model.StatusDraft && (c.ApplicantResidentID == residentID || c.AgentResidentID != nil && *c.AgentResidentID == residentID)
}
