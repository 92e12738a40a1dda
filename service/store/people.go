package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"palmaid/model"
)

var errResidentNotFound = model.E(model.KindNotFound, "resident.not_found", "用户不存在")

// UpsertResident finds the resident by (appid, openid) or creates one; unionid is updated
// when WeChat starts sending it. The insert is atomic (INSERT … ON CONFLICT DO NOTHING on the
// unique key, then read): concurrent first logins of one user all get the same row.
func (s *PeopleRepo) UpsertResident(ctx context.Context, appID, openID, unionID string, now time.Time) (*model.Resident, error) {
	db := s.conn(ctx)
	fresh := model.Resident{AppID: appID, OpenID: openID, CreatedAt: now, UpdatedAt: now}
	if unionID != "" {
		fresh.UnionID = &unionID
	}
	if err := db.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "app_id"}, {Name: "open_id"}}, DoNothing: true}).
		Create(&fresh).Error; err != nil {
		return nil, err
	}
	var r model.Resident
	if err := s.conn(ctx).Where("app_id = ? AND open_id = ?", appID, openID).Take(&r).Error; err != nil {
		return nil, err
	}
	if unionID != "" && (r.UnionID == nil || *r.UnionID != unionID) {
		r.UnionID = &unionID
		if err := s.conn(ctx).Model(&r).Updates(map[string]any{"union_id": unionID, "updated_at": now}).Error; err != nil {
			return nil, err
		}
	}
	return &r, nil
}

// GetResident loads a resident by id.
func (s *PeopleRepo) GetResident(ctx context.Context, id uint64) (*model.Resident, error) {
	var r model.Resident
	if err := s.conn(ctx).Take(&r, id).Error; err != nil {
		return nil, notFound(err, errResidentNotFound)
	}
	return &r, nil
}

// ErrIDNumberTaken: another resident holds this ID number (unique blind index).
var ErrIDNumberTaken = model.E(model.KindConflict, "identity.already_bound", "该身份证号已被其他微信账号登记，如有疑问请联系乡镇（街道）经办窗口")

// SaveResidentIdentity stores the encrypted identity fields and the assurance (VerifiedBidx is
// set from IDBidx when the identity is verified or desk-verified, cleared otherwise). The unique
// index on verified_bidx decides concurrent assured claims of one number: the loser gets
// ErrIDNumberTaken. Unverified claims of one number coexist (they reserve nothing).
func (s *PeopleRepo) SaveResidentIdentity(ctx context.Context, r *model.Resident) error {
	r.VerifiedBidx = nil
	if r.IdentityMethod != "" && r.IDBidx != nil {
		b := *r.IDBidx
		r.VerifiedBidx = &b
	}
	if r.IdentityMethod != model.IdentityMethodDesk {
		r.IdentityVerifiedBy = nil
	}
	err := s.conn(ctx).Model(r).Select("real_name", "id_enc", "id_bidx", "id_masked", "identity_verified_at", "identity_method",
		"verified_bidx", "identity_verified_by", "desk_code_hash", "desk_code_expires_at", "updated_at").Updates(r).Error
	if err != nil && isDuplicate(err) {
		return ErrIDNumberTaken
	}
	return err
}

// ClearResidentIdentity removes a resident's identity (a verified claim took the number).
func (s *PeopleRepo) ClearResidentIdentity(ctx context.Context, residentID uint64, now time.Time) error {
	return s.conn(ctx).Model(&model.Resident{}).Where("id = ?", residentID).Updates(map[string]any{
		"real_name": "", "id_enc": nil, "id_bidx": nil, "id_masked": "", "identity_verified_at": nil, "identity_method": "",
		"verified_bidx": nil, "identity_verified_by": nil, "updated_at": now,
	}).Error
}

// UnverifiedClaims lists the residents other than except who claim the ID number bidx without
// an assured identity (they lose it when someone verifies the number).
func (s *PeopleRepo) UnverifiedClaims(ctx context.Context, bidx string, except uint64) ([]model.Resident, error) {
	var out []model.Resident
	err := s.conn(ctx).Where("id_bidx = ? AND verified_bidx IS NULL AND id <> ?", bidx, except).Order("id").Find(&out).Error
	return out, err
}

// UnlinkBeneficiary ends the resident's place as beneficiary of every case whose beneficiary is
// not the number keep (the resident's identity changed or lost its assurance; keep "" unlinks
// all) and that they did not file themselves, and returns how many (versions bumped).
func (s *PeopleRepo) UnlinkBeneficiary(ctx context.Context, residentID uint64, keep string) (int64, error) {
	return s.caseFiles().bumpCases(ctx, func(q *gorm.DB) *gorm.DB {
		return q.Where("beneficiary_resident_id = ? AND applicant_resident_id <> ? AND beneficiary_id_bidx <> ?", residentID, residentID, keep)
	}, map[string]any{"beneficiary_resident_id": nil})
}

