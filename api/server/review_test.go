package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/server"
	"palmaid/model"
	dt "palmaid/service/documents/doctest"
	"palmaid/service/seed"
	"palmaid/service/store"
	"palmaid/service/testenv"
)

// The five-in-one review through the real router, on every backend: each statutory path from
// application to decision, as the town and the county work it.

// Monday 2026-11-23, 10:00 China Standard Time.
var monday = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)

// cst is a wall-clock time in China Standard Time on a given date (for moving the test clock).
func cst(date string, hour int) time.Time {
	d, err := time.Parse("2006-01-02", date)
	if err != nil {
		panic(err)
	}
	return d.Add(time.Duration(hour-8) * time.Hour)
}

// makeID builds a checksum-valid 18-digit ID number: region (6), birth date (8), sequence (3).
func makeID(region, birth string, seq int) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	body := fmt.Sprintf("%s%s%03d", region, birth, seq)
	sum := 0
	for i := range 17 {
		sum += int(body[i]-'0') * weights[i]
	}
	return body + string("10X98765432"[sum%11])
}

// reviewer drives one case through the staff and resident faces.
type reviewer struct {
	t   *testing.T
	h   *harness
	tok map[string]string    // staff username → token
	at  map[string]time.Time // when it logged in (test clock)
	ids []string             // every full ID number used, for the privacy scan
}

func newReviewer(t *testing.T, h *harness) *reviewer {
	return &reviewer{t: t, h: h, tok: map[string]string{}, at: map[string]time.Time{}}
}

// staff is the officer's token, logging in again when the test clock has moved past the
// session's absolute limit (12 h after login): officers log in each working day.
func (r *reviewer) staff(username string) string {
	if tok, ok := r.tok[username]; ok && r.h.clock.Now().Sub(r.at[username]) < 11*time.Hour {
		return tok
	}
	r.tok[username], r.at[username] = r.h.staffLogin(username), r.h.clock.Now()
	return r.tok[username]
}

// apply logs a resident in, binds the applicant's identity and files an application with a
// complete declaration of the members given. A household of the applicant and minors files in
// one request (POST /mp/v1/cases); one with other adults files through the draft path, each
// adult confirming from their own login through an invitation (issue 21: one intake path).
func (r *reviewer) apply(resident, village string, cats []string, members ...map[string]string) (tok, id string) {
	r.t.Helper()
	tok = r.h.residentLogin(resident)
	self := members[0]
	r.h.expect(r.h.do("PUT", "/mp/v1/me/identity", tok, map[string]string{"name": self["name"], "idNumber": self["idNumber"]}), 200)
	for _, m := range members {
		r.ids = append(r.ids, m["idNumber"])
	}
	facts, adults := declare(r.h.clock.Now(), members)
	body := map[string]any{"villageCode": village, "address": "孙庄村5组8号", "categories": cats,
		"reason": "家庭收入低于当地低保标准，生活困难", "facts": facts}
	if adults == 1 && len(self) == 3 {
		body["pledgeAccepted"], body["authorizationAccepted"] = true, true
		return tok, r.h.expect(r.h.do("POST", "/mp/v1/cases", tok, body), 201)["id"].(string)
	}
	return tok, fileDraft(r.h, tok, body, members)
}

// declare is a complete declaration of the members (relation, name, ID number given): local
// 户籍, chronic illness for the applicant, no income, assets declared; and how many are adults.
func declare(now time.Time, members []map[string]string) (map[string]any, int) {
	out := []map[string]any{}
	adults := 0
	for i, m := range members {
		d := map[string]any{"relation": m["relation"], "name": m["name"], "idNumber": m["idNumber"], "hukouType": "local",
			"health": "healthy", "workAbility": "full", "employment": "unemployed"}
		if i == 0 {
			d["health"], d["workAbility"], d["employment"] = "chronic", "partial", "farming"
		}
		for k, v := range m { // anything else the test declares (employment, health …)
			d[k] = v
		}
		if b, ok := model.BirthDateFromID(m["idNumber"]); ok && model.AgeOn(b, now) >= 18 {
			adults++
		}
		out = append(out, d)
	}
	return map[string]any{"residence": "rural", "members": out, "noIncome": true, "noSupporters": true,
		"assets": map[string]any{"declared": true}, "essentialSpendingCents": 500000}, adults
}

// fileDraft files a draft, has every other adult confirm from their own login, commits to
// (or uploads) every item still missing, and submits.
func fileDraft(h *harness, tok string, body map[string]any, members []map[string]string) string {
	h.t.Helper()
	d := h.expect(h.do("POST", "/mp/v1/drafts", tok, body), 201)
	id := d["id"].(string)
	for _, x := range d["application"].(map[string]any)["checklist"].([]any) {
		it := x.(map[string]any)
		if it["status"] != "missing" {
			continue
		}
		itemID := uint64(it["id"].(float64))
		if it["provide"] == "commitment_allowed" {
			cur := h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
			h.expect(h.do("POST", fmt.Sprintf("/mp/v1/cases/%s/items/%d/commitment", id, itemID), tok, map[string]any{"version": cur["version"]}), 200)
		} else {
			h.expect(h.upload(tok, id, itemID, "doc.pdf", "application/pdf", dt.FixturePDF()), 201)
		}
	}
	for _, k := range d["application"].(map[string]any)["consents"].([]any) {
		c := k.(map[string]any)
		pos := int(c["position"].(float64))
		if c["subject"] != "member" || pos == 0 {
			continue
		}
		inv := h.expect(h.do("POST", fmt.Sprintf("/mp/v1/cases/%s/consents/%d/invitation", id, int(c["id"].(float64))), tok, nil), 201)
		who := h.residentLogin(testenv.UniqueName("member"))
		h.expect(h.do("PUT", "/mp/v1/me/identity", who, map[string]string{"name": members[pos]["name"], "idNumber": members[pos]["idNumber"]}), 200)
		h.mu.Lock()
		if h.members == nil {
			h.members = map[string]string{}
		}
		h.members[members[pos]["idNumber"]] = who
		h.mu.Unlock()
		view := h.expect(h.do("GET", "/mp/v1/invitations/"+inv["token"].(string), who, nil), 200)
		h.expect(h.do("POST", "/mp/v1/invitations/"+inv["token"].(string)+"/confirm", who, map[string]any{"pledgeAccepted": true,
			"authorizationAccepted": true, "textVersion": view["textVersion"]}), 200)
	}
	cur := h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
	h.expect(h.do("POST", "/mp/v1/cases/"+id+"/submit", tok, map[string]any{"version": cur["version"], "pledgeAccepted": true, "authorizationAccepted": true}), 200)
	return id
}

// detail is the staff view of the case as username sees it.
func (r *reviewer) detail(username, id string) map[string]any {
	r.t.Helper()
	return r.h.expect(r.h.do("GET", "/api/v1/cases/"+id, r.staff(username), nil), 200)
}

// act runs a staff action with the case's current version and checks the answer's status;
// for errors it returns the error envelope's code in "code".
func (r *reviewer) act(username, id, path string, body map[string]any, status int) map[string]any {
	r.t.Helper()
	if body == nil {
		body = map[string]any{}
	}
	if _, ok := body["version"]; !ok {
		body["version"] = r.version(id)
	}
	res := r.h.do("POST", "/api/v1/cases/"+id+"/"+path, r.staff(username), body)
	if res.Status != status {
		r.t.Fatalf("%s %s by %s: status %d, want %d: %s", path, id, username, res.Status, status, res.Body)
	}
	m := res.json(r.t)
	if status >= 400 {
		return map[string]any{"code": res.errCode(r.t), "body": m}
	}
	return m
}

