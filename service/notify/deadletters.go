package notify

// Dead letters: the notifications that failed for good, listed and requeued by an administrator.

import (
	"context"
	"fmt"

	"palmaid/model"
	"palmaid/service/reqmeta"
	"palmaid/service/store"
)

// DeadLetters lists the dead notifications of the administrator's area.
func (s *Service) DeadLetters(ctx context.Context, st *model.Staff, before uint64, limit int) ([]model.Outbox, error) {
	if !st.Can(model.PermNotifyAdmin) {
		return nil, errAdminOnly
	}
	return s.st.DeadLetters(ctx, store.StaffScope(st), before, limit)
}

// Requeue puts a dead notification of the administrator's area back in the queue (audited).
func (s *Service) Requeue(ctx context.Context, st *model.Staff, id uint64) error {
	if !st.Can(model.PermNotifyAdmin) {
		return errAdminOnly
	}
	return s.st.InTx(ctx, func(ctx context.Context) error {
		ok, err := s.st.RequeueOutbox(ctx, store.StaffScope(st), id, s.now())
		if err != nil {
			return err
		}
		if !ok {
			return errDeadNotFound
		}
		return s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, "notify.requeue", nil, fmt.Sprintf("outbox=%d", id), s.now()))
	})
}

var (
	errAdminOnly    = model.ErrForbidden // 只有系统管理员可以处理失败的通知
	errDeadNotFound = model.E(model.KindNotFound, "notify.not_found", "没有这条发送失败的通知")
)
