package server_test

import (
	"net/url"
	"testing"

	"palmaid/service/testenv"
)

// The public village picker: by part of the name or the start of the code, with the town and
// county names; LIKE wildcards in the query match only themselves.
func TestVillageSearch(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, friday)
		search := func(q string, status int) []any {
			t.Helper()
			r := h.do("GET", "/mp/v1/villages?q="+url.QueryEscape(q), "", nil)
			if r.Status != status {
				t.Fatalf("q=%q: %d %s", q, r.Status, r.Body)
			}
			if status != 200 {
				if code := r.errCode(t); code != "village.invalid_query" {
					t.Fatalf("q=%q: error %s", q, code)
				}
				return nil
			}
			return r.json(t)["items"].([]any)
		}
		got := search("村", 200)
		if len(got) != 3 {
			t.Fatalf("村: %v", got)
		}
		first := got[0].(map[string]any)
		if first["code"] != "371522103200" || first["name"] != "桥下村委会" || first["townName"] != "观城镇" || first["countyName"] != "莘县" {
			t.Fatalf("first hit: %v", first)
		}
		if got := search("371522106", 200); len(got) != 2 || got[0].(map[string]any)["name"] != "文卫社区居民委员会" {
			t.Fatalf("by code: %v", got)
		}
		if got := search("文卫", 200); len(got) != 1 {
			t.Fatalf("文卫: %v", got)
		}
		for _, q := range []string{"%", "_", "孙庄%", "!"} {
			if got := search(q, 200); len(got) != 0 {
				t.Fatalf("q=%q matched %v", q, got)
			}
		}
		search("", 400)
		search("12345", 400)
		search("这是一个超过二十个字的非常非常非常长的村庄名称查询", 400)
		if r := h.do("GET", "/mp/v1/villages?q=村&limit=0", "", nil); r.Status != 400 {
			t.Fatalf("limit=0: %d", r.Status)
		}
		if r := h.do("GET", "/mp/v1/villages?q="+url.QueryEscape("村")+"&limit=1", "", nil); len(r.json(t)["items"].([]any)) != 1 {
			t.Fatalf("limit=1: %s", r.Body)
		}
	})
}
