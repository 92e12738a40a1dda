package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// The one-time list, exactly (issue 21 item 3): a later return names only what the first
// notice named and staff have not accepted, what staff rejected with a reason, or what a change
// of facts declared since needs; a declared change asks again for the consent of the members it
// touched.

// itemID finds a checklist item of the staff view by name.
func itemID(t *testing.T, detail map[string]any, name string) uint64 {
	t.Helper()
	for _, x := range detail["checklist"].([]any) {
		if it := x.(map[string]any); it["name"] == name {
			return uint64(it["id"].(float64))
		}
	}
	t.Fatalf("no item %q in %v", name, detail["checklist"])
	return 0
}

func resubmit(h *harness, tok, id string) {
	h.t.Helper()
	mine := h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
	h.expect(h.do("POST", "/mp/v1/cases/"+id+"/resubmit", tok, map[string]any{"version": mine["version"]}), 200)
}

func TestLaterReturnNamesOnlyTheFirstNotice(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		tok, id := r.apply(testenv.UniqueName("notice-"+be.Name), seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "韩告", "idNumber": makeID("990101", "19660606", 731), "employment": "employed"})
		const assets, income = "家庭财产申报", "收入证明/无收入承诺（家庭成员1）"
		ret := func(name string, status int) map[string]any {
			t.Helper()
			return r.act("town_east", id, "return", map[string]any{"opinion": "请补充", "missingItems": []map[string]string{{"name": name}}}, status)
		}
		// The first return is the one-time notice: any item of the rules' list.
		r.wantStatus(ret(assets, 200), "returned", "returned")
		resubmit(h, tok, id)

		// A later return may not ask for an item of the list the first return did not name,
		// provided at submission and never rejected: the message names it.
		e := ret(income, 422)
		msg := e["body"].(map[string]any)["error"].(map[string]any)["message"].(string)
		if e["code"] != "case.item_not_in_first_notice" || !strings.Contains(msg, income) {
			t.Fatalf("second return with an item the first never named: %v", e)
		}
		// … but it may ask again for what the first return named (not yet accepted).
		ret(assets, 200)
		resubmit(h, tok, id)

		// An item staff rejected with a reason may be asked for.
		d := r.detail("town_east", id)
		r.act("town_east", id, fmt.Sprintf("items/%d/review", itemID(t, d, income)), map[string]any{"accepted": false, "reason": "未加盖单位公章"}, 200)
		ret(income, 200)
		resubmit(h, tok, id)

		// An item of the first notice that staff accepted may not.
		r.act("town_east", id, fmt.Sprintf("items/%d/review", itemID(t, d, assets)), map[string]any{"accepted": true}, 200)
		if e := ret(assets, 422); e["code"] != "case.item_not_in_first_notice" {
			t.Fatalf("a return of an accepted item: %v", e)
		}

		// A change of facts declared since needs items anew: the assets changed (the accepted
		// declaration is outdated) and a new diagnosis (a new item).
		cur := h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
		lf := cur["application"].(map[string]any)["facts"].(map[string]any)
		lf["assets"].(map[string]any)["depositCents"] = 300000
		m0 := lf["members"].([]any)[0].(map[string]any)
		m0["health"], m0["seriousIllness"] = "serious", "肺癌"
		h.expect(h.do("POST", "/mp/v1/cases/"+id+"/changes", tok, map[string]any{"version": cur["version"], "facts": lf, "note": "新确诊重病，存款变化",
			"pledgeAccepted": true, "authorizationAccepted": true}), 200)
		r.act("town_east", id, "return", map[string]any{"missingItems": []map[string]string{{"name": assets}, {"name": "疾病诊断证明（6个月内）（家庭成员1）"}}}, 200)
		resubmit(h, tok, id)
		r.wantStatus(r.act("town_east", id, "accept", nil, 200), "accepted", "to_investigate")
	})
}

