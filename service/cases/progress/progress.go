package progress

import (
	"context"
	"palmaid/model"
	"palmaid/service/cases"
	"palmaid/service/store"
)

// ListMine lists the cases the resident applied for, acts as agent in, or benefits from.
func (s *Service) ListMine(ctx context.Context, residentID uint64, before uint64, limit int) (*cases.Page, error) {
	return s.k.Page(ctx, store.ResidentScope(residentID), store.CaseFilter{Before: before, Limit: limit}, false)
}

// GetMine opens one of the resident's cases; anyone else's is "not found".
func (s *Service) GetMine(ctx context.Context, residentID uint64, publicID string) (*cases.Record, error) {
	if !model.WellFormedPublicID(publicID) {
		return nil, model.ErrCaseNotFound
	}
	if s.cache != nil {
		f := s.progressFetch(publicID)
		return s.getMineFetched(ctx, residentID, publicID, f, s.cachedGet(ctx, f.keys...))
	}
	f, err := s.st.LoadCaseFile(ctx, store.ResidentScope(residentID), publicID)
	if err != nil {
		return nil, err
	}
	return s.k.ResidentRecord(ctx, residentID, f)
}
