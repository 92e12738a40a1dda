package server_test

import (
	"fmt"
	"testing"

	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// BenchmarkStaffQueueHTTP is one caseworker queue page through the real router and a loopback
// HTTP connection: token lookup in Redis, scoped keyset query with categories, area names,
// applicant names, and the audit insert — over 2,000 cases in the town.
//
//	go test ./api/server -run '^$' -bench StaffQueueHTTP -benchmem
func BenchmarkStaffQueueHTTP(b *testing.B) {
	for _, name := range testenv.Names() {
		b.Run(name, func(b *testing.B) {
			h := newHarness(b, testenv.New(b, name), friday)
			tok := h.residentLogin("bench-" + name)
			h.expect(h.do("PUT", "/mp/v1/me/identity", tok, map[string]string{"name": "张三", "idNumber": aliceID}), 200)
			for i := 0; i < 2000; i++ {
				h.expect(h.do("POST", "/mp/v1/cases", tok, application(seed.DemoVillageE1)), 201)
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