// version reads the current version without an audited staff read (through the county's
// store view would be audited too): the resident's own view is not needed, so use the store.
func (r *reviewer) version(id string) int {
	r.t.Helper()
	f, err := r.h.app.Store.LoadCaseFile(context.Background(), storeSystem(), id)
	if err != nil {
		r.t.Fatalf("load %s: %v", id, err)
	}
	return f.Case.Version
}

func (r *reviewer) status(id string) string {
	r.t.Helper()
	f, err := r.h.app.Store.LoadCaseFile(context.Background(), storeSystem(), id)
	if err != nil {
		r.t.Fatalf("load %s: %v", id, err)
	}
	return string(f.Case.Status)
}

// wantStatus asserts the case's status and stage.
func (r *reviewer) wantStatus(m map[string]any, status, stage string) {
	r.t.Helper()
	if m["status"] != status || (stage != "" && m["stage"] != stage) {
		r.t.Fatalf("status %v stage %v, want %s %s (allowed %v)", m["status"], m["stage"], status, stage, m["allowedActions"])
	}
}

// openDeadline finds the open deadline of a step in a staff view.
func openDeadline(m map[string]any, step string) map[string]any {
	for _, d := range m["deadlines"].([]any) {
		d := d.(map[string]any)
		if d["step"] == step && d["state"] == "open" {
			return d
		}
	}
	return nil
}

// allFive gives every category an opinion/decision: the listed ones approved, the rest not applicable.
func allFive(approved map[string]int64, extra ...map[string]any) []map[string]any {
	out := extra
	for _, c := range []string{"minimum_living", "extreme_hardship", "temporary_aid", "edge_household", "illness_poverty"} {
		covered := false
		for _, e := range extra {
			if e["category"] == c {
				covered = true
			}
		}
		if covered {
			continue
		}
		if cents, ok := approved[c]; ok {
			out = append(out, map[string]any{"category": c, "outcome": "approved", "monthlyCents": cents})
		} else {
			out = append(out, map[string]any{"category": c, "outcome": "not_applicable"})
		}
	}
	// Every application carries a declaration the engine reads (issue 21): where these test
	// opinions differ from its result, they say why.
	for _, e := range out {
		if _, ok := e["deviationReason"]; !ok {
			e["deviationReason"] = "按入户调查核实的情况提出"
		}
	}
	return out
}

// investigate takes an accepted case through the investigation: start, data check by the
// county, a home visit by two officers (the given usernames).
func (r *reviewer) investigate(id string, visitors ...string) {
	r.t.Helper()
	r.wantStatus(r.act("town_east", id, "start-investigation", map[string]any{"opinion": "启动入户调查和核对"}, 200), "investigating", "check_and_visit")
	r.act("county", id, "data-check", map[string]any{"summary": "收入、财产核对未见异常"}, 200)
	r.act("town_east", id, "visits", map[string]any{"visitedOn": r.h.clock.Now().In(cstZone).Format("2006-01-02"),
		"investigators": visitors, "findings": "家中无大额财产，住房简陋", "familyConfirmed": true}, 200)
}

var cstZone = time.FixedZone("CST", 8*3600)

func TestFiveInOneMinimumLivingApprovedByCounty(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		self, spouse := makeID("990101", "19580302", 11), makeID("990101", "19600715", 22)
		tok, id := r.apply("dibao-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "赵大", "idNumber": self},
			map[string]string{"relation": "spouse", "name": "钱二", "idNumber": spouse})

		acc := r.act("town_east", id, "accept", map[string]any{"opinion": "材料齐全"}, 200)
		r.wantStatus(acc, "accepted", "to_investigate")
		if d := openDeadline(acc, "investigation"); d == nil || d["dueOn"] != "2026-11-26" {
			t.Fatalf("investigation clock: %v", acc["deadlines"])
		}
		if d := openDeadline(acc, "overall"); d == nil || d["days"].(float64) != 30 {
			t.Fatalf("overall 30-working-day clock: %v", acc["deadlines"])
		}

		// The opinion cannot come before the investigation is complete.
		r.act("town_east", id, "start-investigation", nil, 200)
		if e := r.act("town_east", id, "opinion", map[string]any{"entries": allFive(map[string]int64{"minimum_living": 120000})}, 422); e["code"] != "case.investigation_incomplete" {
			t.Fatalf("opinion before the investigation: %v", e)
		}
		r.act("county", id, "data-check", map[string]any{"summary": "未见异常"}, 200)
		// One visitor is not a home visit; a visitor of another town is not one of ours.
		if e := r.act("town_east", id, "visits", map[string]any{"visitedOn": "2026-11-23", "investigators": []string{"town_east"}, "findings": "x", "familyConfirmed": true}, 422); e["code"] != "case.visit_needs_two_investigators" {
			t.Fatalf("one visitor: %v", e)
		}
		if e := r.act("town_east", id, "visits", map[string]any{"visitedOn": "2026-11-23", "investigators": []string{"town_east", "town_west"}, "findings": "x", "familyConfirmed": true}, 422); e["code"] != "case.visit_investigator_invalid" {
			t.Fatalf("visitor of another town: %v", e)
		}
		r.act("town_east", id, "visits", map[string]any{"visitedOn": "2026-11-23", "investigators": []string{"town_east", "county2"},
			"findings": "夫妻二人均无劳动能力", "familyConfirmed": true}, 200)

		// 初审 covers all five categories.
		if e := r.act("town_east", id, "opinion", map[string]any{"entries": []map[string]any{{"category": "minimum_living", "outcome": "approved", "monthlyCents": 120000, "deviationReason": "按入户调查核实"}}}, 422); e["code"] != "case.categories_incomplete" {
			t.Fatalf("one category only: %v", e)
		}
		op := r.act("town_east", id, "opinion", map[string]any{"summary": "符合低保条件", "entries": allFive(map[string]int64{"minimum_living": 120000})}, 200)
		r.wantStatus(op, "opinion_given", "to_notice")

		// 公示 7 days from the next day; it cannot close early.
		nt := r.act("town_east", id, "notice", nil, 200)
		r.wantStatus(nt, "public_notice", "in_notice")
		n := nt["notices"].([]any)[0].(map[string]any)
		if n["startsOn"] != "2026-11-23" || n["endsOn"] != "2026-11-30" || n["nameMasked"] != "赵*" {
			t.Fatalf("notice: %v", n)
		}
		board := h.expect(h.do("GET", "/mp/v1/villages/"+seed.DemoVillageE1+"/notices", "", nil), 200)
		if items := board["items"].([]any); len(items) != 1 || items[0].(map[string]any)["nameMasked"] != "赵*" || strings.Contains(fmt.Sprint(board), "赵大") {
			t.Fatalf("public board: %v", board)
		}
		if e := r.act("town_east", id, "notice/close", nil, 422); e["code"] != "case.notice_running" {
			t.Fatalf("closing early: %v", e)
		}
		h.clock.Set(cst("2026-12-01", 9))
		cl := r.act("town_east", id, "notice/close", nil, 200)
		r.wantStatus(cl, "reviewing", "to_decide")
		if cl["deciderLevel"] != "county" || openDeadline(cl, "decision") == nil {
			t.Fatalf("forwarded: %v %v", cl["deciderLevel"], cl["deadlines"])
		}

		// The town cannot decide; an officer who visited cannot decide (four eyes); another can.
		if e := r.act("town_east", id, "decision", map[string]any{"entries": allFive(map[string]int64{"minimum_living": 120000})}, 403); e["code"] != "auth.forbidden" && e["code"] != "case.role_forbidden" {
			t.Fatalf("town decides: %v", e)
		}
		if e := r.act("county2", id, "decision", map[string]any{"entries": allFive(map[string]int64{"minimum_living": 120000})}, 403); e["code"] != "case.four_eyes" {
			t.Fatalf("investigator decides: %v", e)
		}
		dec := r.act("county", id, "decision", map[string]any{"note": "同意", "entries": allFive(map[string]int64{"minimum_living": 120000})}, 200)
		r.wantStatus(dec, "decided", "closed")
		approved := 0
		for _, d := range dec["decisions"].([]any) {
			d := d.(map[string]any)
			if d["outcome"] == "approved" {
				approved++
				if d["category"] != "minimum_living" || d["monthlyCents"].(float64) != 120000 || d["effectiveMonth"] != "2027-01" || d["deciderLevel"] != "county" {
					t.Fatalf("approval: %v", d)
				}
			}
		}
		if approved != 1 || len(dec["decisions"].([]any)) != 5 {
			t.Fatalf("decisions: %v", dec["decisions"])
		}
		for _, d := range dec["deadlines"].([]any) {
			if d.(map[string]any)["state"] == "open" {
				t.Fatalf("a clock still open after the decision: %v", d)
			}
		}

		// The resident sees the decision and every step in the timeline.
		mine := h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
		if mine["status"] != "decided" || len(mine["decisions"].([]any)) == 0 || mine["canWithdraw"] != false {
			t.Fatalf("resident view: %v", mine)
		}
		steps := map[string]bool{}
		for _, e := range mine["timeline"].([]any) {
			steps[e.(map[string]any)["action"].(string)] = true
		}
		for _, a := range []string{"submit", "accept", "start_investigation", "data_check_result", "record_visit", "opinion", "start_notice", "close_notice", "decide"} {
			if !steps[a] {
				t.Fatalf("timeline misses %s: %v", a, steps)
			}
		}
		r.privacyScan()
	})
}

