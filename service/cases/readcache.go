package cases

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/store"
)

// The resident's progress screen is the hottest read of the service. Its read model lives in
// Redis under the case's public id AND version: the case file (with its child rows), the history
// and the rating, JSON-encoded (gob compiles its decoder for every message: 18 % of the CPU of a
// cached read when tried) and sealed with the data cipher (the file holds the declaration
// and member names: no personal data in clear in Redis). A read asks the database for the case
// in the resident's scope (its version and area name, one query: the ownership check happens
// on every read, cache hit or not), then Redis for that version's view.
//
// Every writer of a case's rows bumps the version in the transaction that writes them
// (UpdateCaseFile for actions, and the direct writers: beneficiary link and relink, rating,
// account erasure), so a saved change supersedes every cached view of the case: the next read
// asks for a key that does not exist yet. Superseded keys expire with the TTL. Key rotation
// re-seals column ciphertexts without changing the version: the key names the cipher's key set,
// so retiring a key leaves every view sealed before unused.

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

func (s *Service) viewKey(publicID string, version int) string {
	k := s.cache.prefix + "caseview:" + publicID + ":v" + strconv.Itoa(version)
	if r, ok := s.cipher.(interface{ KeyIDs() []byte }); ok {
		k += ":k" + hex.EncodeToString(r.KeyIDs())
	}
	return k
}

// getMineCached is GetMine through the read model.
func (s *Service) getMineCached(ctx context.Context, residentID uint64, publicID string) (*Record, error) {
	stamp, err := s.st.CaseStamp(ctx, store.ResidentScope(residentID), publicID)
	if err != nil {
		return nil, err
	}
	key := s.viewKey(publicID, stamp.Version)
	if v, ok := s.cachedGet(ctx, key, stamp); ok {
		rec := &Record{File: v.File, Events: v.Events, AreaName: stamp.AreaName, NextStep: nextStep(&v.File.Case), Today: calendar.DateOf(s.now()),
			Rating: v.Rating, RatingKnown: true}
		return s.residentView(ctx, residentID, rec)
	}
	// A miss: the database, then the view under the version actually read (children read after
	// the case row are as new or newer: a view is never older than its key).
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
	s.cachedPut(ctx, s.viewKey(publicID, f.Case.Version), &cachedView{File: f, Events: rec.Events, Rating: rec.Rating})
	return s.residentView(ctx, residentID, rec)
}

func (s *Service) cachedGet(ctx context.Context, key string, stamp *store.CaseStamp) (*cachedView, bool) {
	sealed, err := s.cache.rdb.Get(ctx, key).Bytes()
	if err != nil {
		if !errors.Is(err, redis.Nil) {
			s.log.WarnContext(ctx, "case view cache: read failed, reading the database", "err", err)
		}
		return nil, false
	}
	plain, err := s.cipher.Decrypt(sealed)
	if err != nil {
		return nil, false
	}
	var v cachedView
	if err := json.Unmarshal(plain, &v); err != nil || v.File == nil ||
		v.File.Case.ID != stamp.ID || v.File.Case.Version < stamp.Version {
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
