package cases

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/store"
)

var (
	errRoleCannotAccept = model.E(model.KindForbidden, "case.role_forbidden", "只有乡镇（街道）经办人可以受理或退回申请")
	errOpinionTooLong   = model.Invalid("case.opinion_too_long", "意见请控制在500字以内")
	errMissingItems     = model.Invalid("case.invalid_missing_items", "所缺材料清单不正确")
)

// QueueFilter narrows the staff queue.
type QueueFilter struct {
	Status   model.Status
	Category model.Category
	Before   uint64
	Limit    int
}

// Queue lists cases inside the staff member's area, newest first. Every list is audited.
func (s *Service) Queue(ctx context.Context, st *model.Staff, f QueueFilter) (*Page, error) {
	if f.Status != "" && !f.Status.Valid() {
		return nil, model.Invalid("case.invalid_filter", "筛选条件不正确").WithField("status", "未知的办理状态")
	}
	if f.Category != "" && !f.Category.Valid() {
		return nil, model.Invalid("case.invalid_filter", "筛选条件不正确").WithField("category", "未知的救助类别")
	}
	p, err := s.page(ctx, store.StaffScope(st), store.CaseFilter{Status: f.Status, Category: f.Category, Before: f.Before, Limit: f.Limit}, true)
	if err != nil {
		return nil, err
	}
	s.audit(ctx, st, "case.list", nil, fmt.Sprintf("status=%s category=%s results=%d", f.Status, f.Category, len(p.Cases)))
	return p, nil
}

// Get opens a case in the staff member's area (ID numbers stay masked). Reads are audited,
// including refused ones.
func (s *Service) Get(ctx context.Context, st *model.Staff, publicID string) (*Record, error) {
	c, err := s.st.GetCase(ctx, store.StaffScope(st), publicID)
	if err != nil {
		s.audit(ctx, st, "case.view.denied", nil, "public_id="+truncate(publicID, 40))
		return nil, err
	}
	s.audit(ctx, st, "case.view", &c.ID, "masked")
	return s.record(ctx, c)
}

func canAccept(st *model.Staff) bool {
	return st.Role == model.RoleTownCaseworker && st.Area().Level() == model.LevelTown
}

func checkOpinion(op string) (string, error) {
	op = strings.TrimSpace(op)
	if utf8.RuneCountInString(op) > 500 {
		return "", errOpinionTooLong.WithField("opinion", "最多500字")
	}
	return op, nil
}

// Accept records 受理 and starts the 3-working-day clock for the investigation.
func (s *Service) Accept(ctx context.Context, st *model.Staff, publicID string, version int, opinion string) (*Record, error) {
	op, err := checkOpinion(opinion)
	if err != nil {
		return nil, err
	}
	return s.act(ctx, st, publicID, version, "case.accept", func(c *model.Case, by model.Actor) (model.Transition, error) {
		now := s.now()
		due := calendar.DateOf(s.cal.AddWorkingDays(now, s.workingDays(ctx, c.AreaCode, SettingInvestigationWD, 3)))
		t, err := c.Accept(by, op, now, due)
		if err != nil {
			return t, err
		}
		t.Notify = progressNotice(c, "已受理", fmt.Sprintf("将于%s前入户调查", due),
			fmt.Sprintf("您的申请（%s）已受理。乡镇（街道）将于%s前启动入户调查，请保持电话畅通。", c.CaseNo, due))
		return t, nil
	})
}

// MissingItemInput is one line of the one-time notice.
type MissingItemInput struct {
	Name string `json:"name"`
	Note string `json:"note"`
}

// Return sends the case back with every missing item listed at once.
func (s *Service) Return(ctx context.Context, st *model.Staff, publicID string, version int, opinion string, items []MissingItemInput) (*Record, error) {
	op, err := checkOpinion(opinion)
	if err != nil {
		return nil, err
	}
	list, err := missingItems(items)
	if err != nil {
		return nil, err
	}
	return s.act(ctx, st, publicID, version, "case.return", func(c *model.Case, by model.Actor) (model.Transition, error) {
		t, err := c.Return(by, op, list, s.now())
		if err != nil {
			return t, err
		}
		names := make([]string, len(list))
		for i, it := range list {
			names[i] = it.Name
		}
		t.Notify = progressNotice(c, "需补正", fmt.Sprintf("请补充%d项材料，详见小程序", len(list)),
			fmt.Sprintf("您的申请（%s）需要补充以下%d项材料：%s。请一次补齐后重新提交。", c.CaseNo, len(list), strings.Join(names, "、")))
		return t, nil
	})
}

func missingItems(items []MissingItemInput) ([]model.MissingItem, error) {
	if len(items) == 0 {
		return nil, model.E(model.KindUnprocessable, "case.missing_items_required", "退回补正时须一次性列明全部所缺材料").WithField("missingItems", "至少一项")
	}
	if len(items) > 30 {
		return nil, errMissingItems.WithField("missingItems", "最多30项")
	}
	seen := map[string]bool{}
	out := make([]model.MissingItem, 0, len(items))
	for i, it := range items {
		name, note := strings.TrimSpace(it.Name), strings.TrimSpace(it.Note)
		field := fmt.Sprintf("missingItems[%d]", i)
		if n := utf8.RuneCountInString(name); n == 0 || n > 60 {
			return nil, errMissingItems.WithField(field+".name", "材料名称为1至60字")
		}
		if utf8.RuneCountInString(note) > 200 {
			return nil, errMissingItems.WithField(field+".note", "说明最多200字")
		}
		if seen[name] {
			return nil, errMissingItems.WithField(field+".name", "材料重复")
		}
		seen[name] = true
		out = append(out, model.MissingItem{Name: name, Note: note})
	}
	return out, nil
}

// act runs one staff action as a single transaction: locked case update, history, outbox and
// the audit record commit together.
func (s *Service) act(ctx context.Context, st *model.Staff, publicID string, version int, action string,
	decide func(*model.Case, model.Actor) (model.Transition, error)) (*Record, error) {
	if !canAccept(st) {
		return nil, errRoleCannotAccept
	}
	by := model.Actor{Type: model.ActorStaff, ID: st.ID, AreaCode: st.AreaCode}
	var out *model.Case
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		c, err := s.st.UpdateCase(ctx, store.StaffScope(st), publicID, version, func(c *model.Case) (model.Transition, error) {
			return decide(c, by)
		})
		if err != nil {
			return err
		}
		out = c
		s.audit(ctx, st, action, &c.ID, fmt.Sprintf("version=%d", c.Version))
		return nil
	})
	if err != nil {
		if model.AsError(err).Kind == model.KindNotFound {
			s.audit(ctx, st, action+".denied", nil, "public_id="+truncate(publicID, 40))
		}
		return nil, err
	}
	return s.record(ctx, out)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