func TestFiveInOneExtremeHardshipWithSpotCheck(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		old := makeID("990101", "19400105", 31)
		_, id := r.apply("tekun-"+be.Name, seed.DemoVillageE1, []string{"extreme_hardship"},
			map[string]string{"relation": "self", "name": "孙老汉", "idNumber": old})
		acc := r.act("town_east", id, "accept", nil, 200)
		if d := openDeadline(acc, "preliminary"); d == nil || d["days"].(float64) != 15 {
			t.Fatalf("特困 preliminary clock: %v", acc["deadlines"])
		}
		if ages := acc["members"].([]any)[0].(map[string]any); ages["age"] != "80岁以上" || ages["birthDate"] != nil {
			t.Fatalf("member view: %v", ages)
		}
		r.investigate(id, "town_east", "town_east2")
		per := 0
		r.act("town_east", id, "opinion", map[string]any{"entries": allFive(nil, map[string]any{"category": "extreme_hardship", "memberPosition": per, "outcome": "approved", "monthlyCents": 110500})}, 200)
		r.act("town_east", id, "notice", nil, 200)
		h.clock.Set(cst("2026-12-01", 9))
		cl := r.act("town_east", id, "notice/close", nil, 200)
		if d := openDeadline(cl, "decision"); d == nil || d["days"].(float64) != 15 {
			t.Fatalf("特困 decision clock: %v", cl["deadlines"])
		}
		entries := allFive(nil, map[string]any{"category": "extreme_hardship", "memberPosition": per, "outcome": "approved", "monthlyCents": 110500})
		// No 特困 approval before the county's draw; the only case of the period is sampled
		// (30 % of one, rounded up) and checked in person before it is confirmed.
		if e := r.act("county", id, "decision", map[string]any{"entries": entries}, 422); e["code"] != "case.spot_check_draw_required" {
			t.Fatalf("without the draw: %v", e)
		}
		h.expect(h.do("POST", "/api/v1/spot-check-draws", r.staff("county"), map[string]any{"from": "2026-12-01", "to": "2026-12-01"}), 201)
		if e := r.act("county", id, "decision", map[string]any{"entries": entries}, 422); e["code"] != "case.spot_check_required" {
			t.Fatalf("without spot check: %v", e)
		}
		sc := r.act("county", id, "spot-check", map[string]any{"checkedOn": "2026-12-01", "place": "申请人家中", "officers": []string{"county", "county2"},
			"findings": "入户核实，情况属实", "confirmed": true}, 200)
		if sc["spotChecked"] != true {
			t.Fatalf("spot check: %v", sc)
		}
		dec := r.act("county", id, "decision", map[string]any{"entries": entries}, 200)
		r.wantStatus(dec, "decided", "closed")
		r.privacyScan()
	})
}

func TestFiveInOneUrgentTemporaryAid(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		tok, id := r.apply("urgent-"+be.Name, seed.DemoVillageE1, []string{"temporary_aid"},
			map[string]string{"relation": "self", "name": "周急", "idNumber": makeID("990101", "19850610", 41)})
		if st := r.detail("town_east", id); st["urgent"] != true || openDeadline(st, "acceptance")["dueOn"] != "2026-11-24" {
			t.Fatalf("temporary aid only: urgent, one working day to accept: %v %v", st["urgent"], st["deadlines"])
		}
		// Within the town's cap (3 × 850 元 × 1 person): granted the same day, no check, no notice.
		if e := r.act("town_east", id, "urgent-grant", map[string]any{"amountCents": 200000}, 422); e["code"] != "case.reason_required" {
			t.Fatalf("no reason: %v", e)
		}
		g := r.act("town_east", id, "urgent-grant", map[string]any{"amountCents": 200000, "reason": "房屋失火，基本生活无着"}, 200)
		r.wantStatus(g, "urgent_granted", "to_backfill")
		bf := openDeadline(g, "backfill")
		if bf == nil || len(g["dataChecks"].([]any)) != 0 || len(g["notices"].([]any)) != 0 {
			t.Fatalf("urgent grant: %v", g)
		}
		granted := false
		for _, d := range g["decisions"].([]any) {
			d := d.(map[string]any)
			if d["category"] == "temporary_aid" && d["outcome"] == "approved" && d["oneOffCents"].(float64) == 200000 && d["urgent"] == true && d["deciderLevel"] == "town" {
				granted = true
			}
		}
		if !granted {
			t.Fatalf("no same-day grant: %v", g["decisions"])
		}
		if mine := h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200); mine["status"] != "urgent_granted" {
			t.Fatalf("resident: %v", mine["status"])
		}
		done := r.act("town_east", id, "backfill", map[string]any{"note": "已补齐申请书、授权书和事实材料"}, 200)
		r.wantStatus(done, "decided", "closed")

		// Above the cap the case goes to the county, still without check and notice.
		_, id2 := r.apply("urgent2-"+be.Name, seed.DemoVillageE1, []string{"temporary_aid"},
			map[string]string{"relation": "self", "name": "吴难", "idNumber": makeID("990101", "19860611", 42)})
		big := r.act("town_east", id2, "urgent-grant", map[string]any{"amountCents": 300000, "reason": "重病住院，自付费用高"}, 200)
		r.wantStatus(big, "reviewing", "to_decide")
		if big["deciderLevel"] != "county" {
			t.Fatalf("above the cap: %v", big["deciderLevel"])
		}
		// Only temporary-aid-only cases may be granted ahead.
		_, id3 := r.apply("urgent3-"+be.Name, seed.DemoVillageE1, []string{"minimum_living", "temporary_aid"},
			map[string]string{"relation": "self", "name": "郑混", "idNumber": makeID("990101", "19870612", 43)})
		if e := r.act("town_east", id3, "urgent-grant", map[string]any{"amountCents": 1000, "reason": "x"}, 422); e["code"] != "case.urgent_temporary_aid_only" {
			t.Fatalf("mixed case: %v", e)
		}
	})
}

