// Package staffadmin is the administrators' account management: list, create, disable,
// change role and reset the password of staff accounts inside the administrator's own area.
// Every change is audited in the same transaction; an account outside the area is answered as
// not found, like a case outside it.
package staffadmin

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"palmaid/model"
	"palmaid/service/auth"
	"palmaid/service/reqmeta"
	"palmaid/service/store"
)

// Audit actions.
const (
	ActionCreate        = "staff.create"
	ActionDisable       = "staff.disable"
	ActionRole          = "staff.role"
	ActionResetPassword = "staff.reset_password"
	// ActionResetSecondFactor: an administrator removed an account's second factor.
	ActionResetSecondFactor = "staff.reset_second_factor"
	// ActionOfficePhone: an administrator set the office phone residents see (首问负责).
	ActionOfficePhone = "staff.office_phone"
)

var (
	errSelf      = model.E(model.KindConflict, "staff.self", "不能停用或变更本人账号，请由其他管理员操作")
	errBadRole   = model.Invalid("staff.invalid_role", "岗位不正确")
	errBadArea   = model.Invalid("staff.invalid_area", "所属区划不正确，或不在本人管辖范围内")
	errRoleLevel = model.Invalid("staff.role_area_mismatch", "岗位与所属区划的层级不符")
	errBadName   = model.Invalid("staff.invalid_display_name", "姓名为1至64个字符")
	errDisabled  = model.E(model.KindConflict, "staff.disabled", "该账号已停用")
	errBadPhone  = model.Invalid("staff.invalid_office_phone", "办公电话为5至20位数字，可含区号连字符“-”")
)

// Service is the use case. Build it once.
type Service struct {
	st  Store
	now func() time.Time
}

// New builds the service.
func New(st Store, now func() time.Time) *Service { return &Service{st: st, now: now} }

// List returns every account (active or disabled) attached to the admin's area or below.
func (s *Service) List(ctx context.Context, admin *model.Staff) ([]model.Staff, error) {
	if !admin.Can(model.PermStaffAdmin) {
		return nil, model.ErrForbidden
	}
	return s.st.StaffInArea(ctx, admin.Area())
}

// NewStaff is a create request.
type NewStaff struct {
	Username        string
	DisplayName     string
	Role            model.Role
	AreaCode        string
	InitialPassword string
	OfficePhone     string // optional
}

