// Package auditlog is the auditor's use case: read the audit log of one's area (filters,
// keyset pages, newest first) and verify the audit hash chain. Audit rows never hold personal
// data in clear (model.AuditLog), so what is shown is already masked; every read and every
// verification is itself audited.
package auditlog

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"palmaid/model"
	"palmaid/service/reqmeta"
	"palmaid/service/store"
)

// Audit actions of this package.
const (
	ActionRead   = "audit.read"
	ActionVerify = "audit.verify"
)

// Errors of this package.
var (
	ErrInvalidDate  = model.Invalid("audit.invalid_date", "日期应为 YYYY-MM-DD")
	ErrInvalidRange = model.Invalid("audit.invalid_range", "开始日期不能晚于结束日期")
)

// Service reads and verifies the audit log. Build it once.
type Service struct {
	st      Store
	anchors Anchors // nil: off
	now     func() time.Time
}

// New builds the service; anchors (nil: off) is where the chain's head is anchored.
func New(st Store, anchors Anchors, now func() time.Time) *Service {
	return &Service{st: st, anchors: anchors, now: now}
}

// WriteAnchor anchors the chain's current head (the scheduled audit-anchor job).
func (s *Service) WriteAnchor(ctx context.Context) (*Anchor, error) {
	return WriteAnchor(ctx, s.st, s.anchors, s.now())
}

// Query filters the audit log; zero values do not filter.
type Query struct {
	Actor  string // a staff username
	Action string // exact ("case.view"), or a family ending in "." ("case.")
	Case   string // a case's public id, inside the reader's area
	From   string // YYYY-MM-DD (CST), inclusive
	To     string // YYYY-MM-DD (CST), inclusive
	Before uint64 // keyset cursor: the last id of the previous page
	Limit  int
}

// Entry is one audit row with the names a reader needs.
type Entry struct {
	model.AuditLog
	ActorName    string // the staff account's username ("" for residents and the system)
	CasePublicID string
}

func (s *Service) allowed(st *model.Staff) error {
	if !st.Can(model.PermAuditRead) {
		return model.ErrForbidden
	}
	return nil
}

func day(field, v string, next bool) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, ok := model.ParseDate(v, model.China())
	if !ok {
		return time.Time{}, ErrInvalidDate.WithField(field, fmt.Sprintf("例如 2026-11-20（%d—%d 年）", model.MinDateYear, model.MaxDateYear))
	}
	if next {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}

// List answers one page of the audit rows of st's area, newest first. The read is audited
// (its filters, never the rows). An actor or case that does not exist in the area gives an
// empty page, like one with no rows.
func (s *Service) List(ctx context.Context, st *model.Staff, q Query) ([]Entry, error) {
	if err := s.allowed(st); err != nil {
		return nil, err
	}
	from, err := day("from", q.From, false)
	if err != nil {
		return nil, err
	}
	to, err := day("to", q.To, true)
	if err != nil {
		return nil, err
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		return nil, ErrInvalidRange.WithField("to", "不能早于开始日期")
	}
	q.Actor, q.Action, q.Case = strings.TrimSpace(q.Actor), strings.TrimSpace(q.Action), strings.TrimSpace(q.Case)
	f := store.AuditFilter{AreaPrefix: st.Area().Prefix(), Action: q.Action, From: from, To: to, Before: q.Before, Limit: q.Limit}
	none := false
	if q.Actor != "" {
		m, err := s.st.StaffByUsernames(ctx, []string{q.Actor})
		if err != nil {
			return nil, err
		}
		a := m[strings.ToLower(q.Actor)]
		if a == nil || !strings.HasPrefix(a.AreaCode, f.AreaPrefix) {
			none = true
		} else {
			f.ActorType, f.ActorID = model.ActorStaff, a.ID
		}
	}
	if q.Case != "" && !none {
		c, err := s.st.GetCase(ctx, store.StaffScope(st), q.Case)
		if err != nil && !errors.Is(err, model.ErrCaseNotFound) {
			return nil, err
		}
		if err != nil {
			none = true
		} else {
			f.CaseID = c.ID
		}
	}
	detail := fmt.Sprintf("actor=%s action=%s case=%s from=%s to=%s before=%d", model.Truncate(q.Actor, 64), model.Truncate(q.Action, 64), model.Truncate(q.Case, 40), q.From, q.To, q.Before)
	if err := s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, ActionRead, nil, detail, s.now())); err != nil {
		return nil, fmt.Errorf("audit %s: %w", ActionRead, err)
	}
	if none {
		return []Entry{}, nil
	}
	rows, err := s.st.AuditPage(ctx, f)
	if err != nil {
		return nil, err
	}
	var staffIDs, caseIDs []uint64
	for _, r := range rows {
		if r.ActorType == model.ActorStaff {
			staffIDs = append(staffIDs, r.ActorID)
		}
		if r.CaseID != nil {
			caseIDs = append(caseIDs, *r.CaseID)
		}
	}
	names, err := s.st.StaffByIDs(ctx, staffIDs)
	if err != nil {
		return nil, err
	}
	pubs, err := s.st.CasePublicIDs(ctx, caseIDs)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(rows))
	for _, r := range rows {
		e := Entry{AuditLog: r}
		if a := names[r.ActorID]; r.ActorType == model.ActorStaff && a != nil {
			e.ActorName = a.Username
		}
		if r.CaseID != nil {
			e.CasePublicID = pubs[*r.CaseID]
		}
		out = append(out, e)
	}
	return out, nil
}

