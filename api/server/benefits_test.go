package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"mime/multipart"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"palmaid/model"
	"palmaid/service/benefits"
	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// Issue 24: the recipient record (在保对象), the payee's account, the resident's 我的保障 and
// 发放记录, and the county's monthly payment roster — through the real router, on every backend.

// payCase is one application taken towards a decision for the benefit tests.
type payCase struct {
	tok, id string
	town    string // the caseworker of its town
	cat     string
	entries []map[string]any
}

// noticed files an application and takes it through acceptance, the investigation, the
// opinion and the public notice (the test clock at the notice's start); closeNotices then
// forwards it to the county.
func (r *reviewer) noticed(resident, village, town, second string, cat string, cents int64, members ...map[string]string) *payCase {
	r.t.Helper()
	tok, id := r.apply(resident, village, []string{cat}, members...)
	r.act(town, id, "accept", nil, 200)
	r.act(town, id, "start-investigation", map[string]any{"opinion": "启动入户调查和核对"}, 200)
	r.act("county", id, "data-check", map[string]any{"summary": "收入、财产核对未见异常"}, 200)
	r.act(town, id, "visits", map[string]any{"visitedOn": r.h.clock.Now().In(cstZone).Format("2006-01-02"),
		"investigators": []string{town, second}, "findings": "家中无大额财产，住房简陋", "familyConfirmed": true}, 200)
	var entries []map[string]any
	if cat == "extreme_hardship" {
		entries = allFive(nil, map[string]any{"category": cat, "memberPosition": 0, "outcome": "approved", "monthlyCents": cents})
	} else {
		entries = allFive(map[string]int64{cat: cents})
	}
	r.act(town, id, "opinion", map[string]any{"entries": entries}, 200)
	r.act(town, id, "notice", nil, 200)
	return &payCase{tok: tok, id: id, town: town, cat: cat, entries: entries}
}

func (r *reviewer) closeNotice(c *payCase) {
	r.t.Helper()
	r.act(c.town, c.id, "notice/close", nil, 200)
}

// decide has the county decide the case as forwarded (a 特困 case is spot-checked first).
func (r *reviewer) decide(c *payCase, extra map[string]any) map[string]any {
	r.t.Helper()
	if c.cat == "extreme_hardship" {
		// the county draws its sample over the year so far (a case no earlier draw covered), and a
		// sampled case gets its in-person check by two officers who did not investigate it
		if r.detail("county", c.id)["spotCheck"] == nil {
			today := r.h.clock.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
			r.h.expect(r.h.do("POST", "/api/v1/spot-check-draws", r.staff("county"), map[string]any{"from": "2026-01-01", "to": today}), 201)
		}
		if d := r.detail("county", c.id); d["spotCheck"].(map[string]any)["sampled"] == true && d["spotChecked"] != true {
			r.act("county", c.id, "spot-check", map[string]any{"checkedOn": r.h.clock.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly),
				"place": "申请人家中", "officers": []string{"county", "county2"}, "findings": "入户核实，情况属实", "confirmed": true}, 200)
		}
	}
	body := map[string]any{"entries": c.entries}
	for k, v := range extra {
		body[k] = v
	}
	return r.act("county", c.id, "decision", body, 200)
}

// myBenefit is the resident's only benefit (我的保障).
// rosterLines pages through a roster's lines as the officer sees them (query: the search,
// without cursor), checking each page's size.
func rosterLines(t *testing.T, h *harness, tok, rid, query string) []map[string]any {
	t.Helper()
	var out []map[string]any
	cursor := ""
	for i := 0; i < 100; i++ {
		path := "/api/v1/rosters/" + rid + "/lines?" + query
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		page := h.expect(h.do("GET", path, tok, nil), 200)
		for _, l := range page["items"].([]any) {
			out = append(out, l.(map[string]any))
		}
		next, _ := page["nextCursor"].(string)
		if next == "" {
			return out
		}
		cursor = next
	}
	t.Fatal("the lines never end")
	return nil
}

func myBenefit(t *testing.T, h *harness, tok string) map[string]any {
	t.Helper()
	items := h.expect(h.do("GET", "/mp/v1/benefits", tok, nil), 200)["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("我的保障: %v", items)
	}
	return items[0].(map[string]any)
}

// TestDecisionCreatesBenefit: an approved monthly decision creates the benefit in its own
// transaction — 低保 for the household, 特困 for the person — paid from the month after the
// decision's China-time date; a staff-supplied start month before that is refused.
func TestDecisionCreatesBenefit(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		dibao := r.noticed("pay-dibao-"+be.Name, seed.DemoVillageE1, "town_east", "town_east2", "minimum_living", 120000,
			map[string]string{"relation": "self", "name": "韩大", "idNumber": makeID("990101", "19500302", 41)},
			map[string]string{"relation": "spouse", "name": "韩二", "idNumber": makeID("990101", "19520715", 42)})
		tekun := r.noticed("pay-tekun-"+be.Name, seed.DemoVillageE1, "town_east", "town_east2", "extreme_hardship", 110500,
			map[string]string{"relation": "self", "name": "魏老汉", "idNumber": makeID("990101", "19400105", 43)})
		h.clock.Set(cst("2026-12-01", 9))
		r.closeNotice(dibao)
		r.closeNotice(tekun)

		// 00:30 on 1 January 2027 in China is still 31 December in UTC: the first month paid is
		// February (the month after the China-time date), and January is refused as a start.
		h.clock.Set(cst("2027-01-01", 0).Add(30 * time.Minute))
		early := allFive(map[string]int64{"minimum_living": 120000})
		early[0]["effectiveMonth"] = "2027-01"
		if e := r.act("county", dibao.id, "decision", map[string]any{"entries": early}, 422); e["code"] != "case.effective_month_too_early" {
			t.Fatalf("a start month before the month after the decision: %v", e)
		}
		if items := h.expect(h.do("GET", "/api/v1/benefits", r.staff("county"), nil), 200)["items"].([]any); len(items) != 0 {
			t.Fatalf("a refused decision left a benefit: %v", items)
		}
		r.decide(dibao, nil)
		r.decide(tekun, nil)

		items := h.expect(h.do("GET", "/api/v1/benefits", r.staff("county"), nil), 200)["items"].([]any)
		if len(items) != 2 {
			t.Fatalf("benefits: %v", items)
		}
		byCat := map[string]map[string]any{}
		for _, it := range items {
			byCat[it.(map[string]any)["category"].(string)] = it.(map[string]any)
		}
		d, x := byCat["minimum_living"], byCat["extreme_hardship"]
		if d == nil || d["perPerson"] != false || d["persons"] != float64(2) || d["monthlyCents"] != float64(120000) ||
			d["effectiveFrom"] != "2027-02" || d["status"] != "active" || d["personMasked"] != "韩*" || d["nextReviewOn"] != "2028-01-01" {
			t.Fatalf("低保 benefit: %v", d)
		}
		if x == nil || x["perPerson"] != true || x["persons"] != float64(1) || x["effectiveFrom"] != "2027-02" || x["personMasked"] != "魏*老" && x["personMasked"] != "魏*汉" {
			t.Fatalf("特困 benefit: %v", x)
		}
		// The change history: one approval, by the decision's case, effective February.
		detail := h.expect(h.do("GET", "/api/v1/benefits/"+d["id"].(string), r.staff("town_east"), nil), 200)
		ch := detail["changes"].([]any)
		if len(ch) != 1 || ch[0].(map[string]any)["kind"] != "approve" || ch[0].(map[string]any)["effectiveMonth"] != "2027-02" ||
			!strings.Contains(ch[0].(map[string]any)["ref"].(string), dibao.id) {
			t.Fatalf("changes: %v", ch)
		}

		// 我的保障: category, amount with its breakdown, since when, next review.
		mine := myBenefit(t, h, dibao.tok)
		if mine["category"] != "minimum_living" || mine["monthlyCents"] != float64(120000) || mine["since"] != "2027-02" ||
			mine["nextReviewOn"] != "2028-01-01" || len(mine["breakdown"].([]any)) != 2 {
			t.Fatalf("我的保障: %v", mine)
		}
		var sum float64
		for _, p := range mine["breakdown"].([]any) {
			sum += p.(map[string]any)["cents"].(float64)
		}
		if sum != 120000 {
			t.Fatalf("the breakdown does not add up to the amount: %v", mine["breakdown"])
		}
		if m := myBenefit(t, h, tekun.tok); m["category"] != "extreme_hardship" || m["formula"] != "基本生活费 + 照料护理费" {
			t.Fatalf("特困 我的保障: %v", m)
		}

		// No one else: another resident sees nothing and gets 404; another town's officer 404.
		other := h.residentLogin("pay-other-" + be.Name)
		if items := h.expect(h.do("GET", "/mp/v1/benefits", other, nil), 200)["items"].([]any); len(items) != 0 {
			t.Fatalf("another resident sees %v", items)
		}
		if res := h.do("GET", "/mp/v1/benefits/"+mine["id"].(string)+"/payments", other, nil); res.Status != 404 || res.errCode(t) != "benefit.not_found" {
			t.Fatalf("another resident's payments: %d %s", res.Status, res.Body)
		}
		if res := h.do("GET", "/api/v1/benefits/"+mine["id"].(string), r.staff("town_west"), nil); res.Status != 404 {
			t.Fatalf("another town reads the benefit: %d %s", res.Status, res.Body)
		}
		if items := h.expect(h.do("GET", "/api/v1/benefits", r.staff("town_west"), nil), 200)["items"].([]any); len(items) != 0 {
			t.Fatalf("another town lists %v", items)
		}
	})
}

