package server_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"palmaid/model"
	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// cookieOf returns the "name=value" of the console cookie a response sets ("" when none).
func cookieOf(t *testing.T, r resp) string {
	t.Helper()
	for _, s := range r.Header.Values("Set-Cookie") {
		c, err := http.ParseSetCookie(s)
		if err == nil && c.Name == "palmaid_console" && c.Value != "" {
			return c.Name + "=" + c.Value
		}
	}
	return ""
}

// A new or reset account logging into the console can change its initial password there: the
// cookie session is replaced by a fresh one (new cookie, new CSRF token, no token in the answer),
// after which the console's screens open; the old cookie is worth nothing.
func TestConsolePasswordChange(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		admin := h.staffLogin("admin")
		h.expect(h.do("POST", "/api/v1/admin/staff", admin, map[string]any{"username": "first.login", "displayName": "新经办人",
			"role": "town_caseworker", "areaCode": seed.DemoTownEast, "initialPassword": "Initial-2026x"}), 201)

		res := h.do("POST", "/api/v1/auth/console-login", "", map[string]string{"username": "first.login", "password": "Initial-2026x"})
		m := h.expect(res, 200)
		cookie, csrf := cookieOf(t, res), m["csrfToken"].(string)
		if m["staff"].(map[string]any)["mustChangePassword"] != true || cookie == "" {
			t.Fatalf("first console login: %s", res.Body)
		}
		if r := h.do("GET", "/api/v1/worklists", "", nil, "Cookie", cookie); r.Status != 403 || r.errCode(t) != "auth.password_change_required" {
			t.Fatalf("before the change: %d %s", r.Status, r.Body)
		}
		change := map[string]string{"oldPassword": "Initial-2026x", "newPassword": "Chosen-2026abc"}
		// a cookie request without its CSRF token changes nothing
		if r := h.do("POST", "/api/v1/auth/console-password", "", change, "Cookie", cookie); r.Status != 403 || r.errCode(t) != "auth.csrf_invalid" {
			t.Fatalf("without CSRF: %d %s", r.Status, r.Body)
		}
		if r := h.do("POST", "/api/v1/auth/console-password", "", map[string]string{"oldPassword": "Initial-2026x", "newPassword": "short1"},
			"Cookie", cookie, "X-CSRF-Token", csrf); r.Status != 422 || r.errCode(t) != "auth.weak_password" {
			t.Fatalf("weak password: %d %s", r.Status, r.Body)
		}
		res = h.do("POST", "/api/v1/auth/console-password", "", change, "Cookie", cookie, "X-CSRF-Token", csrf)
		m = h.expect(res, 200)
		fresh := cookieOf(t, res)
		if _, leaked := m["token"]; leaked || fresh == "" || fresh == cookie || m["csrfToken"] == csrf || m["csrfToken"] == "" {
			t.Fatalf("password change answer: %s (cookie %q)", res.Body, fresh)
		}
		if m["staff"].(map[string]any)["mustChangePassword"] != false {
			t.Fatalf("still must change: %s", res.Body)
		}
		h.expect(h.do("GET", "/api/v1/worklists", "", nil, "Cookie", fresh), 200)
		if r := h.do("GET", "/api/v1/me", "", nil, "Cookie", cookie); r.Status != 401 {
			t.Fatalf("old cookie after the change: %d", r.Status)
		}
		// the self-service change of an ordinary account: same route, old password checked
		if r := h.do("POST", "/api/v1/auth/console-password", "", map[string]string{"oldPassword": "wrong-2026abc", "newPassword": "Another-2026abc"},
			"Cookie", fresh, "X-CSRF-Token", m["csrfToken"].(string)); r.Status != 422 || r.errCode(t) != "auth.wrong_password" {
			t.Fatalf("wrong old password: %d %s", r.Status, r.Body)
		}
		h.expect(h.do("POST", "/api/v1/auth/console-login", "", map[string]string{"username": "first.login", "password": "Chosen-2026abc"}), 200)
	})
}

