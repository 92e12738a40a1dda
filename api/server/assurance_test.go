package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"palmaid/model"
	dt "palmaid/service/documents/doctest"
	"palmaid/service/realname"
	"palmaid/service/residents"
	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// elderCase is a daughter's application for her mother (an agent-made case): filed as a draft,
// the diagnosis uploaded, an invitation made for the mother's consent (its token returned as a
// forwarded link would carry it), then the consent declared on paper and the case submitted.
type elderCase struct {
	id, token, daughter string
	docID               uint64
}

// newElderCase files it; beforeSubmit runs while the invitation is open.
func newElderCase(t *testing.T, h *harness, elderID, daughterID string, beforeSubmit func(ec *elderCase)) *elderCase {
	t.Helper()
	ec := &elderCase{daughter: h.residentLogin(testenv.UniqueName("daughter"))}
	h.expect(h.do("PUT", "/mp/v1/me/identity", ec.daughter, map[string]string{"name": "李小红", "idNumber": daughterID}), 200)
	cs := h.expect(h.do("POST", "/mp/v1/drafts", ec.daughter, map[string]any{"villageCode": seed.DemoVillageE1, "address": "孙庄村2组6号",
		"categories": []string{"minimum_living"}, "reason": "母亲年老残疾，收入很低", "agentRelation": "child", "facts": motherFacts(elderID)}), 201)
	ec.id = cs["id"].(string)
	app := cs["application"].(map[string]any)
	var consent int
	for _, c := range app["consents"].([]any) {
		if c := c.(map[string]any); c["subject"] == "member" {
			consent = int(c["id"].(float64))
		}
	}
	for _, it := range app["checklist"].([]any) {
		it := it.(map[string]any)
		if strings.HasPrefix(it["code"].(string), "diagnosis_certificate") {
			up := h.upload(ec.daughter, ec.id, uint64(it["id"].(float64)), "diagnosis.pdf", "application/pdf", dt.FixturePDF())
			if up.Status != 201 {
				t.Fatalf("upload: %d %s", up.Status, up.Body)
			}
			ec.docID = uint64(up.json(t)["document"].(map[string]any)["id"].(float64))
		}
	}
	inv := h.expect(h.do("POST", fmt.Sprintf("/mp/v1/cases/%s/consents/%d/invitation", ec.id, consent), ec.daughter, nil), 201)
	ec.token = inv["token"].(string)
	if beforeSubmit != nil {
		beforeSubmit(ec)
	}
	cur := h.expect(h.do("GET", "/mp/v1/cases/"+ec.id, ec.daughter, nil), 200)
	cur = h.expect(h.do("POST", fmt.Sprintf("/mp/v1/cases/%s/consents/%d/paper", ec.id, consent), ec.daughter, map[string]any{"version": cur["version"]}), 200)
	// The signed paper form is scanned onto its item.
	for _, it := range cur["application"].(map[string]any)["checklist"].([]any) {
		if it := it.(map[string]any); it["status"] == "missing" {
			if up := h.upload(ec.daughter, ec.id, uint64(it["id"].(float64)), "form.pdf", "application/pdf", dt.FixturePDF()); up.Status != 201 {
				t.Fatalf("upload %v: %d %s", it["code"], up.Status, up.Body)
			}
		}
	}
	cur = h.expect(h.do("GET", "/mp/v1/cases/"+ec.id, ec.daughter, nil), 200)
	h.expect(h.do("POST", "/mp/v1/cases/"+ec.id+"/submit", ec.daughter, map[string]any{"version": cur["version"], "pledgeAccepted": true, "authorizationAccepted": true}), 200)
	return ec
}

