package server_test

import (
	"encoding/json"
	"testing"

	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// TestEmptyListsAreArraysOnTheWire: issue 21 — facts.income and facts.supporters were answered
// as null (even when the client had sent []), which validating proxies refuse at the first
// draft. Through the real router, on every backend, both come back as [] from the draft's
// creation and from a later read. (Every other answer is walked by checkContract.)
func TestEmptyListsAreArraysOnTheWire(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		tok := h.residentLogin(testenv.UniqueName("lister"))
		id := makeID("990102", "19600101", 41)
		h.expect(h.do("PUT", "/mp/v1/me/identity", tok, map[string]string{"name": "张空", "idNumber": id}), 200)
		facts := map[string]any{"residence": "rural", "income": []any{}, "supporters": []any{},
			"members": []map[string]any{{"relation": "self", "name": "张空", "idNumber": id, "hukouType": "local"}}}
		created := h.do("POST", "/mp/v1/drafts", tok, map[string]any{"villageCode": seed.DemoVillageE1, "address": "孙庄村2组7号",
			"categories": []string{"minimum_living"}, "reason": "无收入", "facts": facts})
		if created.Status != 201 {
			t.Fatalf("draft: %d %s", created.Status, created.Body)
		}
		caseID := created.json(t)["id"].(string)
		for _, r := range []resp{created, h.do("GET", "/mp/v1/cases/"+caseID, tok, nil)} {
			var v struct {
				Application struct {
					Facts map[string]json.RawMessage `json:"facts"`
				} `json:"application"`
			}
			if err := json.Unmarshal(r.Body, &v); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"income", "supporters"} {
				if got := string(v.Application.Facts[k]); got != "[]" {
					t.Errorf("application.facts.%s = %s, want []: %s", k, got, r.Body)
				}
			}
		}
	})
}