// TestPayeeAccount: the town records the payee's account; the number is sealed at rest, only
// the last four digits are shown (to staff and the resident); the recording is audited; the
// county (no payee.record) is refused, another town gets 404.
func TestPayeeAccount(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		c := r.noticed("payee-"+be.Name, seed.DemoVillageE1, "town_east", "town_east2", "minimum_living", 90000,
			map[string]string{"relation": "self", "name": "苗大", "idNumber": makeID("990101", "19560302", 51)})
		h.clock.Set(cst("2026-12-01", 9))
		r.closeNotice(c)
		r.decide(c, nil)
		id := myBenefit(t, h, c.tok)["id"].(string)
		number := "6228480402564890018"
		body := map[string]any{"kind": "one_card_passbook", "bank": "莘县农村商业银行", "holderName": "苗大", "number": number}
		if res := h.do("PUT", "/api/v1/benefits/"+id+"/account", r.staff("county"), body); res.Status != 403 {
			t.Fatalf("the county records an account: %d %s", res.Status, res.Body)
		}
		if res := h.do("PUT", "/api/v1/benefits/"+id+"/account", r.staff("town_west"), body); res.Status != 404 {
			t.Fatalf("another town records an account: %d %s", res.Status, res.Body)
		}
		bad := map[string]any{"kind": "one_card_passbook", "bank": "莘县农村商业银行", "holderName": "苗大", "number": "12ab"}
		if res := h.do("PUT", "/api/v1/benefits/"+id+"/account", r.staff("town_east"), bad); res.Status != 400 || res.errCode(t) != "payee.invalid_number" {
			t.Fatalf("a bad number: %d %s", res.Status, res.Body)
		}
		// A card kept by staff needs the filed custody agreement (S1 art. 26).
		held := map[string]any{"kind": "one_card_passbook", "bank": "莘县农村商业银行", "holderName": "苗大", "number": number, "heldByStaff": true}
		if res := h.do("PUT", "/api/v1/benefits/"+id+"/account", r.staff("town_east"), held); res.Status != 422 || res.errCode(t) != "payee.custody_required" {
			t.Fatalf("kept by staff without an agreement: %d %s", res.Status, res.Body)
		}
		res := h.do("PUT", "/api/v1/benefits/"+id+"/account", r.staff("town_east"), body)
		v := h.expect(res, 200)
		if v["accountTail4"] != "0018" || v["accountKind"] != "one_card_passbook" || strings.Contains(string(res.Body), number) || v["accountVerifiedAt"] == nil {
			t.Fatalf("recorded: %s", res.Body)
		}
		if m := myBenefit(t, h, c.tok); m["accountTail4"] != "0018" || m["accountLabel"] != "一卡通" {
			t.Fatalf("the resident's card tail: %v", m)
		}
		dump, err := testenv.OpenRows(t, h.app.Config).TextDump(context.Background())
		testenv.Must(t, err)
		if strings.Contains(fmt.Sprint(dump), number) || strings.Contains(fmt.Sprint(dump["payee_accounts"]), "苗大") {
			t.Fatal("the account number or holder is stored in clear")
		}
		if !strings.Contains(fmt.Sprint(dump["audit_logs"]), "payee.record") {
			t.Fatal("the recording is not audited")
		}

		// The resident asks for a change of account: sealed, only the last four shown; one at a
		// time; nobody else may ask; the town verifies it (or refuses, with a reason), audited.
		newNumber := "6217000402564897777"
		change := map[string]any{"kind": "bank_card", "bank": "中国建设银行莘县支行", "holderName": "苗大", "number": newNumber}
		if res := h.do("POST", "/mp/v1/benefits/"+id+"/account-change", h.residentLogin("payee-stranger-"+be.Name), change); res.Status != 404 {
			t.Fatalf("a stranger asks: %d %s", res.Status, res.Body)
		}
		if res := h.do("POST", "/mp/v1/benefits/"+id+"/account-change", c.tok, map[string]any{"kind": "bank_card", "bank": "x", "holderName": "苗大", "number": "1"}); res.Status != 400 {
			t.Fatalf("a bad number: %d %s", res.Status, res.Body)
		}
		res = h.do("POST", "/mp/v1/benefits/"+id+"/account-change", c.tok, change)
		if v := h.expect(res, 201); v["accountTail4"] != "7777" || v["status"] != "pending" || strings.Contains(string(res.Body), newNumber) {
			t.Fatalf("asked: %s", res.Body)
		}
		if res := h.do("POST", "/mp/v1/benefits/"+id+"/account-change", c.tok, change); res.Status != 409 || res.errCode(t) != "payee.change_pending" {
			t.Fatalf("asked twice: %d %s", res.Status, res.Body)
		}
		if m := myBenefit(t, h, c.tok); m["accountTail4"] != "0018" || m["accountChange"].(map[string]any)["accountTail4"] != "7777" {
			t.Fatalf("the resident sees the old card and the request: %v", m)
		}
		staffView := h.expect(h.do("GET", "/api/v1/benefits/"+id, r.staff("town_east"), nil), 200)
		if staffView["accountChange"].(map[string]any)["accountTail4"] != "7777" || strings.Contains(fmt.Sprint(staffView), newNumber) {
			t.Fatalf("the town sees the request: %v", staffView)
		}
		verify := map[string]any{"decision": "verify"}
		if res := h.do("POST", "/api/v1/benefits/"+id+"/account-change", r.staff("town_west"), verify); res.Status != 404 {
			t.Fatalf("another town verifies: %d %s", res.Status, res.Body)
		}
		if res := h.do("POST", "/api/v1/benefits/"+id+"/account-change", r.staff("county"), verify); res.Status != 403 {
			t.Fatalf("the county verifies: %d %s", res.Status, res.Body)
		}
		if res := h.do("POST", "/api/v1/benefits/"+id+"/account-change", r.staff("town_east"), map[string]any{"decision": "reject"}); res.Status != 400 {
			t.Fatalf("refused without a reason: %d %s", res.Status, res.Body)
		}
		if v := h.expect(h.do("POST", "/api/v1/benefits/"+id+"/account-change", r.staff("town_east"), verify), 200); v["accountTail4"] != "7777" ||
			v["accountKind"] != "bank_card" || v["accountChange"] != nil {
			t.Fatalf("verified: %v", v)
		}
		if res := h.do("POST", "/api/v1/benefits/"+id+"/account-change", r.staff("town_east"), verify); res.Status != 409 || res.errCode(t) != "payee.no_change_pending" {
			t.Fatalf("verified twice: %d %s", res.Status, res.Body)
		}
		if m := myBenefit(t, h, c.tok); m["accountTail4"] != "7777" || m["accountChange"] != nil {
			t.Fatalf("the resident's new card: %v", m)
		}
		dump, err = testenv.OpenRows(t, h.app.Config).TextDump(context.Background())
		testenv.Must(t, err)
		if strings.Contains(fmt.Sprint(dump), newNumber) {
			t.Fatal("the requested number is stored in clear")
		}
		for _, a := range []string{"payee.change_request", "payee.change_verify"} {
			if !strings.Contains(fmt.Sprint(dump["audit_logs"]), a) {
				t.Fatalf("%s is not audited", a)
			}
		}
	})
}

