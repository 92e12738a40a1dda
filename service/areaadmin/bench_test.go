package areaadmin_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/areaadmin"
	"palmaid/service/testenv"
)

// countryCSV builds a division file shaped like the whole country's release (34 provinces, ~10
// cities each, ~9 counties a city, ~13 towns a county, ~16 villages a town ≈ 680,000 rows, the
// published file's size) or, scaled by n provinces, a part of it. Names are synthetic.
func countryCSV(provinces int) []byte {
	var b bytes.Buffer
	b.WriteString("code,name,streetCode,areaCode,cityCode,provinceCode\n")
	for p := 11; p < 11+provinces; p++ {
		fmt.Fprintf(&b, "%d,省%d,,,,\n", p, p)
		for c := 1; c <= 10; c++ {
			city := fmt.Sprintf("%d%02d", p, c)
			fmt.Fprintf(&b, "%s,市%s,,,,%d\n", city, city, p)
			for a := 1; a <= 9; a++ {
				county := fmt.Sprintf("%s%02d", city, a)
				fmt.Fprintf(&b, "%s,县%s,,,%s,%d\n", county, county, city, p)
				for s := 1; s <= 13; s++ {
					town := fmt.Sprintf("%s%03d", county, s)
					fmt.Fprintf(&b, "%s,镇%s,,%s,%s,%d\n", town, town, county, city, p)
					for v := 1; v <= 16; v++ {
						fmt.Fprintf(&b, "%s%03d,村%d,%s,%s,%s,%d\n", town, v, v, town, county, city, p)
					}
				}
			}
		}
	}
	return b.Bytes()
}

// BenchmarkImportCountry times one import of a division file into an empty database (parse,
// validate, write, audit) and a second, unchanged run. PALMAID_BENCH_PROVINCES sets the size:
// 34 is the whole country (≈ 680,000 areas); the default, 1, is one province (≈ 20,000).
//
//	PALMAID_BENCH_PROVINCES=34 go test -run '^$' -bench ImportCountry -benchtime 1x ./service/areaadmin/
func BenchmarkImportCountry(b *testing.B) {
	provinces := 1
	if v, err := strconv.Atoi(os.Getenv("PALMAID_BENCH_PROVINCES")); err == nil && v >= 1 && v <= 34 {
		provinces = v
	}
	data := countryCSV(provinces)
	for _, name := range testenv.Names() {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			for range b.N {
				b.StopTimer()
				st := testenv.New(b, name).Store(b)
				b.StartTimer()
				rows, err := areaadmin.Parse(bytes.NewReader(data))
				testenv.Must(b, err)
				// An administrator's area is at most a province: the country's file is given to each
				// province's administrator as it is (the other provinces' rows are skipped).
				var added int
				for p := 11; p < 11+provinces; p++ {
					admin := &model.Staff{ID: 1, Role: model.RoleAdmin, AreaCode: fmt.Sprintf("%d0000000000", p), Active: true}
					res, err := areaadmin.New(st, time.Now, nil).Import(ctx, admin, areaadmin.Import{Rows: rows, Within: strconv.Itoa(p)})
					testenv.Must(b, err)
					added += res.Added
				}
				b.StopTimer()
				b.ReportMetric(float64(added), "areas")
				start := time.Now()
				res, err := areaadmin.New(st, time.Now, nil).Import(ctx, &model.Staff{ID: 1, Role: model.RoleAdmin, AreaCode: "110000000000", Active: true},
					areaadmin.Import{Rows: rows, Within: "11", DryRun: true})
				testenv.Must(b, err)
				if res.Added != 0 || res.Unchanged == 0 {
					b.Fatalf("re-run of province 11: %+v", res)
				}
				b.ReportMetric(time.Since(start).Seconds(), "s-rerun-province")
				b.StartTimer()
			}
		})
	}
}