func TestFiveInOneRefusalNeedsWrittenNotice(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		tok, id := r.apply("refuse-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "冯拒", "idNumber": makeID("990101", "19700101", 51)})
		r.act("town_east", id, "accept", nil, 200)
		r.investigate(id, "town_east", "village_e1")
		refuse := []map[string]any{{"category": "minimum_living", "outcome": "refused", "reason": "家庭人均收入高于当地低保标准"}}
		if e := r.act("town_east", id, "opinion", map[string]any{"entries": allFive(nil, map[string]any{"category": "minimum_living", "outcome": "refused"})}, 422); e["code"] != "case.reason_required" {
			t.Fatalf("refusal without a reason: %v", e)
		}
		r.act("town_east", id, "opinion", map[string]any{"entries": allFive(nil, refuse...)}, 200)
		r.act("town_east", id, "notice", nil, 200)
		h.clock.Set(cst("2026-12-01", 9))
		r.act("town_east", id, "notice/close", nil, 200)
		dec := r.act("county", id, "decision", map[string]any{"entries": allFive(nil, refuse...)}, 200)
		r.wantStatus(dec, "decided", "refusal_notice")
		rn := openDeadline(dec, "refusal_notice")
		if rn == nil || rn["dueOn"] != "2026-12-04" {
			t.Fatalf("written refusal due in 3 working days: %v", dec["deadlines"])
		}
		mine := h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
		if !strings.Contains(fmt.Sprint(mine["decisions"]), "家庭人均收入高于当地低保标准") {
			t.Fatalf("the resident does not see the reason: %v", mine["decisions"])
		}
		done := r.act("town_east", id, "refusal-notice", map[string]any{"how": "送达回执已签收"}, 200)
		r.wantStatus(done, "decided", "closed")
	})
}

func TestFiveInOneObjectionReopensTheInvestigation(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		_, id := r.apply("object-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "陈异", "idNumber": makeID("990101", "19750505", 61)})
		r.act("town_east", id, "accept", nil, 200)
		r.investigate(id, "town_east", "town_east2")
		entries := allFive(map[string]int64{"minimum_living": 85000})
		r.act("town_east", id, "opinion", map[string]any{"entries": entries}, 200)
		nt := r.act("town_east", id, "notice", nil, 200)
		_ = nt

		// A neighbour objects through the public board, with their real name.
		board := h.expect(h.do("GET", "/mp/v1/villages/"+seed.DemoVillageE1+"/notices", "", nil), 200)
		noticeID := board["items"].([]any)[0].(map[string]any)["id"].(string)
		neighbour := neighbourLogin(t, h, "王邻", 1)
		if res := h.do("POST", "/mp/v1/notices/"+noticeID+"/objections", neighbour, map[string]string{
			"contact": "13800001111", "content": "申请人家中有一辆新购轿车"}); res.Status != 204 {
			t.Fatalf("public objection: %d %s", res.Status, res.Body)
		}
		det := r.detail("town_east", id)
		obs := det["objections"].([]any)
		if len(obs) != 1 || obs[0].(map[string]any)["contactMasked"] != "138****1111" {
			t.Fatalf("objection: %v", obs)
		}
		h.clock.Set(cst("2026-12-01", 9))
		if e := r.act("town_east", id, "notice/close", nil, 422); e["code"] != "case.objection_pending" {
			t.Fatalf("close with a pending objection: %v", e)
		}
		obID := obs[0].(map[string]any)["id"]
		re := r.act("town_east", id, "objections/resolve", map[string]any{"objectionId": obID, "upheld": true,
			"resolution": "经核实确有车辆，需重新调查", "followup": "reinvestigation"}, 200)
		r.wantStatus(re, "investigating", "")
		if re["investigationRound"].(float64) != 2 {
			t.Fatalf("second investigation round: %v", re["investigationRound"])
		}
		// The data check is carried over; a new visit is needed, then a new opinion and notice.
		r.act("town_east", id, "visits", map[string]any{"visitedOn": "2026-12-01", "investigators": []string{"town_east", "village_e1"},
			"findings": "车辆为亲属借用，已出具证明", "familyConfirmed": true}, 200)
		r.act("town_east", id, "opinion", map[string]any{"entries": entries}, 200)
		n2 := r.act("town_east", id, "notice", nil, 200)
		notices := n2["notices"].([]any)
		if len(notices) != 2 || notices[0].(map[string]any)["status"] != "voided" || notices[1].(map[string]any)["round"].(float64) != 2 {
			t.Fatalf("second notice: %v", notices)
		}
		h.clock.Set(cst("2026-12-09", 9))
		r.act("town_east", id, "notice/close", nil, 200)
		r.wantStatus(r.act("county", id, "decision", map[string]any{"entries": entries}, 200), "decided", "closed")
	})
}

func TestFiveInOneReturnResubmitAccept(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		tok, id := r.apply("return-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "褚补", "idNumber": makeID("990101", "19660606", 71), "employment": "employed"})
		ret := r.act("town_east", id, "return", map[string]any{"opinion": "请补充材料", "missingItems": []map[string]string{
			{"name": "家庭财产申报"}, {"name": "收入证明/无收入承诺（家庭成员1）"}}}, 200)
		r.wantStatus(ret, "returned", "returned")

		mine := h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
		if mine["canResubmit"] != true || openItems(mine) != 2 {
			t.Fatalf("returned, resident view: %v", mine)
		}
		v := int(mine["version"].(float64))
		h.expect(h.do("POST", "/mp/v1/cases/"+id+"/resubmit", tok, map[string]any{"version": v, "note": "已补交医疗费用票据，收入证明在办"}), 200)
		if s := r.status(id); s != "submitted" {
			t.Fatalf("after resubmit: %s", s)
		}
		// A second return may only ask again for items of the first notice.
		if e := r.act("town_east", id, "return", map[string]any{"missingItems": []map[string]string{{"name": "村委会出具的困难证明"}}}, 422); e["code"] != "case.item_not_in_first_notice" {
			t.Fatalf("second return with a new item: %v", e)
		}
		r.act("town_east", id, "return", map[string]any{"missingItems": []map[string]string{{"name": "收入证明/无收入承诺（家庭成员1）"}}}, 200)
		mine = h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
		h.expect(h.do("POST", "/mp/v1/cases/"+id+"/resubmit", tok, map[string]any{"version": int(mine["version"].(float64))}), 200)
		r.wantStatus(r.act("town_east", id, "accept", nil, 200), "accepted", "to_investigate")
	})
}

