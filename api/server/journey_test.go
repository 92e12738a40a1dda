package server_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"palmaid/model"
	caseapp "palmaid/service/cases/application"
	"palmaid/service/seed"
	"palmaid/service/testenv"
	"palmaid/service/wechat/wxsim"
)

const (
	aliceID  = "11010519491231002X"
	spouseID = "110105195203050012"
	bobID    = "990101198001011236"
)

// Friday 2026-11-20, 10:00 China Standard Time: three working days later is Wed 2026-11-25.
var friday = time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)

func application(village string) map[string]any {
	return map[string]any{
		"villageCode": village, "address": "孙庄村3组12号",
		"categories":     []string{"minimum_living", "temporary_aid"},
		"reason":         "老伴重病住院，家庭收入难以维持基本生活",
		"facts":          applicationFacts(aliceID),
		"pledgeAccepted": true, "authorizationAccepted": true,
	}
}

// applicationFacts is a household that files in one request (POST /mp/v1/cases): the applicant
// alone, so no other adult's consent is needed, and nothing on the rules' list to upload.
func applicationFacts(selfID string) map[string]any {
	return map[string]any{
		"residence": "rural",
		"members": []map[string]any{{"relation": "self", "name": "张三", "idNumber": selfID, "hukouType": "local",
			"health": "chronic", "workAbility": "partial", "employment": "farming"}},
		"income":                 []map[string]any{{"member": 0, "kind": "pension", "amountCents": 120000, "period": "yearly", "source": "养老保险"}},
		"assets":                 map[string]any{"declared": true, "depositCents": 200000},
		"essentialSpendingCents": 500000, "noSupporters": true,
	}
}

