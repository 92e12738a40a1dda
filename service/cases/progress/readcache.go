package progress

import (
	"container/list"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/cases"
	"palmaid/service/store"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// The resident's progress screen is the hottest read of the service. Its read model lives in
// Redis under the case's public id: the case file (with its child rows), the history, the rating
// and the area name, JSON-encoded (gob compiles its decoder for every message: 18 % of the CPU
// of a cached read when tried) and sealed with the data cipher (the file holds the declaration
// and member names: no personal data in clear in Redis).
//
// A read is one Redis round trip when the view is current: Read fetches the session, the view
// and the case's generation key in one pipeline (session.go), and the view is
// served when it was filled under the generation the key holds now and the resident is the
// case's applicant, agent or beneficiary in it. The generation is what makes that safe without
// asking the database:
//
//   - Every transaction that changes what the view shows tells the store's CaseWatch (Changing)
//     just before it commits: it sets each changed case's generation to a write lock ("w:…",
//     60 s). While the lock is there no view is served or filled under it: reads go to the
//     database. After the transaction ended, the writer replaces its own lock with a new
//     generation ("g:…"); a lock of another, later writer is left to that writer.
//   - A Redis error when taking the lock fails the write (503, rolled back). A writer that dies
//     between its commit and the unlock leaves the lock, which expires: a missing generation is
//     never served, and the next read starts a new one (SET NX) before it reads the database.
//   - A fill records the generation read before the database was read, so a fill that raced a
//     writer carries an older generation and is never served.
//
// On a miss the database is asked for the case in the resident's scope (its id, version and area
// name, one query: the ownership check) and a view of exactly that version, whatever its
// generation, is still served and re-filled under the current generation; anything else is read
// from the database and cached in its place. Every writer of a case's rows bumps the version in
// the transaction that writes them (UpdateCaseFile for actions, and the direct writers:
// beneficiary link and relink, rating, account erasure) and names the case to the CaseWatch.
//
// Area renames do not touch cases: a served view shows the area name it was filled with until it
// expires (10 minutes) or the case changes. Key rotation re-seals column ciphertexts without
// changing the version: the view key names the cipher's key set, so retiring a key leaves every
// view sealed before unused. Keys carry the public id as a hash tag ({…}): a case's generation
// and view live in one Redis Cluster slot.

// ReadCache is where the progress views are cached.
type ReadCache struct {
	rdb    redis.UniversalClient
	prefix string
	ttl    time.Duration
	log    *slog.Logger
	opened *openedViews // views this process decoded, by view key (each valid for its Gen only)
}

// lockTTL bounds how long a writer's lock on a case's generation outlives a writer that died
// between its commit and its unlock (the lock is taken after the transaction's last statement,
// so only the COMMIT runs under it).
const lockTTL = time.Minute

// NewReadCache caches progress views in rdb under prefix for ttl. It is the store's CaseWatch
// (store.WatchCases) as well as the cases service's cache (WithReadCache).
func NewReadCache(rdb redis.UniversalClient, prefix string, ttl time.Duration, log *slog.Logger) *ReadCache {
	return &ReadCache{rdb: rdb, prefix: prefix, ttl: ttl, log: log, opened: newOpenedViews(openedViewsMax)}
}

func (c *ReadCache) genKey(publicID string) string {
	return c.prefix + "caseview:{" + publicID + "}:gen"
}

// Changing locks the generation of every case in publicIDs (store.CaseWatch): no view of them is
// served or filled until after returns, which starts a new generation for each.
func (c *ReadCache) Changing(ctx context.Context, publicIDs []string) (func(), error) {
	lock := "w:" + randomHex()
	_, err := c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, id := range publicIDs {
			p.Set(ctx, c.genKey(id), lock, lockTTL)
		}
		return nil
	})
	if err != nil {
		return nil, model.ErrUnavailable.WithCause(fmt.Errorf("case view cache: lock %d case(s): %w", len(publicIDs), err))
	}
	return func() {
		// The request may be gone by now: the unlock runs regardless (it is bounded by the client's timeouts).
		ctx := context.WithoutCancel(ctx)
		for _, id := range publicIDs {
			if err := unlockGen.Run(ctx, c.rdb, []string{c.genKey(id)}, lock, "g:"+randomHex(), int(c.ttl/time.Second)).Err(); err != nil {
				c.log.WarnContext(ctx, "case view cache: unlock failed, the case is read from the database until the lock expires",
					"case", id, "err", err)
			}
		}
	}, nil
}