// TestPaymentRoster: the county's roster from draft to closed — the pay-by date, the towns'
// confirmation (each town sees only its lines), four eyes, immutability after approval, the
// export (hash stored; unmasked needs its own permission and is audited), the feedback with a
// failed line, the arrears line next month, the month-on-month difference, and what the
// residents see.
func TestPaymentRoster(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		east := r.noticed("roster-east-"+be.Name, seed.DemoVillageE1, "town_east", "town_east2", "minimum_living", 120000,
			map[string]string{"relation": "self", "name": "冯大", "idNumber": makeID("990101", "19500302", 61)},
			map[string]string{"relation": "spouse", "name": "冯二", "idNumber": makeID("990101", "19520715", 62)})
		west := r.noticed("roster-west-"+be.Name, seed.DemoVillageW1, "town_west", "county2", "minimum_living", 80000,
			map[string]string{"relation": "self", "name": "陈大", "idNumber": makeID("990101", "19510302", 63)})
		h.clock.Set(cst("2026-12-01", 9))
		r.closeNotice(east)
		r.closeNotice(west)
		h.clock.Set(cst("2026-12-15", 10))
		r.decide(east, nil)
		r.decide(west, nil)
		eastID, westID := myBenefit(t, h, east.tok)["id"].(string), myBenefit(t, h, west.tok)["id"].(string)
		h.expect(h.do("PUT", "/api/v1/benefits/"+eastID+"/account", r.staff("town_east"),
			map[string]any{"kind": "social_security_card", "bank": "莘县农商银行", "holderName": "冯大", "number": "6228480402564891111"}), 200)
		h.expect(h.do("PUT", "/api/v1/benefits/"+westID+"/account", r.staff("town_west"),
			map[string]any{"kind": "bank_card", "bank": "中国邮政储蓄银行", "holderName": "陈大", "number": "6210980402564892222"}), 200)

		h.clock.Set(cst("2027-01-04", 9))
		county := r.staff("county")
		if res := h.do("POST", "/api/v1/rosters", r.staff("town_east"), map[string]any{"month": "2027-01", "category": "minimum_living"}); res.Status != 403 {
			t.Fatalf("a town prepares a roster: %d %s", res.Status, res.Body)
		}
		if res := h.do("POST", "/api/v1/rosters", county, map[string]any{"month": "2026-12", "category": "minimum_living"}); res.Status != 422 || res.errCode(t) != "roster.month_too_early" {
			t.Fatalf("a past month: %d %s", res.Status, res.Body)
		}
		ro := h.expect(h.do("POST", "/api/v1/rosters", county, map[string]any{"month": "2027-01", "category": "minimum_living"}), 201)
		rid := ro["id"].(string)
		// 10 January 2027 is a Sunday: paid by Friday the 8th; 2027's calendar is not loaded.
		if ro["status"] != "draft" || ro["payByOn"] != "2027-01-08" || ro["payByProvisional"] != true || ro["households"] != float64(2) ||
			ro["persons"] != float64(3) || ro["totalCents"] != float64(200000) || ro["lines"] != nil || len(ro["townsPending"].([]any)) != 2 {
			t.Fatalf("prepared (totals on the roster, the lines paged apart): %v", ro)
		}
		// The benefits list pages like every list: limit, an opaque cursor, and no empty last page.
		page := func(q string) ([]any, string) {
			res := h.expect(h.do("GET", "/api/v1/benefits?"+q, county, nil), 200)
			next, _ := res["nextCursor"].(string)
			return res["items"].([]any), next
		}
		first, next := page("limit=1")
		if len(first) != 1 || next == "" {
			t.Fatalf("benefits, first page of one: %v next %q", first, next)
		}
		second, last := page("limit=1&cursor=" + next)
		if len(second) != 1 || last != "" || second[0].(map[string]any)["id"] == first[0].(map[string]any)["id"] {
			t.Fatalf("benefits, the full last page has no cursor: %v next %q", second, last)
		}
		if both, next := page("limit=2"); len(both) != 2 || next != "" {
			t.Fatalf("benefits, one full page: %v next %q", both, next)
		}
		if res := h.do("GET", "/api/v1/benefits?cursor=12", county, nil); res.Status != 400 || res.errCode(t) != "request.invalid_page" {
			t.Fatalf("a decimal cursor: %d %s", res.Status, res.Body)
		}
		// The lines: paged, searched by town or village, by the start of a name or an ID number
		// (blind index), by status; a bad filter is 400.
		if all := rosterLines(t, h, county, rid, "limit=1"); len(all) != 2 || all[0]["id"] == all[1]["id"] {
			t.Fatalf("paged one at a time: %v", all)
		}
		for q, want := range map[string]string{"area=" + seed.DemoTownEast: seed.DemoTownEast, "area=" + seed.DemoVillageW1: seed.DemoTownWest,
			"q=%E5%86%AF": seed.DemoTownEast, "q=" + makeID("990101", "19510302", 63): seed.DemoTownWest, "q=%E5%86%AF%E4%BA%8C": seed.DemoTownEast} {
			if got := rosterLines(t, h, county, rid, q); len(got) != 1 || got[0]["townCode"] != want {
				t.Fatalf("lines %s: %v", q, got)
			}
		}
		if got := rosterLines(t, h, county, rid, "q=%E6%9D%8E"); len(got) != 0 {
			t.Fatalf("no one named 李: %v", got)
		}
		if got := rosterLines(t, h, county, rid, "status=pending"); len(got) != 2 {
			t.Fatalf("pending lines: %v", got)
		}
		if got := rosterLines(t, h, county, rid, "status=paid"); len(got) != 0 {
			t.Fatalf("paid lines before the export: %v", got)
		}
		for _, q := range []string{"status=lost", "limit=0", "limit=501", "cursor=x", "q=" + strings.Repeat("名", 31), "area=abc"} {
			if res := h.do("GET", "/api/v1/rosters/"+rid+"/lines?"+q, county, nil); res.Status != 400 {
				t.Fatalf("lines ?%s: %d %s", q, res.Status, res.Body)
			}
		}
		// a town never sees another town's lines, whatever it asks for
		if got := rosterLines(t, h, r.staff("town_east"), rid, "area="+seed.DemoTownWest); len(got) != 0 {
			t.Fatalf("town_east asks for the west's lines: %v", got)
		}
		if got := rosterLines(t, h, r.staff("town_east"), rid, "q="+makeID("990101", "19510302", 63)); len(got) != 0 {
			t.Fatalf("town_east searches a west ID number: %v", got)
		}
		if res := h.do("POST", "/api/v1/rosters", county, map[string]any{"month": "2027-01", "category": "minimum_living"}); res.Status != 409 {
			t.Fatalf("a second roster of the month: %d %s", res.Status, res.Body)
		}
		// A town sees only its own lines and totals.
		for town, want := range map[string]string{"town_east": seed.DemoTownEast, "town_west": seed.DemoTownWest} {
			v := h.expect(h.do("GET", "/api/v1/rosters/"+rid, r.staff(town), nil), 200)
			lines := rosterLines(t, h, r.staff(town), rid, "")
			if v["partial"] != true || len(lines) != 1 || lines[0]["townCode"] != want || v["households"] != float64(1) {
				t.Fatalf("%s sees %v", town, v)
			}
		}
		version := func() float64 {
			return h.expect(h.do("GET", "/api/v1/rosters/"+rid, county, nil), 200)["version"].(float64)
		}
		step := func(who, path string, status int, extra map[string]any) map[string]any {
			t.Helper()
			body := map[string]any{"version": version()}
			for k, v := range extra {
				body[k] = v
			}
			res := h.do("POST", "/api/v1/rosters/"+rid+"/"+path, r.staff(who), body)
			if res.Status != status {
				t.Fatalf("%s %s: %d %s", who, path, res.Status, res.Body)
			}
			if status >= 400 {
				return map[string]any{"code": res.errCode(t)}
			}
			return res.json(t)
		}
		if e := step("county2", "approve", 409, nil); e["code"] != "roster.wrong_state" {
			t.Fatalf("approved before the towns confirmed: %v", e)
		}
		if v := step("town_east", "confirm", 200, nil); v["status"] != "draft" {
			t.Fatalf("one town confirmed: %v", v)
		}
		if e := step("town_east", "confirm", 409, nil); e["code"] != "roster.nothing_to_confirm" {
			t.Fatalf("confirmed twice: %v", e)
		}
		if v := step("town_west", "confirm", 200, nil); v["status"] != "checked" {
			t.Fatalf("both towns confirmed: %v", v)
		}
		// Four eyes: the preparer cannot approve.
		if e := step("county", "approve", 403, nil); e["code"] != "roster.four_eyes" {
			t.Fatalf("the preparer approves: %v", e)
		}
		if v := step("county2", "approve", 200, nil); v["status"] != "approved" {
			t.Fatalf("approved: %v", v)
		}
		// Approved lines are immutable.
		if e := step("county", "rebuild", 409, nil); e["code"] != "roster.wrong_state" {
			t.Fatalf("rebuilt after approval: %v", e)
		}
		// The export: masked for the officer, unmasked only with its own permission (audited).
		if res := h.do("POST", "/api/v1/rosters/"+rid+"/export?unmasked=true", county, nil); res.Status != 403 {
			t.Fatalf("unmasked export without the permission: %d %s", res.Status, res.Body)
		}
		exp := h.do("POST", "/api/v1/rosters/"+rid+"/export", county, nil)
		sum := sha256.Sum256(exp.Body)
		if exp.Status != 200 || strings.Contains(string(exp.Body), "6228480402564891111") || !strings.Contains(string(exp.Body), "1111") ||
			!strings.Contains(string(exp.Body), "救助类别,保障人口数,救助金额") || exp.Header.Get("X-File-SHA256") != hex.EncodeToString(sum[:]) {
			t.Fatalf("masked export: %d %s", exp.Status, exp.Body)
		}
		full := h.do("POST", "/api/v1/rosters/"+rid+"/export?unmasked=true", r.staff("county_leader"), nil)
		fsum := sha256.Sum256(full.Body)
		if full.Status != 200 || !strings.Contains(string(full.Body), "6228480402564891111") || !strings.Contains(string(full.Body), "冯大") {
			t.Fatalf("unmasked export: %d %s", full.Status, full.Body)
		}
		// Excel: one sheet, every cell text (the account number keeps its digits), masked here.
		xl := h.do("POST", "/api/v1/rosters/"+rid+"/export?format=xlsx", county, nil)
		if xl.Status != 200 || !strings.HasPrefix(xl.Header.Get("Content-Type"), "application/vnd.openxmlformats") {
			t.Fatalf("xlsx export: %d %v", xl.Status, xl.Header)
		}
		book, err := excelize.OpenReader(bytes.NewReader(xl.Body))
		testenv.Must(t, err)
		rows, err := book.GetRows("Sheet1")
		testenv.Must(t, err)
		if len(rows) != 3 || strings.Join(rows[0], ",") != strings.Join(benefits.ExportColumns, ",") || rows[1][1] != "2027-01" ||
			!strings.HasSuffix(rows[1][9], "1111") && !strings.HasSuffix(rows[1][9], "2222") || strings.Contains(fmt.Sprint(rows), "6228480402564891111") {
			t.Fatalf("xlsx rows: %v", rows)
		}
		if res := h.do("POST", "/api/v1/rosters/"+rid+"/export?format=pdf", county, nil); res.Status != 400 || res.errCode(t) != "roster.invalid_export" {
			t.Fatalf("an unknown format: %d %s", res.Status, res.Body)
		}
		full = h.do("POST", "/api/v1/rosters/"+rid+"/export?unmasked=true", r.staff("county_leader"), nil)
		fsum = sha256.Sum256(full.Body)
		v := h.expect(h.do("GET", "/api/v1/rosters/"+rid, county, nil), 200)
		if v["status"] != "exported" || v["fileSha256"] != hex.EncodeToString(fsum[:]) {
			t.Fatalf("after the export: %v", v)
		}
		dump, err := testenv.OpenRows(t, h.app.Config).TextDump(context.Background())
		testenv.Must(t, err)
		if !strings.Contains(fmt.Sprint(dump["audit_logs"]), "file=unmasked") {
			t.Fatal("the unmasked export is not audited")
		}
		// The bank's feedback: the east line paid, the west line failed.
		var eastLine, westLine float64
		for _, l := range rosterLines(t, h, county, rid, "") {
			if l["townCode"] == seed.DemoTownEast {
				eastLine = l["id"].(float64)
			} else {
				westLine = l["id"].(float64)
			}
		}
		if e := step("county", "feedback", 400, map[string]any{"lines": []map[string]any{{"lineId": westLine, "status": "failed"}}}); e["code"] != "roster.invalid_feedback" {
			t.Fatalf("a failure without a reason: %v", e)
		}
		// a line named twice, or a line not in the roster, refuses the whole answer: nothing is written
		for _, bad := range [][]map[string]any{
			{{"lineId": eastLine, "status": "paid"}, {"lineId": eastLine, "status": "paid"}},
			{{"lineId": eastLine, "status": "paid"}, {"lineId": 999999999, "status": "paid"}},
		} {
			if e := step("county", "feedback", 422, map[string]any{"lines": bad}); e["code"] != "roster.line_not_pending" {
				t.Fatalf("feedback %v: %v", bad, e)
			}
		}
		if v := step("county", "feedback", 200, map[string]any{"lines": []map[string]any{{"lineId": eastLine, "status": "paid"}}}); v["status"] != "exported" {
			t.Fatalf("half the feedback: %v", v)
		}
		if v := step("county", "feedback", 200, map[string]any{"lines": []map[string]any{{"lineId": westLine, "status": "failed", "reason": "账户已冻结"}}}); v["status"] != "fed_back" {
			t.Fatalf("all fed back: %v", v)
		}
		if e := step("county", "feedback", 409, map[string]any{"lines": []map[string]any{{"lineId": eastLine, "status": "failed", "reason": "x"}}}); e["code"] != "roster.wrong_state" {
			t.Fatalf("feedback after fed back: %v", e)
		}
		step("county", "close", 200, nil)
		if v := rosterLines(t, h, county, rid, "status=failed"); len(v) != 1 || v[0]["failReason"] != "账户已冻结" {
			t.Fatalf("the failure's reason (sealed at rest) reads back: %v", v)
		}

		// Each is told: the month paid, or failed and repaid next month (no personal data).
		h.expect(h.do("POST", "/dev/v1/notify/run", "", nil), 200)
		msgs := func(tok string) string {
			return fmt.Sprint(h.expect(h.do("GET", "/mp/v1/messages", tok, nil), 200)["items"])
		}
		if m := msgs(east.tok); !strings.Contains(m, "保障金已发放") || !strings.Contains(m, "尾号为1111") {
			t.Fatalf("east's messages: %s", m)
		}
		if m := msgs(west.tok); !strings.Contains(m, "保障金发放失败") || !strings.Contains(m, "将于下月补发") {
			t.Fatalf("west's messages: %s", m)
		}

		// The residents' payment records.
		pays := func(tok, id string) []any {
			return h.expect(h.do("GET", "/mp/v1/benefits/"+id+"/payments", tok, nil), 200)["payments"].([]any)
		}
		if p := pays(east.tok, eastID); len(p) != 1 || p[0].(map[string]any)["statusLabel"] != "已发放" || p[0].(map[string]any)["cents"] != float64(120000) {
			t.Fatalf("east's record: %v", p)
		}
		if p := pays(west.tok, westID); len(p) != 1 || p[0].(map[string]any)["statusLabel"] != "发放失败，将于下月补发" || p[0].(map[string]any)["accountTail4"] != "2222" {
			t.Fatalf("west's record: %v", p)
		}

		// February: the failed January line is repaid as an arrears line; nothing new or stopped.
		h.clock.Set(cst("2027-02-01", 9))
		feb := h.expect(h.do("POST", "/api/v1/rosters", r.staff("county"), map[string]any{"month": "2027-02", "category": "minimum_living"}), 201)
		var arrears []map[string]any
		febLines := rosterLines(t, h, r.staff("county"), feb["id"].(string), "")
		for _, l := range febLines {
			if l["kind"] == "arrears" {
				arrears = append(arrears, l)
			}
		}
		diff := feb["diff"].(map[string]any)
		if len(febLines) != 3 || len(arrears) != 1 || arrears[0]["forMonth"] != "2027-01" || arrears[0]["benefitId"] != westID ||
			arrears[0]["cents"] != float64(80000) || feb["totalCents"] != float64(280000) || diff["prevExists"] != true || diff["new"] != float64(0) ||
			diff["stopped"] != float64(0) || diff["changed"] != float64(0) || diff["prevTotalCents"] != float64(200000) {
			t.Fatalf("February: %v", feb)
		}
		// The arrears line is owed once: a March roster does not repeat it while February's stands.
		h.clock.Set(cst("2027-03-01", 9))
		mar := h.expect(h.do("POST", "/api/v1/rosters", r.staff("county"), map[string]any{"month": "2027-03", "category": "minimum_living"}), 201)
		if l := rosterLines(t, h, r.staff("county"), mar["id"].(string), ""); len(l) != 2 {
			t.Fatalf("March repeats the arrears: %v", l)
		}

		// Statistics of an area subtree (China-time months): January's recipients and money as the
		// county sees them, as each town sees its own; another town's figures are not found.
		stats := func(tok, query string, status int) map[string]any {
			t.Helper()
			return h.expect(h.do("GET", "/api/v1/benefit-stats?"+query, tok, nil), status)
		}
		num := func(m map[string]any, path ...string) float64 {
			var v any = m
			for _, p := range path {
				v = v.(map[string]any)[p]
			}
			return v.(float64)
		}
		c := stats(r.staff("county"), "month=2027-01", 200)
		if c["areaCode"] != seed.DemoCounty || num(c, "recipients", "households") != 2 || num(c, "recipients", "persons") != 3 ||
			num(c, "recipients", "rural", "households") != 2 || num(c, "recipients", "urban", "households") != 0 ||
			num(c, "recipients", "newThisMonth") != 2 || num(c, "recipients", "stoppedThisMonth") != 0 ||
			num(c, "money", "paidThisMonthCents") != 120000 || num(c, "money", "paidThisYearCents") != 120000 ||
			num(c, "money", "perCapitaCents") != 60000 || num(c, "money", "failedLines") != 1 || num(c, "money", "failedCents") != 80000 ||
			num(c, "money", "arrearsCents") != 0 {
			t.Fatalf("the county's January: %v", c)
		}
		if cats := c["recipients"].(map[string]any)["byCategory"].([]any); len(cats) != 1 || cats[0].(map[string]any)["category"] != "minimum_living" ||
			cats[0].(map[string]any)["persons"] != float64(3) {
			t.Fatalf("by category: %v", cats)
		}
		if f := stats(r.staff("county"), "month=2027-02", 200); num(f, "money", "arrearsLines") != 1 || num(f, "money", "arrearsCents") != 80000 ||
			num(f, "money", "paidThisYearCents") != 120000 || num(f, "recipients", "newThisMonth") != 0 {
			t.Fatalf("the county's February: %v", f)
		}
		e := stats(r.staff("town_east"), "month=2027-01", 200)
		if e["areaCode"] != seed.DemoTownEast || num(e, "recipients", "households") != 1 || num(e, "money", "paidThisMonthCents") != 120000 ||
			num(e, "money", "failedLines") != 0 {
			t.Fatalf("the east town's January: %v", e)
		}
		if w := stats(r.staff("county"), "month=2027-01&area="+seed.DemoTownWest, 200); num(w, "recipients", "households") != 1 ||
			num(w, "money", "paidThisMonthCents") != 0 || num(w, "money", "failedCents") != 80000 {
			t.Fatalf("the west town as the county sees it: %v", w)
		}
		if res := h.do("GET", "/api/v1/benefit-stats?month=2027-01&area="+seed.DemoTownWest, r.staff("town_east"), nil); res.Status != 404 {
			t.Fatalf("a town asks for another town's figures: %d %s", res.Status, res.Body)
		}
		for _, q := range []string{"month=2027-13", "area=12"} {
			if res := h.do("GET", "/api/v1/benefit-stats?"+q, r.staff("county"), nil); res.Status != 400 {
				t.Fatalf("stats ?%s: %d %s", q, res.Status, res.Body)
			}
		}
	})
}

