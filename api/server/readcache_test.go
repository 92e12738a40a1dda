package server_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/seed"
	"palmaid/service/store"
	"palmaid/service/testenv"
	"palmaid/service/wechat/wxsim"
)

// TestProgressCacheNeverStale: the resident's progress view is cached in Redis by case and
// version (service/cases readcache). For every writer of a case's rows — an action through
// UpdateCaseFile (resident and system), the beneficiary link when they bind their identity,
// the relink when a verified claim takes the number, a rating, and account erasure — the view
// is read (the cache is filled), the writer runs, and the next read must equal what the
// database holds, never the cached copy.
func TestProgressCacheNeverStale(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, friday)
		ctx := context.Background()
		outer := t
		seq := 0
		fixT := t // the subtest running: the helpers below fail it, not the parent
		resident := func() uint64 {
			t := fixT
			t.Helper()
			seq++
			r, err := h.app.Store.UpsertResident(ctx, testAppID, wxsim.OpenIDFor(testAppID, testenv.UniqueName("cache")), "", h.clock.Now())
			testenv.Must(t, err)
			return r.ID
		}
		newCase := func(applicant uint64) *model.Case {
			t := fixT
			t.Helper()
			id := makeID("990101", fmt.Sprintf("1970%02d%02d", 1+seq%12, 1+seq%28), 100+seq)
			_, err := h.app.Residents.SetIdentity(ctx, applicant, "张三", id, "")
			testenv.Must(t, err)
			rec, _, err := h.app.Application.Create(ctx, applicant, soloApplication(seed.DemoVillageE1, "张三", id, model.CatMinimumLiving), "")
			testenv.Must(t, err)
			// The linking writers below need a case whose beneficiary has no account linked yet
			// (as one filed by an agent): the link is cleared.
			cf, err := h.app.Store.UpdateCaseFile(ctx, store.SystemScope(rec.Case().ID), rec.Case().PublicID, 0, h.clock.Now(), func(ctx context.Context, cf *model.CaseFile) error {
				cf.Case.BeneficiaryResidentID = nil
				return nil
			})
			testenv.Must(t, err)
			return &cf.Case
		}
		type fixture struct {
			cs               *model.Case
			applicant, other uint64
		}
		// link makes other the case's beneficiary with the store writer the identity binding calls
		// (a case filed through Create carries no beneficiary number: '' selects it here, alone in
		// this test's database).
		link := func(f *fixture) {
			t := fixT
			t.Helper()
			_, err := h.app.Store.LinkBeneficiary(ctx, f.other, f.cs.BeneficiaryIDBidx)
			testenv.Must(t, err)
		}
		rate := func(f *fixture, comment string) {
			t := fixT
			t.Helper()
			testenv.Must(t, h.app.Store.InsertRating(ctx, &model.Rating{CaseID: f.cs.ID, ResidentID: f.applicant, Stars: 4, Comment: comment, CreatedAt: h.clock.Now()}))
		}
		writers := []struct {
			name   string
			setup  func(f *fixture)
			reader func(f *fixture) uint64
			write  func(f *fixture)
		}{
			{name: "resident action (withdraw)", reader: func(f *fixture) uint64 { return f.applicant }, write: func(f *fixture) {
				_, err := h.app.Application.Withdraw(ctx, f.applicant, f.cs.PublicID, f.cs.Version, "不需要了")
				testenv.Must(fixT, err)
			}},
			{name: "system action through UpdateCaseFile", reader: func(f *fixture) uint64 { return f.applicant }, write: func(f *fixture) {
				_, err := h.app.Store.UpdateCaseFile(ctx, store.SystemScope(f.cs.ID), f.cs.PublicID, 0, h.clock.Now(), func(ctx context.Context, cf *model.CaseFile) error {
					cf.Case.Reason = "系统更正的申请理由"
					return nil
				})
				testenv.Must(fixT, err)
			}},
			{name: "beneficiary linked at identity binding", reader: func(f *fixture) uint64 { return f.applicant }, write: link},
			{name: "rating", reader: func(f *fixture) uint64 { return f.applicant }, write: func(f *fixture) { rate(f, "办事快") }},
			{name: "account erasure (the rating comment is cleared)", setup: func(f *fixture) { link(f); rate(f, "办事快，态度好") },
				reader: func(f *fixture) uint64 { return f.other }, write: func(f *fixture) {
					testenv.Must(fixT, h.app.Store.EraseResident(ctx, f.applicant, testenv.UniqueName("erased"), h.clock.Now()))
				}},
		}
		for _, w := range writers {
			t.Run(w.name, func(t *testing.T) {
				fixT = t
				defer func() { fixT = outer }()
				f := &fixture{applicant: resident(), other: resident()}
				f.cs = newCase(f.applicant)
				if w.setup != nil {
					w.setup(f)
				}
				reader := w.reader(f)
				before := progressJSON(t, h, reader, f.cs.PublicID, false)
				if got := progressJSON(t, h, reader, f.cs.PublicID, false); got != before {
					t.Fatalf("two reads without a write differ:\n%s\n%s", before, got)
				}
				keys, err := h.app.Redis.Keys(ctx, be.Config.Redis.KeyPrefix+"caseview:{"+f.cs.PublicID+"}:*").Result()
				testenv.Must(t, err)
				if len(keys) == 0 {
					t.Fatal("the read left no cached view: the test would prove nothing")
				}
				// The ownership check holds on a cache hit: a stranger's read is "not found".
				if _, err := h.app.Progress.GetMine(ctx, resident(), f.cs.PublicID); !errors.Is(err, model.ErrCaseNotFound) {
					t.Fatalf("a stranger reads a cached case: %v", err)
				}
				w.write(f)
				got, want := progressJSON(t, h, reader, f.cs.PublicID, false), progressJSON(t, h, reader, f.cs.PublicID, true)
				if got != want {
					t.Fatalf("after the write the cached read differs from the database:\ncached:   %s\ndatabase: %s", got, want)
				}
				if got == before {
					t.Fatalf("the write changed nothing the view shows: the test would prove nothing\n%s", got)
				}
			})
		}
	})
}