// The town's one-off 临时救助 amount in its opinion is kept, shown in the opinion entries, and
// the county decides on it.
func TestOpinionKeepsOneOffAmount(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		_, id := r.apply("oneoff-"+be.Name, seed.DemoVillageE1, []string{"minimum_living", "temporary_aid"},
			map[string]string{"relation": "self", "name": "吴临", "idNumber": makeID("990101", "19660303", 71)})
		r.act("town_east", id, "accept", nil, 200)
		r.investigate(id, "town_east", "village_e1")
		entries := allFive(map[string]int64{"minimum_living": 90000},
			map[string]any{"category": "temporary_aid", "outcome": "approved", "monthlyCents": 0, "oneOffCents": 150000, "deviationReason": "住院自付费用高"})
		op := r.act("town_east", id, "opinion", map[string]any{"entries": entries}, 200)
		found := false
		for _, o := range op["opinions"].([]any) {
			o := o.(map[string]any)
			if o["category"] == "temporary_aid" {
				found = true
				if o["oneOffCents"] != float64(150000) {
					t.Fatalf("the town's one-off amount was dropped: %v", o)
				}
			}
		}
		if !found {
			t.Fatalf("no temporary-aid opinion: %v", op["opinions"])
		}
		// read back from the database, not only the answer of the write
		for _, o := range r.detail("county", id)["opinions"].([]any) {
			if o := o.(map[string]any); o["category"] == "temporary_aid" && o["oneOffCents"] != float64(150000) {
				t.Fatalf("stored opinion: %v", o)
			}
		}
	})
}

func allowedOf(m map[string]any) []string {
	var out []string
	for _, a := range m["allowedActions"].([]any) {
		out = append(out, a.(string))
	}
	return out
}

// allowedActions is what this officer may do on this case now: the status, the role, the
// area's level and the four-eyes and case facts — never a button that ends in "您的岗位不能进行此操作".
func TestAllowedActionsFollowTheOfficer(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		_, id := r.apply("allowed-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "郑按", "idNumber": makeID("990101", "19610606", 81)})
		want := func(who string, has, hasNot []string) {
			t.Helper()
			got := allowedOf(r.detail(who, id))
			for _, a := range has {
				if !slices.Contains(got, a) {
					t.Errorf("%s on %s: %v lacks %s", who, r.status(id), got, a)
				}
			}
			for _, a := range hasNot {
				if slices.Contains(got, a) {
					t.Errorf("%s on %s: %v offers %s", who, r.status(id), got, a)
				}
			}
		}
		// residents' actions are never offered to staff
		resident := []string{"declare_change", "withdraw", "take_over", "resubmit", "submit", "data_check_objection"}
		want("town_east", nil, resident)
		want("town_east", []string{"accept", "return", "refuse_acceptance"}, []string{"urgent_grant", "decide"})
		for _, who := range []string{"auditor", "village_e1", "county"} {
			want(who, nil, []string{"accept", "return", "refuse_acceptance", "flag_close_relative", "terminate"})
		}
		r.act("town_east", id, "accept", nil, 200)
		want("auditor", nil, []string{"terminate", "start_investigation", "record_visit", "extend"})
		want("village_e1", []string{"record_visit"}, []string{"terminate", "start_investigation", "schedule_visit", "extend"})
		want("town_east", []string{"start_investigation", "terminate", "schedule_visit"}, []string{"data_check_result"})
		r.act("town_east", id, "start-investigation", nil, 200)
		want("town_east", nil, []string{"data_check_result", "opinion"}) // the opinion waits for the check and the visit
		want("county", []string{"data_check_result"}, []string{"start_investigation", "terminate", "opinion"})
		r.act("county", id, "data-check", map[string]any{"summary": "未见异常"}, 200)
		want("county", nil, []string{"data_check_result"}) // no check pending any more
		r.act("town_east", id, "visits", map[string]any{"visitedOn": "2026-11-23", "investigators": []string{"town_east", "county2"},
			"findings": "夫妻二人均无劳动能力", "familyConfirmed": true}, 200)
		want("town_east", []string{"opinion"}, nil)
		entries := allFive(nil, map[string]any{"category": "minimum_living", "outcome": "refused", "reason": "人均收入高于低保标准"})
		r.act("town_east", id, "opinion", map[string]any{"entries": entries}, 200)
		r.act("town_east", id, "notice", nil, 200)
		want("town_east", []string{"object", "close_notice"}, []string{"resolve_objection"})
		r.act("town_east", id, "objections", map[string]any{"name": "王邻", "contact": "13800001111", "content": "家中有车"}, 200)
		want("town_east", []string{"resolve_objection"}, nil)
		obID := r.detail("town_east", id)["objections"].([]any)[0].(map[string]any)["id"]
		r.act("town_east", id, "objections/resolve", map[string]any{"objectionId": obID, "upheld": false, "resolution": "经核实车辆为借用"}, 200)
		want("town_east", nil, []string{"resolve_objection"})
		h.clock.Set(cst("2026-12-01", 9))
		r.act("town_east", id, "notice/close", nil, 200)
		want("town_east", nil, []string{"decide", "spot_check"})
		want("county2", nil, []string{"decide"})                   // visited the household: four eyes
		want("county", []string{"decide"}, []string{"spot_check"}) // 特困 was not requested
		r.act("county", id, "decision", map[string]any{"entries": entries}, 200)
		// not 已办结 while the written refusal is still to be delivered (the list says so too)
		if l := r.detail("town_east", id)["statusLabel"]; l != "已决定，待送达不予批准告知书" {
			t.Errorf("status label before the refusal notice is delivered: %v", l)
		}
		for _, it := range h.expect(h.do("GET", "/api/v1/cases?list=refusal_notice", r.staff("town_east"), nil), 200)["items"].([]any) {
			if m := it.(map[string]any); m["id"] == id && m["statusLabel"] != "已决定，待送达不予批准告知书" {
				t.Errorf("worklist status label: %v", m["statusLabel"])
			}
		}
		want("town_east", []string{"refusal_notice_delivered"}, nil)
		want("county", nil, []string{"refusal_notice_delivered"})
		r.act("town_east", id, "refusal-notice", map[string]any{"how": "送达回执已签收"}, 200)
		want("town_east", nil, []string{"refusal_notice_delivered"})
		if l := r.detail("town_east", id)["statusLabel"]; l != "已办结" {
			t.Errorf("status label after delivery: %v", l)
		}
		if got := allowedOf(r.detail("town_east", id)); len(got) != 0 {
			t.Errorf("a finished case offers %v", got)
		}
	})
}