// TestJourney is the first case end to end through the real router, on every backend.
func TestJourney(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, friday)
		alice := testenv.UniqueName("alice-" + be.Name)
		aliceOpenID := wxsim.OpenIDFor(testAppID, alice)
		tok := h.residentLogin(alice)

		// Profile and identity.
		if r := h.do("POST", "/mp/v1/cases", tok, application(seed.DemoVillageE1)); r.Status != 422 || r.errCode(t) != "identity.required" {
			t.Fatalf("case before identity: %d %s", r.Status, r.Body)
		}
		bad := h.do("PUT", "/mp/v1/me/identity", tok, map[string]string{"name": "张三", "idNumber": "110105194912310021"})
		if bad.Status != 400 || bad.errCode(t) != "identity.invalid_id_number" {
			t.Fatalf("bad checksum: %d %s", bad.Status, bad.Body)
		}
		prof := h.expect(h.do("PUT", "/mp/v1/me/identity", tok, map[string]string{"name": "张三", "idNumber": aliceID}), 200)
		if prof["idNumberMasked"] != "110105********002X" || prof["hasIdentity"] != true {
			t.Fatalf("profile: %v", prof)
		}

		ph := h.expect(h.do("POST", "/mp/v1/me/phone", tok, map[string]string{"code": "phone:13912345678"}), 200)
		if ph["phoneMasked"] != "139****5678" {
			t.Fatalf("phone: %v", ph)
		}
		if r := h.do("POST", "/mp/v1/me/phone", tok, map[string]string{"code": "fail:40029"}); r.Status != 422 || r.errCode(t) != "phone.code_invalid" {
			t.Fatalf("bad phone code: %d %s", r.Status, r.Body)
		}

		// Bad input: unknown field, wrong content.
		withExtra := application(seed.DemoVillageE1)
		withExtra["isAdmin"] = true
		if r := h.do("POST", "/mp/v1/cases", tok, withExtra); r.Status != 400 || r.errCode(t) != "request.unknown_field" {
			t.Fatalf("unknown field: %d %s", r.Status, r.Body)
		}
		noPledge := application(seed.DemoVillageE1)
		noPledge["pledgeAccepted"] = false
		if r := h.do("POST", "/mp/v1/cases", tok, noPledge); r.Status != 422 || r.errCode(t) != "case.pledge_required" {
			t.Fatalf("no pledge: %d %s", r.Status, r.Body)
		}

		// Submit twice with one Idempotency-Key, the second time concurrently: one case.
		created := h.do("POST", "/mp/v1/cases", tok, application(seed.DemoVillageE1), "Idempotency-Key", "tap-0001-"+be.Name)
		cs := h.expect(created, 201)
		caseID := cs["id"].(string)
		if len(caseID) < 20 || !strings.HasPrefix(cs["caseNo"].(string), "JZ20261120") {
			t.Fatalf("ids: %v", cs)
		}
		var wg sync.WaitGroup
		replays := make([]resp, 3)
		for i := range replays {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				replays[i] = h.do("POST", "/mp/v1/cases", tok, application(seed.DemoVillageE1), "Idempotency-Key", "tap-0001-"+be.Name)
			}(i)
		}
		wg.Wait()
		for _, r := range replays {
			if m := h.expect(r, 200); m["id"] != caseID {
				t.Fatalf("replay gave another case: %v", m)
			}
		}
		if strings.Contains(string(created.Body), aliceID) || strings.Contains(string(created.Body), spouseID) {
			t.Fatalf("full ID number in a response: %s", created.Body)
		}
		list := h.expect(h.do("GET", "/mp/v1/cases", tok, nil), 200)
		if n := len(list["items"].([]any)); n != 1 {
			t.Fatalf("resident has %d cases, want 1", n)
		}
		prog := h.expect(h.do("GET", "/mp/v1/cases/"+caseID, tok, nil), 200)
		if ns := prog["nextStep"].(map[string]any); ns["step"] != "to_accept" || ns["dueOn"] != "2026-11-25" {
			t.Fatalf("next step after submit: %v", ns)
		}

		// The resident accepts the progress template once (quota 1).
		tpls := h.expect(h.do("GET", "/mp/v1/subscriptions/templates", tok, nil), 200)
		tplID := tpls["items"].([]any)[0].(map[string]any)["templateId"].(string)
		h.expect(h.do("POST", "/mp/v1/subscriptions", tok, map[string]any{"results": []map[string]string{{"templateId": tplID, "result": "accept"}}}), 204)

		// Staff of the right town sees it; of the other town, not.
		east := h.staffLogin("town_east")
		west := h.staffLogin("town_west")
		q := h.expect(h.do("GET", "/api/v1/cases?status=submitted&category=minimum_living", east, nil), 200)
		items := q["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["id"] != caseID || items[0].(map[string]any)["applicantNameMasked"] != "张*" {
			t.Fatalf("east queue: %s", q)
		}
		if q := h.expect(h.do("GET", "/api/v1/cases?category=extreme_hardship", east, nil), 200); len(q["items"].([]any)) != 0 {
			t.Fatalf("category filter let through: %v", q)
		}
		if q := h.expect(h.do("GET", "/api/v1/cases", west, nil), 200); len(q["items"].([]any)) != 0 {
			t.Fatalf("west queue shows east's case: %v", q)
		}
		if r := h.do("GET", "/api/v1/cases?status=nonsense", east, nil); r.Status != 400 {
			t.Fatalf("bad filter: %d", r.Status)
		}

		// 404 for everyone else, on every piece, looking exactly like a missing case.
		bob := h.residentLogin("bob-" + be.Name)
		missing := h.do("GET", "/mp/v1/cases/nosuchcase", bob, nil)
		for _, r := range []resp{
			h.do("GET", "/mp/v1/cases/"+caseID, bob, nil),
			h.do("GET", "/api/v1/cases/"+caseID, west, nil),
			h.do("POST", "/api/v1/cases/"+caseID+"/accept", west, map[string]any{"version": 1}),
			h.do("POST", "/api/v1/cases/"+caseID+"/return", west, map[string]any{"version": 1, "missingItems": []map[string]string{{"name": "x"}}}),
		} {
			if r.Status != 404 || r.errCode(t) != "case.not_found" || r.json(t)["error"].(map[string]any)["message"] != missing.json(t)["error"].(map[string]any)["message"] {
				t.Fatalf("want the same 404 as a missing case, got %d %s", r.Status, r.Body)
			}
		}

		// The caseworker opens it: IDs masked.
		det := h.do("GET", "/api/v1/cases/"+caseID, east, nil)
		d := h.expect(det, 200)
		if strings.Contains(string(det.Body), aliceID) || d["members"].([]any)[0].(map[string]any)["idNumberMasked"] != "110105********002X" {
			t.Fatalf("staff view: %s", det.Body)
		}
		version := int(d["version"].(float64))

		// Accept: a version other than the current one is a 409 (0 and below are a 400), the right one moves the case.
		h.clock.Set(friday.Add(time.Hour))
		if r := h.do("POST", "/api/v1/cases/"+caseID+"/accept", east, map[string]any{"version": version + 1}); r.Status != 409 || r.errCode(t) != "case.version_conflict" {
			t.Fatalf("stale accept: %d %s", r.Status, r.Body)
		}
		acc := h.expect(h.do("POST", "/api/v1/cases/"+caseID+"/accept", east, map[string]any{"version": version, "opinion": "材料齐全，予以受理"}), 200)
		if acc["status"] != "accepted" || acc["deadlines"].([]any)[0].(map[string]any)["dueOn"] != "2026-11-25" {
			t.Fatalf("accepted: %v", acc)
		}
		if r := h.do("POST", "/api/v1/cases/"+caseID+"/accept", east, map[string]any{"version": version}); r.Status != 409 {
			t.Fatalf("second accept with the old version: %d %s", r.Status, r.Body)
		}

		// The resident sees the timeline and the next due date.
		prog = h.expect(h.do("GET", "/mp/v1/cases/"+caseID, tok, nil), 200)
		tl := prog["timeline"].([]any)
		if len(tl) != 3 || tl[0].(map[string]any)["action"] != "draft" || tl[1].(map[string]any)["action"] != "submit" || tl[2].(map[string]any)["action"] != "accept" || prog["nextStep"].(map[string]any)["dueOn"] != "2026-11-25" {
			t.Fatalf("progress: %v", prog)
		}

		// The worker delivers once, as a subscribe message (quota 1), and never twice.
		run := h.expect(h.do("POST", "/dev/v1/notify/run", "", nil), 200)
		if run["handled"].(float64) != 1 {
			t.Fatalf("worker handled %v rows, want 1", run["handled"])
		}
		h.expect(h.do("POST", "/dev/v1/notify/run", "", nil), 200)
		got := sim.MessagesTo(aliceOpenID)
		if len(got) != 1 || got[0].Data["phrase2"] != "已受理" || got[0].TemplateID != seed.SimulatorTemplateID || !strings.Contains(got[0].Page, caseID) {
			t.Fatalf("simulator received %+v", got)
		}
		if got[0].Data["thing1"] != "社会救助申请（低保、临时救助）" || got[0].Data["thing4"] != "将于2026-11-25前启动调查" {
			t.Fatalf("subscribe fields: %v", got[0].Data)
		}
		dev := h.expect(h.do("GET", "/dev/v1/wechat/messages", "", nil), 200)
		if !strings.Contains(fmt.Sprint(dev), aliceOpenID) {
			t.Fatalf("dev list misses the message: %v", dev)
		}
		msgs := h.expect(h.do("GET", "/mp/v1/messages", tok, nil), 200)["items"].([]any)
		if len(msgs) != 1 || msgs[0].(map[string]any)["pushed"] != true || !strings.Contains(msgs[0].(map[string]any)["body"].(string), "2026-11-25前启动入户调查") {
			t.Fatalf("in-app messages: %v", msgs)
		}

		// The same household cannot apply for 低保 again while its first application is open.
		if r := h.do("POST", "/mp/v1/cases", tok, application(seed.DemoVillageE1)); r.Status != 409 || r.errCode(t) != "case.already_open" ||
			!strings.Contains(string(r.Body), created.json(t)["caseNo"].(string)) {
			t.Fatalf("second open application: %d %s", r.Status, r.Body)
		}
		// Second case (特困), returned with the one-time notice; no quota left: in-app only.
		second := application(seed.DemoVillageE1)
		second["categories"] = []string{"extreme_hardship"}
		c2 := h.expect(h.do("POST", "/mp/v1/cases", tok, second), 201)
		id2 := c2["id"].(string)
		if r := h.do("POST", "/api/v1/cases/"+id2+"/return", east, map[string]any{"version": 2, "missingItems": []any{}}); r.Status != 422 {
			t.Fatalf("return without items: %d %s", r.Status, r.Body)
		}
		h.expect(h.do("POST", "/api/v1/cases/"+id2+"/return", east, map[string]any{"version": 2, "opinion": "请补充材料",
			"missingItems": []map[string]string{{"name": "家庭财产申报", "note": "请全体家庭成员签字后上传"}}}), 200)
		prog2 := h.expect(h.do("GET", "/mp/v1/cases/"+id2, tok, nil), 200)
		if prog2["status"] != "returned" || openItems(prog2) != 1 {
			t.Fatalf("returned case: %v", prog2)
		}
		h.expect(h.do("POST", "/dev/v1/notify/run", "", nil), 200)
		if got := sim.MessagesTo(aliceOpenID); len(got) != 1 {
			t.Fatalf("sent without quota: %d messages", len(got))
		}
		msgs = h.expect(h.do("GET", "/mp/v1/messages", tok, nil), 200)["items"].([]any)
		if len(msgs) != 2 || msgs[0].(map[string]any)["pushed"] != false {
			t.Fatalf("in-app after return: %v", msgs)
		}

		// Every staff read and action on the case is audited with its request id.
		st := h.app.Store
		c1, err := st.GetCase(context.Background(), residentScope(t, h, alice), caseID)
		testenv.Must(t, err)
		logs, err := testenv.OpenRows(t, h.app.Config).AuditForCase(context.Background(), c1.ID)
		testenv.Must(t, err)
		actions := map[string]int{}
		for _, l := range logs {
			actions[l.Action]++
			if l.RequestID == "" {
				t.Fatalf("audit without request id: %+v", l)
			}
		}
		if actions["case.view"] != 1 || actions["case.accept"] != 1 {
			t.Fatalf("audit for case: %v", actions)
		}

		// Logout revokes the token.
		h.expect(h.do("POST", "/mp/v1/auth/logout", tok, nil), 204)
		if r := h.do("GET", "/mp/v1/me", tok, nil); r.Status != 401 || r.errCode(t) != "auth.required" {
			t.Fatalf("after logout: %d %s", r.Status, r.Body)
		}

		// Logs never carry a full ID number.
		if strings.Contains(h.logs.String(), aliceID) || strings.Contains(h.logs.String(), "13912345678") {
			t.Fatal("a full ID number reached the logs")
		}
	})
}

