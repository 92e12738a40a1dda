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
		if first["code"] != "990101001001" || first["name"] != "东城村" || first["townName"] != "东城镇" || first["countyName"] != "演示县" {
			t.Fatalf("first hit: %v", first)
		}
		if got := search("9901010010", 200); len(got) != 2 || got[1].(map[string]any)["name"] != "河湾社区" {
			t.Fatalf("by code: %v", got)
		}
		if got := search("河湾", 200); len(got) != 1 {
			t.Fatalf("河湾: %v", got)
		}
		for _, q := range []string{"%", "_", "东城%", "!"} {
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