func searchIDs(t *testing.T, h *harness, tok, q string) []string {
	t.Helper()
	m := h.expect(h.do("GET", "/api/v1/case-search?q="+url.QueryEscape(q), tok, nil), 200)
	var out []string
	for _, it := range m["items"].([]any) {
		out = append(out, it.(map[string]any)["id"].(string))
	}
	return out
}

// Any case of the officer's area is found by its 受理编号 (exact), an ID number of its household
// (through the blind index: the number is never stored or logged in clear; every search is
// audited), the applicant's name or the village's name. Another area's case is not found.
func TestCaseSearch(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		idA, idB := makeID("990101", "19560404", 91), makeID("990101", "19570505", 93)
		_, a := r.apply("search-a-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"}, map[string]string{"relation": "self", "name": "欧阳搜甲", "idNumber": idA})
		_, b := r.apply("search-b-"+be.Name, seed.DemoVillageE2, []string{"minimum_living"}, map[string]string{"relation": "self", "name": "欧阳搜乙", "idNumber": idB})
		east, west := r.staff("town_east"), r.staff("town_west")
		caseNo := r.detail("town_east", a)["caseNo"].(string)

		if got := searchIDs(t, h, east, caseNo); !slices.Equal(got, []string{a}) {
			t.Fatalf("by 受理编号: %v", got)
		}
		if got := searchIDs(t, h, east, caseNo[:len(caseNo)-1]); len(got) != 0 {
			t.Fatalf("a partial 受理编号 matched: %v", got)
		}
		if got := searchIDs(t, h, east, strings.ToLower(idB)); !slices.Equal(got, []string{b}) {
			t.Fatalf("by ID number: %v", got)
		}
		if got := searchIDs(t, h, east, makeID("990101", "19570505", 95)); len(got) != 0 {
			t.Fatalf("another ID number matched: %v", got)
		}
		if got := searchIDs(t, h, east, "欧阳搜"); !slices.Contains(got, a) || !slices.Contains(got, b) {
			t.Fatalf("by name: %v", got)
		}
		if got := searchIDs(t, h, east, "文卫社区"); !slices.Contains(got, b) || slices.Contains(got, a) {
			t.Fatalf("by village name: %v", got)
		}
		// the list shows masked names only
		m := h.expect(h.do("GET", "/api/v1/case-search?q="+url.QueryEscape("欧阳搜甲"), east, nil), 200)
		if it := m["items"].([]any)[0].(map[string]any); it["applicantNameMasked"] == "欧阳搜甲" || it["matchedBy"] != "name" {
			t.Fatalf("search item: %v", it)
		}
		// another town's officer finds nothing of ours, however asked
		for _, q := range []string{caseNo, idA, "欧阳搜甲", "孙庄"} {
			if got := searchIDs(t, h, west, q); len(got) != 0 {
				t.Fatalf("town_west finds %v by %q", got, q)
			}
		}
		for _, q := range []string{"", " ", strings.Repeat("搜", 40)} {
			if res := h.do("GET", "/api/v1/case-search?q="+url.QueryEscape(q), east, nil); res.Status != 400 || res.errCode(t) != "case.invalid_search" {
				t.Fatalf("q=%q: %d %s", q, res.Status, res.Body)
			}
		}
		// audited, by kind and count — never the number searched for
		rows, err := testenv.OpenRows(t, h.app.Config).AuditByAction(context.Background(), "case.search")
		testenv.Must(t, err)
		byID := 0
		for _, row := range rows {
			if strings.Contains(row.Detail, idA) || strings.Contains(row.Detail, idB) || strings.Contains(row.Detail, strings.ToLower(idB)) {
				t.Fatalf("the audit row holds the ID number: %+v", row)
			}
			if strings.Contains(row.Detail, "by=id_number") {
				byID++
			}
		}
		if byID < 3 {
			t.Fatalf("ID-number searches audited: %d of %d rows", byID, len(rows))
		}
	})
}