// Without the simulator (as in production) the developer routes do not exist.
func TestNoDevRoutesWithoutSimulator(t *testing.T) {
	be := testenv.New(t, "embedded")
	be.Config.WeChat.Simulator = false
	h := newHarnessWith(t, be, friday, nil)
	for _, p := range []string{"/dev/v1/wechat/messages", "/dev/v1/notify/run"} {
		method := "GET"
		if strings.HasSuffix(p, "run") {
			method = "POST"
		}
		if r := h.do(method, p, "", nil); r.Status != 404 {
			t.Fatalf("%s %s answered %d without the simulator", method, p, r.Status)
		}
	}
}

// Logins are limited per client IP; a spoofed X-Forwarded-For does not buy a new budget.
// The in-process Redis runs on a fixed clock, so the budget cannot refill during the test.
func TestLoginRateLimit(t *testing.T) {
	h := newHarness(t, testenv.New(t, "embedded"), friday)
	mr := h.app.InProcessRedis
	mr.SetTime(friday)
	bad := map[string]string{"username": "town_east", "password": "wrong"}
	login := func(i int) resp {
		return h.do("POST", "/api/v1/auth/login", "", bad, "X-Forwarded-For", fmt.Sprintf("10.0.0.%d", i))
	}
	limited := 0
	for i := 0; i < 25; i++ {
		r := login(i)
		if r.Status == 429 && r.errCode(t) == "request.rate_limited" {
			if i < 20 {
				t.Fatalf("request %d limited inside the burst of 20", i+1)
			}
			if r.Header.Get("Retry-After") == "" {
				t.Fatal("429 without Retry-After")
			}
			limited++
		}
	}
	if limited != 5 {
		t.Fatalf("%d of the 5 logins past the burst were limited: X-Forwarded-For bought new budgets?", limited)
	}
	// The budget refills one login every 3 s: 3 s later exactly one more gets through.
	mr.SetTime(friday.Add(3 * time.Second))
	// (It reaches the password check: the account is locked by now, auth.locked.)
	if r := login(30); r.errCode(t) == "request.rate_limited" {
		t.Fatalf("3 s later the refilled login was limited: %s", r.Body)
	}
	if r := login(31); r.Status != 429 || r.errCode(t) != "request.rate_limited" {
		t.Fatalf("a second login 3 s later: %d %s, want 429 request.rate_limited", r.Status, r.Body)
	}
}

// soloApplication is the same one-request application built for the services: the applicant
// alone, complete for every category it may ask.
func soloApplication(village, name, id string, cats ...model.Category) caseapp.CreateInput {
	return caseapp.CreateInput{VillageCode: village, Categories: cats, PledgeAccepted: true, AuthorizationAccepted: true,
		Facts: soloFacts(name, id)}
}

func soloFacts(name, id string, minors ...string) model.HouseholdFacts {
	f := model.HouseholdFacts{Residence: "rural", NoIncome: true, NoSupporters: true, EssentialSpendingCents: 500000,
		Assets: model.AssetsDeclared{Declared: true},
		Members: []model.MemberFacts{{Relation: model.RelSelf, Name: name, IDNumber: id, HukouType: "local", Health: "chronic",
			WorkAbility: "partial", Employment: "farming"}}}
	for _, m := range minors {
		f.Members = append(f.Members, model.MemberFacts{Relation: model.RelChild, Name: "张小", IDNumber: m, HukouType: "local", Health: "healthy",
			WorkAbility: "none", Employment: "student"})
	}
	return f
}