// unlockGen replaces the generation KEYS[1] by ARGV[2] (for ARGV[3] seconds) unless it holds
// another writer's lock (a "w:" value other than ARGV[1]): that writer starts the next one.
var unlockGen = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if cur and string.sub(cur, 1, 2) == 'w:' and cur ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
`)

func randomHex() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// cachedView is what a key holds.
type cachedView struct {
	File     *model.CaseFile
	Events   []model.CaseEvent
	Rating   *model.Rating
	AreaName string
	Gen      string // the case's generation read before the database was (empty: none)
	// Responsible: the owner's name and office phone as read at the fill (an administrator's
	// change of the phone reaches a cached view when the case next changes or the view expires).
	Responsible *cases.Responsible
}

// readableBy reports whether the resident is in the view's case scope (store.ResidentScope).
func (v *cachedView) readableBy(residentID uint64) bool {
	c := &v.File.Case
	return c.ApplicantResidentID == residentID || c.AgentResidentID != nil && *c.AgentResidentID == residentID ||
		c.BeneficiaryResidentID != nil && *c.BeneficiaryResidentID == residentID
}

// fetchPlan is what the progress read fetches from Redis with the session, in the same
// round trip (progressFetch, then getMinePrefetched with what Keys held).
type fetchPlan struct {
	keys   []string    // [generation] or [generation, view]
	opened *cachedView // the view this process decoded last for the case (nil: none)
}

// Keys are the keys to read, in order.
func (p *fetchPlan) Keys() []string {
	if p == nil {
		return nil
	}
	return p.keys
}

// progressFetch says what to read with the session for the progress of case publicID: its
// generation, and its sealed view unless this process holds it decoded already (a view decoded
// here is used only if its generation is still the case's). Nil without a read cache.
// Nil as well for an id that cannot be a case's (model.WellFormedPublicID): nothing is read.
func (s *Service) progressFetch(publicID string) *fetchPlan {
	if s.cache == nil || !model.WellFormedPublicID(publicID) {
		return nil
	}
	viewKey, genKey := s.progressKeys(publicID)
	if v := s.cache.opened.get(viewKey); v != nil {
		return &fetchPlan{keys: []string{genKey}, opened: v}
	}
	return &fetchPlan{keys: []string{genKey, viewKey}}
}

// progressKeys are the Redis keys of the case's cached progress view and of its generation.
func (s *Service) progressKeys(publicID string) (view, gen string) {
	k := s.cache.prefix + "caseview:{" + publicID + "}:view"
	if r, ok := s.cipher.(interface{ KeyIDs() []byte }); ok {
		k += ":k" + hex.EncodeToString(r.KeyIDs())
	}
	return k, s.cache.genKey(publicID)
}

// ProgressViewKey is the Redis key of the case's cached progress view ("" without a read cache).
func (s *Service) ProgressViewKey(publicID string) string {
	if s.cache == nil {
		return ""
	}
	k, _ := s.progressKeys(publicID)
	return k
}

// getMinePrefetched is GetMine given what f's keys held, read before anything else (a nil value:
// nothing there). The resident's scope is checked here as in GetMine.
func (s *Service) getMinePrefetched(ctx context.Context, residentID uint64, publicID string, f *fetchPlan, held [][]byte) (*cases.Record, error) {
	if s.cache == nil || f == nil || len(held) != len(f.keys) {
		return s.GetMine(ctx, residentID, publicID)
	}
	return s.getMineFetched(ctx, residentID, publicID, f, held)
}

// getMineFetched is GetMine through the read model, given what f's keys held.
func (s *Service) getMineFetched(ctx context.Context, residentID uint64, publicID string, f *fetchPlan, held [][]byte) (*cases.Record, error) {
	gen := held[0]
	if f.opened != nil && gen != nil && f.opened.Gen == string(gen) {
		return s.getMineCached(ctx, residentID, publicID, f.opened, gen)
	}
	var sealed []byte
	if len(held) > 1 {
		sealed = held[1]
	} else { // the view decoded here is not current: the one in Redis may be
		viewKey, _ := s.progressKeys(publicID)
		sealed = s.cachedGet(ctx, viewKey)[0]
	}
	return s.getMineCached(ctx, residentID, publicID, s.openView(sealed, publicID), gen)
}

// getMineCached is GetMine through the read model, given the view (opened, nil: none) and the
// generation as Redis held them before this read asked the database anything.
func (s *Service) getMineCached(ctx context.Context, residentID uint64, publicID string, v *cachedView, gen []byte) (*cases.Record, error) {
	current := gen != nil && strings.HasPrefix(string(gen), "g:")
	if v != nil && current && v.Gen == string(gen) && v.readableBy(residentID) {
		return s.viewRecord(ctx, residentID, v, v.AreaName)
	}
	// The database: the generation a fill will carry is the one read before it (a new one if
	// there is none; none while a writer holds the lock). The ownership check (CaseStamp) runs
	// before anything is written to Redis: an id of no case, or of a case that is not the
	// resident's, leaves no generation key behind (issue 19: one account filled Redis with
	// keys of made-up ids).
	stamp, err := s.st.CaseStamp(ctx, store.ResidentScope(residentID), publicID)
	if err != nil {
		return nil, err
	}
	fillGen := ""
	switch {
	case current:
		fillGen = string(gen)
	case gen == nil:
		g := "g:" + randomHex()
		if ok, err := s.cache.rdb.SetNX(ctx, s.cache.genKey(publicID), g, s.cache.ttl).Result(); err == nil && ok {
			fillGen = g
		}
		// The stamp was read before this generation began: a writer may have committed in
		// between, so only a file read from now on may be filled under it (below).
		v = nil
	}
	key, _ := s.progressKeys(publicID)
	if v != nil && v.File.Case.ID == stamp.ID && v.File.Case.Version == stamp.Version {
		if fillGen != "" && (v.Gen != fillGen || v.AreaName != stamp.AreaName) {
			// A copy: v may be shared by concurrent reads (openedViews).
			nv := *v
			nv.Gen, nv.AreaName = fillGen, stamp.AreaName
			s.cachedPut(ctx, key, &nv)
		}
		return s.viewRecord(ctx, residentID, v, stamp.AreaName)
	}
	// A miss: the database, then the view as read (children read after the case row are as new
	// or newer: a view is never older than its version says).
	f, err := s.st.LoadCaseFile(ctx, store.ResidentScope(residentID), publicID)
	if err != nil {
		return nil, err
	}
	rec, err := s.k.Record(ctx, f)
	if err != nil {
		return nil, err
	}
	if rec.Rating, err = s.st.RatingForCase(ctx, f.Case.ID); err != nil {
		return nil, err
	}
	rec.RatingKnown = true
	if rec.Responsible, err = s.k.ResponsibleFor(ctx, f); err != nil {
		return nil, err
	}
	s.cachedPut(ctx, key, &cachedView{File: f, Events: rec.Events, Rating: rec.Rating, AreaName: rec.AreaName, Gen: fillGen, Responsible: rec.Responsible})
	return s.k.ViewForResident(ctx, residentID, rec)
}

// viewRecord is the resident's record built from a cached view.
func (s *Service) viewRecord(ctx context.Context, residentID uint64, v *cachedView, areaName string) (*cases.Record, error) {
	rec := &cases.Record{File: v.File, Events: v.Events, AreaName: areaName, NextStep: cases.NextStepOf(v.File), Today: calendar.DateOf(s.now()),
		Rating: v.Rating, RatingKnown: true, Responsible: v.Responsible}
	return s.k.ViewForResident(ctx, residentID, rec)
}

// cachedGet reads keys (of one case: one hash slot) in one round trip; a value is nil when its
// key is absent or unreadable.
func (s *Service) cachedGet(ctx context.Context, keys ...string) [][]byte {
	out := make([][]byte, len(keys))
	vals, err := s.cache.rdb.MGet(ctx, keys...).Result()
	if err != nil {
		s.log.WarnContext(ctx, "case view cache: read failed, reading the database", "err", err)
		return out
	}
	for i, v := range vals {
		if str, ok := v.(string); ok {
			out[i] = []byte(str)
		}
	}
	return out
}

// openView unseals a cached view of the case publicID (nil: none, or not readable). A view
// filled under a generation is kept decoded in this process (openedViews), so the next read of
// the case under the same generation skips the unsealing and the decoding. An opened view is
// shared by concurrent reads: nothing may change it.
func (s *Service) openView(sealed []byte, publicID string) *cachedView {
	if sealed == nil {
		return nil
	}
	plain, err := s.cipher.Decrypt(sealed)
	if err != nil {
		return nil
	}
	var v cachedView
	if err := json.Unmarshal(plain, &v); err != nil || v.File == nil || v.File.Case.PublicID != publicID {
		return nil
	}
	v.File.Case.Categories = v.File.Categories
	if v.Gen != "" {
		key, _ := s.progressKeys(publicID)
		s.cache.opened.put(key, &v)
	}
	return &v
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

// openedViewsMax bounds the views a process keeps decoded: a household's view takes some tens
// of KB decoded, so at most a few tens of MB.
const openedViewsMax = 1024

// openedViews is a small LRU of decoded views by view key.
type openedViews struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *openedView, most recent first
	byKey map[string]*list.Element
}

type openedView struct {
	key  string
	view *cachedView
}

func newOpenedViews(max int) *openedViews {
	return &openedViews{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

func (o *openedViews) get(key string) *cachedView {
	o.mu.Lock()
	defer o.mu.Unlock()
	e, ok := o.byKey[key]
	if !ok {
		return nil
	}
	o.order.MoveToFront(e)
	return e.Value.(*openedView).view
}

func (o *openedViews) put(key string, v *cachedView) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if e, ok := o.byKey[key]; ok {
		e.Value.(*openedView).view = v
		o.order.MoveToFront(e)
		return
	}
	o.byKey[key] = o.order.PushFront(&openedView{key: key, view: v})
	for o.order.Len() > o.max {
		last := o.order.Back()
		o.order.Remove(last)
		delete(o.byKey, last.Value.(*openedView).key)
	}
}