// TestBenefitRoutesStrangers: every route under a benefit or roster id, as an officer of
// another county (and, for a benefit, of another town) and as another resident, answers as for
// one that does not exist. The routes come from the router: a new one is covered without
// editing this test.
func TestBenefitRoutesStrangers(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		c := r.noticed("strangers-"+be.Name, seed.DemoVillageE1, "town_east", "town_east2", "minimum_living", 90000,
			map[string]string{"relation": "self", "name": "单大", "idNumber": makeID("990101", "19560302", 71)})
		h.clock.Set(cst("2026-12-01", 9))
		r.closeNotice(c)
		h.clock.Set(cst("2026-12-15", 9))
		r.decide(c, nil)
		bid := myBenefit(t, h, c.tok)["id"].(string)
		h.clock.Set(cst("2027-01-04", 9))
		rid := h.expect(h.do("POST", "/api/v1/rosters", r.staff("county"), map[string]any{"month": "2027-01", "category": "minimum_living"}), 201)["id"].(string)

		elsewhere := &model.Staff{Username: "leader_elsewhere_" + be.Name, DisplayName: "外县分管领导", Role: model.RoleCountyLeader, AreaCode: "990102000000", Active: true}
		elsewhere.PasswordHash = adminHash(t, h)
		testenv.Must(t, h.app.Store.UpsertStaff(context.Background(), elsewhere))
		strangers := map[string]string{"another county": h.staffLogin(elsewhere.Username)}
		other := h.residentLogin("stranger-" + be.Name)
		covered := 0
		for _, rt := range newHarnessEngine(t, h).Routes() {
			var real, missing string
			switch {
			case strings.Contains(rt.Path, "/benefits/:id"):
				real, missing = bid, "nosuchbenefit0000000000000"
			case strings.Contains(rt.Path, "/rosters/:id"):
				real, missing = rid, "nosuchroster00000000000000"
			default:
				continue
			}
			toks := map[string]string{}
			switch {
			case strings.HasPrefix(rt.Path, "/api/v1/"):
				toks = strangers
				if strings.Contains(rt.Path, "/benefits/") {
					toks = map[string]string{"another county": strangers["another county"], "another town": r.staff("town_west")}
				}
			case strings.HasPrefix(rt.Path, "/mp/v1/"):
				toks = map[string]string{"another resident": other}
			}
			var body map[string]any
			switch {
			case strings.HasSuffix(rt.Path, "/account"):
				body = map[string]any{"kind": "bank_card", "bank": "某银行", "holderName": "某人", "number": "62284804025648900"}
			case strings.HasSuffix(rt.Path, "/account-change") && strings.HasPrefix(rt.Path, "/mp/"):
				body = map[string]any{"kind": "bank_card", "bank": "某银行", "holderName": "某人", "number": "62284804025648900"}
			case strings.HasSuffix(rt.Path, "/account-change"):
				body = map[string]any{"decision": "verify"}
			case strings.HasSuffix(rt.Path, "/feedback"):
				body = map[string]any{"version": 1, "lines": []map[string]any{{"lineId": 1, "status": "paid"}}}
			case strings.HasSuffix(rt.Path, "/export"):
				body = nil
			case strings.HasSuffix(rt.Path, "/reviews"): // issue 25
				body = map[string]any{"kind": "warning", "cause": "比对预警"}
			case strings.HasSuffix(rt.Path, "/credit-records"):
				body = map[string]any{"conduct": "concealment", "level": "general", "facts": "隐瞒收入", "civilCapacity": "full"}
			case strings.HasSuffix(rt.Path, "/changes"):
				body = map[string]any{"kind": "income", "summary": "收入增加"}
			default:
				body = map[string]any{"version": 1}
			}
			for who, tok := range toks {
				var b any
				if rt.Method != "GET" && body != nil {
					b = body
				}
				mine := h.do(rt.Method, strings.Replace(rt.Path, ":id", real, 1), tok, b)
				none := h.do(rt.Method, strings.Replace(rt.Path, ":id", missing, 1), tok, b)
				if mine.Status != 404 || none.Status != 404 || mine.errCode(t) != none.errCode(t) {
					t.Errorf("%s %s as %s: %d %s; missing: %d %s", rt.Method, rt.Path, who, mine.Status, mine.Body, none.Status, none.Body)
				}
			}
			covered++
		}
		if covered < 9 {
			t.Fatalf("only %d benefit and roster routes found", covered)
		}
		// Nothing changed: the roster is still a draft at version 1.
		if v := h.expect(h.do("GET", "/api/v1/rosters/"+rid, r.staff("county"), nil), 200); v["version"] != float64(1) || v["status"] != "draft" {
			t.Fatalf("strangers changed the roster: %v", v)
		}
	})
}

