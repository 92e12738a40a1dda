package benefits

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"palmaid/model"
)

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
	return s.feedback(ctx, st, publicID, version, func(context.Context, *model.Roster, []model.RosterLine) ([]FeedbackItem, error) { return items, nil })
}

// feedback records the answers resolve gives against the roster's lines (the JSON answer as
// is; a file's rows by their 序号), all or nothing, under the roster's lock.
func (s *Service) feedback(ctx context.Context, st *model.Staff, publicID string, version int,
	resolve func(ctx context.Context, r *model.Roster, lines []model.RosterLine) ([]FeedbackItem, error)) (*RosterRecord, error) {
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
		items, err := resolve(ctx, r, lines)
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
