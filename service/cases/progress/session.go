package progress

import (
	"context"

	"github.com/redis/go-redis/v9"

	"palmaid/model"
	"palmaid/service/cases"
)

// Read is the progress screen in one call: the resident's session and the case's cached view
// and generation are read in one Redis round trip, admit (nil: none) is told who asks before
// anything else is read — the face spends the account's rate limit there and may refuse — and
// the case is then served in the resident's scope as GetMine serves it (on a current view, by
// the case's residents in it). Errors are the session's (unauthenticated, unavailable),
// admit's, or GetMine's.
func (s *Service) Read(ctx context.Context, token, publicID string, admit func(residentID uint64) error) (*cases.Record, error) {
	plan := s.progressFetch(publicID)
	id, held, err := s.session(ctx, token, plan.Keys())
	if err != nil {
		return nil, err
	}
	if admit != nil {
		if err := admit(id); err != nil {
			return nil, err
		}
	}
	return s.getMinePrefetched(ctx, id, publicID, plan, held)
}

// session resolves the token and reads the values at keys in the same Redis round trip (one
// pipeline: the session GET, then one MGET of keys, which share a Redis Cluster hash slot; the
// session key need not, and a cluster client sends each command to its own node). A value is
// nil when its key is absent or unreadable (the read then asks the database).
func (s *Service) session(ctx context.Context, token string, keys []string) (uint64, [][]byte, error) {
	if len(keys) == 0 || s.cache == nil {
		id, err := s.sessions.ResidentID(ctx, token)
		return id, nil, err
	}
	sessKey := s.sessions.ResidentSessionKey(token)
	if sessKey == "" {
		return 0, nil, model.ErrUnauthenticated
	}
	var sess *redis.StringCmd
	var vals *redis.SliceCmd
	// Pipelined's own error is the first failed command's; each command's is read below.
	_, _ = s.cache.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		sess = p.Get(ctx, sessKey)
		vals = p.MGet(ctx, keys...)
		return nil
	})
	id, err := s.sessions.ResidentFromSession(sess.Result())
	if err != nil {
		return 0, nil, err
	}
	out := make([][]byte, len(keys))
	if vs, err := vals.Result(); err == nil {
		for i, v := range vs {
			if str, ok := v.(string); ok {
				out[i] = []byte(str)
			}
		}
	}
	return id, out, nil
}