// Create adds an account; its holder must change the initial password at first login.
func (s *Service) Create(ctx context.Context, admin *model.Staff, in NewStaff) (*model.Staff, error) {
	if !admin.Can(model.PermStaffAdmin) {
		return nil, model.ErrForbidden
	}
	name, err := model.NormalizeUsername(in.Username)
	if err != nil {
		return nil, model.AsError(err).WithField("username", "3至32位小写字母、数字、点、下划线或连字符")
	}
	display := strings.TrimSpace(in.DisplayName)
	if n := utf8.RuneCountInString(display); n < 1 || n > 64 {
		return nil, errBadName.WithField("displayName", "1至64个字符")
	}
	if err := model.CheckText("displayName", display); err != nil {
		return nil, err
	}
	phone, err := officePhone(in.OfficePhone)
	if err != nil {
		return nil, err
	}
	area, err := model.ParseAreaCode(in.AreaCode)
	if err != nil || !admin.Area().Contains(area) {
		return nil, errBadArea.WithField("areaCode", "本人管辖范围内的12位区划代码")
	}
	if err := roleFits(in.Role, area); err != nil {
		return nil, err
	}
	if err := auth.CheckPasswordRule(in.InitialPassword); err != nil {
		return nil, model.AsError(err).WithField("initialPassword", "10至128位，含字母和数字")
	}
	hash, err := auth.HashPassword(in.InitialPassword)
	if err != nil {
		return nil, err
	}
	now := s.now()
	st := &model.Staff{Username: name, PasswordHash: hash, DisplayName: display, OfficePhone: phone, Role: in.Role, AreaCode: string(area),
		Active: true, MustChangePassword: true, SessionVersion: 1, CreatedAt: now, UpdatedAt: now}
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.CreateStaff(ctx, st); err != nil {
			return err
		}
		return s.audit(ctx, admin, ActionCreate, st, fmt.Sprintf("username=%s role=%s area=%s", name, in.Role, area))
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// Disable stops an account at once: every session it holds stops working.
func (s *Service) Disable(ctx context.Context, admin *model.Staff, id uint64) (*model.Staff, error) {
	return s.change(ctx, admin, id, ActionDisable, func(t *model.Staff) (map[string]any, string, error) {
		if !t.Active {
			return nil, "", errDisabled
		}
		t.Active, t.SessionVersion = false, t.SessionVersion+1
		return map[string]any{"active": false, "session_version": t.SessionVersion}, "", nil
	})
}

// SetRole changes an account's role (which must fit its area's level).
func (s *Service) SetRole(ctx context.Context, admin *model.Staff, id uint64, role model.Role) (*model.Staff, error) {
	return s.change(ctx, admin, id, ActionRole, func(t *model.Staff) (map[string]any, string, error) {
		if err := roleFits(role, t.Area()); err != nil {
			return nil, "", err
		}
		detail := fmt.Sprintf("from=%s to=%s", t.Role, role)
		t.Role = role
		return map[string]any{"role": role}, detail, nil
	})
}

// SetOfficePhone sets (or, with "", clears) the office phone the residents of the account's
// cases see beside its name as the officer responsible (首问负责).
func (s *Service) SetOfficePhone(ctx context.Context, admin *model.Staff, id uint64, phone string) (*model.Staff, error) {
	p, err := officePhone(phone)
	if err != nil {
		return nil, err
	}
	return s.change(ctx, admin, id, ActionOfficePhone, func(t *model.Staff) (map[string]any, string, error) {
		detail := fmt.Sprintf("from=%q to=%q", t.OfficePhone, p)
		t.OfficePhone = p
		return map[string]any{"office_phone": p}, detail, nil
	})
}

// officePhone checks an office phone: empty, or 5 to 20 characters of digits with at most
// three '-' (区号-号码-分机), starting and ending with a digit.
func officePhone(in string) (string, error) {
	p := strings.TrimSpace(in)
	if p == "" {
		return "", nil
	}
	bad := len(p) < 5 || len(p) > 20 || strings.Count(p, "-") > 3 || p[0] == '-' || p[len(p)-1] == '-' || strings.Contains(p, "--")
	for _, r := range p {
		bad = bad || (r != '-' && (r < '0' || r > '9'))
	}
	if bad {
		return "", errBadPhone.WithField("officePhone", "如 0571-88888888")
	}
	return p, nil
}

// ResetPassword sets a new initial password: the holder's sessions end and the next login
// may only change it.
func (s *Service) ResetPassword(ctx context.Context, admin *model.Staff, id uint64, password string) (*model.Staff, error) {
	if err := auth.CheckPasswordRule(password); err != nil {
		return nil, model.AsError(err).WithField("password", "10至128位，含字母和数字")
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return nil, err
	}
	return s.change(ctx, admin, id, ActionResetPassword, func(t *model.Staff) (map[string]any, string, error) {
		t.MustChangePassword, t.SessionVersion = true, t.SessionVersion+1
		return map[string]any{"password_hash": hash, "must_change_password": true, "session_version": t.SessionVersion}, "", nil
	})
}

// ResetSecondFactor removes an account's second factor (lost phone): secret, recovery codes
// and every session go; the holder enrols again at the next login. Audited.
func (s *Service) ResetSecondFactor(ctx context.Context, admin *model.Staff, id uint64) (*model.Staff, error) {
	out, err := s.change(ctx, admin, id, ActionResetSecondFactor, func(t *model.Staff) (map[string]any, string, error) {
		t.TOTPSecretEnc, t.TOTPEnabledAt, t.TOTPLastStep, t.SessionVersion = nil, nil, 0, t.SessionVersion+1
		return map[string]any{"totp_secret_enc": nil, "totp_enabled_at": nil, "totp_last_step": 0, "session_version": t.SessionVersion}, "", nil
	})
	if err != nil {
		return nil, err
	}
	// Outside the transaction: codes of an account without a second factor open nothing, and
	// a new enrolment replaces them anyway.
	return out, s.st.DeleteRecoveryCodes(ctx, id)
}

// change loads the target inside the admin's area (else 404), applies fn and audits, in one
// transaction with the target row locked.
func (s *Service) change(ctx context.Context, admin *model.Staff, id uint64, action string,
	fn func(t *model.Staff) (map[string]any, string, error)) (*model.Staff, error) {
	if !admin.Can(model.PermStaffAdmin) {
		return nil, model.ErrForbidden
	}
	var out *model.Staff
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		t, err := s.st.StaffByIDAny(ctx, id)
		if err != nil {
			return err
		}
		if !admin.Area().Contains(t.Area()) {
			return store.ErrStaffNotFound
		}
		if t.ID == admin.ID {
			return errSelf
		}
		upd, detail, err := fn(t)
		if err != nil {
			return err
		}
		t.UpdatedAt = s.now()
		upd["updated_at"] = t.UpdatedAt
		if err := s.st.UpdateStaffAdmin(ctx, t.ID, upd); err != nil {
			return err
		}
		out = t
		return s.audit(ctx, admin, action, t, detail)
	})
	return out, err
}

func (s *Service) audit(ctx context.Context, admin *model.Staff, action string, target *model.Staff, detail string) error {
	d := fmt.Sprintf("target_staff_id=%d", target.ID)
	if detail != "" {
		d += " " + detail
	}
	return s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorStaff, admin.ID, admin.AreaCode, action, nil, d, s.now()))
}

// roleFits checks a role against the level of the area it is attached to: village, town and
// county roles at their own level; administrators and auditors at county level or above.
func roleFits(role model.Role, area model.AreaCode) error {
	if !role.Valid() {
		return errBadRole.WithField("role", "未知岗位")
	}
	if lvl := role.Level(); lvl != 0 {
		if area.Level() != lvl {
			return errRoleLevel.WithField("role", "岗位与区划层级不符")
		}
		return nil
	}
	if area.Level() > model.LevelCounty {
		return errRoleLevel.WithField("role", "须挂在县级及以上区划")
	}
	return nil
}