// SetDeskCode records the hash of a resident's desk-verification code until expires.
func (s *PeopleRepo) SetDeskCode(ctx context.Context, residentID uint64, hash string, expires, now time.Time) error {
	return s.conn(ctx).Model(&model.Resident{}).Where("id = ? AND erased_at IS NULL", residentID).
		Updates(map[string]any{"desk_code_hash": hash, "desk_code_expires_at": expires, "updated_at": now}).Error
}

// ResidentByDeskCode finds the resident whose unexpired desk-verification code has the hash
// (nil when none, or when two live codes collide: the resident asks for a new one).
func (s *PeopleRepo) ResidentByDeskCode(ctx context.Context, hash string, now time.Time) (*model.Resident, error) {
	var rows []model.Resident
	if err := s.conn(ctx).Where("desk_code_hash = ? AND desk_code_expires_at > ? AND erased_at IS NULL", hash, now).Limit(2).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) != 1 {
		return nil, nil
	}
	return &rows[0], nil
}

// relinkBeneficiary moves the cases whose beneficiary is the number bidx from the resident who
// held it to the one who verified it, and returns how many moved (their versions bumped). No
// use case relinks yet (a verified claim on a number will): only the case-watch test calls it.
func (s *PeopleRepo) relinkBeneficiary(ctx context.Context, from, to uint64, bidx string) (int64, error) {
	return s.caseFiles().bumpCases(ctx, func(q *gorm.DB) *gorm.DB {
		return q.Where("beneficiary_id_bidx = ? AND beneficiary_resident_id = ?", bidx, from)
	}, map[string]any{"beneficiary_resident_id": to})
}

// SaveResidentPhone stores the encrypted phone fields.
func (s *PeopleRepo) SaveResidentPhone(ctx context.Context, r *model.Resident) error {
	return s.conn(ctx).Model(r).Select("phone_enc", "phone_bidx", "phone_masked", "updated_at").Updates(r).Error
}

// StaffByUsername loads an active staff account.
func (s *PeopleRepo) StaffByUsername(ctx context.Context, username string) (*model.Staff, error) {
	var st model.Staff
	err := s.conn(ctx).Where("username = ? AND active = ?", username, true).Take(&st).Error
	if err != nil {
		return nil, notFound(err, model.ErrUnauthenticated)
	}
	return &st, nil
}

// GetStaff loads an active staff account by id.
func (s *PeopleRepo) GetStaff(ctx context.Context, id uint64) (*model.Staff, error) {
	var st model.Staff
	if err := s.conn(ctx).Where("id = ? AND active = ?", id, true).Take(&st).Error; err != nil {
		return nil, notFound(err, model.ErrUnauthenticated)
	}
	return &st, nil
}

// UpsertStaff creates or updates an account by username (seed and administration).
func (s *PeopleRepo) UpsertStaff(ctx context.Context, st *model.Staff) error {
	return s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "username"}},
		DoUpdates: clause.AssignmentColumns([]string{"password_hash", "display_name", "role", "area_code", "active", "updated_at"}),
	}).Create(st).Error
}

// Audit appends one audit record.
func (s *AuditRepo) Audit(ctx context.Context, a *model.AuditLog) error {
	return s.conn(ctx).Create(a).Error
}

// ResidentByVerifiedID finds the resident whose verified or desk-verified identity is the ID
// number with blind index bidx (nil when none: an unverified claim is never found here).
func (s *PeopleRepo) ResidentByVerifiedID(ctx context.Context, bidx string) (*model.Resident, error) {
	var r model.Resident
	err := s.conn(ctx).Where("verified_bidx = ?", bidx).Take(&r).Error
	if err == gorm.ErrRecordNotFound {
		return nil, nil
	}
	return &r, err
}

// Household loads one household (the case must come from a scoped lookup).
func (s *CaseFileRepo) Household(ctx context.Context, id uint64) (*model.Household, error) {
	var h model.Household
	return &h, s.conn(ctx).Take(&h, id).Error
}

// CountStaffWithRole counts the accounts (active or not) that have role.
func (s *PeopleRepo) CountStaffWithRole(ctx context.Context, role model.Role) (int64, error) {
	var n int64
	err := s.conn(ctx).Model(&model.Staff{}).Where("role = ?", role).Count(&n).Error
	return n, err
}

// StaffUsernameTaken reports whether an account (active or not) has username.
func (s *PeopleRepo) StaffUsernameTaken(ctx context.Context, username string) (bool, error) {
	var n int64
	err := s.conn(ctx).Model(&model.Staff{}).Where("username = ?", username).Count(&n).Error
	return n > 0, err
}
