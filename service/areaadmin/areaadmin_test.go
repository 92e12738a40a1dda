package areaadmin_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/areaadmin"
	"palmaid/service/store"
	"palmaid/service/testenv"
)

var (
	now        = time.Date(2026, 11, 29, 2, 0, 0, 0, time.UTC)
	admin      = &model.Staff{ID: 7, Role: model.RoleAdmin, AreaCode: "371522000000", Active: true}
	townAdmin  = &model.Staff{ID: 9, Role: model.RoleAdmin, AreaCode: "371522001000", Active: true}
	caseworker = &model.Staff{ID: 8, Role: model.RoleTownCaseworker, AreaCode: "371522001000", Active: true}
)

// extract is the real 莘县 extract shipped for counties to start from.
const extract = "../../docs/areas/shenxian-371522.csv"

func parseFile(t *testing.T, path string) []areaadmin.Row {
	t.Helper()
	f, err := os.Open(path)
	testenv.Must(t, err)
	defer f.Close()
	rows, err := areaadmin.Parse(f)
	testenv.Must(t, err)
	return rows
}

func parseText(t *testing.T, s string) []areaadmin.Row {
	t.Helper()
	rows, err := areaadmin.Parse(strings.NewReader(s))
	testenv.Must(t, err)
	return rows
}

func dump(t *testing.T, st *store.Store) map[string]model.Area {
	t.Helper()
	codes, err := st.ActiveAreaCodesUnder(context.Background(), "370000000000", []int{1, 2, 3, 4, 5})
	testenv.Must(t, err)
	all, err := st.AreasByCode(context.Background(), append(codes, "370000000000", "371522001901", "371522001902", "371522001903"))
	testenv.Must(t, err)
	return all
}

func audits(t *testing.T, st *store.Store) []model.AuditLog {
	t.Helper()
	rows, err := st.AuditPage(context.Background(), store.AuditFilter{Action: areaadmin.ActionImport, Limit: 10000}) // newest first
	testenv.Must(t, err)
	slices.Reverse(rows)
	return rows
}

func TestImportShenxian(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		svc := areaadmin.New(st, func() time.Time { return now }, nil)
		rows := parseFile(t, extract)

		// A dry run reports and writes nothing.
		res, err := svc.Import(ctx, admin, areaadmin.Import{Rows: rows, DryRun: true, Source: "extract"})
		testenv.Must(t, err)
		if res.Added != 905 || len(res.Changes) != 905 || !res.DryRun || len(dump(t, st)) != 0 || len(audits(t, st)) != 0 {
			t.Fatalf("dry run: %+v; stored %d, audits %d", res, len(dump(t, st)), len(audits(t, st)))
		}

		res, err = svc.Import(ctx, admin, areaadmin.Import{Rows: rows, Source: "extract"})
		testenv.Must(t, err)
		if res.Added != 905 || res.Unchanged != 0 {
			t.Fatalf("first import: %+v", res)
		}
		got := dump(t, st)
		county, town := got["371522000000"], got["371522001000"]
		if len(got) != 905 || county.Name != "莘县" || county.ParentCode != "371500000000" || county.Level != model.LevelCounty || !county.Active ||
			town.Name != "燕塔街道" || town.ParentCode != "371522000000" || town.Level != model.LevelTown || got["370000000000"].ParentCode != "" {
			t.Fatalf("stored after the first import: %d areas, county %+v, town %+v", len(got), county, town)
		}
		// the real villages: 878 of them, 孙庄村委会 under 古云镇
		if v := got["371522106200"]; v.Name != "孙庄村委会" || v.ParentCode != "371522106000" || v.Level != model.LevelVillage || !v.Active {
			t.Fatalf("stored village: %+v", v)
		}
		villages := 0
		for _, a := range got {
			if a.Level == model.LevelVillage {
				villages++
			}
		}
		if villages != 878 {
			t.Fatalf("%d villages, want 878", villages)
		}

		// Idempotent: a second run changes nothing.
		res, err = svc.Import(ctx, admin, areaadmin.Import{Rows: rows, Source: "extract"})
		testenv.Must(t, err)
		if res.Added+res.Renamed+res.Reactivated+res.Deactivated != 0 || res.Unchanged != 905 || len(res.Changes) != 0 {
			t.Fatalf("second import: %+v", res)
		}
		if again := dump(t, st); len(again) != 905 || again["371522001000"] != town {
			t.Fatalf("the second import changed the table")
		}

		// A changed name updates (the dry run says so first).
		renamed := parseText(t, "code,name,areaCode\n371522001,燕塔街道（更名测试）,371522\n")
		res, err = svc.Import(ctx, admin, areaadmin.Import{Rows: renamed, DryRun: true})
		testenv.Must(t, err)
		if res.Renamed != 1 || res.Changes[0].OldName != "燕塔街道" || dump(t, st)["371522001000"].Name != "燕塔街道" {
			t.Fatalf("dry-run rename: %+v", res)
		}
		_, err = svc.Import(ctx, admin, areaadmin.Import{Rows: renamed})
		testenv.Must(t, err)
		if n := dump(t, st)["371522001000"].Name; n != "燕塔街道（更名测试）" {
			t.Fatalf("renamed town: %q", n)
		}
		// Audited as the administrator's action: three imports, not the dry runs.
		a := audits(t, st)
		if len(a) != 3 || a[0].ActorID != 7 || a[0].ActorType != model.ActorStaff || !strings.Contains(a[0].Detail, "added=905") || !strings.Contains(a[0].Detail, "source=extract") {
			t.Fatalf("audit rows: %+v", a)
		}
	})
}