// strangerGets404 runs every step of issue 19's stranger scenario as tok: none reaches the case.
func strangerGets404(t *testing.T, h *harness, tok string, ec *elderCase, when string) {
	t.Helper()
	if list := h.expect(h.do("GET", "/mp/v1/cases", tok, nil), 200)["items"].([]any); len(list) != 0 {
		t.Fatalf("%s: the stranger lists %v", when, list)
	}
	cur := h.expect(h.do("GET", "/mp/v1/cases/"+ec.id, ec.daughter, nil), 200)
	v := cur["version"]
	steps := []struct {
		name, method, path string
		body               any
	}{
		{"read", "GET", "/mp/v1/cases/" + ec.id, nil},
		{"document download", "GET", fmt.Sprintf("/mp/v1/cases/%s/documents/%d", ec.id, ec.docID), nil},
		{"take-over", "POST", "/mp/v1/cases/" + ec.id + "/take-over", map[string]any{"version": v}},
		{"withdraw", "POST", "/mp/v1/cases/" + ec.id + "/withdraw", map[string]any{"version": v, "reason": "不想申请了"}},
		{"invitation open", "GET", "/mp/v1/invitations/" + ec.token, nil},
		{"invitation confirm", "POST", "/mp/v1/invitations/" + ec.token + "/confirm", map[string]any{"pledgeAccepted": true, "authorizationAccepted": true, "textVersion": model.ConsentTextVersion}},
	}
	for _, s := range steps {
		if res := h.do(s.method, s.path, tok, s.body); res.Status != 404 {
			t.Fatalf("%s: %s answers the stranger %d %s", when, s.name, res.Status, res.Body)
		}
	}
	exp := h.do("GET", "/mp/v1/me/export", tok, nil)
	if exp.Status != 200 || strings.Contains(string(exp.Body), ec.id) || strings.Contains(string(exp.Body), "慢性肾衰竭") {
		t.Fatalf("%s: the stranger's export: %d %s", when, exp.Status, exp.Body)
	}
}

