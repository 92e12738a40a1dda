package store

import (
	"context"

	"palmaid/model"
)

// OpenNotices lists a village's running public notices, newest first (keyset by id).
func (s *CaseFileRepo) OpenNotices(ctx context.Context, areaCode string, before uint64, limit int) ([]model.PublicNotice, error) {
	q := s.conn(ctx).Where("area_code = ? AND status = ?", areaCode, model.NoticeOpen)
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	var out []model.PublicNotice
	return out, q.Order("id DESC").Limit(limit).Find(&out).Error
}

// NoticeByRef finds an open notice by its public reference.
func (s *CaseFileRepo) NoticeByRef(ctx context.Context, ref string) (*model.PublicNotice, error) {
	var n model.PublicNotice
	err := s.conn(ctx).Where("public_ref = ? AND status = ?", ref, model.NoticeOpen).Take(&n).Error
	if err != nil {
		return nil, notFound(err, model.ErrNoticeNotFound)
	}
	return &n, nil
}