// Areas are never deleted: an area missing from a file inside --within becomes inactive (still
// stored, names still resolve, no longer offered in village search) and active again when it
// comes back. Without --within, nothing is marked inactive.
func TestImportDeactivatesNeverDeletes(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		svc := areaadmin.New(st, func() time.Time { return now }, nil)
		// the extract's province, city, county and towns: its real villages of 燕塔街道 would
		// make the fixture's three (901–903) the minority this test is not about
		var towns []areaadmin.Row
		for _, r := range parseFile(t, extract) {
			if len(r.Code) <= 9 {
				towns = append(towns, r)
			}
		}
		_, err := svc.Import(ctx, admin, areaadmin.Import{Rows: towns})
		testenv.Must(t, err)
		villages := parseFile(t, "testdata/villages-fixture.csv")
		res, err := svc.Import(ctx, admin, areaadmin.Import{Rows: villages, Within: "371522001"})
		testenv.Must(t, err)
		if res.Added != 3 {
			t.Fatalf("villages: %+v", res)
		}
		if hits, _ := st.SearchVillages(ctx, "测试", false, 10); len(hits) != 3 {
			t.Fatalf("search before: %d hits", len(hits))
		}

		// Without --within a shorter file marks nothing inactive.
		res, err = svc.Import(ctx, admin, areaadmin.Import{Rows: villages[:2]})
		testenv.Must(t, err)
		if res.Deactivated != 0 || !dump(t, st)["371522001903"].Active {
			t.Fatalf("import without within: %+v", res)
		}
		// The towns file does not hold villages: their level is not touched.
		res, err = svc.Import(ctx, admin, areaadmin.Import{Rows: towns, Within: "371522"})
		testenv.Must(t, err)
		if res.Deactivated != 0 {
			t.Fatalf("towns within 莘县 deactivated %d", res.Deactivated)
		}

		res, err = svc.Import(ctx, admin, areaadmin.Import{Rows: villages[:2], Within: "371522001", DryRun: true})
		testenv.Must(t, err)
		if res.Deactivated != 1 || res.Changes[0].Code != "371522001903" || res.Changes[0].Kind != areaadmin.ChangeDeactivate || !dump(t, st)["371522001903"].Active {
			t.Fatalf("dry-run deactivation: %+v", res)
		}
		_, err = svc.Import(ctx, admin, areaadmin.Import{Rows: villages[:2], Within: "371522001"})
		testenv.Must(t, err)
		gone, ok := dump(t, st)["371522001903"]
		if !ok || gone.Active || gone.Name != "测试社区（虚构）" {
			t.Fatalf("the missing village: %+v (stored %v), want kept and inactive", gone, ok)
		}
		if names, _ := st.AreaNames(ctx, []string{"371522001903"}); names["371522001903"] != "测试社区（虚构）" {
			t.Fatalf("an inactive area's name no longer resolves: %v", names)
		}
		if hits, _ := st.SearchVillages(ctx, "测试", false, 10); len(hits) != 2 {
			t.Fatalf("search after deactivation: %d hits, want 2", len(hits))
		}
		res, err = svc.Import(ctx, admin, areaadmin.Import{Rows: villages, Within: "371522001"})
		testenv.Must(t, err)
		if res.Reactivated != 1 || res.Unchanged != 2 || !dump(t, st)["371522001903"].Active {
			t.Fatalf("reimport: %+v", res)
		}
	})
}