// Issue 19, finding 1 (critical): a stranger who binds an elder's ID number without a real-name
// source (any name) must not reach the case her daughter filed for her — list, read, export,
// document download, take-over, withdrawal, invitation open and confirm all answer 404 — and
// must not block the elder, who is desk-verified by the town and only then linked. Run with
// PALMAID_REALNAME_VERIFIER=desk_only and with the simulator answering "unchecked" for the
// number (the old code linked the stranger as beneficiary at the unverified binding).
func TestStrangerCannotReachElderCase(t *testing.T) {
	for _, mode := range []string{"desk_only", "simulator"} {
		t.Run(mode, func(t *testing.T) {
			testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
				if mode == "desk_only" {
					be.Config.WeChat.RealNameVerifier = "desk_only"
				}
				h := newHarness(t, be, monday)
				r := newReviewer(t, h)
				ctx := context.Background()
				elderID := makeID("990101", "19440210", 41)
				daughterID := makeID("990101", "19720513", 42)
				if mode == "simulator" {
					h.app.RealNameSim.SetOutcome(elderID, realname.Unchecked)
				} else if h.app.RealNameSim != nil {
					t.Fatal("desk_only runs the simulator verifier")
				}
				stranger := h.residentLogin(testenv.UniqueName("stranger"))
				ec := newElderCase(t, h, elderID, daughterID, func(ec *elderCase) {
					// The stranger binds the elder's number while the invitation is open.
					prof := h.expect(h.do("PUT", "/mp/v1/me/identity", stranger, map[string]string{"name": "随便", "idNumber": elderID}), 200)
					if prof["identityVerified"] != false || prof["identityLevel"] != "unverified" {
						t.Fatalf("stranger's profile: %v", prof)
					}
					for _, p := range []string{"/mp/v1/invitations/" + ec.token, "/mp/v1/invitations/" + ec.token + "/confirm"} {
						method, body := "GET", any(nil)
						if strings.HasSuffix(p, "/confirm") {
							method, body = "POST", map[string]any{"pledgeAccepted": true, "authorizationAccepted": true, "textVersion": model.ConsentTextVersion}
						}
						if res := h.do(method, p, stranger, body); res.Status != 404 {
							t.Fatalf("forwarded invitation %s: %d %s", p, res.Status, res.Body)
						}
					}
				})
				strangerGets404(t, h, stranger, ec, "after binding")

				// The real elder binds the same number: not blocked (an unverified claim reserves
				// nothing), but unverified too: still nothing of the case.
				elder := h.residentLogin(testenv.UniqueName("elder"))
				prof := h.expect(h.do("PUT", "/mp/v1/me/identity", elder, map[string]string{"name": "王秀英", "idNumber": elderID}), 200)
				if prof["identityLevel"] != "unverified" {
					t.Fatalf("elder's profile: %v", prof)
				}
				strangerGets404(t, h, elder, ec, "the elder unverified")

				// The town visits: the officer reads the 身份证 and the code on the elder's phone.
				code := h.expect(h.do("POST", "/mp/v1/me/identity/desk-code", elder, nil), 201)["code"].(string)
				deskBody := map[string]string{"code": code, "name": "王秀英", "idNumber": elderID}
				if res := h.do("POST", "/api/v1/identity/desk-verifications", r.staff("auditor"), deskBody); res.Status != 403 {
					t.Fatalf("the auditor desk-verifies: %d %s", res.Status, res.Body)
				}
				if res := h.do("POST", "/api/v1/identity/desk-verifications", r.staff("town_east"), map[string]string{"code": code, "name": "王秀英", "idNumber": daughterID}); res.Status != 409 ||
					res.errCode(t) != "identity.desk_mismatch" {
					t.Fatalf("another number than the account's: %d %s", res.Status, res.Body)
				}
				if res := h.do("POST", "/api/v1/identity/desk-verifications", r.staff("town_east"), map[string]string{"code": "00000000", "name": "王秀英", "idNumber": elderID}); res.Status != 404 {
					t.Fatalf("unknown code: %d %s", res.Status, res.Body)
				}
				dv := h.expect(h.do("POST", "/api/v1/identity/desk-verifications", r.staff("town_east"), deskBody), 200)
				if dv["linkedCases"] != 1.0 || dv["assurance"] != "desk_verified" {
					t.Fatalf("desk verification: %v", dv)
				}
				// The code is spent.
				if res := h.do("POST", "/api/v1/identity/desk-verifications", r.staff("town_east"), deskBody); res.Status != 404 {
					t.Fatalf("the code again: %d %s", res.Status, res.Body)
				}
				if me := h.expect(h.do("GET", "/mp/v1/me", elder, nil), 200); me["identityLevel"] != "desk_verified" || me["identityVerified"] != true {
					t.Fatalf("elder after the desk: %v", me)
				}
				if list := h.expect(h.do("GET", "/mp/v1/cases", elder, nil), 200)["items"].([]any); len(list) != 1 || list[0].(map[string]any)["id"] != ec.id {
					t.Fatalf("the elder's list: %v", list)
				}
				if exp := h.do("GET", "/mp/v1/me/export", elder, nil); exp.Status != 200 || !strings.Contains(string(exp.Body), ec.id) {
					t.Fatalf("the elder's export: %d %s", exp.Status, exp.Body)
				}
				// The stranger's claim is gone, and with it nothing was ever reachable.
				if me := h.expect(h.do("GET", "/mp/v1/me", stranger, nil), 200); me["hasIdentity"] != false {
					t.Fatalf("the stranger kept the number: %v", me)
				}
				strangerGets404(t, h, stranger, ec, "after the desk")
				// The staff view names how the beneficiary's identity was assured.
				if d := r.detail("town_east", ec.id); d["beneficiaryIdentity"] != "desk_verified" {
					t.Fatalf("staff view: %v", d["beneficiaryIdentity"])
				}
				for _, action := range []string{residents.ActionDeskVerified, residents.ActionIdentityTakenOver, residents.ActionBeneficiaryLinked} {
					if rows, err := testenv.OpenRows(t, h.app.Config).AuditByAction(ctx, action); err != nil || len(rows) != 1 || rows[0].ActorType != "staff" || strings.Contains(rows[0].Detail, elderID) {
						t.Fatalf("audit %s: %v %+v", action, err, rows)
					}
				}
				// The elder takes the case over; the daughter no longer sees it.
				cur := h.expect(h.do("GET", "/mp/v1/cases/"+ec.id, elder, nil), 200)
				h.expect(h.do("POST", "/mp/v1/cases/"+ec.id+"/take-over", elder, map[string]any{"version": cur["version"]}), 200)
				if res := h.do("GET", "/mp/v1/cases/"+ec.id, ec.daughter, nil); res.Status != 404 {
					t.Fatalf("the daughter after the take-over: %d", res.Status)
				}
			})
		})
	}
}