func listItems(t *testing.T, h *harness, tok, query string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, it := range h.expect(h.do("GET", "/api/v1/cases?"+query, tok, nil), 200)["items"].([]any) {
		m := it.(map[string]any)
		out[m["id"].(string)] = m
	}
	return out
}

// 即将到期 does not count the overdue cases again, and every worklist row says, in the server's
// working days, how long is left ("还剩 N 个工作日") or how late it is.
func TestWorklistDueSoonAndDaysLeft(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		_, late := r.apply("due-late-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"}, map[string]string{"relation": "self", "name": "迟到", "idNumber": makeID("990101", "19590909", 101)})
		due := r.detail("town_east", late)["nextDueOn"].(string)
		day, err := time.ParseInLocation("2006-01-02", due, cstZone)
		testenv.Must(t, err)
		h.clock.Set(day.AddDate(0, 0, 3).Add(9 * time.Hour)) // three calendar days after its due date
		_, fresh := r.apply("due-fresh-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"}, map[string]string{"relation": "self", "name": "准时", "idNumber": makeID("990101", "19590910", 103)})
		east := r.staff("town_east")

		overdue := listItems(t, h, east, "list=overdue")
		soon := listItems(t, h, east, "list=due_soon&days=30")
		if overdue[late] == nil || overdue[fresh] != nil {
			t.Fatalf("overdue list: %v", overdue)
		}
		if soon[fresh] == nil || soon[late] != nil {
			t.Fatalf("due_soon lists an overdue case again (or misses the fresh one): late %v fresh %v", soon[late] != nil, soon[fresh] != nil)
		}
		counts := map[string]float64{}
		for _, it := range h.expect(h.do("GET", "/api/v1/worklists", east, nil), 200)["items"].([]any) {
			m := it.(map[string]any)
			counts[m["list"].(string)] = m["count"].(float64)
		}
		if counts["overdue"] < 1 || counts["due_soon"] != 1 {
			t.Fatalf("counts: overdue %v due_soon %v", counts["overdue"], counts["due_soon"])
		}
		accept := listItems(t, h, east, "list=to_accept")
		l, f := accept[late], accept[fresh]
		if l == nil || f == nil {
			t.Fatalf("to_accept: %v", accept)
		}
		if l["daysLeft"].(float64) >= 0 || !strings.HasPrefix(l["dueLabel"].(string), "已超期") {
			t.Fatalf("overdue row: daysLeft %v dueLabel %v", l["daysLeft"], l["dueLabel"])
		}
		if f["daysLeft"].(float64) < 1 || f["dueLabel"] != fmt.Sprintf("还剩 %d 个工作日", int(f["daysLeft"].(float64))) {
			t.Fatalf("fresh row: daysLeft %v dueLabel %v", f["daysLeft"], f["dueLabel"])
		}
	})
}