// progressJSON is the resident's record as the progress screen builds it: through the cached
// service, or (fresh) straight from the database.
func progressJSON(t *testing.T, h *harness, residentID uint64, publicID string, fresh bool) string {
	t.Helper()
	ctx := context.Background()
	var v struct {
		File     *model.CaseFile
		Events   []model.CaseEvent
		AreaName string
		Rating   *model.Rating
	}
	if fresh {
		f, err := h.app.Store.LoadCaseFile(ctx, store.ResidentScope(residentID), publicID)
		testenv.Must(t, err)
		v.File = f
		v.Events, err = h.app.Store.CaseEvents(ctx, f.Case.ID)
		testenv.Must(t, err)
		v.AreaName, err = h.app.Store.CaseAreaName(ctx, &f.Case)
		testenv.Must(t, err)
		v.Rating, err = h.app.Store.RatingForCase(ctx, f.Case.ID)
		testenv.Must(t, err)
	} else {
		rec, err := h.app.Progress.GetMine(ctx, residentID, publicID)
		testenv.Must(t, err)
		if !rec.RatingKnown {
			t.Fatal("the cached read did not carry the rating")
		}
		v.File, v.Events, v.AreaName, v.Rating = rec.File, rec.Events, rec.AreaName, rec.Rating
	}
	b, err := json.Marshal(v)
	testenv.Must(t, err)
	return string(b)
}

// The progress screen over HTTP reads the session and the case's cached view in one Redis round
// trip, before the scope check: the view it prefetched is used only for the resident's own case
// and only at the case's current version. A stranger holding a valid session gets "not found"
// for a case whose view is cached, exactly as for a case that does not exist; an older view put
// back under the key (a fill that lost a race) is never served.
func TestProgressReadPrefetched(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, friday)
		ctx := context.Background()
		tok, id := residentWithCase(h, "prefetch-"+be.Name)
		first := h.do("GET", "/mp/v1/cases/"+id, tok, nil)
		if first.Status != 200 {
			t.Fatalf("progress: %d %s", first.Status, first.Body)
		}
		key := h.app.Progress.ProgressViewKey(id)
		old, err := h.app.Redis.Get(ctx, key).Bytes()
		if err != nil {
			t.Fatalf("the read left no view at %s: %v", key, err)
		}
		if again := h.do("GET", "/mp/v1/cases/"+id, tok, nil); again.Status != 200 || string(again.Body) != string(first.Body) {
			t.Fatalf("a cached read differs: %d\n%s\n%s", again.Status, first.Body, again.Body)
		}

		stranger := h.residentLogin(testenv.UniqueName("stranger-" + be.Name))
		mine := h.do("GET", "/mp/v1/cases/"+id, stranger, nil)
		none := h.do("GET", "/mp/v1/cases/"+id[:len(id)-1]+"0", stranger, nil)
		if mine.Status != 404 || none.Status != 404 || !strings.Contains(string(mine.Body), `"case.not_found"`) ||
			strings.Contains(string(mine.Body), "张三") {
			t.Fatalf("a stranger reads a cached case: %d %s (a missing case: %d %s)", mine.Status, mine.Body, none.Status, none.Body)
		}
		if r := h.do("GET", "/mp/v1/cases/"+id, "", nil); r.Status != 401 {
			t.Fatalf("no session: %d %s", r.Status, r.Body)
		}
		if r := h.do("GET", "/mp/v1/cases/"+id, "mp-not-a-session", nil); r.Status != 401 {
			t.Fatalf("a made-up session: %d %s", r.Status, r.Body)
		}

		h.expect(h.do("POST", "/api/v1/cases/"+id+"/accept", h.staffLogin("town_east"), map[string]any{"version": 2}), 200)
		after := h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
		if after["status"] != string(model.StatusAccepted) {
			t.Fatalf("after the accept the progress shows %v", after["status"])
		}
		// The view of version 1 put back, as a fill that lost a race to a newer one would.
		testenv.Must(t, h.app.Redis.Set(ctx, key, old, time.Hour).Err())
		if again := h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200); again["status"] != string(model.StatusAccepted) {
			t.Fatalf("an older cached view was served: %v", again["status"])
		}
	})
}