// neighbourLogin logs a resident in with a name and number the real-name simulator verifies:
// objections to a public notice are real-name (issue 19, item 4). seq picks the number.
func neighbourLogin(t *testing.T, h *harness, name string, seq int) string {
	t.Helper()
	tok := h.residentLogin(testenv.UniqueName("neighbour"))
	prof := h.expect(h.do("PUT", "/mp/v1/me/identity", tok, map[string]string{"name": name, "idNumber": makeID("990102", "19600101", seq)}), 200)
	if prof["identityVerified"] != true {
		t.Fatalf("neighbour not verified: %v", prof)
	}
	return tok
}

// noticeRunning files an application and takes it to its public notice; it answers the case
// and the notice's reference on the village board.
func noticeRunning(t *testing.T, h *harness, r *reviewer, name string, seq int) (id, ref string) {
	t.Helper()
	_, id = r.apply(testenv.UniqueName("noticed"), seed.DemoVillageE1, []string{"minimum_living"},
		map[string]string{"relation": "self", "name": name, "idNumber": makeID("990103", "19700101", seq)})
	r.act("town_east", id, "accept", nil, 200)
	r.investigate(id, "town_east", "town_east2")
	r.act("town_east", id, "opinion", map[string]any{"entries": allFive(map[string]int64{"minimum_living": 85000})}, 200)
	r.act("town_east", id, "notice", nil, 200)
	f, err := h.app.Store.LoadCaseFile(context.Background(), storeSystem(), id)
	if err != nil || f.OpenNotice() == nil {
		t.Fatalf("notice of %s: %v", id, err)
	}
	return id, f.OpenNotice().PublicRef
}

// Issue 19, item 4: objections to a public notice are real-name. Only a verified or
// desk-verified account may object, under its own name (a typed name is refused as an unknown
// field); caps per account and notice and per account and day; staff may mark one unfounded
// without reopening the investigation and merge duplicates, and neither blocks the close. The
// public board says that objections are 实名. The old code stored "张冒名" from any account.
func TestObjectionsAreRealName(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		id, ref := noticeRunning(t, h, r, "陈实", 1)
		board := h.expect(h.do("GET", "/mp/v1/villages/"+seed.DemoVillageE1+"/notices", "", nil), 200)
		if rule, _ := board["objectionRule"].(string); !strings.Contains(rule, "实名") {
			t.Fatalf("the board does not say objections are real-name: %v", board)
		}
		path := "/mp/v1/notices/" + ref + "/objections"
		body := map[string]string{"contact": "13800003333", "content": "申请人家中有一辆新购轿车"}

		// No identity, and an unverified one: refused, nothing stored.
		anon := h.residentLogin(testenv.UniqueName("anon"))
		unverified := h.residentLogin(testenv.UniqueName("unverified"))
		claimed := makeID("990102", "19600202", 11)
		h.app.RealNameSim.SetOutcome(claimed, realname.Unchecked)
		h.expect(h.do("PUT", "/mp/v1/me/identity", unverified, map[string]string{"name": "张冒名", "idNumber": claimed}), 200)
		for _, tok := range []string{anon, unverified} {
			if res := h.do("POST", path, tok, body); res.Status != 403 || res.errCode(t) != "objection.identity_required" {
				t.Fatalf("objection without an assured identity: %d %s", res.Status, res.Body)
			}
		}
		// A typed name is not taken.
		neighbour := neighbourLogin(t, h, "赵邻", 12)
		if res := h.do("POST", path, neighbour, map[string]string{"name": "张冒名", "contact": "13800003333", "content": "有车"}); res.Status != 400 {
			t.Fatalf("typed name: %d %s", res.Status, res.Body)
		}
		h.expect(h.do("POST", path, neighbour, body), 204)
		body["content"] = "申请人家中有一辆轿车（重复反映）"
		h.expect(h.do("POST", path, neighbour, body), 204)
		// Two per account and notice.
		if res := h.do("POST", path, neighbour, body); res.Status != 429 || res.errCode(t) != "objection.limit" {
			t.Fatalf("third objection to one notice: %d %s", res.Status, res.Body)
		}
		obs := r.detail("town_east", id)["objections"].([]any)
		if len(obs) != 2 {
			t.Fatalf("objections: %v", obs)
		}
		first, second := obs[0].(map[string]any), obs[1].(map[string]any)
		if first["name"] != "赵邻" || first["online"] != true {
			t.Fatalf("the objector's name is the account's: %v", first)
		}

		// Staff: the second merged into the first, the first unfounded; the notice closes.
		if e := r.act("town_east", id, "objections/merge", map[string]any{"objectionId": second["id"], "intoId": second["id"]}, 422); e["code"] != "objection.merge_invalid" {
			t.Fatalf("merge into itself: %v", e)
		}
		m := r.act("town_east", id, "objections/merge", map[string]any{"objectionId": second["id"], "intoId": first["id"]}, 200)
		if o := m["objections"].([]any)[1].(map[string]any); o["status"] != "merged" || o["mergedInto"] != first["id"] {
			t.Fatalf("merged: %v", o)
		}
		h.clock.Set(cst("2026-12-01", 9))
		if e := r.act("town_east", id, "notice/close", nil, 422); e["code"] != "case.objection_pending" {
			t.Fatalf("close with the first pending: %v", e)
		}
		d := r.act("town_east", id, "objections/resolve", map[string]any{"objectionId": first["id"], "upheld": false, "resolution": "车辆为亲属所有，异议不成立"}, 200)
		if d["investigationRound"].(float64) != 1 || d["objections"].([]any)[0].(map[string]any)["status"] != "dismissed" {
			t.Fatalf("unfounded: %v", d["objections"])
		}
		r.act("town_east", id, "notice/close", nil, 200)

		// Five a day across notices (the two above count: same day).
		h.clock.Set(monday)
		n := 2
		for i := 2; ; i++ {
			_, ref := noticeRunning(t, h, r, "陈实", i)
			p := "/mp/v1/notices/" + ref + "/objections"
			if n == model.ObjectionsPerAccountPerDay {
				if res := h.do("POST", p, neighbour, body); res.Status != 429 || res.errCode(t) != "objection.limit" {
					t.Fatalf("objection %d of the day: %d %s", n+1, res.Status, res.Body)
				}
				break
			}
			for k := 0; k < model.ObjectionsPerAccountPerNotice && n < model.ObjectionsPerAccountPerDay; k++ {
				h.expect(h.do("POST", p, neighbour, body), 204)
				n++
			}
		}
	})
}

