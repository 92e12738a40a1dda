package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"palmaid/model"
	"palmaid/service/cases"
	dt "palmaid/service/documents/doctest"
	"palmaid/service/seed"
	"palmaid/service/store"
	"palmaid/service/testenv"
	"palmaid/service/wechat/wxfield"
	"palmaid/service/wechat/wxsim"
)

// outboxWatch reports the outbox rows a step added to a case.
type outboxWatch struct {
	t    *testing.T
	h    *harness
	seen map[uint64]bool
	keys map[string]bool
	ids  map[string]uint64 // public id → case id
}

func (w *outboxWatch) added(caseID string) []model.Outbox {
	w.t.Helper()
	rows, err := testenv.OpenRows(w.t, w.h.app.Config).Opening(w.h.app.Cipher).OutboxForCase(context.Background(), w.ids[caseID])
	if err != nil {
		w.t.Fatal(err)
	}
	var out []model.Outbox
	for _, r := range rows {
		if !w.seen[r.ID] {
			w.seen[r.ID] = true
			out = append(out, r)
		}
	}
	return out
}

func residentIDOf(t *testing.T, h *harness, name string) uint64 {
	t.Helper()
	r, err := h.app.Store.UpsertResident(context.Background(), testAppID, wxsim.OpenIDFor(testAppID, name), "", h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// TestEveryEventIsNotifiedOnce walks every action a resident must hear about, in the order a
// case meets them, and checks after each step the outbox rows it wrote: one per recipient
// (applicant, agent, and the person the application is for once they have logged in), the
// right status, a hint that fits WeChat's 20-character thing field, a full in-app body, and an
// idempotency key no other row has. Steps the resident takes themselves tell nobody. The
// worker then delivers: one in-app message per key, one subscribe message per accept.
func TestEveryEventIsNotifiedOnce(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		w := &outboxWatch{t: t, h: h, seen: map[uint64]bool{}, keys: map[string]bool{}, ids: map[string]uint64{}}
		n := func(s string) string { return testenv.UniqueName("nt-" + s + "-" + be.Name) }

		// A: the daughter applies for her mother (an agent case with a declaration).
		daughterName, motherName := n("daughter"), n("mother")
		motherID, daughterID := makeID("990101", "19500317", 31), makeID("990101", "19780513", 32)
		daughter := h.residentLogin(daughterName)
		h.expect(h.do("PUT", "/mp/v1/me/identity", daughter, map[string]string{"name": "李小红", "idNumber": daughterID}), 200)
		facts := map[string]any{"residence": "rural",
			"members": []map[string]any{{"relation": "self", "name": "王秀英", "idNumber": motherID, "hukouType": "local",
				"health": "chronic", "workAbility": "none", "employment": "none"}},
			"income": []map[string]any{{"member": 0, "kind": "pension", "amountCents": 180000, "period": "yearly", "source": "养老保险"}},
			"assets": map[string]any{"declared": true, "depositCents": 300000}}
		cs := h.expect(h.do("POST", "/mp/v1/drafts", daughter, map[string]any{"villageCode": seed.DemoVillageE1, "address": "孙庄村2组7号",
			"categories": []string{"minimum_living"}, "reason": "母亲年老多病，收入很低", "agentRelation": "child", "facts": facts}), 201)
		a := cs["id"].(string)
		for _, it := range cs["application"].(map[string]any)["checklist"].([]any) {
			it := it.(map[string]any)
			if it["status"] == "missing" && !strings.HasPrefix(it["code"].(string), "agent_authorization") {
				if up := h.upload(daughter, a, uint64(it["id"].(float64)), "doc.pdf", "application/pdf", dt.FixturePDF()); up.Status != 201 {
					t.Fatalf("upload %v: %d %s", it["code"], up.Status, up.Body)
				}
			}
		}
		var motherConsent int
		for _, c := range cs["application"].(map[string]any)["consents"].([]any) {
			if c := c.(map[string]any); c["subject"] == "member" {
				motherConsent = int(c["id"].(float64))
			}
		}
		mother := h.residentLogin(motherName)
		h.expect(h.do("PUT", "/mp/v1/me/identity", mother, map[string]string{"name": "王秀英", "idNumber": motherID}), 200)
		d, m := residentIDOf(t, h, daughterName), residentIDOf(t, h, motherName)
		draft, err := h.app.Store.LoadCaseFile(context.Background(), store.ResidentScope(d), a)
		testenv.Must(t, err)
		w.ids[a] = draft.Case.ID
		version := func(tok, id string) any {
			return h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)["version"]
		}

		// B: a resident applies for herself; C–F: short paths.
		bTok, b := r.apply(n("self"), seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "周自", "idNumber": makeID("990101", "19660606", 33), "employment": "employed"})
		_, c := r.apply(n("refused"), seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "吴拒", "idNumber": makeID("990101", "19670707", 34)})
		_, dd := r.apply(n("urgent"), seed.DemoVillageE1, []string{"temporary_aid"},
			map[string]string{"relation": "self", "name": "郑急", "idNumber": makeID("990101", "19680808", 35)})
		_, e := r.apply(n("ended"), seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "王终", "idNumber": makeID("990101", "19690909", 36)})
		fTok, f := r.apply(n("withdrawn"), seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "冯撤", "idNumber": makeID("990101", "19711010", 37)})
		ids := map[string]uint64{}
		for _, x := range []struct{ name, id string }{{"self", b}, {"refused", c}, {"urgent", dd}, {"ended", e}, {"withdrawn", f}} {
			fl, err := h.app.Store.LoadCaseFile(context.Background(), storeSystem(), x.id)
			testenv.Must(t, err)
			ids[x.name] = fl.Case.ApplicantResidentID
			w.ids[x.id] = fl.Case.ID
		}
		visit := func(id string) map[string]any {
			return map[string]any{"visitedOn": h.clock.Now().In(cstZone).Format("2006-01-02"), "investigators": []string{"town_east", "village_e1"},
				"findings": "家中无大额财产", "familyConfirmed": true}
		}
		var objectionID any
		var inv map[string]any
		sweep := func() { testenv.Must(t, h.app.RunJob(context.Background(), "deadline-sweep")) }
		appointment := map[string]any{"on": "2026-11-26", "from": "09:00", "to": "12:00", "investigators": []string{"town_east", "village_e1"}}
		refuse := []map[string]any{{"category": "minimum_living", "outcome": "refused", "reason": "家庭人均收入高于当地低保标准"}}

		steps := []struct {
			name   string
			caseID string
			run    func()
			phrase string   // "" = nobody is told
			to     []uint64 // recipients, each once
			hint   string   // when set, the exact hint
		}{
			{"invitation to confirm (the invitee has an account with her identity)", a, func() {
				inv = h.expect(h.do("POST", fmt.Sprintf("/mp/v1/cases/%s/consents/%d/invitation", a, motherConsent), daughter, nil), 201)
			}, "待确认", []uint64{m}, "家人邀请您确认授权"},
			{"consent confirmed", a, func() {
				view := h.expect(h.do("GET", "/mp/v1/invitations/"+inv["token"].(string), mother, nil), 200)
				h.expect(h.do("POST", "/mp/v1/invitations/"+inv["token"].(string)+"/confirm", mother, map[string]any{"pledgeAccepted": true,
					"authorizationAccepted": true, "textVersion": view["textVersion"]}), 200)
			}, "已确认", []uint64{d}, ""},
			{"submitted (the resident's own step)", a, func() {
				h.expect(h.do("POST", "/mp/v1/cases/"+a+"/submit", daughter, map[string]any{"version": version(daughter, a), "pledgeAccepted": true, "authorizationAccepted": true}), 200)
			}, "", nil, ""},
			{"accepted", a, func() { r.act("town_east", a, "accept", nil, 200) }, "已受理", []uint64{d, m}, ""},
			{"declared change received", a, func() {
				cur := h.expect(h.do("GET", "/mp/v1/cases/"+a, daughter, nil), 200)
				lf := cur["application"].(map[string]any)["facts"].(map[string]any)
				lf["assets"].(map[string]any)["depositCents"] = 900000
				h.expect(h.do("POST", "/mp/v1/cases/"+a+"/changes", daughter, map[string]any{"version": cur["version"], "facts": lf, "note": "收到一笔赔偿款"}), 200)
			}, "已收到", []uint64{d, m}, ""},
			{"investigation started", a, func() { r.act("town_east", a, "start-investigation", nil, 200) }, "调查中", []uint64{d, m}, ""},
			{"data check negative", a, func() {
				h.app.EconSim.Set(motherID, true, nil)
				r.act("county", a, "data-check", map[string]any{"summary": "名下登记车辆一辆"}, 200)
			}, "核对有异常", []uint64{d, m}, ""},
			{"data check contested (the resident's own step)", a, func() {
				h.expect(h.do("POST", "/mp/v1/cases/"+a+"/data-check-objection", daughter, map[string]any{"version": version(daughter, a), "evidence": "车辆已过户"}), 200)
			}, "", nil, ""},
			{"re-check result", a, func() {
				h.app.EconSim.Set(motherID, false, nil)
				r.act("county", a, "data-check", map[string]any{"summary": "复核：车辆已过户"}, 200)
			}, "复核完成", []uint64{d, m}, "复核结果：未见异常"},
			{"home visit scheduled", a, func() { r.act("town_east", a, "visit-appointment", appointment, 200) }, "待入户", []uint64{d, m}, "入户：11月26日09:00-12:00"},
			{"home visit (staff's record)", a, func() { r.act("town_east", a, "visits", visit(a), 200) }, "", nil, ""},
			{"opinion (the engine's amount for the declaration)", a, func() {
				r.act("town_east", a, "opinion", map[string]any{"entries": r.followEngine(a)}, 200)
			}, "初审完成", []uint64{d, m}, ""},
			{"notice started", a, func() { r.act("town_east", a, "notice", nil, 200) }, "公示中", []uint64{d, m}, ""},
			{"objection raised (told when ruled)", a, func() {
				board := h.expect(h.do("GET", "/mp/v1/villages/"+seed.DemoVillageE1+"/notices", "", nil), 200)
				var ref string
				for _, it := range board["items"].([]any) {
					ref = it.(map[string]any)["id"].(string)
				}
				h.expect(h.do("POST", "/mp/v1/notices/"+ref+"/objections", neighbourLogin(t, h, "李邻", 2), map[string]string{
					"contact": "13800002222", "content": "申请人家中有一辆轿车"}), 204)
				obs := r.detail("town_east", a)["objections"].([]any)
				objectionID = obs[0].(map[string]any)["id"]
			}, "", nil, ""},
			{"objection dismissed", a, func() {
				r.act("town_east", a, "objections/resolve", map[string]any{"objectionId": objectionID, "upheld": false, "resolution": "车辆已过户，异议不成立"}, 200)
			}, "异议不成立", []uint64{d, m}, ""},

			{"returned", b, func() {
				r.act("town_east", b, "return", map[string]any{"missingItems": []map[string]string{{"name": "家庭财产申报"}, {"name": "收入证明/无收入承诺（家庭成员1）"}}}, 200)
			}, "需补正", []uint64{ids["self"]}, "请补充2项材料，详见小程序"},
			{"resubmitted (the resident's own step)", b, func() {
				h.expect(h.do("POST", "/mp/v1/cases/"+b+"/resubmit", bTok, map[string]any{"version": version(bTok, b), "note": "已补充"}), 200)
			}, "", nil, ""},
			{"accepted after the return", b, func() { r.act("town_east", b, "accept", nil, 200) }, "已受理", []uint64{ids["self"]}, ""},
			{"investigation started", b, func() { r.act("town_east", b, "start-investigation", nil, 200) }, "调查中", []uint64{ids["self"]}, ""},
			{"data check passed", b, func() { r.act("county", b, "data-check", map[string]any{"summary": "未见异常"}, 200) }, "核对完成", []uint64{ids["self"]}, ""},
			{"home visit scheduled (investigators not known yet)", b, func() {
				r.act("town_east", b, "visit-appointment", map[string]any{"on": "2026-11-27", "from": "14:00", "to": "17:30"}, 200)
			}, "待入户", []uint64{ids["self"]}, "入户：11月27日14:00-17:30"},
			{"home visit", b, func() { r.act("town_east", b, "visits", visit(b), 200) }, "", nil, ""},
			{"refusing opinion", b, func() { r.act("town_east", b, "opinion", map[string]any{"entries": allFive(nil, refuse...)}, 200) }, "初审完成", []uint64{ids["self"]}, ""},
			{"notice started", b, func() { r.act("town_east", b, "notice", nil, 200) }, "公示中", []uint64{ids["self"]}, ""},

			{"not accepted", c, func() {
				r.act("town_east", c, "refuse-acceptance", map[string]any{"reason": "户籍不在本乡镇"}, 200)
			}, "不予受理", []uint64{ids["refused"]}, ""},
			{"urgent grant", dd, func() {
				r.act("town_east", dd, "urgent-grant", map[string]any{"amountCents": 150000, "reason": "房屋失火"}, 200)
			}, "已救助", []uint64{ids["urgent"]}, "临时救助1500.00元"},
			{"accepted", e, func() { r.act("town_east", e, "accept", nil, 200) }, "已受理", []uint64{ids["ended"]}, ""},
			{"terminated", e, func() { r.act("town_east", e, "terminate", map[string]any{"reason": "拒不配合入户调查"}, 200) }, "已终止", []uint64{ids["ended"]}, ""},
			{"withdrawn", f, func() {
				h.expect(h.do("POST", "/mp/v1/cases/"+f+"/withdraw", fTok, map[string]any{"version": version(fTok, f), "reason": "情况好转"}), 200)
			}, "已撤回", []uint64{ids["withdrawn"]}, ""},

			{"notice ended", a, func() { h.clock.Set(cst("2026-12-01", 9)); r.act("town_east", a, "notice/close", nil, 200) }, "公示结束", []uint64{d, m}, ""},
			{"approved with the amount", a, func() {
				r.act("county", a, "decision", map[string]any{"entries": allFive(map[string]int64{"minimum_living": 55000})}, 200)
			}, "已批准", []uint64{d, m}, "低保获批每月550.00元"},
			{"notice ended", b, func() { r.act("town_east", b, "notice/close", nil, 200) }, "公示结束", []uint64{ids["self"]}, ""},
			{"refused", b, func() { r.act("county", b, "decision", map[string]any{"entries": allFive(nil, refuse...)}, 200) }, "不予批准", []uint64{ids["self"]}, "申请未获批准，详见小程序"},
			{"refusal notice delivered", b, func() { r.act("town_east", b, "refusal-notice", map[string]any{"how": "送达回执已签收"}, 200) }, "已送达", []uint64{ids["self"]}, ""},

			// The back-fill of the urgent grant (10 WD from Monday 23 November: due 7 December):
			// the residents hear three working days before and once it has passed, each once
			// however often the sweep runs.
			{"back-fill not due yet", dd, func() { h.clock.Set(cst("2026-12-01", 9)); sweep() }, "", nil, ""},
			{"back-fill due soon", dd, func() { h.clock.Set(cst("2026-12-02", 9)); sweep(); sweep() }, "补办手续", []uint64{ids["urgent"]}, "请于2026-12-07前补齐手续"},
			{"back-fill due soon, swept again", dd, func() { h.clock.Set(cst("2026-12-04", 9)); sweep() }, "", nil, ""},
			{"back-fill overdue (three replicas sweep at once)", dd, func() {
				h.clock.Set(cst("2026-12-08", 9))
				var wg sync.WaitGroup
				for range 3 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						if err := h.app.RunJob(context.Background(), "deadline-sweep"); err != nil {
							t.Error(err)
						}
					}()
				}
				wg.Wait()
				sweep()
			}, "手续逾期", []uint64{ids["urgent"]}, ""},
		}
		told := map[uint64]int{}
		for _, s := range steps {
			s.run()
			rows := w.added(s.caseID)
			if s.phrase == "" {
				if len(rows) != 0 {
					t.Fatalf("%s: nobody should be told, got %d rows (%s)", s.name, len(rows), rows[0].Title)
				}
				continue
			}
			var got []uint64
			for _, o := range rows {
				got = append(got, o.ResidentID)
				var p map[string]string
				testenv.Must(t, json.Unmarshal([]byte(o.Payload), &p))
				if p[model.NotifyValueStatus] != s.phrase || o.Title != "申请"+s.phrase {
					t.Fatalf("%s: status %q title %q, want %q", s.name, p[model.NotifyValueStatus], o.Title, s.phrase)
				}
				if !wxfield.ValidType("phrase", s.phrase) {
					t.Fatalf("%s: %q is not a WeChat phrase", s.name, s.phrase)
				}
				hint := p[model.NotifyValueHint]
				if hint == "" || utf8.RuneCountInString(hint) > 20 || !wxfield.ValidType("thing", hint) || (s.hint != "" && hint != s.hint) {
					t.Fatalf("%s: hint %q (want ≤ 20 characters%s)", s.name, hint, map[bool]string{true: ", " + s.hint}[s.hint != ""])
				}
				if no := p[model.NotifyValueCaseNo]; utf8.RuneCountInString(o.Body) < 15 || (no != "" && !strings.Contains(o.Body, no)) {
					t.Fatalf("%s: in-app body %q", s.name, o.Body)
				}
				// A case that ends invites the resident to rate its handling; no other message does.
				ends := false // a draft (officers' scope does not reach it) has not ended
				if cf, err := h.app.Store.LoadCaseFile(context.Background(), storeSystem(), s.caseID); err == nil {
					ends = cf.Case.Status.Closed() && s.phrase != "已送达"
				} else if model.AsError(err).Code != "case.not_found" {
					t.Fatal(err)
				}
				if strings.Contains(o.Body, cases.RateInvitation) != ends {
					t.Fatalf("%s: rating invitation in %q: %v, want %v", s.name, o.Body, !ends, ends)
				}
				if w.keys[o.IdempotencyKey] {
					t.Fatalf("%s: idempotency key %s used twice", s.name, o.IdempotencyKey)
				}
				w.keys[o.IdempotencyKey] = true
				told[o.ResidentID]++
			}
			slices.Sort(got)
			want := slices.Clone(s.to)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("%s: rows to %v, want one each to %v", s.name, got, want)
			}
		}

		// Delivery: one in-app message per row, keyed, whatever the number of rounds.
		for range 3 {
			h.expect(h.do("POST", "/dev/v1/notify/run", "", nil), 200)
		}
		for rid, want := range told {
			msgs, err := h.app.Store.ListMessages(context.Background(), rid, 0, 100)
			testenv.Must(t, err)
			if len(msgs) != want {
				t.Fatalf("resident %d has %d messages, want %d", rid, len(msgs), want)
			}
		}
	})
}