// The scheduled job builds the month's draft rosters once (any replica, any number of runs),
// prepared by the system: a county officer may approve them after the towns confirm.
func TestRosterDraftsJob(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		c := r.noticed("job-"+be.Name, seed.DemoVillageE1, "town_east", "town_east2", "minimum_living", 90000,
			map[string]string{"relation": "self", "name": "岳大", "idNumber": makeID("990101", "19560302", 81)})
		h.clock.Set(cst("2026-12-01", 9))
		r.closeNotice(c)
		h.clock.Set(cst("2026-12-15", 9))
		r.decide(c, nil)
		h.clock.Set(cst("2027-01-01", 2))
		for range 2 {
			testenv.Must(t, h.app.RunJob(context.Background(), "roster-drafts"))
		}
		items := h.expect(h.do("GET", "/api/v1/rosters?month=2027-01", r.staff("county"), nil), 200)["items"].([]any)
		if len(items) != 2 {
			t.Fatalf("rosters built: %v", items)
		}
		var dibao map[string]any
		for _, it := range items {
			if it := it.(map[string]any); it["category"] == "minimum_living" {
				dibao = it
			}
		}
		if dibao == nil || dibao["status"] != "draft" || dibao["households"] != float64(1) || dibao["totalCents"] != float64(90000) {
			t.Fatalf("the 低保 draft: %v", items)
		}
		rid := dibao["id"].(string)
		v := h.expect(h.do("GET", "/api/v1/rosters/"+rid, r.staff("town_east"), nil), 200)
		v = h.expect(h.do("POST", "/api/v1/rosters/"+rid+"/confirm", r.staff("town_east"), map[string]any{"version": v["version"]}), 200)
		if v = h.expect(h.do("POST", "/api/v1/rosters/"+rid+"/approve", r.staff("county"), map[string]any{"version": v["version"]}), 200); v["status"] != "approved" {
			t.Fatalf("approved: %v", v)
		}
	})
}