func TestFiveInOneWithdrawAndRefuseAcceptance(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		tok, id := r.apply("withdraw-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "卫撤", "idNumber": makeID("990101", "19720707", 81)})
		mine := h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
		if mine["canWithdraw"] != true {
			t.Fatalf("can withdraw: %v", mine)
		}
		h.expect(h.do("POST", "/mp/v1/cases/"+id+"/withdraw", tok, map[string]any{"version": int(mine["version"].(float64)), "reason": "家庭情况好转"}), 200)
		if s := r.status(id); s != "withdrawn" {
			t.Fatalf("withdrawn: %s", s)
		}
		if e := r.act("town_east", id, "accept", nil, 409); e["code"] != "case.illegal_transition" {
			t.Fatalf("accepting a withdrawn case: %v", e)
		}

		tok2, id2 := r.apply("refuseacc-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "蒋拒", "idNumber": makeID("990101", "19730808", 91)})
		_ = tok2
		if e := r.act("town_east", id2, "refuse-acceptance", map[string]any{"reason": ""}, 422); e["code"] != "case.reason_required" {
			t.Fatalf("no reason: %v", e)
		}
		na := r.act("town_east", id2, "refuse-acceptance", map[string]any{"reason": "申请人户籍不在本乡镇"}, 200)
		r.wantStatus(na, "not_accepted", "closed")
	})
}

func TestFiveInOneTownDelegatedDecision(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		testenv.Must(t, h.app.Store.UpsertRegionSettings(context.Background(), []model.RegionSetting{
			{AreaCode: seed.DemoCounty, Key: string(model.SetDeciderMinLiving), Value: model.DeciderTown, EffectiveFrom: "2026-01-01"}}))
		r := newReviewer(t, h)
		_, id := r.apply("town-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "沈镇", "idNumber": makeID("990101", "19680909", 12)})
		acc := r.act("town_east", id, "accept", nil, 200)
		if d := openDeadline(acc, "overall"); d == nil || d["days"].(float64) != 20 {
			t.Fatalf("overall clock where the town decides: %v", acc["deadlines"])
		}
		r.investigate(id, "town_east", "town_east2")
		entries := allFive(map[string]int64{"minimum_living": 85000})
		r.act("town_east", id, "opinion", map[string]any{"entries": entries}, 200)
		r.act("town_east", id, "notice", nil, 200)
		h.clock.Set(cst("2026-12-01", 9))
		cl := r.act("town_east", id, "notice/close", nil, 200)
		r.wantStatus(cl, "reviewing", "to_decide_town")
		if cl["deciderLevel"] != "town" {
			t.Fatalf("decider: %v", cl["deciderLevel"])
		}
		// A caseworker cannot decide, the county does not hold a town-delegated case, the town leader does.
		if e := r.act("town_east", id, "decision", map[string]any{"entries": entries}, 403); e["code"] == "" {
			t.Fatal("caseworker decided")
		}
		if e := r.act("county", id, "decision", map[string]any{"entries": entries}, 403); e["code"] == "" {
			t.Fatal("county decided a town-delegated case")
		}
		dec := r.act("town_east_leader", id, "decision", map[string]any{"entries": entries}, 200)
		r.wantStatus(dec, "decided", "closed")
		if !strings.Contains(fmt.Sprint(dec["decisions"]), "deciderLevel:town") {
			t.Fatalf("decider level: %v", dec["decisions"])
		}
	})
}

// Concurrent actions on one case: exactly one wins, the rest are 409 with the new version.
func TestFiveInOneConcurrentActionsOneWins(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		_, id := r.apply("race-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "韩竞", "idNumber": makeID("990101", "19690101", 13)})
		east, east2 := r.staff("town_east"), r.staff("town_east2")
		v := r.version(id)
		const n = 8
		res := make([]resp, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				tok, path, body := east, "accept", map[string]any{"version": v}
				if i%2 == 1 {
					tok, path, body = east2, "return", map[string]any{"version": v, "missingItems": []map[string]string{{"name": "家庭财产申报"}}}
				}
				res[i] = h.do("POST", "/api/v1/cases/"+id+"/"+path, tok, body)
			}(i)
		}
		wg.Wait()
		won := 0
		for _, x := range res {
			switch x.Status {
			case 200:
				won++
			case 409:
			default:
				t.Fatalf("concurrent action: %d %s", x.Status, x.Body)
			}
		}
		if won != 1 || r.version(id) != v+1 {
			t.Fatalf("%d actions won, version %d → %d", won, v, r.version(id))
		}
	})
}

