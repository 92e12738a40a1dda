package store_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/benefits"
	"palmaid/service/calendar"
	"palmaid/service/crypto"
	"palmaid/service/testenv"
)

// BenchmarkRoster100k (issue 24): a county roster of 100 000 benefits (each with its approval
// change and a sealed payee account, across ten towns) is built from the benefits, confirmed by
// the towns, approved, and exported unmasked (100 000 numbers and names decrypted), on MariaDB.
// Target: under 30 s and 200 MB. Run it on purpose:
//
//	PALMAID_TEST_BACKENDS=mariadb PALMAID_TEST_MYSQL_DSN=… go test -run '^$' -bench Roster100k -benchtime 1x ./service/store/
//
// It reports the wall time of building and of exporting, and the peak Go heap in use sampled
// every 10 ms while they run.
func BenchmarkRoster100k(b *testing.B) {
	testenv.Require(b, "mariadb")
	const n = 100_000
	ctx := context.Background()
	st := testenv.New(b, "mariadb").Store(b)
	key := make([]byte, crypto.DataKeySize)
	idx := make([]byte, crypto.MinIndexKeySize)
	cipher, err := crypto.NewSM(1, key, idx)
	testenv.Must(b, err)
	county := "371522000000"
	towns := make([]string, 10)
	for i := range towns {
		towns[i] = fmt.Sprintf("3715221%02d000", i)
	}
	at := time.Date(2026, 12, 15, 2, 0, 0, 0, time.UTC)
	start := time.Now()
	number, _ := cipher.EncryptString("6228480402564891234")
	holder, _ := cipher.EncryptString("张三丰")
	for done := 0; done < n; done += 5000 {
		bs := make([]model.Benefit, 5000)
		for i := range bs {
			k := done + i
			town := towns[k%len(towns)]
			bs[i] = model.Benefit{PublicID: fmt.Sprintf("bench%021d", k), Category: model.CatMinimumLiving, HouseholdID: uint64(k + 1),
				MemberPosition: model.HouseholdLevel, PersonMasked: "张*", AreaCode: town[:9] + "200", TownCode: town, CountyCode: county,
				Status: model.BenefitActive, Persons: 1 + k%4, MonthlyCents: 50000 + int64(k%7)*1000, EffectiveFrom: "2027-01",
				SourceCaseID: uint64(k + 1), Version: 1, CreatedAt: at, UpdatedAt: at}
		}
		testenv.Must(b, st.CreateInBatchesForTest(ctx, &bs, 1000))
		cs := make([]model.BenefitChange, len(bs))
		as := make([]model.PayeeAccount, len(bs))
		for i, x := range bs {
			cs[i] = model.BenefitChange{BenefitID: x.ID, Kind: model.ChangeApprove, EffectiveMonth: "2027-01", MonthlyCentsAfter: x.MonthlyCents,
				Persons: x.Persons, DecidedByStaffID: 1, DecidedAt: at}
			as[i] = model.PayeeAccount{BenefitID: x.ID, Kind: model.AccountOneCardPassbook, Bank: "莘县农商银行", HolderMasked: "张*丰",
				HolderEnc: holder, NumberEnc: number, Tail4: "1234", VerifiedByStaff: 1, VerifiedAt: at, CreatedAt: at}
		}
		testenv.Must(b, st.CreateInBatchesForTest(ctx, &cs, 1000))
		testenv.Must(b, st.CreateInBatchesForTest(ctx, &as, 1000))
	}
	testenv.Must(b, st.ExecForTest(ctx, "UPDATE benefits b JOIN payee_accounts a ON a.benefit_id = b.id SET b.account_id = a.id"))
	b.Logf("set-up: %d benefits, changes and accounts in %s", n, time.Since(start).Round(time.Second))

	now := time.Date(2027, 1, 4, 1, 0, 0, 0, time.UTC)
	svc := benefits.New(st.Benefits(), cipher, calendar.New(calendar.Seed(), calendar.SeedYears()...), calendar.Location(), func() time.Time { return now })
	officer := &model.Staff{ID: 1, Role: model.RoleCountyOfficer, AreaCode: county, Active: true}
	leader := &model.Staff{ID: 2, Role: model.RoleCountyLeader, AreaCode: county, Active: true}

	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}
	}()
	runtime.GC()
	b.ResetTimer()
	t0 := time.Now()
	r, err := svc.Prepare(ctx, officer, "2027-01", model.CatMinimumLiving)
	testenv.Must(b, err)
	build := time.Since(t0)
	buildPeak := peak.Swap(0)
	if r.Households != n {
		b.Fatalf("roster of %d households", r.Households)
	}
	v := r.Roster.Version
	t2 := time.Now()
	for _, town := range towns {
		tr, err := svc.Confirm(ctx, &model.Staff{ID: 3, Role: model.RoleTownCaseworker, AreaCode: town, Active: true}, r.Roster.PublicID, v)
		testenv.Must(b, err)
		v = tr.Roster.Version
	}
	ar, err := svc.Approve(ctx, leader, r.Roster.PublicID, v)
	testenv.Must(b, err)
	steps := time.Since(t2)
	// a page of lines searched by a town's code (what the console shows instead of all lines)
	t3 := time.Now()
	page, err := svc.Lines(ctx, leader, r.Roster.PublicID, benefits.LineFilter{Area: towns[3], Status: model.LinePending, Limit: 100})
	testenv.Must(b, err)
	if len(page.Lines) != 100 || page.Next == 0 {
		b.Fatalf("a page of %d lines", len(page.Lines))
	}
	pageRead := time.Since(t3)
	runtime.GC() // the export is a request of its own: the build's garbage is not its memory
	peak.Store(0)
	t1 := time.Now()
	file, _, sum, err := svc.Export(ctx, leader, ar.Roster.PublicID, benefits.FormatCSV, true)
	testenv.Must(b, err)
	export := time.Since(t1)
	b.StopTimer()
	close(stop)
	b.ReportMetric(build.Seconds(), "build-s")
	b.ReportMetric(export.Seconds(), "export-s")
	b.ReportMetric(steps.Seconds(), "confirm10-approve-s")
	b.ReportMetric(float64(pageRead.Milliseconds()), "lines-page-ms")
	b.ReportMetric(float64(buildPeak)/(1<<20), "build-peak-heap-MB")
	b.ReportMetric(float64(peak.Load())/(1<<20), "export-peak-heap-MB")
	b.Logf("built %d lines (%d 分) in %s (peak heap in use %.0f MB); confirm by 10 towns and approval; exported %d bytes (sha256 %s…) in %s (peak heap in use %.0f MB)",
		r.Households, r.TotalCents, build.Round(time.Millisecond), float64(buildPeak)/(1<<20), len(file), sum[:12], export.Round(time.Millisecond), float64(peak.Load())/(1<<20))
}
