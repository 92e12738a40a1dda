package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"palmaid/model"
)

// ErrStaffNotFound is an account outside the caller's area, or none at all.
var ErrStaffNotFound = model.E(model.KindNotFound, "staff.not_found", "账号不存在")

// ErrUsernameTaken refuses a second account with the same (normalised) username.
var ErrUsernameTaken = model.E(model.KindConflict, "staff.username_taken", "该用户名已被使用")

// SetStaffPassword stores a new hash. mustChange marks it as set by an administrator;
// revoke increments the session version, so every session issued before stops working.
func (s *PeopleRepo) SetStaffPassword(ctx context.Context, id uint64, hash string, mustChange, revoke bool, now time.Time) error {
	upd := map[string]any{"password_hash": hash, "must_change_password": mustChange, "updated_at": now}
	if revoke {
		upd["session_version"] = gorm.Expr("session_version + 1")
	}
	res := s.conn(ctx).Model(&model.Staff{}).Where("id = ?", id).Updates(upd)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrStaffNotFound
	}
	return nil
}

// StaffInArea lists the accounts (active or not) attached to area or below it, by username.
func (s *PeopleRepo) StaffInArea(ctx context.Context, area model.AreaCode) ([]model.Staff, error) {
	var out []model.Staff
	err := s.conn(ctx).Where("area_code LIKE ?", area.Prefix()+"%").Order("username").Find(&out).Error
	return out, err
}

// StaffByIDAny loads an account by id whether active or not (administration).
func (s *PeopleRepo) StaffByIDAny(ctx context.Context, id uint64) (*model.Staff, error) {
	var st model.Staff
	if err := s.forUpdate(s.conn(ctx)).Take(&st, id).Error; err != nil {
		return nil, notFound(err, ErrStaffNotFound)
	}
	return &st, nil
}

// CreateStaff inserts a new account; a taken username is ErrUsernameTaken.
func (s *PeopleRepo) CreateStaff(ctx context.Context, st *model.Staff) error {
	if err := s.conn(ctx).Create(st).Error; err != nil {
		if isDuplicate(err) {
			return ErrUsernameTaken
		}
		return err
	}
	return nil
}

// UpdateStaffAdmin changes an account's role or active flag; disabling also revokes its sessions.
func (s *PeopleRepo) UpdateStaffAdmin(ctx context.Context, id uint64, upd map[string]any) error {
	return s.conn(ctx).Model(&model.Staff{}).Where("id = ?", id).Updates(upd).Error
}

// StaffInArea loads active staff accounts by id (for investigators); unknown ids are absent.
func (s *PeopleRepo) StaffByIDs(ctx context.Context, ids []uint64) (map[uint64]*model.Staff, error) {
	out := map[uint64]*model.Staff{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []model.Staff
	if err := s.conn(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, err
	}
	for i := range rows {
		out[rows[i].ID] = &rows[i]
	}
	return out, nil
}

// StaffByUsernames loads staff accounts by username, keyed by the lower-cased username.
func (s *PeopleRepo) StaffByUsernames(ctx context.Context, names []string) (map[string]*model.Staff, error) {
	out := map[string]*model.Staff{}
	if len(names) == 0 {
		return out, nil
	}
	keys := make([]string, len(names))
	for i, n := range names {
		keys[i] = strings.ToLower(strings.TrimSpace(n))
	}
	var rows []model.Staff
	if err := s.conn(ctx).Where("username IN ?", keys).Find(&rows).Error; err != nil {
		return nil, err
	}
	for i := range rows {
		out[strings.ToLower(rows[i].Username)] = &rows[i]
	}
	return out, nil
}
