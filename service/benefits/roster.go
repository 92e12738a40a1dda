package benefits

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"palmaid/model"
	"palmaid/service/reqmeta"
)

// PayBy is the pay-by date of a month's roster: the region's payment day of the month, moved
// back to the last working day on or before it ("每月10日前"), and whether that day lies in a
// year whose holiday calendar is not loaded (provisional).
func PayBy(cal WorkingDays, loc *time.Location, month string, day int) (string, bool) {
	t, _ := time.ParseInLocation("2006-01", month, loc)
	d := time.Date(t.Year(), t.Month(), max(day, 1), 12, 0, 0, 0, loc)
	for i := 0; i < 31 && !cal.IsWorkingDay(d); i++ {
		d = d.AddDate(0, 0, -1)
	}
	return d.Format(time.DateOnly), cal.Provisional(d)
}

// Diff is a roster against the same county's and category's roster of the month before.
type Diff struct {
	PrevMonth  string
	PrevExists bool
	PrevTotal  int64
	New        int // 新增: paid this month, not last month
	Stopped    int // 停发: paid last month, not this month
	Changed    int // 变更: paid both months, another amount
}

// RosterRecord is a roster as one officer sees it: a town (or village) officer sees only the
// totals of its own area's lines; the lines themselves are paged apart (Service.Lines).
type RosterRecord struct {
	Roster     model.Roster
	Households int
	Persons    int
	TotalCents int64
	Partial    bool // the viewer sees only its own area's lines
	Diff       Diff
}

// visible says whether the officer may see the roster and which of its lines: "" all, else a
// town or village code whose lines only.
func visible(st *model.Staff, r *model.Roster) (only string, ok bool) {
	if !st.Can(model.PermBenefitRead) {
		return "", false
	}
	area := st.Area()
	switch {
	case area.Level() <= model.LevelCounty:
		return "", area.Contains(model.AreaCode(r.CountyCode))
	default:
		return string(area), area.Ancestor(model.LevelCounty) == model.AreaCode(r.CountyCode)
	}
}

func (s *Service) roster(ctx context.Context, st *model.Staff, publicID string, forUpdate bool) (*model.Roster, string, error) {
	if !model.WellFormedPublicID(publicID) {
		return nil, "", ErrRosterNotFound
	}
	r, err := s.repo.RosterByPublicID(ctx, publicID, forUpdate, ErrRosterNotFound)
	if err != nil {
		return nil, "", err
	}
	only, ok := visible(st, r)
	if !ok {
		return nil, "", ErrRosterNotFound
	}
	return r, only, nil
}

// Rebuild builds a draft's (or a checked roster's) lines again from the benefits; the towns
// confirm again. An approved roster's lines never change (409): a correction goes into a
// later month's roster.
func (s *Service) Rebuild(ctx context.Context, st *model.Staff, publicID string, version int) (*RosterRecord, error) {
	return s.change(ctx, st, publicID, version, model.PermRosterPrepare, "roster.rebuild", func(ctx context.Context, r *model.Roster, only string) error {
		if !r.LinesEditable() {
			return model.ErrRosterState
		}
		lines, err := s.buildLines(ctx, r.CountyCode, r.Category, r.Month)
		if err != nil {
			return err
		}
		fill(r, lines)
		return s.repo.ReplaceLines(ctx, r.ID, lines)
	})
}

// Confirm is a town confirming its lines; when every town with lines has, the roster is checked.
func (s *Service) Confirm(ctx context.Context, st *model.Staff, publicID string, version int) (*RosterRecord, error) {
	return s.change(ctx, st, publicID, version, model.PermRosterConfirm, "roster.confirm", func(ctx context.Context, r *model.Roster, only string) error {
		if r.Status != model.RosterDraft || only == "" || st.Area().Level() != model.LevelTown {
			return model.ErrRosterState
		}
		towns := strings.Split(r.TownsPending, ",")
		i := slices.Index(towns, only)
		if i < 0 {
			return errNothingToConfirm
		}
		towns = slices.Delete(towns, i, i+1)
		r.TownsPending = strings.Join(towns, ",")
		if r.TownsPending == "" {
			return r.Advance(model.RosterChecked, st.ID)
		}
		return nil
	})
}

var (
	errNothingToConfirm = model.E(model.KindConflict, "roster.nothing_to_confirm", "本乡镇在该花名册中没有待核对的名单，或已经核对")
	errVersion          = model.E(model.KindConflict, "roster.version_mismatch", "花名册已被他人更新，请刷新后重试")
	errFeedbackLines    = model.Invalid("roster.invalid_feedback", "回盘结果不正确").WithField("lines", "每行填写 lineId 和 status（paid 或 failed）；失败须写明原因（最多100字）")
	// ErrExportQuery is roster.invalid_export (the API adds its own field hints).
	ErrExportQuery  = model.Invalid("roster.invalid_export", "导出参数不正确")
	errFormat       = ErrExportQuery.WithField("format", "csv 或 xlsx")
	errFeedbackLine = model.E(model.KindUnprocessable, "roster.line_not_pending", "该行不在本花名册中，或已有回盘结果")
)