// Issue 19, finding 1: a case made for a number after someone bound it unverified is not
// linked to that account either (the old code linked it at creation), while the unverified
// account still applies for itself. PALMAID_REALNAME_VERIFIER=desk_only.
func TestUnverifiedClaimIsNotLinkedAtCreation(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		be.Config.WeChat.RealNameVerifier = "desk_only"
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		elderID := makeID("990101", "19420708", 51)
		stranger := h.residentLogin(testenv.UniqueName("stranger"))
		h.expect(h.do("PUT", "/mp/v1/me/identity", stranger, map[string]string{"name": "随便", "idNumber": elderID}), 200)
		cs := h.expect(h.do("POST", "/api/v1/assisted-applications", r.staff("village_e1"), map[string]any{"villageCode": seed.DemoVillageE1,
			"address": "孙庄村4组1号", "categories": []string{"minimum_living"}, "reason": "独居老人，不会使用手机", "facts": motherFacts(elderID),
			"paperFormsSigned": true}), 201)
		id := cs["id"].(string)
		if cs["beneficiaryIdentity"] != "not_linked" {
			t.Fatalf("linked at creation: %v", cs["beneficiaryIdentity"])
		}
		if list := h.expect(h.do("GET", "/mp/v1/cases", stranger, nil), 200)["items"].([]any); len(list) != 0 {
			t.Fatalf("the stranger lists %v", list)
		}
		if res := h.do("GET", "/mp/v1/cases/"+id, stranger, nil); res.Status != 404 {
			t.Fatalf("the stranger reads the case: %d %s", res.Status, res.Body)
		}
		// An unverified account applies for itself.
		tok, own := r.apply(testenv.UniqueName("self"), seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "孙自", "idNumber": makeID("990101", "19650303", 52)})
		if me := h.expect(h.do("GET", "/mp/v1/me", tok, nil), 200); me["identityLevel"] != "unverified" {
			t.Fatalf("self applicant: %v", me)
		}
		h.expect(h.do("GET", "/mp/v1/cases/"+own, tok, nil), 200)
	})
}
