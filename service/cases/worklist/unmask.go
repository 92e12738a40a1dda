package worklist

import (
	"context"
	"fmt"
	"palmaid/model"
	"palmaid/service/cases"
	"palmaid/service/store"
	"unicode/utf8"
)

// UnmaskField names what a staff member may read in clear.
type UnmaskField string

const (
	UnmaskPhone    UnmaskField = "phone"
	UnmaskIDNumber UnmaskField = "idNumber"
)

// unmaskReasonMin is the shortest reason an unmask takes (characters): enough for "电话核实身份"
// or "核对户籍信息", not a token "看看" (issue 19).
const unmaskReasonMin = 5

var errUnmaskReason = model.E(model.KindUnprocessable, "unmask.reason_too_short", "请写明查看完整号码的事由（至少5个字），例如“电话核实申请人身份”").
	WithField("reason", "至少5个字")

// Unmask returns one personal datum in clear, with a stated reason; the read is audited in
// the same transaction as nothing else: if the audit row cannot be written, nothing is shown.
func (s *Service) Unmask(ctx context.Context, st *model.Staff, publicID string, field UnmaskField, position int, reason string) (string, error) {
	if !st.Can(model.PermCaseUnmask) {
		return "", cases.ErrRoleForbidden
	}
	reason, err := cases.Text("reason", reason, 200, true)
	if err != nil {
		return "", err
	}
	if utf8.RuneCountInString(reason) < unmaskReasonMin {
		return "", errUnmaskReason
	}
	f, err := s.st.LoadCaseFile(ctx, store.StaffScope(st), publicID)
	if err != nil {
		return "", err
	}
	var value string
	switch field {
	case UnmaskPhone:
		r, err := s.st.GetResident(ctx, f.Case.ApplicantResidentID)
		if err != nil {
			return "", err
		}
		if len(r.PhoneEnc) == 0 {
			return "", model.E(model.KindNotFound, "case.phone_missing", "申请人未绑定手机号")
		}
		if value, err = s.cipher.DecryptString(r.PhoneEnc); err != nil {
			return "", err
		}
	case UnmaskIDNumber:
		found := false
		for _, m := range f.Members {
			if m.Position == position {
				if value, err = s.cipher.DecryptString(m.IDEnc); err != nil {
					return "", err
				}
				found = true
			}
		}
		if !found {
			return "", cases.ErrUnmaskField.WithField("memberPosition", "没有这位家庭成员")
		}
	default:
		return "", cases.ErrUnmaskField.WithField("field", "phone 或 idNumber")
	}
	id := f.Case.ID
	if err := s.k.AuditOutside(ctx, st, "case.unmask", &id, fmt.Sprintf("field=%s position=%d reason=%s", field, position, reason)); err != nil {
		return "", err
	}
	return value, nil
}
