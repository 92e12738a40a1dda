package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"palmaid/model"
	dt "palmaid/service/documents/doctest"
	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// household4 is a household of four as POST /mp/v1/cases takes it: the applicant, a spouse
// and two children.
func household4(self string, seq int) []map[string]string {
	members := []map[string]string{{"relation": "self", "name": "赵大", "idNumber": self}}
	for k, m := range []struct{ rel, birth string }{{"child", "20100304"}, {"child", "20120607"}, {"child", "20140910"}} {
		members = append(members, map[string]string{"relation": m.rel, "name": "赵家人", "idNumber": makeID("990101", m.birth, seq+k)})
	}
	return members
}

// householdFacts is household4 declared: an adult and three minors, a household that files
// in one request.
func householdFacts(self string, seq int) map[string]any {
	f, _ := declare(friday, household4(self, seq))
	return f
}

// sameJSON fails unless a and b hold the same JSON value.
func sameJSON(t *testing.T, what string, a, b []byte) {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("%s: %v: %s", what, err, a)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("%s: %v: %s", what, err, b)
	}
	if !reflect.DeepEqual(x, y) {
		t.Fatalf("%s differs from the progress read:\n%s\n%s", what, a, b)
	}
}

// TestSubmitAnswersTheProgressRead: the answer to a submission is built from the rows just
// written, not read back; it must be exactly what GET /mp/v1/cases/{id} shows right after —
// for a household of four, a replay of its Idempotency-Key, and a draft a daughter files for
// her mother's household of four with income lines (the draft shares the insert). The clock
// has nanoseconds, which the database does not keep.
func TestSubmitAnswersTheProgressRead(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, friday.Add(123456789*time.Nanosecond))

		tok := h.residentLogin(testenv.UniqueName("submitter-" + be.Name))
		self := makeID("990101", "19800101", 31)
		h.expect(h.do("PUT", "/mp/v1/me/identity", tok, map[string]string{"name": "赵大", "idNumber": self}), 200)
		body := map[string]any{"villageCode": seed.DemoVillageE1, "address": "孙庄村3组8号", "categories": []string{"minimum_living", "temporary_aid"},
			"reason": "丈夫去世，两个孩子上学，收入很低", "facts": householdFacts(self, 32), "pledgeAccepted": true, "authorizationAccepted": true}
		created := h.do("POST", "/mp/v1/cases", tok, body, "Idempotency-Key", "submit-read-"+be.Name)
		if created.Status != 201 {
			t.Fatalf("submit: %d %s", created.Status, created.Body)
		}
		id := created.json(t)["id"].(string)
		read := h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
		readBody := mustJSON(t, read)
		if len(read["members"].([]any)) != 4 || len(read["timeline"].([]any)) != 2 || read["caseNo"] == "" || read["areaName"] == "" {
			t.Fatalf("progress read: %s", readBody)
		}
		sameJSON(t, "the submit answer", created.Body, readBody)
		if !bytes.Equal(created.Body, h.do("GET", "/mp/v1/cases/"+id, tok, nil).Body) {
			t.Fatalf("the submit answer is not byte for byte the progress read:\n%s\n%s", created.Body, h.do("GET", "/mp/v1/cases/"+id, tok, nil).Body)
		}
		again := h.do("POST", "/mp/v1/cases", tok, body, "Idempotency-Key", "submit-read-"+be.Name)
		if again.Status != 200 {
			t.Fatalf("replay: %d %s", again.Status, again.Body)
		}
		sameJSON(t, "the replay answer", again.Body, readBody)

		// A draft by an agent: the daughter applies for her mother's household of four.
		daughter := h.residentLogin(testenv.UniqueName("daughter-" + be.Name))
		h.expect(h.do("PUT", "/mp/v1/me/identity", daughter, map[string]string{"name": "李小红", "idNumber": makeID("990101", "19780512", 41)}), 200)
		facts := motherFacts(makeID("990101", "19500315", 42))
		members := facts["members"].([]map[string]any)
		for k, m := range []struct{ rel, name, birth string }{{"spouse", "李大山", "19480101"}, {"grandchild", "李小明", "20100202"}, {"grandchild", "李小丽", "20130303"}} {
			x := map[string]any{"relation": m.rel, "name": m.name, "idNumber": makeID("990101", m.birth, 43+k), "hukouType": "local",
				"health": "healthy", "workAbility": "none", "employment": "none"}
			if m.rel == "grandchild" {
				x["inEducation"], x["employment"] = true, "student"
			}
			members = append(members, x)
		}
		facts["members"] = members
		facts["income"] = []map[string]any{{"member": 0, "kind": "pension", "amountCents": 180000, "period": "yearly", "source": "养老保险"},
			{"member": 1, "kind": "pension", "amountCents": 150000, "period": "yearly", "source": "养老保险"},
			{"member": 1, "kind": "business", "amountCents": 60000, "period": "yearly", "source": "种植"}}
		draft := h.do("POST", "/mp/v1/drafts", daughter, map[string]any{"villageCode": seed.DemoVillageE1, "address": "孙庄村2组6号",
			"categories": []string{"minimum_living"}, "reason": "父母年老，抚养两个孙辈", "agentRelation": "child", "facts": facts})
		if draft.Status != 201 {
			t.Fatalf("draft: %d %s", draft.Status, draft.Body)
		}
		did := draft.json(t)["id"].(string)
		dread := h.expect(h.do("GET", "/mp/v1/cases/"+did, daughter, nil), 200)
		app := dread["application"].(map[string]any)
		if len(dread["members"].([]any)) != 4 || len(app["checklist"].([]any)) == 0 || len(app["consents"].([]any)) < 2 ||
			len(app["facts"].(map[string]any)["income"].([]any)) != 3 {
			t.Fatalf("draft read: %s", mustJSON(t, dread))
		}
		sameJSON(t, "the draft answer", draft.Body, mustJSON(t, dread))
	})
}