// 单人保: a 低保 decision for one member of the household is a benefit of that person alone
// (persons 1, per person); the member who applied for them sees it as their agent (the person
// themself through their verified identity), nobody else.
func TestSinglePersonBenefit(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		son := makeID("990101", "19900404", 92)
		members := []map[string]string{{"relation": "self", "name": "卢母", "idNumber": makeID("990101", "19520302", 91)},
			{"relation": "child", "name": "卢子", "idNumber": son}}
		c := r.noticed("single-"+be.Name, seed.DemoVillageE1, "town_east", "town_east2", "minimum_living", 70000, members...)
		// the opinion and decision: 低保 for the son alone (单人保)
		entries := allFive(nil, map[string]any{"category": "minimum_living", "memberPosition": 1, "outcome": "approved", "monthlyCents": 70000})
		c.entries = entries
		h.clock.Set(cst("2026-12-01", 9))
		r.closeNotice(c)
		r.decide(c, nil)
		items := h.expect(h.do("GET", "/api/v1/benefits", r.staff("county"), nil), 200)["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("benefits: %v", items)
		}
		b := items[0].(map[string]any)
		if b["category"] != "minimum_living" || b["perPerson"] != true || b["persons"] != float64(1) || b["personMasked"] != "卢*" || b["effectiveFrom"] != "2027-01" {
			t.Fatalf("单人保: %v", b)
		}
		// The mother applied for him: she sees it as his agent; nobody else does.
		if m := myBenefit(t, h, c.tok); m["id"] != b["id"] || m["persons"] != float64(1) || m["personMasked"] != "卢*" {
			t.Fatalf("the applicant's 我的保障: %v", m)
		}
		other := h.residentLogin("single-other-" + be.Name)
		if res := h.do("GET", "/mp/v1/benefits/"+b["id"].(string)+"/payments", other, nil); res.Status != 404 {
			t.Fatalf("another resident: %d %s", res.Status, res.Body)
		}
	})
}