func TestDeclaredChangeAsksConsentAgain(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		spouse := map[string]string{"relation": "spouse", "name": "许妻", "idNumber": makeID("990101", "19700707", 742)}
		tok, id := r.apply(testenv.UniqueName("reconsent-"+be.Name), seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "许夫", "idNumber": makeID("990101", "19680808", 741)}, spouse)
		r.act("town_east", id, "accept", nil, 200)
		consents := func() map[float64]map[string]any {
			out := map[float64]map[string]any{}
			for _, k := range r.detail("town_east", id)["consents"].([]any) {
				k := k.(map[string]any)
				out[k["position"].(float64)] = k
			}
			return out
		}
		if ks := consents(); ks[0]["state"] != "confirmed" || ks[1]["state"] != "confirmed" {
			t.Fatalf("before the change: %v", ks)
		}
		// The spouse found work: her consent is asked again; the applicant's carries over.
		cur := h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
		lf := cur["application"].(map[string]any)["facts"].(map[string]any)
		lf["members"].([]any)[1].(map[string]any)["employment"] = "employed"
		lf["noIncome"] = false
		lf["income"] = []map[string]any{{"member": 1, "kind": "wage", "amountCents": 150000, "period": "monthly", "source": "县城超市"}}
		chg := h.expect(h.do("POST", "/mp/v1/cases/"+id+"/changes", tok, map[string]any{"version": cur["version"], "facts": lf, "note": "配偶就业"}), 200)
		ks := consents()
		if ks[0]["state"] != "confirmed" || ks[1]["state"] != "pending" {
			t.Fatalf("after the spouse's change: %v", ks)
		}
		// The data check does not run on her until she confirms again.
		r.act("town_east", id, "start-investigation", map[string]any{"opinion": "启动调查"}, 200)
		e := r.act("county", id, "data-check", map[string]any{"summary": "核对"}, 422)
		if e["code"] != "case.authorization_missing" || !strings.Contains(string(mustJSON(t, e["body"])), "members[1]") {
			t.Fatalf("data check after the change: %v", e)
		}
		var cid float64
		for _, k := range chg["application"].(map[string]any)["consents"].([]any) {
			if k := k.(map[string]any); k["position"] == 1.0 && k["subject"] == "member" {
				cid = k["id"].(float64)
			}
		}
		inv := h.expect(h.do("POST", fmt.Sprintf("/mp/v1/cases/%s/consents/%d/invitation", id, int(cid)), tok, nil), 201)
		who := h.members[spouse["idNumber"]] // her own login, which confirmed the first time
		view := h.expect(h.do("GET", "/mp/v1/invitations/"+inv["token"].(string), who, nil), 200)
		h.expect(h.do("POST", "/mp/v1/invitations/"+inv["token"].(string)+"/confirm", who, map[string]any{"pledgeAccepted": true,
			"authorizationAccepted": true, "textVersion": view["textVersion"]}), 200)
		r.act("county", id, "data-check", map[string]any{"summary": "核对"}, 200)

		// The applicant's own change: confirmed again with it, or asked again.
		for _, again := range []bool{true, false} {
			cur = h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
			lf = cur["application"].(map[string]any)["facts"].(map[string]any)
			m0 := lf["members"].([]any)[0].(map[string]any)
			m0["selfCareFailed"] = m0["selfCareFailed"].(float64) + 1
			h.expect(h.do("POST", "/mp/v1/cases/"+id+"/changes", tok, map[string]any{"version": cur["version"], "facts": lf, "note": "生活自理能力下降",
				"pledgeAccepted": again, "authorizationAccepted": again}), 200)
			want := map[bool]string{true: "confirmed", false: "pending"}[again]
			if ks := consents(); ks[0]["state"] != want || ks[1]["state"] != "confirmed" {
				t.Fatalf("the applicant's own change, confirmed again %v: %v", again, ks)
			}
		}
	})
}