// The progress read asks the database nothing while the case's view is current: it is served
// from Redis by the case's generation. The test changes the case's row behind the store's back
// (raw SQL, bumping the version as every writer does, but without telling the cache, which no
// writer of palmaid can skip: every writer goes through the store, which locks the
// generation before it commits) to see which source answers:
//   - with the generation current, the cached view answers, also to concurrent reads (run with
//     -race: a view decoded once is shared by them);
//   - a writer's lock left by a writer that died between its commit and its unlock sends every
//     read to the database, and fills nothing under it;
//   - when that lock expires, the next read starts a new generation and fills the view again;
//   - a stranger gets "not found" from a current view as from the database.
func TestProgressReadGenerations(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, friday)
		ctx := context.Background()
		tok, id := residentWithCase(h, "gen-"+be.Name)
		status := func() any {
			t.Helper()
			return h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)["status"]
		}
		driver := map[string]string{"sqlite": "sqlite3", "mysql": "mysql"}[be.Config.Database.Driver]
		db, err := sql.Open(driver, be.Config.Database.DSN)
		testenv.Must(t, err)
		defer db.Close()
		setStatus := func(s model.Status) {
			t.Helper()
			if _, err := db.Exec("UPDATE cases SET status = ?, version = version + 1 WHERE public_id = ?", string(s), id); err != nil {
				t.Fatal(err)
			}
		}
		genKey := be.Config.Redis.KeyPrefix + "caseview:{" + id + "}:gen"

		if s := status(); s != string(model.StatusSubmitted) { // fills the view
			t.Fatalf("first read: %v", s)
		}
		setStatus(model.StatusAccepted)
		var wg sync.WaitGroup
		bodies := make([]string, 8)
		for g := range bodies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 10 {
					r := h.do("GET", "/mp/v1/cases/"+id, tok, nil)
					if r.Status != 200 || bodies[g] != "" && bodies[g] != string(r.Body) {
						t.Errorf("concurrent read: %d %s", r.Status, r.Body)
						return
					}
					bodies[g] = string(r.Body)
				}
			}()
		}
		wg.Wait()
		for _, b := range bodies {
			if !strings.Contains(b, `"status":"submitted"`) {
				t.Fatalf("a current view was not served (the database's status answered):\n%s", b)
			}
		}
		stranger := h.residentLogin(testenv.UniqueName("gen-stranger-" + be.Name))
		if r := h.do("GET", "/mp/v1/cases/"+id, stranger, nil); r.Status != 404 || !strings.Contains(string(r.Body), `"case.not_found"`) {
			t.Fatalf("a stranger reads a current view: %d %s", r.Status, r.Body)
		}

		// A writer's lock that nobody will lift: the database answers, every time.
		testenv.Must(t, h.app.Redis.Set(ctx, genKey, "w:dead-writer", time.Minute).Err())
		if s := status(); s != string(model.StatusAccepted) {
			t.Fatalf("under a writer's lock the progress shows %v, want the database's", s)
		}
		setStatus(model.StatusWithdrawn)
		if s := status(); s != string(model.StatusWithdrawn) {
			t.Fatalf("under a writer's lock a second read shows %v, want the database's", s)
		}
		if g, _ := h.app.Redis.Get(ctx, genKey).Result(); g != "w:dead-writer" {
			t.Fatalf("a read replaced a writer's lock: %q", g)
		}
		// The lock expired: the next read starts a generation and fills under it.
		testenv.Must(t, h.app.Redis.Del(ctx, genKey).Err())
		if s := status(); s != string(model.StatusWithdrawn) {
			t.Fatalf("after the lock expired: %v", s)
		}
		if g, _ := h.app.Redis.Get(ctx, genKey).Result(); !strings.HasPrefix(g, "g:") {
			t.Fatalf("no new generation after the lock expired: %q", g)
		}
		setStatus(model.StatusSubmitted)
		if s := status(); s != string(model.StatusWithdrawn) {
			t.Fatalf("the view filled under the new generation was not served: %v", s)
		}
	})
}

// residentWithCase logs a new resident in (name made unique), binds Alice's identity and files
// an application in the demo village: the resident's token and the case's public id.
func residentWithCase(h *harness, name string) (tok, id string) {
	tok = h.residentLogin(testenv.UniqueName(name))
	h.expect(h.do("PUT", "/mp/v1/me/identity", tok, map[string]string{"name": "张三", "idNumber": aliceID}), 200)
	return tok, h.expect(h.do("POST", "/mp/v1/cases", tok, application(seed.DemoVillageE1)), 201)["id"].(string)
}