// The villages of the officer's own area, by name, for the console's pickers (a worklist filter,
// the village's notice list): no 12-digit codes typed.
func TestStaffVillages(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		names := func(user string) map[string]string {
			out := map[string]string{}
			for _, it := range h.expect(h.do("GET", "/api/v1/villages", h.staffLogin(user), nil), 200)["items"].([]any) {
				m := it.(map[string]any)
				out[m["code"].(string)] = m["name"].(string) + "/" + m["townName"].(string)
			}
			return out
		}
		east := names("town_east")
		if east[seed.DemoVillageE1] != "孙庄村委会/古云镇" || east[seed.DemoVillageE2] == "" || east[seed.DemoVillageW1] != "" {
			t.Fatalf("town_east's villages: %v", east)
		}
		if v := names("village_e1"); len(v) != 1 || v[seed.DemoVillageE1] == "" {
			t.Fatalf("village_e1's villages: %v", v)
		}
		if c := names("county"); c[seed.DemoVillageE1] == "" || c[seed.DemoVillageW1] == "" {
			t.Fatalf("the county's villages: %v", c)
		}
	})
}

// One catalogue of labels for the console (issue 22): served to any officer after login, the
// category named once (the model's name), none to a caller without a session.
func TestLabelCatalogue(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		if r := h.do("GET", "/api/v1/labels", "", nil); r.Status != 401 {
			t.Fatalf("without a session: %d %s", r.Status, r.Body)
		}
		cat := h.expect(h.do("GET", "/api/v1/labels", h.staffLogin("auditor"), nil), 200)
		names := func(key string) map[string]string {
			out := map[string]string{}
			for _, it := range cat[key].([]any) {
				m := it.(map[string]any)
				out[m["code"].(string)] = m["label"].(string)
			}
			return out
		}
		if l := names("categories")["illness_poverty"]; l != model.CatIllnessPoverty.Label() {
			t.Fatalf("illness_poverty is %q, the model says %q", l, model.CatIllnessPoverty.Label())
		}
		if names("statuses")["submitted"] == "" || names("actions")["return"] != "退回补正" || names("emergencyKinds")["serious_illness"] == "" {
			t.Fatalf("catalogue: %v", cat)
		}
		if s := cat["settings"].([]any); len(s) != len(model.Settings()) {
			t.Fatalf("%d settings", len(s))
		}
	})
}

// The investigators' picker (issue 22: investigators were typed as usernames): the active staff
// who may record a visit in the village — its own, its town's and its county's with the visit
// permission — by name; a village outside the officer's area is not found, a bad code refused.
func TestInvestigatorPicker(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		east := h.staffLogin("town_east")
		got := map[string]string{}
		for _, it := range h.expect(h.do("GET", "/api/v1/investigators?village="+seed.DemoVillageE1, east, nil), 200)["items"].([]any) {
			m := it.(map[string]any)
			got[m["username"].(string)] = m["displayName"].(string) + "/" + m["roleLabel"].(string)
		}
		for _, want := range []string{"town_east", "town_east2", "village_e1"} {
			if got[want] == "" {
				t.Errorf("%s is not offered: %v", want, got)
			}
		}
		for _, not := range []string{"town_west", "auditor", "admin"} {
			if got[not] != "" {
				t.Errorf("%s is offered: %v", not, got)
			}
		}
		if r := h.do("GET", "/api/v1/investigators?village="+seed.DemoVillageW1, east, nil); r.Status != 404 {
			t.Errorf("another town's village: %d %s", r.Status, r.Body)
		}
		if r := h.do("GET", "/api/v1/investigators?village=12", east, nil); r.Status != 400 || r.errCode(t) != "staff.invalid_village" {
			t.Errorf("a bad code: %d %s", r.Status, r.Body)
		}
	})
}