// Every route under a case id, as an officer of another town or another resident, answers
// exactly as for a case that does not exist, and changes nothing. The routes come from the
// router itself: a new case route is covered (and must pass) without editing this test.
func TestFiveInOneJurisdictionMatrix(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		_, id := r.apply("owner-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "杨主", "idNumber": makeID("990101", "19710303", 14)})
		r.act("town_east", id, "accept", nil, 200)
		before := r.version(id)
		west := r.staff("town_west")
		other := h.residentLogin("other-" + be.Name)
		missing := "nosuchcase0000000000000000"

		// Routes taking an id that is not a case's: each says why the matrix does not apply. A new
		// id route must either be a case route (tried below) or be added here with its reason.
		notCase := map[string]string{
			"GET /mp/v1/villages/:code/notices":                     "public notice board of a village (no personal data beyond the masked name)",
			"POST /mp/v1/notices/:id/objections":                    "objection to a running public notice: reaches the case only while its notice runs",
			"GET /api/v1/admin/calendar/:year":                      "the national holiday calendar (admin only)",
			"PUT /api/v1/admin/calendar/:year":                      "the national holiday calendar (admin only)",
			"POST /api/v1/admin/calendar/:year/confirm":             "the national holiday calendar (an installation administrator): TestCalendarBelongsToInstallation tries a county's administrator (403)",
			"POST /api/v1/admin/staff/:staffId/role":                "a staff account of the administrator's area: TestStaffAdminAPI tries another county's administrator (404)",
			"POST /api/v1/admin/staff/:staffId/reset-password":      "a staff account of the administrator's area: TestStaffAdminAPI tries another county's administrator (404)",
			"POST /api/v1/admin/staff/:staffId/office-phone":        "a staff account of the administrator's area, through the same staffadmin.change as reset-password (404 outside it)",
			"POST /api/v1/admin/staff/:staffId/disable":             "a staff account of the administrator's area: TestStaffAdminAPI tries another county's administrator (404)",
			"POST /api/v1/admin/staff/:staffId/reset-second-factor": "a staff account of the administrator's area: TestSecondFactor tries another county's administrator (404)",
			"POST /api/v1/admin/notifications/:id/requeue":          "a dead notification of the administrator's area: TestDeadLetterRequeue tries another county's administrator (404)",
			"POST /mp/v1/messages/:id/read":                         "a resident's own message: TestMessageCentre tries another resident's message (404)",
			"GET /api/v1/spot-check-draws/:drawId":                  "a 特困 spot-check draw, read WHERE county_code is the officer's: TestSpotCheckFoundExtremeHardship tries a town officer (403) and an unknown draw (404)",
			"POST /api/v1/complaints/:id/answer":                    "a complaint to the officer's county: TestComplaints tries a town officer and another county's officer (404)",
			"GET /api/v1/admin/checklist-rules/:areaCode":           "region checklist rules of the administrator's area: TestChecklistRulesAdmin tries another county's administrator (404)",
			"PUT /api/v1/admin/checklist-rules/:areaCode":           "region checklist rules of the administrator's area: TestChecklistRulesAdmin tries another county's administrator (404)",
			"GET /api/v1/admin/policy/:areaCode":                    "regional policy of the administrator's area: TestPolicyAdminNotYours tries another county's administrator (404)",
			"PUT /api/v1/admin/policy/:areaCode":                    "regional policy of the administrator's area: TestPolicyAdminNotYours tries another county's administrator (404)",
			"GET /mp/v1/invitations/:token":                         "a one-time consent invitation: opens only for the invited person's verified identity; TestResidentJourney tries another resident and an unknown token (404)",
			"POST /mp/v1/invitations/:token/confirm":                "a one-time consent invitation: opens only for the invited person's verified identity; TestResidentJourney tries another resident and an unknown token (404)",
			"GET /api/v1/benefits/:id":                              "a recipient record of the officer's area: TestBenefitRoutesStrangers tries another county and another town (404)",
			"GET /api/v1/reviews/:id":                               "a review of a benefit of the officer's area: TestReportedChangeLeadsToDecrease tries another town (404)",
			"POST /api/v1/reviews/:id/investigate":                  "a review of a benefit of the officer's area: TestReportedChangeLeadsToDecrease tries another town (404)",
			"POST /api/v1/reviews/:id/propose":                      "a review of a benefit of the officer's area (service/reviews act: the same scoped load as investigate)",
			"POST /api/v1/reviews/:id/decide":                       "a review of a benefit of the officer's area (service/reviews act: the same scoped load as investigate)",
			"POST /api/v1/reviews/:id/return":                       "a review of a benefit of the officer's area (service/reviews act: the same scoped load as investigate)",
			"POST /api/v1/reviews/:id/close":                        "a review of a benefit of the officer's area (service/reviews act: the same scoped load as investigate)",
			"POST /api/v1/reviews/:id/objection":                    "a review of a benefit of the officer's area (service/reviews act: the same scoped load as investigate)",
			"POST /api/v1/reviews/:id/objection-decision":           "a review of a benefit of the officer's area (service/reviews act: the same scoped load as investigate)",
			"POST /api/v1/benefits/:id/reviews":                     "a recipient record of the officer's area: TestGradualExitOnTheRoster tries another town (404)",
			"GET /api/v1/standard-changes/:id":                      "a 调标 batch of the officer's county: TestStandardChangeBatch tries another county and a town (404)",
			"POST /api/v1/standard-changes/:id/approve":             "a 调标 batch of the officer's county: TestStandardChangeBatch tries another county (404)",
			"GET /api/v1/credit-records/:id":                        "a 失信 record of the officer's area: TestCreditRecord tries another town (404)",
			"POST /api/v1/credit-records/:id/notify":                "a 失信 record of the officer's area (service/credit act: the same scoped load as GET)",
			"POST /api/v1/credit-records/:id/confirm":               "a 失信 record of the officer's area (service/credit act: the same scoped load as GET)",
			"POST /api/v1/credit-records/:id/publish":               "a 失信 record of the officer's area (service/credit act: the same scoped load as GET)",
			"POST /api/v1/credit-records/:id/end":                   "a 失信 record of the officer's area (service/credit act: the same scoped load as GET)",
			"POST /api/v1/benefits/:id/credit-records":              "a recipient record of the officer's area: TestCreditRecord tries another town (404)",
			"POST /mp/v1/credit-records/:id/statement":              "the resident's own 失信 record (by their assured identity): TestCreditRecord tries a stranger (404)",
			"POST /mp/v1/benefits/:id/changes":                      "a resident's own benefit: TestReportedChangeLeadsToDecrease tries a stranger (404)",
			"PUT /api/v1/benefits/:id/account":                      "a recipient record of the officer's area: TestBenefitRoutesStrangers tries another county and another town (404)",
			"GET /mp/v1/benefits/:id/payments":                      "a resident's own benefit: TestBenefitRoutesStrangers tries another resident (404)",
			"GET /api/v1/rosters/:id":                               "a payment roster of the officer's county: TestBenefitRoutesStrangers tries another county (404)",
			"POST /api/v1/rosters/:id/rebuild":                      "a payment roster of the officer's county: TestBenefitRoutesStrangers tries another county (404)",
			"POST /api/v1/rosters/:id/confirm":                      "a payment roster of the officer's county: TestBenefitRoutesStrangers tries another county (404)",
			"POST /api/v1/rosters/:id/approve":                      "a payment roster of the officer's county: TestBenefitRoutesStrangers tries another county (404)",
			"POST /api/v1/rosters/:id/close":                        "a payment roster of the officer's county: TestBenefitRoutesStrangers tries another county (404)",
			"POST /api/v1/rosters/:id/feedback":                     "a payment roster of the officer's county: TestBenefitRoutesStrangers tries another county (404)",
			"POST /api/v1/rosters/:id/export":                       "a payment roster of the officer's county: TestBenefitRoutesStrangers tries another county (404)",
			"GET /api/v1/rosters/:id/lines":                         "a payment roster of the officer's county: TestBenefitRoutesStrangers tries another county (404)",
			"POST /api/v1/rosters/:id/feedback-file":                "a payment roster of the officer's county: TestBenefitRoutesStrangers tries another county (404)",
			"POST /api/v1/benefits/:id/account-change":              "a recipient record of the officer's area: TestBenefitRoutesStrangers tries another county and another town (404)",
			"POST /mp/v1/benefits/:id/account-change":               "a resident's own benefit: TestBenefitRoutesStrangers tries another resident (404)",
			"POST /dev/v1/data-check/answers":                       "embedded-mode simulator",
			"POST /dev/v1/clock/advance":                            "embedded-mode simulator",
			"POST /dev/v1/realname/answers":                         "embedded-mode simulator",
		}
		covered := 0
		for _, rt := range newHarnessEngine(t, h).Routes() {
			if !strings.Contains(rt.Path, ":") {
				continue
			}
			if !strings.Contains(rt.Path, "/cases/:id") {
				if notCase[rt.Method+" "+rt.Path] == "" {
					t.Errorf("%s %s takes an id but is neither a case route nor listed in notCase: add it to the matrix", rt.Method, rt.Path)
				}
				continue
			}
			var tok string
			switch {
			case strings.HasPrefix(rt.Path, "/api/v1/"):
				tok = west
			case strings.HasPrefix(rt.Path, "/mp/v1/"):
				tok = other
			default:
				continue
			}
			body := map[string]any{"version": before, "opinion": "x", "reason": "x", "note": "x", "how": "x", "summary": "x",
				"missingItems": []map[string]string{{"name": "户口簿"}}}
			var b any
			if rt.Method != "GET" {
				b = body
			}
			// Ids below the case (a consent, an item, a document) are tried as 1: the case's scope
			// decides before they are looked at.
			path := subIDs.Replace(rt.Path)
			mine := h.do(rt.Method, strings.Replace(path, ":id", id, 1), tok, b)
			none := h.do(rt.Method, strings.Replace(path, ":id", missing, 1), tok, b)
			if mine.Status < 400 || mine.Status != none.Status || mine.errCode(t) != none.errCode(t) {
				t.Errorf("%s %s on a case of another area/resident: %d %s; on a missing case: %d %s", rt.Method, rt.Path, mine.Status, mine.Body, none.Status, none.Body)
			}
			if rt.Method == "GET" && mine.Status != 404 {
				t.Errorf("%s %s: %d, want 404", rt.Method, rt.Path, mine.Status)
			}
			covered++
		}
		if covered < 20 {
			t.Fatalf("only %d case routes found in the router", covered)
		}
		if v := r.version(id); v != before {
			t.Fatalf("foreign requests changed the case: version %d → %d", before, v)
		}
	})
}

var subIDs = strings.NewReplacer(":consentId", "1", ":itemId", "1", ":docId", "1")

// storeSystem sees every case of the demo county (direct store reads, not audited).
func storeSystem() store.Scope { return store.StaffScope(&model.Staff{AreaCode: seed.DemoCounty}) }