// Two officers (or an officer and the job) preparing the same roster at once: one roster, the
// other answer 409 roster.exists — never a 500 from the unique key.
func TestRosterPreparedOnce(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		c := r.noticed("once-"+be.Name, seed.DemoVillageE1, "town_east", "town_east2", "minimum_living", 90000,
			map[string]string{"relation": "self", "name": "邵大", "idNumber": makeID("990101", "19560302", 95)})
		h.clock.Set(cst("2026-12-01", 9))
		r.closeNotice(c)
		r.decide(c, nil)
		h.clock.Set(cst("2027-01-04", 9))
		toks := []string{r.staff("county"), r.staff("county2"), r.staff("county_leader"), r.staff("county")}
		statuses := make(chan int, len(toks))
		for _, tok := range toks {
			go func() {
				res := h.do("POST", "/api/v1/rosters", tok, map[string]any{"month": "2027-01", "category": "minimum_living"})
				if res.Status == 409 && res.errCode(t) != "roster.exists" {
					t.Errorf("409 %s", res.Body)
				}
				statuses <- res.Status
			}()
		}
		got := map[int]int{}
		for range toks {
			got[<-statuses]++
		}
		if got[201] != 1 || got[409] != len(toks)-1 {
			t.Fatalf("concurrent prepares: %v", got)
		}
	})
}

// Town confirmation has a deadline: the region's working days before the pay-by date. When it
// passes with towns still to confirm, the roster is checked all the same — by the roster-drafts
// job, or on the next read — once, audited with the towns that did not confirm.
func TestRosterConfirmDeadline(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		c := r.noticed("deadline-"+be.Name, seed.DemoVillageE1, "town_east", "town_east2", "minimum_living", 90000,
			map[string]string{"relation": "self", "name": "郁大", "idNumber": makeID("990101", "19560302", 91)})
		h.clock.Set(cst("2026-12-01", 9))
		r.closeNotice(c)
		h.clock.Set(cst("2026-12-15", 9))
		r.decide(c, nil)
		dibao := func(month string) map[string]any {
			t.Helper()
			for _, it := range h.expect(h.do("GET", "/api/v1/rosters?month="+month, r.staff("county"), nil), 200)["items"].([]any) {
				if it := it.(map[string]any); it["category"] == "minimum_living" {
					return h.expect(h.do("GET", "/api/v1/rosters/"+it["id"].(string), r.staff("county"), nil), 200)
				}
			}
			t.Fatalf("no 低保 roster of %s", month)
			return nil
		}
		// January: built by the job on the 1st; paid by Friday the 8th, so the towns confirm
		// by Tuesday the 5th (3 working days before, the default).
		h.clock.Set(cst("2027-01-01", 2))
		testenv.Must(t, h.app.RunJob(context.Background(), "roster-drafts"))
		jan := dibao("2027-01")
		if jan["status"] != "draft" || jan["payByOn"] != "2027-01-08" || jan["confirmByOn"] != "2027-01-05" {
			t.Fatalf("January's draft: %v", jan)
		}
		h.clock.Set(cst("2027-01-05", 23))
		testenv.Must(t, h.app.RunJob(context.Background(), "roster-drafts"))
		if v := dibao("2027-01"); v["status"] != "draft" {
			t.Fatalf("checked on the deadline's own day: %v", v)
		}
		h.clock.Set(cst("2027-01-06", 0))
		for range 2 { // the job, twice (two replicas): checked once
			testenv.Must(t, h.app.RunJob(context.Background(), "roster-drafts"))
		}
		jan = dibao("2027-01")
		if jan["status"] != "checked" || fmt.Sprint(jan["townsPending"]) != "["+seed.DemoTownEast+"]" || jan["version"] != float64(2) {
			t.Fatalf("after the deadline (the town that did not confirm stays listed): %v", jan)
		}
		if res := h.do("POST", "/api/v1/rosters/"+jan["id"].(string)+"/confirm", r.staff("town_east"), map[string]any{"version": jan["version"]}); res.Status != 409 {
			t.Fatalf("a town confirms after the deadline: %d %s", res.Status, res.Body)
		}
		h.expect(h.do("POST", "/api/v1/rosters/"+jan["id"].(string)+"/approve", r.staff("county2"), map[string]any{"version": jan["version"]}), 200)
		// February: prepared by the county; paid by Wednesday the 10th, confirmed by Friday
		// the 5th; read on Monday the 8th, it is checked on that read, no job needed.
		h.clock.Set(cst("2027-02-01", 9))
		feb := h.expect(h.do("POST", "/api/v1/rosters", r.staff("county"), map[string]any{"month": "2027-02", "category": "minimum_living"}), 201)
		if feb["confirmByOn"] != "2027-02-05" || feb["status"] != "draft" {
			t.Fatalf("February: %v", feb)
		}
		h.clock.Set(cst("2027-02-08", 9))
		if v := h.expect(h.do("GET", "/api/v1/rosters/"+feb["id"].(string), r.staff("town_east"), nil), 200); v["status"] != "checked" {
			t.Fatalf("read after the deadline: %v", v)
		}
		dump, err := testenv.OpenRows(t, h.app.Config).TextDump(context.Background())
		testenv.Must(t, err)
		if n := strings.Count(fmt.Sprint(dump["audit_logs"]), "roster.confirm_lapsed"); n != 2 {
			t.Fatalf("the lapsed confirmations audited %d times, want 2", n)
		}
	})
}

// feedbackForm is a multipart body with the roster's version and a feedback file.
func feedbackForm(t *testing.T, version float64, name string, file []byte) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	testenv.Must(t, w.WriteField("version", fmt.Sprint(version)))
	part, err := w.CreateFormFile("file", name)
	testenv.Must(t, err)
	_, err = part.Write(file)
	testenv.Must(t, err)
	testenv.Must(t, w.Close())
	return buf.String(), w.FormDataContentType()
}