// A worklist exported to Excel (台账): the list's cases in its order with the ledger's columns,
// names masked, audited once as case.export; a bad filter is refused as on the list.
func TestWorklistExport(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		_, a := r.apply("export-a-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"}, map[string]string{"relation": "self", "name": "导出甲", "idNumber": makeID("990101", "19590911", 105)})
		_, b := r.apply("export-b-"+be.Name, seed.DemoVillageE1, []string{"temporary_aid"}, map[string]string{"relation": "self", "name": "导出乙", "idNumber": makeID("990101", "19590912", 107)})
		east := r.staff("town_east")
		res := h.do("GET", "/api/v1/worklist-export?list=to_accept", east, nil)
		if res.Status != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("export: %d %s %s", res.Status, res.Header.Get("Content-Type"), res.Body)
		}
		x, err := excelize.OpenReader(bytes.NewReader(res.Body))
		testenv.Must(t, err)
		rows, err := x.GetRows("台账")
		testenv.Must(t, err)
		if len(rows) < 3 || rows[0][0] != "序号" || rows[0][1] != "受理编号" || rows[0][len(rows[0])-1] != "提交日期" {
			t.Fatalf("ledger rows: %v", rows)
		}
		want := map[string]bool{r.detail("town_east", a)["caseNo"].(string): true, r.detail("town_east", b)["caseNo"].(string): true}
		seen := 0
		for _, row := range rows[1:] {
			if want[row[1]] {
				seen++
				if !strings.Contains(row[2], "*") || strings.Contains(strings.Join(row, ""), "导出甲") {
					t.Fatalf("the name is not masked: %v", row)
				}
				if row[8] != "待受理" || !strings.Contains(row[11], "工作日") && !strings.Contains(row[11], "到期") {
					t.Fatalf("status or days left: %v", row)
				}
			}
		}
		if seen != 2 {
			t.Fatalf("the export holds %d of the 2 cases: %v", seen, rows)
		}
		audit, err := testenv.OpenRows(t, h.app.Config).AuditByAction(context.Background(), "case.export")
		testenv.Must(t, err)
		if len(audit) != 1 || !strings.Contains(audit[0].Detail, "list=to_accept") || !strings.Contains(audit[0].Detail, fmt.Sprintf("rows=%d", len(rows)-1)) {
			t.Fatalf("audit: %+v", audit)
		}
		if res := h.do("GET", "/api/v1/worklist-export?list=nope", east, nil); res.Status != 400 || res.errCode(t) != "case.invalid_filter" {
			t.Fatalf("bad list: %d %s", res.Status, res.Body)
		}
	})
}

// The statistics as an Excel workbook (four sheets, the status counts in words), audited.
func TestStatsExport(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		r.apply("stats-x-"+be.Name, seed.DemoVillageE1, []string{"minimum_living"}, map[string]string{"relation": "self", "name": "统计甲", "idNumber": makeID("990101", "19590913", 109)})
		east := r.staff("town_east")
		res := h.do("GET", "/api/v1/stats-export?days=30", east, nil)
		if res.Status != 200 {
			t.Fatalf("export: %d %s", res.Status, res.Body)
		}
		x, err := excelize.OpenReader(bytes.NewReader(res.Body))
		testenv.Must(t, err)
		if got := x.GetSheetList(); len(got) != 4 || got[0] != "各状态申请数" {
			t.Fatalf("sheets: %v", got)
		}
		rows, err := x.GetRows("各状态申请数")
		testenv.Must(t, err)
		found := false
		for _, row := range rows[1:] {
			found = found || row[0] == "待受理"
		}
		if !found {
			t.Fatalf("status rows: %v", rows)
		}
		audit, err := testenv.OpenRows(t, h.app.Config).AuditByAction(context.Background(), "stats.export")
		testenv.Must(t, err)
		if len(audit) != 1 || !strings.Contains(audit[0].Detail, "days=30") {
			t.Fatalf("audit: %+v", audit)
		}
	})
}