// TestSubmitStatements counts, on the wire, the statements one POST /mp/v1/cases sends to
// MariaDB for a household of four: the checks before the transaction, the transaction, and no
// read-back of what it wrote.
func TestSubmitStatements(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		be.Config.HTTP.TrustedProxies = []string{"127.0.0.1"}
		h, sql := countedHarness(t, be, friday)
		var per []int64
		for i := 0; i < 5; i++ {
			tok := h.residentLogin(testenv.UniqueName(fmt.Sprintf("stmts-%d", i)))
			self := makeID("990101", fmt.Sprintf("19%02d0101", 60+i), 51+i)
			h.expect(h.do("PUT", "/mp/v1/me/identity", tok, map[string]string{"name": "赵大", "idNumber": self}), 200)
			body := map[string]any{"villageCode": seed.DemoVillageE1, "categories": []string{"minimum_living"}, "facts": householdFacts(self, 60+4*i),
				"pledgeAccepted": true, "authorizationAccepted": true}
			before := sql.Statements()
			h.expect(h.do("POST", "/mp/v1/cases", tok, body, "Idempotency-Key", fmt.Sprintf("stmts-%s-%d", be.Name, i)), 201)
			per = append(per, sql.Statements()-before)
		}
		t.Logf("statements per submit: %v", per)
		// Issue 21: the one-request application is a draft created and submitted through the
		// same code as the draft path — the draft's rows (household, members, case, number,
		// categories, facts, list, consents, event, idempotency row) in one transaction, then the
		// submission's (the case file loaded under its lock, the consent confirmed, the clock, the
		// claims, the declared-facts rows, the audit) in a second: 37 statements where the
		// factless path took 14. The fewest of the five: a background job's statement may fall
		// into one.
		withinBudget(t, "a submit", per, 40)
	})
}

// TestDraftSubmitStatements counts, on the wire, the statements one POST /mp/v1/cases/{id}/submit
// sends to MariaDB for a complete draft (one member, an income item, the required documents
// uploaded): the content check reads the case row alone before the transaction, which then loads
// the whole case file once (it read it twice before: 31 statements, now 25).
func TestDraftSubmitStatements(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h, sql := countedHarness(t, be, monday)
		var per []int64
		for i := 0; i < 3; i++ {
			selfID := makeID("990101", fmt.Sprintf("19%02d0101", 50+i), 61+i)
			tok := h.residentLogin(testenv.UniqueName(fmt.Sprintf("draft-stmts-%d", i)))
			h.expect(h.do("PUT", "/mp/v1/me/identity", tok, map[string]string{"name": "王秀英", "idNumber": selfID}), 200)
			cs := h.expect(h.do("POST", "/mp/v1/drafts", tok, map[string]any{"villageCode": seed.DemoVillageE1, "categories": []string{"minimum_living"},
				"reason": "年老多病，收入很低", "facts": motherFacts(selfID)}), 201)
			id := cs["id"].(string)
			for gap := range cs["application"].(map[string]any)["gaps"].(map[string]any) {
				var item uint64
				if _, err := fmt.Sscanf(gap, "items[%d]", &item); err == nil {
					h.expect(h.upload(tok, id, item, "证明.pdf", "application/pdf", dt.FixturePDF()), 201)
				}
			}
			cur := h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
			if cur["application"].(map[string]any)["canSubmit"] != true {
				t.Fatalf("the draft cannot be submitted: %v", cur["application"].(map[string]any)["gaps"])
			}
			before := sql.Statements()
			sub := h.expect(h.do("POST", "/mp/v1/cases/"+id+"/submit", tok, map[string]any{"version": cur["version"], "pledgeAccepted": true, "authorizationAccepted": true}), 200)
			per = append(per, sql.Statements()-before)
			if sub["status"] != string(model.StatusSubmitted) {
				t.Fatalf("submitted: %v", sub["status"])
			}
		}
		t.Logf("statements per draft submit: %v", per)
		// resident; the case row (content check); BEGIN, the case file (case row locked,
		// categories, the child probe, checklist, consents, members, documents, facts), region
		// policy, the income and asset rows, the case, deadline, consent, claims, event, audit,
		// COMMIT; the history and area names of the answer. The fewest of three: a background
		// job's statement may fall into one.
		withinBudget(t, "a draft submit", per, 25)
	})
}