func newHarnessEngine(t *testing.T, h *harness) *gin.Engine {
	t.Helper()
	return server.New(h.app, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// privacyScan: no table row and no response body of the test holds a full ID number, or the
// eight digits the mask hides (the birth date, in any usual spelling), which beside the
// masked number (first 6, last 4) would rebuild it.
func (r *reviewer) privacyScan() {
	r.t.Helper()
	dump, err := testenv.OpenRows(r.t, r.h.app.Config).TextDump(context.Background())
	if err != nil {
		r.t.Fatal(err)
	}
	type needle struct{ what, s string }
	var needles []needle
	for _, id := range r.ids {
		b := id[6:14]
		needles = append(needles, needle{"full ID number", id}, needle{"hidden digits", b},
			needle{"birth date", b[:4] + "-" + b[4:6] + "-" + b[6:]}, needle{"birth date", b[:4] + "/" + b[4:6] + "/" + b[6:]},
			needle{"birth date", b[:4] + "年" + strings.TrimPrefix(b[4:6], "0") + "月" + strings.TrimPrefix(b[6:], "0") + "日"})
	}
	rows := 0
	for table, tr := range dump {
		for _, row := range tr {
			rows++
			joined := strings.Join(row, "\x00")
			for _, n := range needles {
				if strings.Contains(joined, n.s) {
					r.t.Errorf("table %s holds a %s (%s): %q", table, n.what, n.s, row)
				}
			}
		}
	}
	r.h.mu.Lock()
	bodies := append([][]byte(nil), r.h.bodies...)
	r.h.mu.Unlock()
	for _, b := range bodies {
		for _, n := range needles {
			if strings.Contains(string(b), n.s) {
				r.t.Errorf("a response holds a %s (%s): %s", n.what, n.s, b)
			}
		}
	}
	if rows < 20 || len(bodies) < 10 || len(needles) == 0 {
		r.t.Fatalf("the scan saw too little to mean anything: %d rows, %d bodies, %d needles", rows, len(bodies), len(needles))
	}
}

// A negative data check is shown to the resident, who may contest it once with evidence: the
// check is requested again and the opinion waits for its new result.
func TestFiveInOneDataCheckObjection(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		self := makeID("990101", "19770404", 15)
		tok, id := r.apply("check-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "秦核", "idNumber": self})
		h.app.EconSim.Set(self, true, nil)
		r.act("town_east", id, "accept", nil, 200)
		r.act("town_east", id, "start-investigation", nil, 200)
		dc := r.act("county", id, "data-check", map[string]any{"summary": "名下登记车辆一辆"}, 200)
		if last := dc["dataChecks"].([]any); last[len(last)-1].(map[string]any)["outcome"] != "negative" {
			t.Fatalf("negative check: %v", last)
		}
		mine := h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
		check, _ := mine["dataCheck"].(map[string]any)
		if check == nil || check["outcome"] != "negative" || check["canObject"] != true {
			t.Fatalf("resident view of the check: %v", mine["dataCheck"])
		}
		v := int(mine["version"].(float64))
		if res := h.do("POST", "/mp/v1/cases/"+id+"/data-check-objection", tok, map[string]any{"version": v, "evidence": ""}); res.Status != 422 {
			t.Fatalf("objection without evidence: %d %s", res.Status, res.Body)
		}
		h.expect(h.do("POST", "/mp/v1/cases/"+id+"/data-check-objection", tok, map[string]any{"version": v, "evidence": "车辆已于2025年过户，附过户凭证"}), 200)
		mine = h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
		if check, _ := mine["dataCheck"].(map[string]any); check == nil || check["outcome"] != "pending" || check["objectionRaised"] != true || check["canObject"] != false {
			t.Fatalf("after the objection the resident sees the re-check pending: %v", mine["dataCheck"])
		}
		// The re-check is pending again: the opinion must wait for it.
		r.act("town_east", id, "visits", map[string]any{"visitedOn": "2026-11-23", "investigators": []string{"town_east", "town_east2"}, "findings": "x", "familyConfirmed": true}, 200)
		if e := r.act("town_east", id, "opinion", map[string]any{"entries": allFive(map[string]int64{"minimum_living": 85000})}, 422); e["code"] != "case.investigation_incomplete" {
			t.Fatalf("opinion while the re-check is pending: %v", e)
		}
		h.app.EconSim.Set(self, false, nil)
		r.act("county", id, "data-check", map[string]any{"summary": "复核：车辆已过户"}, 200)
		r.act("town_east", id, "opinion", map[string]any{"entries": allFive(map[string]int64{"minimum_living": 85000})}, 200)
	})
}

// Worklists and their counts, the overdue list, unmasking with a reason, the close-relative
// rule, 一事一议 only by a county leader, and the read-only roles.
func TestFiveInOneWorklistsRolesAndCloseRelatives(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		count := func(username, list string) int {
			for _, it := range h.expect(h.do("GET", "/api/v1/worklists", r.staff(username), nil), 200)["items"].([]any) {
				if it.(map[string]any)["list"] == list {
					return int(it.(map[string]any)["count"].(float64))
				}
			}
			t.Fatalf("no worklist %s", list)
			return 0
		}
		_, id := r.apply("rel-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "许亲", "idNumber": makeID("990101", "19640202", 16)})
		if count("town_east", "to_accept") != 1 || count("town_west", "to_accept") != 0 || count("village_e1", "to_accept") != 1 {
			t.Fatal("to_accept counts")
		}
		// The village assistant reads its village's cases but cannot accept; the auditor reads only.
		if e := r.act("village_e1", id, "accept", nil, 403); e["code"] == "" {
			t.Fatal("village assistant accepted")
		}
		if e := r.act("auditor", id, "accept", nil, 403); e["code"] == "" {
			t.Fatal("auditor accepted")
		}
		r.detail("auditor", id)
		if res := h.do("GET", "/api/v1/cases/"+id, r.staff("admin"), nil); res.Status != 403 && res.Status != 404 {
			t.Fatalf("the administrator reads case data: %d", res.Status)
		}

		// Unmasking the applicant's ID number needs a reason and is audited.
		if res := h.do("POST", "/api/v1/cases/"+id+"/unmask", r.staff("town_east"), map[string]any{"field": "idNumber", "memberPosition": 0, "reason": ""}); res.Status != 422 {
			t.Fatalf("unmask without a reason: %d %s", res.Status, res.Body)
		}
		um := h.expect(h.do("POST", "/api/v1/cases/"+id+"/unmask", r.staff("town_east"), map[string]any{"field": "idNumber", "memberPosition": 0, "reason": "核对户籍信息"}), 200)
		if um["value"] != makeID("990101", "19640202", 16) {
			t.Fatalf("unmasked: %v", um)
		}
		f, err := h.app.Store.LoadCaseFile(context.Background(), storeSystem(), id)
		testenv.Must(t, err)
		audit, err := testenv.OpenRows(t, h.app.Config).AuditForCase(context.Background(), f.Case.ID)
		testenv.Must(t, err)
		unmasked := 0
		for _, a := range audit {
			if strings.Contains(a.Action, "unmask") {
				unmasked++
			}
		}
		if unmasked != 1 {
			t.Fatalf("unmask audit rows: %d in %+v", unmasked, audit)
		}

		// Flagged as a close relative of a village cadre: no decision before a county visit.
		r.act("town_east", id, "close-relative", map[string]any{"note": "申请人系村委会委员之兄"}, 200)
		r.act("town_east", id, "accept", nil, 200)
		if count("town_east", "to_investigate") != 1 || count("town_east", "overdue") != 0 {
			t.Fatal("to_investigate / overdue counts")
		}
		// Four working days later the investigation has not started: the case is overdue.
		h.clock.Set(cst("2026-11-27", 18))
		if count("town_east", "overdue") != 1 {
			t.Fatal("overdue count after the investigation deadline passed")
		}
		over := h.expect(h.do("GET", "/api/v1/cases?list=overdue", r.staff("town_east"), nil), 200)["items"].([]any)
		if len(over) != 1 || over[0].(map[string]any)["overdue"] != true || over[0].(map[string]any)["closeRelative"] != true {
			t.Fatalf("overdue list: %v", over)
		}
		r.investigate(id, "town_east", "town_east2")
		entries := allFive(map[string]int64{"minimum_living": 85000})
		r.act("town_east", id, "opinion", map[string]any{"entries": entries}, 200)
		r.act("town_east", id, "notice", nil, 200)
		h.clock.Set(cst("2026-12-07", 9))
		r.act("town_east", id, "notice/close", nil, 200)
		if e := r.act("county", id, "decision", map[string]any{"entries": entries}, 422); e["code"] != "case.county_visit_required" {
			t.Fatalf("close relative without a county visit: %v", e)
		}
		r.act("county", id, "visits", map[string]any{"visitedOn": "2026-12-07", "investigators": []string{"county2", "county_leader"},
			"findings": "县级复核入户，情况属实", "familyConfirmed": true}, 200)
		withMeeting := allFive(nil, map[string]any{"category": "minimum_living", "outcome": "approved", "monthlyCents": 85000, "meetingRef": "县社会救助联席会议纪要〔2026〕12号"})
		if e := r.act("county", id, "decision", map[string]any{"entries": withMeeting}, 403); e["code"] == "" {
			t.Fatal("a county officer recorded a 一事一议 meeting")
		}
		// county_leader visited: four eyes forbid them; the officer who did not visit decides.
		r.wantStatus(r.act("county", id, "decision", map[string]any{"entries": entries}, 200), "decided", "closed")
		if count("town_east", "decided") < 1 {
			t.Fatal("decided count")
		}
	})
}

