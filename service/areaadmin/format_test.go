package areaadmin

import (
	"fmt"
	"strings"
	"testing"

	"palmaid/model"
)

func rowsString(rows []Row) string {
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%d:%s/%s<%s;", r.Line, r.Code, r.Name, r.Parent)
	}
	return b.String()
}

// Every file shape of the dataset parses to code, name and the most specific parent stated.
func TestParseFormats(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"provinces.csv", "code,name\n37,\"山东省\"\n", "2:37/山东省<;"},
		{"cities.csv with BOM", "\ufeffcode,name,provinceCode\n3715,\"聊城市\",37\n", "2:3715/聊城市<37;"},
		{"areas.csv", "code,name,cityCode,provinceCode\n371522,\"莘县\",3715,37\n", "2:371522/莘县<3715;"},
		{"streets.csv", "code,name,areaCode,provinceCode,cityCode\r\n371522001,\"燕塔街道\",371522,37,3715\r\n\r\n371522002,莘亭街道,371522,37,3715\r\n",
			"2:371522001/燕塔街道<371522;4:371522002/莘亭街道<371522;"},
		{"villages.csv", "code,name,streetCode,provinceCode,cityCode,areaCode\n371522001901,\"甲村\",371522001,37,3715,371522\n", "2:371522001901/甲村<371522001;"},
		{"streets.json", `[{"code":"371522001","name":"燕塔街道","areaCode":"371522","provinceCode":"37","cityCode":"3715"}]`, "1:371522001/燕塔街道<371522;"},
		{"old streets.json (12 digits, parent_code)", ` [{"code":"371522001000","name":"燕塔街道办事处","parent_code":"371522"}]`, "1:371522001000/燕塔街道办事处<371522;"},
		{"numbers as codes", `[{"code":37,"name":"山东省"}]`, "1:37/山东省<;"},
		{"pcas-code.json (nested)", `[{"code":"37","name":"山东省","children":[{"code":"3715","name":"聊城市","children":[{"code":"371522","name":"莘县"}]}]}]`,
			"1:37/山东省<;2:3715/聊城市<37;3:371522/莘县<3715;"},
	}
	for _, c := range cases {
		rows, err := Parse(strings.NewReader(c.in))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := rowsString(rows); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	for name, in := range map[string]string{
		"empty":         "  \n",
		"no code":       "id,name\n1,x\n",
		"bad quoting":   "code,name\n37,\"山东\"省\"\n",
		"bad JSON":      `[{"code":"37",`,
		"JSON object":   `{"code":"37","name":"山东省"}`,
		"code is array": `[{"code":["37"],"name":"山东省"}]`,
	} {
		_, err := Parse(strings.NewReader(in))
		if me := model.AsError(err); me == nil || me.Code != "area.invalid_file" || len(me.Fields) == 0 {
			t.Errorf("%s: %v, want area.invalid_file with a field hint", name, err)
		}
	}
}

func TestNormalise(t *testing.T) {
	for in, want := range map[string]string{"37": "370000000000", "3715": "371500000000", "371522": "371522000000",
		"371522001": "371522001000", "371522001901": "371522001901", "441900003": "441900003000"} {
		if got, err := Normalise(in); err != nil || string(got) != want {
			t.Errorf("Normalise(%s) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"", "3", "371", "371500", "37152200", "3715220010", "00", "99a1", "370000000000x", "371522000001"} {
		if got, err := Normalise(in); err == nil {
			t.Errorf("Normalise(%q) = %s, want an error", in, got)
		}
	}
	if p, err := normaliseParent("441900"); err != nil || p != "441900000000" {
		t.Errorf("normaliseParent(441900) = %s, %v", p, err)
	}
	if got := model.AreaCode("441900003000").ParentOf(); got != "441900000000" {
		t.Errorf("ParentOf(东莞 town) = %s", got)
	}
	if got := model.AreaCode("371522001901").ParentOf(); got != "371522001000" {
		t.Errorf("ParentOf(village) = %s", got)
	}
	if got := model.AreaCode("370000000000").ParentOf(); got != "" {
		t.Errorf("ParentOf(province) = %q", got)
	}
}