// UnsealedMaxAge: a row older than this and still unsealed means the sealer refused a row
// before it or is not running (it seals every minute rows older than two).
const UnsealedMaxAge = 10 * time.Minute

// Verification is the result of checking the audit log (the same check as
// `palmaid audit verify`): the chain recomputed, compared with the latest anchor, and the rows
// the chain does not cover yet.
type Verification struct {
	Checked int    // sealed rows checked
	LastID  uint64 // the last sealed row
	Broken  *store.AuditBreak
	// Unsealed rows are not covered by the chain yet (an edit there leaves no trace);
	// UnsealedOverdue of them are older than UnsealedMaxAge.
	Unsealed, UnsealedOverdue int64
	OldestUnsealed            time.Time
	Anchor                    *Anchor // the latest anchor compared, nil when none
	AnchorNote                string  // why no anchor was compared ("" when one was)
}

// Intact: no broken link, the anchor matches, and no row waits overdue for its seal.
func (v *Verification) Intact() bool { return v.Broken == nil && v.UnsealedOverdue == 0 }

// Check recomputes the chain, compares it with the latest anchor (anchors may be nil: off) and
// counts the unsealed rows.
func Check(ctx context.Context, st Store, anchors Anchors, now time.Time) (*Verification, error) {
	checked, last, broken, err := st.VerifyAudit(ctx)
	if err != nil {
		return nil, err
	}
	v := &Verification{Checked: checked, LastID: last, Broken: broken}
	switch {
	case anchors == nil:
		v.AnchorNote = "anchors are off (PALMAID_AUDIT_ANCHOR=off): removed newest rows cannot be found"
	default:
		a, err := anchors.Latest()
		switch {
		case errors.Is(err, ErrUnreadable):
			v.AnchorNote = "anchors go to " + anchors.String() + ": compare the latest one there with this head by hand"
		case err != nil:
			return nil, fmt.Errorf("read the audit anchor (%s): %w", anchors, err)
		case a == nil:
			v.AnchorNote = "no anchor written yet (" + anchors.String() + ")"
		default:
			v.Anchor = a
			if v.Broken == nil {
				if v.Broken, err = st.CheckAuditAnchor(ctx, a.AuditHead); err != nil {
					return nil, err
				}
				if v.Broken != nil {
					v.Broken.Reason += fmt.Sprintf(" (anchor of %s)", a.At.In(model.China()).Format(time.RFC3339))
				}
			}
		}
	}
	v.Unsealed, v.UnsealedOverdue, v.OldestUnsealed, err = st.AuditUnsealed(ctx, now.Add(-UnsealedMaxAge))
	if err != nil {
		return nil, err
	}
	return v, nil
}

// Verify runs Check (the chain spans every area: one chain for the database) and audits that
// it was run and what it found.
func (s *Service) Verify(ctx context.Context, st *model.Staff) (*Verification, error) {
	if err := s.allowed(st); err != nil {
		return nil, err
	}
	v, err := Check(ctx, s.st, s.anchors, s.now())
	if err != nil {
		return nil, err
	}
	detail := fmt.Sprintf("checked=%d last=%d intact=%t unsealed=%d overdue=%d", v.Checked, v.LastID, v.Intact(), v.Unsealed, v.UnsealedOverdue)
	if v.Broken != nil {
		detail += fmt.Sprintf(" broken=%d", v.Broken.ID)
	}
	if err := s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, ActionVerify, nil, detail, s.now())); err != nil {
		return nil, fmt.Errorf("audit %s: %w", ActionVerify, err)
	}
	return v, nil
}