// Only rows inside --within (and its ancestors) are imported: a county out of a country file.
func TestImportWithinSkipsOtherAreas(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		svc := areaadmin.New(st, func() time.Time { return now }, nil)
		rows := parseFile(t, extract)
		rows = append(rows, parseText(t, "code,name,areaCode\n371521001,博济桥街道,371521\n")...)
		prov := &model.Staff{ID: 1, Role: model.RoleAdmin, AreaCode: "370000000000", Active: true}
		res, err := svc.Import(ctx, prov, areaadmin.Import{Rows: rows, Within: "371522"})
		testenv.Must(t, err)
		if res.Skipped != 1 || res.Added != 905 {
			t.Fatalf("within 371522: %+v", res)
		}
	})
}

func TestImportValidation(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		svc := areaadmin.New(st, func() time.Time { return now }, nil)
		if _, err := svc.Import(ctx, caseworker, areaadmin.Import{Rows: parseFile(t, extract)}); !errors.Is(err, model.ErrForbidden) {
			t.Fatalf("caseworker import: %v, want forbidden", err)
		}
		cases := []struct {
			name, file, within, field string
			by                        *model.Staff
		}{
			{"bad code", "code,name\n3715x,聊城市\n", "", "rows[2].code", admin},
			{"short code not a level", "code,name\n371500,聊城市\n", "", "rows[2].code", admin},
			{"parent disagrees with the code", "code,name,areaCode\n37,山东省,\n3715,聊城市,\n371522,莘县,\n371522001,燕塔街道,371521\n", "", "rows[5].parent", admin},
			{"parent neither in the file nor loaded", "code,name,areaCode\n371522001,燕塔街道,371522\n", "", "rows[2].parent", admin},
			{"duplicate", "code,name\n37,山东省\n37,山东\n", "", "rows[3].code", admin},
			{"empty name", "code,name\n37,\n", "", "rows[2].name", admin},
			{"invisible character", "code,name\n37,山东\u200b省\n", "", "rows[2].name", admin},
			{"within outside the area", "code,name\n37,山东省\n", "3714", "within", admin},
			{"within not a code", "code,name\n37,山东省\n", "37x", "within", admin},
		}
		for _, c := range cases {
			_, err := svc.Import(ctx, c.by, areaadmin.Import{Rows: parseText(t, c.file), Within: c.within})
			me := model.AsError(err)
			if me == nil || me.Kind != model.KindInvalid || me.Fields[c.field] == "" {
				t.Errorf("%s: %v (fields %v), want a hint on %s", c.name, err, me, c.field)
			}
		}
		if _, err := svc.Import(ctx, admin, areaadmin.Import{Rows: parseText(t, "code,name\n11,北京市\n"), Within: "371522"}); model.AsError(err) == nil || model.AsError(err).Code != "area.empty_import" {
			t.Errorf("nothing inside within: %v", err)
		}
		// Rows outside the administrator's area are skipped, never written: a sibling town for a
		// town's administrator, another province's city for a county's.
		for _, c := range []struct {
			by   *model.Staff
			file string
		}{{townAdmin, "code,name,areaCode\n371522002,莘亭街道,371522\n"}, {admin, "code,name\n3714,德州市\n"}} {
			_, err := svc.Import(ctx, c.by, areaadmin.Import{Rows: parseText(t, c.file)})
			if me := model.AsError(err); me == nil || me.Code != "area.empty_import" {
				t.Errorf("%s imports %q: %v, want area.empty_import (the row skipped)", c.by.AreaCode, c.file, err)
			}
		}
		if len(dump(t, st)) != 0 || len(audits(t, st)) != 0 {
			t.Fatal("a refused import wrote something")
		}
	})
}

