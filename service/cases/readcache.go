package cases

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"

	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/store"
)

// The resident's progress screen is the hottest read of the service. Its read model lives in
// Redis under the case's public id: the case file (with its child rows), the history and the
// rating, JSON-encoded (gob compiles its decoder for every message: 18 % of the CPU of a cached
// read when tried) and sealed with the data cipher (the file holds the declaration and member
// names: no personal data in clear in Redis). A read asks the database for the case in the
// resident's scope (its id, version and area name, one query: the ownership check happens on
// every read, cache hit or not), and uses the cached view only when it is of exactly that case
// and that version; anything else is a miss, read from the database and cached in its place.
// The view's key does not depend on the version, so the HTTP handler fetches it together with
// the session in one Redis round trip (auth.ResidentIDWith) before the stamp query: a progress
// read is two round trips, not three.
//
// Every writer of a case's rows bumps the version in the transaction that writes them
// (UpdateCaseFile for actions, and the direct writers: beneficiary link and relink, rating,
// account erasure), so a saved change makes every cached view of the case a miss. A fill racing
// a newer fill may leave an older view in place: it is never served (its version is not the
// stamp's) and the next read replaces it. Key rotation re-seals column ciphertexts without
// changing the version: the key names the cipher's key set, so retiring a key leaves every view
// sealed before unused.

// ReadCache is where the progress views are cached.
type ReadCache struct {
	rdb    redis.UniversalClient
	prefix string
	ttl    time.Duration
}

// WithReadCache caches the resident's progress views in rdb under prefix for ttl.
func WithReadCache(rdb redis.UniversalClient, prefix string, ttl time.Duration) Option {
	return func(s *Service) { s.cache = &ReadCache{rdb: rdb, prefix: prefix, ttl: ttl} }
}

// cachedView is what a key holds.
type cachedView struct {
	File   *model.CaseFile
	Events []model.CaseEvent
	Rating *model.Rating
}

// ProgressKey is the Redis key of the case's cached progress view ("" without a read cache),
// for a caller that fetches it with the session (GetMinePrefetched).
func (s *Service) ProgressKey(publicID string) string {
	if s.cache == nil {
		return ""
	}
	k := s.cache.prefix + "caseview:" + publicID + ":view"
	if r, ok := s.cipher.(interface{ KeyIDs() []byte }); ok {
		k += ":k" + hex.EncodeToString(r.KeyIDs())
	}
	return k
}

// GetMinePrefetched is GetMine given what ProgressKey held, read before the scope check (nil:
// nothing cached). The resident's scope is checked here as in GetMine.
func (s *Service) GetMinePrefetched(ctx context.Context, residentID uint64, publicID string, sealed []byte) (*Record, error) {
	if s.cache == nil {
		return s.GetMine(ctx, residentID, publicID)
	}
	return s.getMineCached(ctx, residentID, publicID, sealed, true)
}

// getMineCached is GetMine through the read model; prefetched says sealed is what the key held.
func (s *Service) getMineCached(ctx context.Context, residentID uint64, publicID string, sealed []byte, prefetched bool) (*Record, error) {
	stamp, err := s.st.CaseStamp(ctx, store.ResidentScope(residentID), publicID)
	if err != nil {
		return nil, err
	}
	key := s.ProgressKey(publicID)
	if !prefetched {
		sealed = s.cachedGet(ctx, key)
	}
	if v, ok := s.openView(sealed, stamp); ok {
		rec := &Record{File: v.File, Events: v.Events, AreaName: stamp.AreaName, NextStep: nextStep(&v.File.Case), Today: calendar.DateOf(s.now()),
			Rating: v.Rating, RatingKnown: true}
		return s.residentView(ctx, residentID, rec)
	}
	// A miss: the database, then the view as read (children read after the case row are as new
	// or newer: a view is never older than its version says).
	f, err := s.st.LoadCaseFile(ctx, store.ResidentScope(residentID), publicID)
	if err != nil {
		return nil, err
	}
	rec, err := s.record(ctx, f)
	if err != nil {
		return nil, err
	}
	if rec.Rating, err = s.st.RatingForCase(ctx, f.Case.ID); err != nil {
		return nil, err
	}
	rec.RatingKnown = true
	s.cachedPut(ctx, key, &cachedView{File: f, Events: rec.Events, Rating: rec.Rating})
	return s.residentView(ctx, residentID, rec)
}

func (s *Service) cachedGet(ctx context.Context, key string) []byte {
	sealed, err := s.cache.rdb.Get(ctx, key).Bytes()
	if err != nil {
		if !errors.Is(err, redis.Nil) {
			s.log.WarnContext(ctx, "case view cache: read failed, reading the database", "err", err)
		}
		return nil
	}
	return sealed
}

// openView unseals a cached view and accepts it only for exactly the stamp's case and version.
func (s *Service) openView(sealed []byte, stamp *store.CaseStamp) (*cachedView, bool) {
	if sealed == nil {
		return nil, false
	}
	plain, err := s.cipher.Decrypt(sealed)
	if err != nil {
		return nil, false
	}
	var v cachedView
	if err := json.Unmarshal(plain, &v); err != nil || v.File == nil ||
		v.File.Case.ID != stamp.ID || v.File.Case.Version != stamp.Version {
		return nil, false
	}
	v.File.Case.Categories = v.File.Categories
	return &v, true
}

func (s *Service) cachedPut(ctx context.Context, key string, v *cachedView) {
	plain, err := json.Marshal(v)
	if err != nil {
		s.log.WarnContext(ctx, "case view cache: encode failed", "err", err)
		return
	}
	sealed, err := s.cipher.Encrypt(plain)
	if err != nil {
		s.log.WarnContext(ctx, "case view cache: seal failed", "err", err)
		return
	}
	if err := s.cache.rdb.Set(ctx, key, sealed, s.cache.ttl).Err(); err != nil {
		s.log.WarnContext(ctx, "case view cache: write failed", "err", err)
	}
}