// The bank's feedback file, imported in the export's own layout (CSV or Excel): validated
// whole — a line named twice, a line not in the roster, an amount that is not the line's —
// refuses the file and writes nothing; a good file records every answer, audited with its hash.
func TestRosterFeedbackFile(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		east := r.noticed("ffile-east-"+be.Name, seed.DemoVillageE1, "town_east", "town_east2", "minimum_living", 120000,
			map[string]string{"relation": "self", "name": "韩大", "idNumber": makeID("990101", "19500302", 95)})
		west := r.noticed("ffile-west-"+be.Name, seed.DemoVillageW1, "town_west", "county2", "minimum_living", 80000,
			map[string]string{"relation": "self", "name": "杨大", "idNumber": makeID("990101", "19510302", 96)})
		h.clock.Set(cst("2026-12-01", 9))
		r.closeNotice(east)
		r.closeNotice(west)
		h.clock.Set(cst("2026-12-15", 10))
		r.decide(east, nil)
		r.decide(west, nil)
		// The county's export layout (a region setting): these columns in this order; the
		// import finds them by their headers. A layout without 序号 or 反馈状态, with an unknown
		// or a repeated column, is refused.
		admin := h.staffLogin("admin")
		layout := []string{"序号", "账户名称", "账号", "发放合计", "反馈状态", "救助类别"}
		for _, bad := range [][]string{{"账号", "反馈状态"}, {"序号", "账号"}, {"序号", "反馈状态", "身份证号"}, {"序号", "反馈状态", "序号"}} {
			if res := h.do("PUT", "/api/v1/admin/policy/"+seed.DemoCounty, admin, map[string]any{"effectiveFrom": "2026-12-20",
				"values": map[string]any{string(model.SetExportColumns): bad}}); res.Status != 422 || res.errCode(t) != "policy.out_of_range" {
				t.Fatalf("layout %v: %d %s", bad, res.Status, res.Body)
			}
		}
		h.expect(h.do("PUT", "/api/v1/admin/policy/"+seed.DemoCounty, admin, map[string]any{"effectiveFrom": "2026-12-20",
			"values": map[string]any{string(model.SetExportColumns): layout}}), 200)
		h.clock.Set(cst("2027-01-04", 9))
		county := r.staff("county")
		rid := h.expect(h.do("POST", "/api/v1/rosters", county, map[string]any{"month": "2027-01", "category": "minimum_living"}), 201)["id"].(string)
		version := func() float64 {
			return h.expect(h.do("GET", "/api/v1/rosters/"+rid, county, nil), 200)["version"].(float64)
		}
		for _, town := range []string{"town_east", "town_west"} {
			h.expect(h.do("POST", "/api/v1/rosters/"+rid+"/confirm", r.staff(town), map[string]any{"version": version()}), 200)
		}
		h.expect(h.do("POST", "/api/v1/rosters/"+rid+"/approve", r.staff("county2"), map[string]any{"version": version()}), 200)
		exp := h.do("POST", "/api/v1/rosters/"+rid+"/export", county, nil)
		if exp.Status != 200 {
			t.Fatalf("export: %d %s", exp.Status, exp.Body)
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(exp.Body, []byte("\ufeff")))).ReadAll()
		testenv.Must(t, err)
		if strings.Join(rows[0], ",") != strings.Join(layout, ",") || len(rows) != 3 || rows[1][5] != "低保" || rows[1][3] == "" {
			t.Fatalf("the export in the county's layout: %v", rows)
		}
		col := map[string]int{}
		for i, c := range rows[0] {
			col[c] = i
		}
		// answer: the bank's file with 反馈状态 filled in row by row (the 序号 and amounts as exported)
		answer := func(edit func(rows [][]string) [][]string) []byte {
			cp := make([][]string, len(rows))
			for i := range rows {
				cp[i] = slices.Clone(rows[i])
			}
			var buf bytes.Buffer
			w := csv.NewWriter(&buf)
			testenv.Must(t, w.WriteAll(edit(cp)))
			return buf.Bytes()
		}
		upload := func(tok string, file []byte, name string, status int) map[string]any {
			t.Helper()
			body, ct := feedbackForm(t, version(), name, file)
			res := h.do("POST", "/api/v1/rosters/"+rid+"/feedback-file", tok, body, "Content-Type", ct)
			if res.Status != status {
				t.Fatalf("upload %s: %d %s", name, res.Status, res.Body)
			}
			if status >= 400 {
				return map[string]any{"code": res.errCode(t)}
			}
			return res.json(t)
		}
		status := col["反馈状态"]
		good := func(rows [][]string) [][]string {
			rows[1][status], rows[2][status] = "成功", "失败：账户已冻结"
			return rows
		}
		for name, c := range map[string]struct {
			edit   func([][]string) [][]string
			status int
			code   string
		}{
			"twice": {func(rows [][]string) [][]string {
				rows = good(rows)
				return append(rows, slices.Clone(rows[1]))
			}, 422, "roster.feedback_file_mismatch"},
			"unknown": {func(rows [][]string) [][]string {
				rows = good(rows)
				rows[2][col["序号"]] = "3"
				return rows
			}, 422, "roster.feedback_file_mismatch"},
			"amount": {func(rows [][]string) [][]string {
				rows = good(rows)
				rows[1][col["发放合计"]] = "1.00"
				return rows
			}, 422, "roster.feedback_file_mismatch"},
			"no status column": {func(rows [][]string) [][]string {
				rows = good(rows)
				rows[0][status] = "结果"
				return rows
			}, 400, "roster.invalid_feedback_file"},
			"a failure without its reason": {func(rows [][]string) [][]string {
				rows = good(rows)
				rows[2][status] = "失败"
				return rows
			}, 400, "roster.invalid_feedback_file"},
		} {
			if e := upload(county, answer(c.edit), name+".csv", c.status); e["code"] != c.code {
				t.Fatalf("%s: %v", name, e)
			}
		}
		if got := rosterLines(t, h, county, rid, "status=pending"); len(got) != 2 {
			t.Fatalf("a refused file wrote something: %v", got)
		}
		if e := upload(r.staff("town_east"), answer(good), "good.csv", 403); e["code"] != "auth.forbidden" {
			t.Fatalf("a town imports the county's feedback: %v", e)
		}
		if res := h.do("POST", "/api/v1/rosters/"+rid+"/feedback-file", county, map[string]any{"version": version()}); res.Status != 400 || res.errCode(t) != "request.content_type" {
			t.Fatalf("a JSON body: %d %s", res.Status, res.Body)
		}
		// the good answer as Excel (every cell text, as exported)
		good2 := good(func() [][]string {
			cp := make([][]string, len(rows))
			for i := range rows {
				cp[i] = slices.Clone(rows[i])
			}
			return cp
		}())
		xl := excelize.NewFile()
		for i, row := range good2 {
			cell, err := excelize.CoordinatesToCellName(1, i+1)
			testenv.Must(t, err)
			vals := make([]any, len(row))
			for j, v := range row {
				vals[j] = v
			}
			testenv.Must(t, xl.SetSheetRow("Sheet1", cell, &vals))
		}
		var xbuf bytes.Buffer
		_, err = xl.WriteTo(&xbuf)
		testenv.Must(t, err)
		if v := upload(county, xbuf.Bytes(), "good.xlsx", 200); v["status"] != "fed_back" {
			t.Fatalf("the good file: %v", v)
		}
		if got := rosterLines(t, h, county, rid, "status=failed"); len(got) != 1 || got[0]["failReason"] != "账户已冻结" || got[0]["cents"] != float64(80000) {
			t.Fatalf("the failed line: %v", got)
		}
		if e := upload(county, xbuf.Bytes(), "again.xlsx", 409); e["code"] != "roster.wrong_state" {
			t.Fatalf("imported twice: %v", e)
		}
		dump, err := testenv.OpenRows(t, h.app.Config).TextDump(context.Background())
		testenv.Must(t, err)
		sum := sha256.Sum256(xbuf.Bytes())
		if !strings.Contains(fmt.Sprint(dump["audit_logs"]), "roster.feedback_file") || !strings.Contains(fmt.Sprint(dump["audit_logs"]), hex.EncodeToString(sum[:])) {
			t.Fatal("the import is not audited with the file's hash")
		}
	})
}