// Approve is the county's approval; the preparer may not approve (four eyes, 403).
func (s *Service) Approve(ctx context.Context, st *model.Staff, publicID string, version int) (*RosterRecord, error) {
	return s.change(ctx, st, publicID, version, model.PermRosterApprove, "roster.approve", func(ctx context.Context, r *model.Roster, only string) error {
		if only != "" {
			return errForbidden
		}
		return r.Advance(model.RosterApproved, st.ID)
	})
}

// Close ends a roster whose feedback is complete.
func (s *Service) Close(ctx context.Context, st *model.Staff, publicID string, version int) (*RosterRecord, error) {
	return s.change(ctx, st, publicID, version, model.PermRosterPrepare, "roster.close", func(ctx context.Context, r *model.Roster, only string) error {
		if only != "" {
			return errForbidden
		}
		return r.Advance(model.RosterClosed, st.ID)
	})
}

// audit row.
func (s *Service) change(ctx context.Context, st *model.Staff, publicID string, version int, perm model.Permission, action string,
	fn func(ctx context.Context, r *model.Roster, only string) error) (*RosterRecord, error) {
	var r *model.Roster
	var only string
	now := s.now()
	err := s.repo.InTx(ctx, func(ctx context.Context) error {
		var err error
		if r, only, err = s.roster(ctx, st, publicID, true); err != nil {
			return err
		}
		if !st.Can(perm) {
			return errForbidden
		}
		if version != r.Version {
			return errVersion
		}
		if _, err := s.lapse(ctx, r); err != nil { // past the towns' deadline: checked first
			return err
		}
		if err := fn(ctx, r, only); err != nil {
			return err
		}
		r.UpdatedAt = now
		if err := s.repo.SaveRoster(ctx, r); err != nil {
			return err
		}
		return s.repo.Audit(ctx, audit(ctx, st, action, nil, fmt.Sprintf("roster=%s status=%s", r.PublicID, r.Status), now))
	})
	if err != nil {
		return nil, err
	}
	return s.record(ctx, st, r, only)
}

// ConfirmBy is the towns' confirmation deadline of a roster paid by payBy: n working days
// before it (the pay-by date itself when n is 0).
func ConfirmBy(cal WorkingDays, loc *time.Location, payBy string, n int) string {
	d, err := time.ParseInLocation(time.DateOnly, payBy, loc)
	if err != nil {
		return ""
	}
	d = d.Add(12 * time.Hour)
	for i := 0; n > 0 && i < 366; i++ {
		d = d.AddDate(0, 0, -1)
		if cal.IsWorkingDay(d) {
			n--
		}
	}
	return d.Format(time.DateOnly)
}

// lapsed: a draft whose towns' confirmation deadline has passed (China time).
func (s *Service) lapsed(r *model.Roster) bool {
	return r.Status == model.RosterDraft && r.ConfirmByOn != "" && s.now().In(s.loc).Format(time.DateOnly) > r.ConfirmByOn
}

// lapse checks a locked draft whose deadline passed (the towns still listed did not confirm),
// audited as the system's act; it reports whether it did.
func (s *Service) lapse(ctx context.Context, r *model.Roster) (bool, error) {
	if !s.lapsed(r) {
		return false, nil
	}
	now := s.now()
	r.Status, r.UpdatedAt = model.RosterChecked, now
	if err := s.repo.SaveRoster(ctx, r); err != nil {
		return false, err
	}
	a := reqmeta.Audit(ctx, model.ActorSystem, 0, r.CountyCode, "roster.confirm_lapsed", nil,
		fmt.Sprintf("roster=%s confirm_by=%s towns_not_confirmed=%s", r.PublicID, r.ConfirmByOn, r.TownsPending), now)
	return true, s.repo.Audit(ctx, a)
}

// lapseOne checks one roster past its deadline under its row lock; another replica (or
// reader) that got there first leaves nothing to do.
func (s *Service) lapseOne(ctx context.Context, publicID string) (*model.Roster, error) {
	var r *model.Roster
	err := s.repo.InTx(ctx, func(ctx context.Context) error {
		var err error
		if r, err = s.repo.RosterByPublicID(ctx, publicID, true, ErrRosterNotFound); err != nil {
			return err
		}
		_, err = s.lapse(ctx, r)
		return err
	})
	return r, err
}

// LapseConfirmations is the scheduled part (the roster-drafts job): every draft whose towns'
// deadline passed is checked, once. It returns how many.
func (s *Service) LapseConfirmations(ctx context.Context) (int, error) {
	rows, err := s.repo.DraftsPastConfirmBy(ctx, s.now().In(s.loc).Format(time.DateOnly))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range rows {
		before := r.Version
		got, err := s.lapseOne(ctx, r.PublicID)
		if err != nil {
			return n, err
		}
		if got.Version != before {
			n++
		}
	}
	return n, nil
}
