package benefits

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

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
// lines of its own area, and the totals of those.
type RosterRecord struct {
	Roster     model.Roster
	Lines      []model.RosterLine
	Households int
	Persons    int
	TotalCents int64
	Partial    bool // the viewer sees only its own area's lines
	Diff       Diff
	// Benefits maps a line's benefit to its public id.
	Benefits map[uint64]string
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

// buildChunk is how many benefits a roster build reads changes and accounts for at a time.
const buildChunk = 5000

func (s *Service) buildLines(ctx context.Context, county string, cat model.Category, month string) ([]model.RosterLine, error) {
	cands, err := s.repo.RosterCandidates(ctx, county, cat, month)
	if err != nil {
		return nil, err
	}
	failed, err := s.repo.UnrepaidFailedLines(ctx, county, cat, month)
	if err != nil {
		return nil, err
	}
	lines := make([]model.RosterLine, 0, len(cands)+len(failed))
	// payees looks up the accounts of a chunk of benefits: name shown and card tail.
	payees := func(bs []model.Benefit) (func(b *model.Benefit) (string, string), error) {
		var accIDs []uint64
		for _, b := range bs {
			if b.AccountID != nil {
				accIDs = append(accIDs, *b.AccountID)
			}
		}
		accounts, err := s.repo.AccountsByIDs(ctx, accIDs, false)
		if err != nil {
			return nil, err
		}
		return func(b *model.Benefit) (string, string) {
			if b.AccountID == nil {
				return b.PersonMasked, ""
			}
			a := accounts[*b.AccountID]
			return a.HolderMasked, a.Tail4
		}, nil
	}
	// The changes and accounts of a chunk at a time: a county of 100 000 never holds them all.
	for start := 0; start < len(cands); start += buildChunk {
		chunk := cands[start:min(start+buildChunk, len(cands))]
		ids := make([]uint64, len(chunk))
		for i, b := range chunk {
			ids[i] = b.ID
		}
		changes, err := s.repo.BenefitChanges(ctx, ids)
		if err != nil {
			return nil, err
		}
		payee, err := payees(chunk)
		if err != nil {
			return nil, err
		}
		for i := range chunk {
			b := &chunk[i]
			p, ok := model.PaysIn(changes[b.ID], month)
			if !ok {
				continue
			}
			name, tail := payee(b)
			lines = append(lines, model.RosterLine{BenefitID: b.ID, TownCode: b.TownCode, AreaCode: b.AreaCode, Kind: model.LineRegular,
				ForMonth: month, Persons: p.Persons, TotalCents: p.Cents, PayeeMasked: name, AccountTail4: tail, Status: model.LinePending})
		}
	}
	if len(failed) == 0 {
		return lines, nil
	}
	ids := make([]uint64, len(failed))
	for i, f := range failed {
		ids[i] = f.BenefitID
	}
	byID, err := s.repo.BenefitsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	bs := make([]model.Benefit, 0, len(byID))
	for _, b := range byID {
		bs = append(bs, b)
	}
	payee, err := payees(bs)
	if err != nil {
		return nil, err
	}
	for _, f := range failed {
		b := byID[f.BenefitID]
		name, tail := payee(&b)
		lines = append(lines, model.RosterLine{BenefitID: f.BenefitID, TownCode: f.TownCode, AreaCode: f.AreaCode, Kind: model.LineArrears,
			ForMonth: f.ForMonth, Persons: f.Persons, TotalCents: f.TotalCents, PayeeMasked: name, AccountTail4: tail,
			Status: model.LinePending, ArrearsOfLine: f.ID})
	}
	return lines, nil
}

func totals(lines []model.RosterLine) (households, persons int, cents int64) {
	seen := map[uint64]bool{}
	for _, l := range lines {
		cents += l.TotalCents
		if l.Kind == model.LineRegular && !seen[l.BenefitID] {
			seen[l.BenefitID] = true
			households++
			persons += l.Persons
		}
	}
	return
}

func townsOf(lines []model.RosterLine) string {
	var towns []string
	for _, l := range lines {
		if !slices.Contains(towns, l.TownCode) {
			towns = append(towns, l.TownCode)
		}
	}
	slices.Sort(towns)
	return strings.Join(towns, ",")
}

// fill sets the totals, the towns that must confirm and the status after (re)building.
func fill(r *model.Roster, lines []model.RosterLine) {
	r.Households, r.Persons, r.TotalCents = totals(lines)
	r.TownsPending = townsOf(lines)
	r.Status = model.RosterDraft
	if r.TownsPending == "" {
		r.Status = model.RosterChecked
	}
}

// Prepare builds the county's roster of a month and category from the benefits (on demand;
// the monthly job calls the same). Only a county officer of that county prepares it.
func (s *Service) Prepare(ctx context.Context, st *model.Staff, month string, cat model.Category) (*RosterRecord, error) {
	if !st.Can(model.PermRosterPrepare) {
		return nil, errForbidden
	}
	if st.Area().Level() != model.LevelCounty {
		return nil, errCountyOnly
	}
	if !model.ValidMonth(month) {
		return nil, errMonth
	}
	if !monthly(cat) {
		return nil, errCategory
	}
	now := s.now()
	if month < now.In(s.loc).Format("2006-01") {
		return nil, errMonthTooEarly
	}
	r, err := s.prepare(ctx, st.AreaCode, month, cat, st.ID, audit(ctx, st, "roster.prepare", nil, "", now))
	if err != nil {
		return nil, err
	}
	return s.record(ctx, st, r, "")
}

// prepare builds and stores the roster of a county, month and category (errRosterExists when
// there is one); a is the audit row to write, its detail filled in.
func (s *Service) prepare(ctx context.Context, county, month string, cat model.Category, by uint64, a *model.AuditLog) (*model.Roster, error) {
	id, err := newPublicID()
	if err != nil {
		return nil, err
	}
	now := s.now()
	var r *model.Roster
	err = s.repo.InTx(ctx, func(ctx context.Context) error {
		if old, err := s.repo.RosterFor(ctx, county, month, cat); err != nil {
			return err
		} else if old != nil {
			return errRosterExists
		}
		pol, err := s.repo.RegionPolicy(ctx, model.AreaCode(county), month+"-01")
		if err != nil {
			return err
		}
		lines, err := s.buildLines(ctx, county, cat, month)
		if err != nil {
			return err
		}
		r = &model.Roster{PublicID: id, CountyCode: county, Month: month, Category: cat, PreparedBy: by, Version: 1, CreatedAt: now, UpdatedAt: now}
		r.PayByOn, r.PayByProvisional = PayBy(s.cal, s.loc, month, pol.Eligibility.PaymentDay)
		fill(r, lines)
		if err := s.repo.InsertRoster(ctx, r); err != nil {
			return err
		}
		if err := s.repo.ReplaceLines(ctx, r.ID, lines); err != nil {
			return err
		}
		a.Detail = fmt.Sprintf("roster=%s month=%s category=%s lines=%d total=%d", r.PublicID, month, cat, len(lines), r.TotalCents)
		return s.repo.Audit(ctx, a)
	})
	return r, err
}

// BuildMonth is the scheduled job (once across replicas, service/scheduler): the current
// China-time month's roster of every county with benefits and every monthly category, where
// none exists yet, prepared by the system (so any county officer may approve it). It returns
// how many it built.
func (s *Service) BuildMonth(ctx context.Context) (int, error) {
	now := s.now()
	month := now.In(s.loc).Format("2006-01")
	counties, err := s.repo.CountiesWithBenefits(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, county := range counties {
		for _, cat := range []model.Category{model.CatMinimumLiving, model.CatExtremeHardship} {
			old, err := s.repo.RosterFor(ctx, county, month, cat)
			if err != nil {
				return n, err
			}
			if old != nil {
				continue
			}
			a := reqmeta.Audit(ctx, model.ActorSystem, 0, county, "roster.prepare", nil, "", now)
			if _, err := s.prepare(ctx, county, month, cat, 0, a); err != nil {
				if errors.Is(err, errRosterExists) { // another replica's run, or an officer, got there first
					continue
				}
				return n, err
			}
			n++
		}
	}
	return n, nil
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
	errFormat           = model.Invalid("roster.invalid_export", "导出参数不正确").WithField("format", "csv 或 xlsx")
	errFeedbackLine     = model.E(model.KindUnprocessable, "roster.line_not_pending", "该行不在本花名册中，或已有回盘结果")
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

// FeedbackItem is the bank's answer for one line.
type FeedbackItem struct {
	LineID uint64
	Status string // paid | failed
	Reason string
}

// Feedback records the bank's (or 财政's) answers for the lines of an exported roster; when no
// line is left pending the roster is fed back. A failed line is repaid as an arrears line in
// the next month's roster.
func (s *Service) Feedback(ctx context.Context, st *model.Staff, publicID string, version int, items []FeedbackItem) (*RosterRecord, error) {
	if len(items) == 0 || len(items) > 5000 {
		return nil, errFeedbackLines
	}
	for i := range items {
		items[i].Reason = strings.TrimSpace(items[i].Reason)
		it := items[i]
		switch {
		case it.LineID == 0, it.Status != model.LinePaid && it.Status != model.LineFailed,
			it.Status == model.LineFailed && (it.Reason == "" || utf8.RuneCountInString(it.Reason) > 100 || model.CheckText("reason", it.Reason) != nil),
			it.Status == model.LinePaid && it.Reason != "":
			return nil, errFeedbackLines
		}
	}
	return s.change(ctx, st, publicID, version, model.PermRosterPrepare, "roster.feedback", func(ctx context.Context, r *model.Roster, only string) error {
		if only != "" {
			return errForbidden
		}
		if r.Status != model.RosterExported {
			return model.ErrRosterState
		}
		now := s.now()
		lines, err := s.repo.Lines(ctx, r.ID, "")
		if err != nil {
			return err
		}
		// every item must name a pending line of this roster, once; the answers are then
		// written one statement per outcome and reason, not one per line
		byID := make(map[uint64]*model.RosterLine, len(lines))
		for i := range lines {
			byID[lines[i].ID] = &lines[i]
		}
		type answer struct{ status, reason string }
		groups := map[answer][]uint64{}
		var order []answer
		for _, it := range items {
			l := byID[it.LineID]
			if l == nil || l.Status != model.LinePending {
				return errFeedbackLine.WithField("lines", strconv.FormatUint(it.LineID, 10))
			}
			l.Status, l.FailReason, l.FedBackAt, l.FedBackByStaff = it.Status, it.Reason, &now, st.ID
			k := answer{it.Status, it.Reason}
			if _, ok := groups[k]; !ok {
				order = append(order, k)
			}
			groups[k] = append(groups[k], it.LineID)
		}
		for _, k := range order {
			n, err := s.repo.SetLinesFeedback(ctx, r.ID, groups[k], k.status, k.reason, st.ID, now)
			if err != nil {
				return err
			}
			if n != len(groups[k]) { // a line changed since it was read (the roster's version guards this)
				return errFeedbackLine
			}
		}
		if err := s.tellPayments(ctx, r, lines, items, now); err != nil {
			return err
		}
		for _, l := range lines {
			if l.Status == model.LinePending {
				return nil
			}
		}
		return r.Advance(model.RosterFedBack, st.ID)
	})
}

// tellPayments tells the beneficiary and the agent of each line fed back that the month was
// paid, or failed and will be repaid next month (in-app, and a subscribe message through the
// progress template where accepted). No personal data: the amount, the month and the card tail.
func (s *Service) tellPayments(ctx context.Context, r *model.Roster, lines []model.RosterLine, items []FeedbackItem, now time.Time) error {
	byID := make(map[uint64]*model.RosterLine, len(lines))
	for i := range lines {
		byID[lines[i].ID] = &lines[i]
	}
	ids := make([]uint64, 0, len(items))
	for _, it := range items {
		ids = append(ids, byID[it.LineID].BenefitID)
	}
	bs, err := s.repo.BenefitsByIDs(ctx, ids)
	if err != nil {
		return err
	}
	for _, it := range items {
		l := byID[it.LineID]
		b := bs[l.BenefitID]
		what := fmt.Sprintf("%s%s月保障金%s", b.Category.Label(), l.ForMonth, model.Yuan(l.TotalCents))
		to := ""
		if l.AccountTail4 != "" {
			to = "尾号为" + l.AccountTail4 + "的"
		}
		title, phrase, hint, body := "保障金已发放", "已发放", l.ForMonth+"月"+model.Yuan(l.TotalCents), "您的"+what+"已发放到"+to+"账户，请注意查收。"
		if it.Status == model.LineFailed {
			title, phrase, hint, body = "保障金发放失败", "发放失败", "将于下月补发", "您的"+what+"发放到"+to+"账户未成功（"+it.Reason+"），将于下月补发。如账户有变化，请联系乡镇（街道）。"
		}
		payload, _ := json.Marshal(map[string]string{model.NotifyValueService: "社会救助金发放（" + b.Category.Label() + "）",
			model.NotifyValueStatus: phrase, model.NotifyValueTime: now.In(s.loc).Format("2006-01-02 15:04"), model.NotifyValueHint: hint,
			model.NotifyValueCaseNo: ""})
		seen := map[uint64]bool{}
		for _, rid := range []*uint64{b.BeneficiaryResidentID, b.AgentResidentID} {
			if rid == nil || seen[*rid] {
				continue
			}
			seen[*rid] = true
			if err := s.repo.AddOutbox(ctx, &model.Outbox{CaseID: b.SourceCaseID, ResidentID: *rid, TemplateKey: model.TemplateCaseProgress,
				Title: title, Body: body, Payload: string(payload), IdempotencyKey: fmt.Sprintf("pay:%d:%s:r%d", l.ID, it.Status, *rid),
				Status: model.OutboxPending, NextAttemptAt: now, CreatedAt: now}); err != nil {
				return err
			}
		}
	}
	return nil
}

// change runs one roster action under the roster's row lock, with its version check and
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

// Roster is one roster as the officer sees it.
func (s *Service) Roster(ctx context.Context, st *model.Staff, publicID string) (*RosterRecord, error) {
	r, only, err := s.roster(ctx, st, publicID, false)
	if err != nil {
		return nil, err
	}
	return s.record(ctx, st, r, only)
}

// Rosters lists the rosters the officer may see (of a month, or the latest).
func (s *Service) Rosters(ctx context.Context, st *model.Staff, month string) ([]RosterRecord, error) {
	if !st.Can(model.PermBenefitRead) {
		return nil, errForbidden
	}
	if month != "" && !model.ValidMonth(month) {
		return nil, errMonth
	}
	area := st.Area()
	prefix := string(area.Ancestor(model.LevelCounty))
	if area.Level() < model.LevelCounty {
		prefix = area.Prefix()
	}
	rows, err := s.repo.Rosters(ctx, prefix, month, 50)
	if err != nil {
		return nil, err
	}
	out := make([]RosterRecord, 0, len(rows))
	for i := range rows {
		only, ok := visible(st, &rows[i])
		if !ok {
			continue
		}
		rec := RosterRecord{Roster: rows[i], Households: rows[i].Households, Persons: rows[i].Persons, TotalCents: rows[i].TotalCents, Partial: only != ""}
		if only != "" {
			lines, err := s.repo.Lines(ctx, rows[i].ID, "")
			if err != nil {
				return nil, err
			}
			rec.Households, rec.Persons, rec.TotalCents = totals(own(lines, only))
		}
		out = append(out, rec)
	}
	return out, nil
}

func own(lines []model.RosterLine, only string) []model.RosterLine {
	if only == "" {
		return lines
	}
	out := lines[:0:0]
	for _, l := range lines {
		if l.TownCode == only || l.AreaCode == only {
			out = append(out, l)
		}
	}
	return out
}

func (s *Service) record(ctx context.Context, st *model.Staff, r *model.Roster, only string) (*RosterRecord, error) {
	lines, err := s.repo.Lines(ctx, r.ID, "")
	if err != nil {
		return nil, err
	}
	rec := &RosterRecord{Roster: *r, Partial: only != ""}
	rec.Diff, err = s.diff(ctx, r, lines)
	if err != nil {
		return nil, err
	}
	rec.Lines = own(lines, only)
	rec.Households, rec.Persons, rec.TotalCents = totals(rec.Lines)
	ids := make([]uint64, 0, len(rec.Lines))
	for _, l := range rec.Lines {
		ids = append(ids, l.BenefitID)
	}
	bs, err := s.repo.BenefitsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	rec.Benefits = make(map[uint64]string, len(bs))
	for id, b := range bs {
		rec.Benefits[id] = b.PublicID
	}
	if only != "" { // the month-on-month difference is the county's figure
		rec.Diff = Diff{PrevMonth: rec.Diff.PrevMonth}
	}
	return rec, nil
}

func (s *Service) diff(ctx context.Context, r *model.Roster, lines []model.RosterLine) (Diff, error) {
	d := Diff{PrevMonth: model.AddMonths(r.Month, -1)}
	prev, err := s.repo.RosterFor(ctx, r.CountyCode, d.PrevMonth, r.Category)
	if err != nil {
		return d, err
	}
	if prev == nil { // no roster last month: every regular line is new
		for _, l := range lines {
			if l.Kind == model.LineRegular {
				d.New++
			}
		}
		return d, nil
	}
	d.PrevExists, d.PrevTotal = true, prev.TotalCents
	pl, err := s.repo.Lines(ctx, prev.ID, "")
	if err != nil {
		return d, err
	}
	before := map[uint64]int64{}
	for _, l := range pl {
		if l.Kind == model.LineRegular {
			before[l.BenefitID] = l.TotalCents
		}
	}
	now := map[uint64]bool{}
	for _, l := range lines {
		if l.Kind != model.LineRegular {
			continue
		}
		now[l.BenefitID] = true
		switch amt, ok := before[l.BenefitID]; {
		case !ok:
			d.New++
		case amt != l.TotalCents:
			d.Changed++
		}
	}
	for id := range before {
		if !now[id] {
			d.Stopped++
		}
	}
	return d, nil
}

// Export is the bank (or 财政) file of an approved roster, CSV or Excel in the usual ledger columns; the
// first export moves the roster to exported, each export stores the file's SHA-256 and is
// audited. Masked (names and account numbers masked) with roster.prepare; the unmasked file
// the bank needs takes roster.export_unmasked.
func (s *Service) Export(ctx context.Context, st *model.Staff, publicID, format string, unmasked bool) (file []byte, name, sum string, err error) {
	if format != FormatCSV && format != FormatXLSX {
		return nil, "", "", errFormat
	}
	now := s.now()
	err = s.repo.InTx(ctx, func(ctx context.Context) error {
		r, only, err := s.roster(ctx, st, publicID, true)
		if err != nil {
			return err
		}
		if !st.Can(model.PermRosterPrepare) || only != "" || (unmasked && !st.Can(model.PermRosterExportUnmasked)) {
			return errForbidden
		}
		switch r.Status {
		case model.RosterApproved:
			if err := r.Advance(model.RosterExported, st.ID); err != nil {
				return err
			}
		case model.RosterExported, model.RosterFedBack, model.RosterClosed:
		default:
			return model.ErrRosterState
		}
		lines, err := s.repo.Lines(ctx, r.ID, "")
		if err != nil {
			return err
		}
		rows := func(each func([]string) error) error { return s.exportRows(ctx, r, lines, unmasked, each) }
		if format == FormatXLSX {
			file, err = encodeXLSX(rows)
		} else {
			file, err = encodeCSV(rows)
		}
		if err != nil {
			return err
		}
		h := sha256.Sum256(file)
		sum = hex.EncodeToString(h[:])
		r.FileSHA256, r.UpdatedAt = sum, now
		if err := s.repo.SaveRoster(ctx, r); err != nil {
			return err
		}
		kind := "masked"
		if unmasked {
			kind = "unmasked"
		}
		name = fmt.Sprintf("roster-%s-%s-%s.%s", r.CountyCode, r.Month, r.Category, format)
		return s.repo.Audit(ctx, audit(ctx, st, "roster.export", nil, fmt.Sprintf("roster=%s file=%s format=%s sha256=%s lines=%d", r.PublicID, kind, format, sum, len(lines)), now))
	})
	return file, name, sum, err
}

// ExportColumns are the export's columns (the CAMS ledger's, with the line number and a note).
var ExportColumns = []string{"序号", "发放月份", "救助类别", "保障人口数", "救助金额", "分类救助金额", "发放合计", "开户银行", "账户名称", "账号", "反馈状态", "备注"}

// exportRows hands the file's rows (the header first) to each, one at a time, reading the
// benefits and accounts of a chunk of lines at a time: 100 000 lines are never held as rows,
// nor their sealed accounts all at once.
func (s *Service) exportRows(ctx context.Context, r *model.Roster, lines []model.RosterLine, unmasked bool, each func(row []string) error) error {
	if err := each(ExportColumns); err != nil {
		return err
	}
	label := r.Category.Label()
	for start := 0; start < len(lines); start += buildChunk {
		chunk := lines[start:min(start+buildChunk, len(lines))]
		ids := make([]uint64, len(chunk))
		for i, l := range chunk {
			ids[i] = l.BenefitID
		}
		bs, err := s.repo.BenefitsByIDs(ctx, ids)
		if err != nil {
			return err
		}
		var accIDs []uint64
		for _, b := range bs {
			if b.AccountID != nil {
				accIDs = append(accIDs, *b.AccountID)
			}
		}
		accounts, err := s.repo.AccountsByIDs(ctx, accIDs, unmasked)
		if err != nil {
			return err
		}
		for i, l := range chunk {
			b := bs[l.BenefitID]
			bank, holder, number := "", l.PayeeMasked, ""
			if b.AccountID != nil {
				a := accounts[*b.AccountID]
				bank = a.Bank
				number = strings.Repeat("*", 12) + a.Tail4
				if unmasked {
					if holder, err = s.cipher.DecryptString(a.HolderEnc); err != nil {
						return err
					}
					if number, err = s.cipher.DecryptString(a.NumberEnc); err != nil {
						return err
					}
				}
			}
			note := ""
			if l.Kind == model.LineArrears {
				note = "补发" + l.ForMonth
			}
			status := map[string]string{model.LinePending: "", model.LinePaid: "成功", model.LineFailed: "失败：" + l.FailReason}[l.Status]
			if err := each([]string{strconv.Itoa(start + i + 1), r.Month, label, strconv.Itoa(l.Persons), cents(l.TotalCents), "0.00", cents(l.TotalCents),
				bank, holder, number, status, note}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Export formats.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// encodeCSV is the file in CSV (UTF-8 with the BOM Excel needs, CRLF).
func encodeCSV(rows func(each func([]string) error) error) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if err := rows(w.Write); err != nil {
		return nil, err
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// encodeXLSX writes one sheet through excelize's stream writer; every cell is text, so an
// account number keeps its digits.
func encodeXLSX(rows func(each func([]string) error) error) ([]byte, error) {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return nil, err
	}
	n := 0
	cells := make([]any, 0, 16)
	err = rows(func(row []string) error {
		n++
		cells = cells[:0]
		for _, c := range row {
			cells = append(cells, c)
		}
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, cells)
	})
	if err != nil {
		return nil, err
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func cents(c int64) string { return fmt.Sprintf("%d.%02d", c/100, c%100) }
