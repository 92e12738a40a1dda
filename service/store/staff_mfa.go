package store

import (
	"context"
	"time"

	"palmaid/model"
)

// SetStaffTOTPPending stores a new, not yet confirmed TOTP secret (sealed) for an account whose
// second factor is not enabled; false when it is enabled.
func (s *PeopleRepo) SetStaffTOTPPending(ctx context.Context, id uint64, secretEnc []byte, now time.Time) (bool, error) {
	res := s.conn(ctx).Model(&model.Staff{}).Where("id = ? AND totp_enabled_at IS NULL", id).
		Updates(map[string]any{"totp_secret_enc": secretEnc, "totp_last_step": 0, "updated_at": now})
	return res.RowsAffected == 1, res.Error
}

// EnableStaffTOTP marks the pending secret confirmed at step and replaces the recovery codes
// with hashes, in one transaction; false when the second factor was already enabled.
func (s *PeopleRepo) EnableStaffTOTP(ctx context.Context, id uint64, step int64, hashes []string, now time.Time) (bool, error) {
	ok := false
	err := s.InTx(ctx, func(ctx context.Context) error {
		res := s.conn(ctx).Model(&model.Staff{}).Where("id = ? AND totp_enabled_at IS NULL AND totp_secret_enc IS NOT NULL", id).
			Updates(map[string]any{"totp_enabled_at": now, "totp_last_step": step, "updated_at": now})
		if res.Error != nil || res.RowsAffected != 1 {
			return res.Error
		}
		if err := s.conn(ctx).Where("staff_id = ?", id).Delete(&model.StaffRecoveryCode{}).Error; err != nil {
			return err
		}
		rows := make([]model.StaffRecoveryCode, len(hashes))
		for i, h := range hashes {
			rows[i] = model.StaffRecoveryCode{StaffID: id, CodeHash: h, CreatedAt: now}
		}
		ok = true
		return s.conn(ctx).Create(&rows).Error
	})
	return ok, err
}

// UseTOTPStep records step as the last accepted one, atomically and only forward: false when a
// code of this step or a later one was already used (a replay, or a race lost).
func (s *PeopleRepo) UseTOTPStep(ctx context.Context, id uint64, step int64) (bool, error) {
	res := s.conn(ctx).Model(&model.Staff{}).Where("id = ? AND totp_enabled_at IS NOT NULL AND totp_last_step < ?", id, step).
		Update("totp_last_step", step)
	return res.RowsAffected == 1, res.Error
}

// UseRecoveryCode spends an unused recovery code; false when there is none with that hash.
func (s *PeopleRepo) UseRecoveryCode(ctx context.Context, id uint64, hash string, now time.Time) (bool, error) {
	res := s.conn(ctx).Model(&model.StaffRecoveryCode{}).Where("staff_id = ? AND code_hash = ? AND used_at IS NULL", id, hash).
		Update("used_at", now)
	return res.RowsAffected == 1, res.Error
}

// RecoveryCodesLeft counts an account's unused recovery codes.
func (s *PeopleRepo) RecoveryCodesLeft(ctx context.Context, id uint64) (int64, error) {
	var n int64
	err := s.conn(ctx).Model(&model.StaffRecoveryCode{}).Where("staff_id = ? AND used_at IS NULL", id).Count(&n).Error
	return n, err
}

// DeleteRecoveryCodes removes an account's recovery codes (second factor reset).
func (s *PeopleRepo) DeleteRecoveryCodes(ctx context.Context, id uint64) error {
	return s.conn(ctx).Where("staff_id = ?", id).Delete(&model.StaffRecoveryCode{}).Error
}