// TestCounterRecordsMemberJoiningAndLeaving: after submission, a member joining or leaving the
// household could not be recorded at all; the town's counter now records it, audited, and the
// declaration, the members, the consents and the one-time list follow.
func TestCounterRecordsMemberJoiningAndLeaving(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		spouse := map[string]string{"relation": "spouse", "name": "陶妻", "idNumber": makeID("990101", "19700707", 752)}
		tok, id := r.apply(testenv.UniqueName("counter-"+be.Name), seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "陶夫", "idNumber": makeID("990101", "19680808", 751)}, spouse)
		r.act("town_east", id, "return", map[string]any{"missingItems": []map[string]string{{"name": "家庭财产申报"}}}, 200)
		resubmit(h, tok, id)

		// bad requests: neither or both, the person applied for leaving, no reason
		for _, c := range []struct {
			body map[string]any
			code string
		}{
			{map[string]any{"reason": "迁出"}, "case.household_change_invalid"},
			{map[string]any{"reason": "迁出", "leave": 0}, "case.household_change_invalid"},
			{map[string]any{"reason": "迁出", "leave": 5}, "case.household_change_invalid"},
			{map[string]any{"leave": 1}, "case.reason_required"},
		} {
			if e := r.act("town_east", id, "household", c.body, 422); e["code"] != c.code {
				t.Fatalf("%v: %v", c.body, e)
			}
		}

		// A son comes back to live in the household and works: he joins at the counter.
		son := map[string]any{"relation": "child", "name": "陶子", "idNumber": makeID("990101", "19950505", 753), "hukouType": "local",
			"health": "healthy", "workAbility": "full", "employment": "employed"}
		d := r.act("town_east", id, "household", map[string]any{"join": son, "reason": "外出务工返乡，回户共同生活"}, 200)
		ms := d["members"].([]any)
		if len(ms) != 3 || ms[2].(map[string]any)["relation"] != "child" {
			t.Fatalf("members after the join: %v", ms)
		}
		var pending, newItem string
		for _, k := range d["consents"].([]any) {
			if k := k.(map[string]any); k["position"] == 2.0 && k["state"] == "pending" {
				pending = "son"
			}
		}
		for _, x := range d["checklist"].([]any) {
			if it := x.(map[string]any); strings.Contains(it["name"].(string), "（家庭成员3）") && it["status"] == "missing" {
				newItem = it["name"].(string)
			}
		}
		if pending == "" || newItem == "" {
			t.Fatalf("the joining adult's consent and documents: %v %v", d["consents"], d["checklist"])
		}
		hist := fmt.Sprint(d["history"])
		if !strings.Contains(hist, "窗口登记家庭成员增加") || !strings.Contains(hist, "外出务工返乡") {
			t.Fatalf("history: %v", hist)
		}
		// what the change needs may be asked for by a later return
		r.act("town_east", id, "return", map[string]any{"missingItems": []map[string]string{{"name": newItem}}}, 200)
		resubmit(h, tok, id)

		// The spouse moves out: her consent is void, the son is member 2 now, with his items.
		d = r.act("town_east", id, "household", map[string]any{"leave": 1, "reason": "离婚迁出"}, 200)
		ms = d["members"].([]any)
		if len(ms) != 2 || ms[1].(map[string]any)["relation"] != "child" || ms[1].(map[string]any)["position"] != 1.0 {
			t.Fatalf("members after the leave: %v", ms)
		}
		for _, k := range d["consents"].([]any) {
			if k := k.(map[string]any); k["position"] == 1.0 && k["state"] != "pending" {
				t.Fatalf("the son's consent at his new place: %v", d["consents"])
			}
		}
		renamed := strings.Replace(newItem, "（家庭成员3）", "（家庭成员2）", 1)
		found := false
		for _, x := range d["checklist"].([]any) {
			it := x.(map[string]any)
			found = found || (it["name"] == renamed && it["status"] == "provided")
			if strings.Contains(it["name"].(string), "（家庭成员3）") {
				t.Fatalf("an item of a member place that no longer exists: %v", it)
			}
		}
		if !found {
			t.Fatalf("the son's item kept under his new place: %v", d["checklist"])
		}
		dump, err := testenv.OpenRows(t, h.app.Config).TextDump(context.Background())
		testenv.Must(t, err)
		n := 0
		for _, row := range dump["audit_logs"] {
			for _, v := range row {
				if v == "case.household_change" {
					n++
				}
			}
		}
		if n != 2 {
			t.Fatalf("audit rows case.household_change: %d", n)
		}
		r.wantStatus(r.act("town_east", id, "accept", nil, 200), "accepted", "to_investigate")
	})
}