// The scheduled deadline sweep: a reminder when a clock is due within a working day and one
// when it has passed, once each however often it runs, on the reminder list of the case's area
// only.
func TestDeadlineSweepReminders(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		_, id := r.apply("sweep-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "吕提", "idNumber": makeID("990101", "19660303", 17)})
		r.act("town_east", id, "accept", nil, 200) // investigation due Thursday 2026-11-26
		sweep := func() { testenv.Must(t, h.app.RunJob(context.Background(), "deadline-sweep")) }
		list := func(user string) []any {
			return h.expect(h.do("GET", "/api/v1/reminders", r.staff(user), nil), 200)["items"].([]any)
		}
		sweep()
		if got := list("town_east"); len(got) != 0 {
			t.Fatalf("reminders on Monday: %v", got)
		}
		h.clock.Set(cst("2026-11-25", 9)) // due tomorrow
		sweep()
		sweep()
		got := list("town_east")
		if len(got) != 1 || got[0].(map[string]any)["kind"] != "due_soon" || got[0].(map[string]any)["caseId"] != id || got[0].(map[string]any)["dueOn"] != "2026-11-26" {
			t.Fatalf("due-soon reminders: %v", got)
		}
		h.clock.Set(cst("2026-11-27", 9)) // passed
		sweep()
		got = list("town_east")
		if len(got) != 2 || got[0].(map[string]any)["kind"] != "overdue" {
			t.Fatalf("overdue reminders: %v", got)
		}
		if len(list("county")) != 2 || len(list("town_west")) != 0 {
			t.Fatal("reminders leak across areas")
		}
		if res := h.do("GET", "/api/v1/reminders", r.staff("admin"), nil); res.Status != 403 {
			t.Fatalf("administrator reads reminders: %d", res.Status)
		}
		// Meeting the clock ends the reminders: the sweep adds none.
		r.act("town_east", id, "start-investigation", nil, 200)
		h.clock.Set(cst("2026-11-30", 9))
		sweep()
		if got := list("town_east"); len(got) != 2 {
			t.Fatalf("after the clock was met: %v", got)
		}
	})
}

// A decision records the region settings it was made under: a later change of the 低保
// standard gives later decisions a new policy reference and leaves the earlier one as it was.
func TestDecisionKeepsItsPolicy(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		decide := func(name, id string) map[string]any {
			r.act("town_east", id, "accept", nil, 200)
			r.investigate(id, "town_east", "town_east2")
			entries := allFive(map[string]int64{"minimum_living": 85000})
			r.act("town_east", id, "opinion", map[string]any{"entries": entries}, 200)
			r.act("town_east", id, "notice", nil, 200)
			h.clock.Set(h.clock.Now().Add(8 * 24 * time.Hour))
			r.act("town_east", id, "notice/close", nil, 200)
			d := r.act("county", id, "decision", map[string]any{"entries": entries}, 200)
			for _, x := range d["decisions"].([]any) {
				if x := x.(map[string]any); x["outcome"] == "approved" {
					return x
				}
			}
			t.Fatalf("%s: no approval", name)
			return nil
		}
		_, first := r.apply("pol1-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "曹一", "idNumber": makeID("990101", "19610101", 18)})
		before := decide("first", first)
		// The county raises its standard from 1 December 2026.
		testenv.Must(t, h.app.Store.UpsertRegionSettings(context.Background(), []model.RegionSetting{
			{AreaCode: seed.DemoCounty, Key: string(model.SetStandardCents), Value: "90000", EffectiveFrom: "2026-12-01"}}))
		_, second := r.apply("pol2-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "曹二", "idNumber": makeID("990101", "19620202", 19)})
		after := decide("second", second)
		ref1, ref2 := before["policyRef"].(string), after["policyRef"].(string)
		_, hash1, _ := strings.Cut(ref1, "#")
		_, hash2, _ := strings.Cut(ref2, "#")
		if hash1 == "" || hash2 == "" || hash1 == hash2 || !strings.HasPrefix(ref1, "2026-12-01#") {
			t.Fatalf("policy references: %q then %q", ref1, ref2)
		}
		again := r.detail("county", first)["decisions"].([]any)
		for _, x := range again {
			if x := x.(map[string]any); x["outcome"] == "approved" && (x["policyRef"] != ref1 || x["monthlyCents"].(float64) != 85000) {
				t.Fatalf("the first decision changed: %v", x)
			}
		}
	})
}

// followEngine is an opinion that takes the engine's suggestions as they are (refusals with the
// engine's basis as the reason), the categories without a suggestion not applicable.
func (r *reviewer) followEngine(id string) []map[string]any {
	r.t.Helper()
	var out []map[string]any
	for _, sg := range r.detail("town_east", id)["suggestedOpinion"].([]any) {
		sg := sg.(map[string]any)
		e := map[string]any{"category": sg["category"], "outcome": sg["outcome"], "monthlyCents": sg["monthlyCents"]}
		if sg["memberPosition"] != nil {
			e["memberPosition"] = sg["memberPosition"]
		}
		if sg["outcome"] == "refused" {
			e["reason"] = "按系统测算：不符合"
		}
		out = append(out, e)
	}
	return allFive(nil, out...)
}

// openItems counts the items of a progress view still to be provided (the view lists the whole
// list of the round, shared and provided items too).
func openItems(view map[string]any) int {
	n := 0
	for _, it := range view["missingItems"].([]any) {
		if st := it.(map[string]any)["status"]; st == "missing" || st == "rejected" {
			n++
		}
	}
	return n
}