// failingAudit makes the audit write fail.
type failingAudit struct{ areaadmin.Store }

func (failingAudit) Audit(context.Context, *model.AuditLog) error { return errors.New("disk full") }

// The audit is part of the import: when it cannot be written, no area is stored.
func TestImportIsOneTransaction(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		svc := areaadmin.New(failingAudit{st}, func() time.Time { return now }, nil)
		_, err := svc.Import(ctx, admin, areaadmin.Import{Rows: parseFile(t, extract)})
		if me := model.AsError(err); me == nil || me.Kind != model.KindUnavailable {
			t.Fatalf("import with a failing audit: %v, want 503", err)
		}
		if n := len(dump(t, st)); n != 0 {
			t.Fatalf("%d areas stored by a rolled-back import", n)
		}
	})
}

// The published files repeat a parent under a child's column: areas.csv lists 东莞市 as a
// county 441900 (its towns' areaCode), streets.csv and villages.csv list 金门县 as its own town
// 350527000 and village 350527000000. Such a
// row is the parent itself: skipped, not an error, so the files import as published.
func TestImportSkipsRowsRepeatingTheirParent(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		svc := areaadmin.New(st, func() time.Time { return now }, nil)
		gd := &model.Staff{ID: 2, Role: model.RoleAdmin, AreaCode: "440000000000", Active: true}
		rows := parseText(t, "code,name\n44,广东省\n")
		rows = append(rows, parseText(t, "code,name,provinceCode\n4419,东莞市,44\n")...)
		rows = append(rows, parseText(t, "code,name,cityCode,provinceCode\n441900,东莞市,4419,44\n")...)
		rows = append(rows, parseText(t, "code,name,areaCode,provinceCode,cityCode\n441900003,东城街道,441900,44,4419\n")...)
		res, err := svc.Import(ctx, gd, areaadmin.Import{Rows: rows, Within: "4419"})
		testenv.Must(t, err)
		if res.Added != 3 || res.Skipped != 1 {
			t.Fatalf("东莞: %+v", res)
		}
		if town := dump44(t, st, "441900003000"); town.ParentCode != "441900000000" || town.Name != "东城街道" {
			t.Fatalf("东莞's town: %+v", town)
		}
		fj := &model.Staff{ID: 3, Role: model.RoleAdmin, AreaCode: "350000000000", Active: true}
		rows = parseText(t, "code,name\n35,福建省\n")
		rows = append(rows, parseText(t, "code,name,provinceCode\n3505,泉州市,35\n")...)
		rows = append(rows, parseText(t, "code,name,cityCode,provinceCode\n350527,金门县,3505,35\n")...)
		rows = append(rows, parseText(t, "code,name,areaCode,provinceCode,cityCode\n350527000,金门县,350527,35,3505\n")...)
		rows = append(rows, parseText(t, "code,name,streetCode,provinceCode,cityCode,areaCode\n350527000000,金门县,350527000,35,3505,350527\n")...)
		res, err = svc.Import(ctx, fj, areaadmin.Import{Rows: rows})
		testenv.Must(t, err)
		if res.Added != 3 || res.Skipped != 2 {
			t.Fatalf("金门: %+v", res)
		}
		// a short code that repeats no parent is still refused
		bad := parseText(t, "code,name,areaCode\n350527000,金门县,350526\n")
		if _, err := svc.Import(ctx, fj, areaadmin.Import{Rows: bad}); model.AsError(err) == nil || model.AsError(err).Code != "area.invalid_rows" {
			t.Fatalf("a bad short code: %v", err)
		}
	})
}

func dump44(t *testing.T, st *store.Store, code string) model.Area {
	t.Helper()
	all, err := st.AreasByCode(context.Background(), []string{code})
	testenv.Must(t, err)
	return all[code]
}
