package server_test

import (
	"context"
	"fmt"
	"testing"

	"palmaid/model"
	"palmaid/service/seed"
	"palmaid/service/testenv"
	"palmaid/service/wechat/wxsim"
)

// BenchmarkStaffQueueHTTP is one caseworker queue page through the real router and a loopback
// HTTP connection: token lookup in Redis, scoped keyset query with categories, area names,
// applicant names, and the audit insert — over 2,000 cases in the town.
//
//	go test ./api/server -run '^$' -bench StaffQueueHTTP -benchmem
func BenchmarkStaffQueueHTTP(b *testing.B) {
	for _, name := range testenv.Names() {
		b.Run(name, func(b *testing.B) {
			h := newHarness(b, benchBackend(b, name), friday)
			// 2,000 households, each with its own open application (one per household and
			// category), filed through the services to skip the per-address login limit.
			ctx := context.Background()
			for i := 0; i < 2000; i++ {
				r, err := h.app.Store.UpsertResident(ctx, testAppID, fmt.Sprintf("bench-%s-%d", name, i), "", h.clock.Now())
				testenv.Must(b, err)
				id := makeID("990101", fmt.Sprintf("1970%02d%02d", 1+i/1000, 1+i%28), i%1000)
				_, err = h.app.Residents.SetIdentity(ctx, r.ID, "张三", id, "")
				testenv.Must(b, err)
				_, _, err = h.app.Application.Create(ctx, r.ID, soloApplication(seed.DemoVillageE1, "张三", id, model.CatMinimumLiving), "")
				testenv.Must(b, err)
			}
			staff := h.staffLogin("town_east")
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m := h.expect(h.do("GET", "/api/v1/cases?status=submitted&limit=20", staff, nil), 200)
				if len(m["items"].([]any)) != 20 {
					b.Fatal(fmt.Sprint(m))
				}
			}
		})
	}
}

// BenchmarkProgressReadHTTP is the resident's progress screen, GET /mp/v1/cases/{id}, through
// the real router and a loopback HTTP connection: session lookup, the scoped case file with all
// its child tables, history events and area name, of a household of four.
//
//	go test ./api/server -run '^$' -bench ProgressReadHTTP -benchmem
func BenchmarkProgressReadHTTP(b *testing.B) {
	for _, name := range testenv.Names() {
		b.Run(name, func(b *testing.B) {
			h := newHarness(b, benchBackend(b, name), friday)
			ctx := context.Background()
			user := testenv.UniqueName("bench-progress")
			tok := h.residentLogin(user)
			r, err := h.app.Store.UpsertResident(ctx, testAppID, wxsim.OpenIDFor(testAppID, user), "", h.clock.Now())
			testenv.Must(b, err)
			self := makeID("990101", "19700101", 1)
			_, err = h.app.Residents.SetIdentity(ctx, r.ID, "张三", self, "")
			testenv.Must(b, err)
			// One adult and three minors: a household that files in one request.
			in := soloApplication(seed.DemoVillageE1, "张三", self, model.CatMinimumLiving)
			in.Facts = soloFacts("张三", self, makeID("990101", "20110304", 2), makeID("990101", "20130607", 3), makeID("990101", "20150910", 4))
			rec, _, err := h.app.Application.Create(ctx, r.ID, in, "")
			testenv.Must(b, err)
			path := "/mp/v1/cases/" + rec.File.Case.PublicID
			h.expect(h.do("GET", path, tok, nil), 200)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if res := h.do("GET", path, tok, nil); res.Status != 200 {
					b.Fatalf("status %d: %s", res.Status, res.Body)
				}
			}
		})
	}
}

// BenchmarkSubmitHTTP is POST /mp/v1/cases for a household of four with its Idempotency-Key,
// through the real router and a loopback HTTP connection (each iteration a new resident with a
// bound identity, prepared outside the timer). On MySQL it also reports the statements one submit
// sends (stmts/op, counted on the wire). For the submit profile of docs/PERFORMANCE.md:
//
//	go test ./api/server -run '^$' -bench SubmitHTTP -cpuprofile cpu.out
func BenchmarkSubmitHTTP(b *testing.B) {
	for _, name := range testenv.Names() {
		b.Run(name, func(b *testing.B) {
			be := testenv.New(b, name)
			be.Config.HTTP.TrustedProxies = []string{"127.0.0.1"} // each resident logs in from its own address
			var sql *sqlCounter                                   // MySQL: statements counted on the wire (stmts/op)
			if be.Config.Database.Driver == "mysql" {
				be.Config.Database.DSN, sql = countSQL(b, be.Config.Database.DSN)
			}
			h := newHarness(b, be, friday)
			ctx := context.Background()
			run := testenv.UniqueName("submit")
			var stmts int64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				user := fmt.Sprintf("%s-%d", run, i)
				m := h.expect(h.do("POST", "/mp/v1/auth/login", "", map[string]string{"code": "dev:" + user}, "X-Forwarded-For", fmt.Sprintf("10.9.%d.%d", i/250, i%250+1)), 200)
				tok := m["token"].(string)
				r, err := h.app.Store.UpsertResident(ctx, testAppID, wxsim.OpenIDFor(testAppID, user), "", h.clock.Now())
				testenv.Must(b, err)
				self := makeID("990101", fmt.Sprintf("19%02d0101", 50+i%40), i%1000)
				_, err = h.app.Residents.SetIdentity(ctx, r.ID, "赵大", self, "")
				testenv.Must(b, err)
				// One adult and three minors: a household that files in one request.
				body := map[string]any{"villageCode": seed.DemoVillageE1, "categories": []string{"minimum_living"},
					"facts":          soloFacts("赵大", self, makeID("990101", "20110201", i%1000), makeID("990101", "20130301", i%1000), makeID("990101", "20150401", i%1000)),
					"pledgeAccepted": true, "authorizationAccepted": true}
				var before int64
				if sql != nil {
					before = sql.Statements()
				}
				b.StartTimer()
				if res := h.do("POST", "/mp/v1/cases", tok, body, "Idempotency-Key", fmt.Sprintf("%s-%d", run, i)); res.Status != 201 {
					b.Fatalf("status %d: %s", res.Status, res.Body)
				}
				if sql != nil {
					b.StopTimer()
					stmts += sql.Statements() - before
					b.StartTimer()
				}
			}
			if sql != nil {
				b.ReportMetric(float64(stmts)/float64(b.N), "stmts/op")
			}
		})
	}
}

// benchBackend is a backend whose route limits are lifted (PALMAID_RATE_LIMIT_SCALE): a
// benchmark reads with one account or one officer thousands of times.
func benchBackend(b *testing.B, name string) *testenv.Backend {
	be := testenv.New(b, name)
	be.Config.Limits.RateScale = 100_000
	return be
}
