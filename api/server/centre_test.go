package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"palmaid/model"
	"palmaid/service/seed"
	"palmaid/service/testenv"
	"palmaid/service/wechat/wxsim"
)

// The message centre, the content check, ratings, complaints and personal-data rights through
// the real router, on every backend.

func unread(h *harness, tok string) float64 {
	h.t.Helper()
	return h.expect(h.do("GET", "/mp/v1/messages/unread-count", tok, nil), 200)["unread"].(float64)
}

func TestMessageCentre(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		tok, id := r.apply(testenv.UniqueName("msg"), seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "孟消", "idNumber": makeID("990101", "19700101", 201)})
		if n := unread(h, tok); n != 0 {
			t.Fatalf("unread before anything happened: %v", n)
		}
		r.act("town_east", id, "accept", nil, 200)
		h.expect(h.do("POST", "/dev/v1/notify/run", "", nil), 200)
		if n := unread(h, tok); n != 1 {
			t.Fatalf("unread after acceptance: %v", n)
		}
		list := h.expect(h.do("GET", "/mp/v1/messages", tok, nil), 200)
		items := list["items"].([]any)
		if list["unread"].(float64) != 1 || len(items) != 1 {
			t.Fatalf("message list: %v", list)
		}
		msg := items[0].(map[string]any)
		if msg["caseId"] != id || msg["read"] != false {
			t.Fatalf("message links to %v (want %s), read %v", msg["caseId"], id, msg["read"])
		}
		msgID := fmt.Sprint(int(msg["id"].(float64)))

		// Another resident's attempt: 404 like a message that does not exist; nothing changes.
		other := h.residentLogin(testenv.UniqueName("msg-other"))
		for _, path := range []string{"/mp/v1/messages/" + msgID + "/read", "/mp/v1/messages/999999/read"} {
			if res := h.do("POST", path, other, nil); res.Status != 404 || res.errCode(t) != "message.not_found" {
				t.Fatalf("%s by another resident: %d %s", path, res.Status, res.Body)
			}
		}
		// a malformed id is no message of anyone's: 400, whoever asks (model.ParseID)
		if res := h.do("POST", "/mp/v1/messages/abc/read", other, nil); res.Status != 400 || res.errCode(t) != "request.invalid_id" {
			t.Fatalf("malformed message id: %d %s", res.Status, res.Body)
		}
		if n := unread(h, tok); n != 1 {
			t.Fatalf("another resident changed the unread count: %v", n)
		}
		if got := h.expect(h.do("POST", "/mp/v1/messages/read-all", other, nil), 200); got["marked"].(float64) != 0 {
			t.Fatalf("another resident's mark-all marked: %v", got)
		}
		if n := unread(h, tok); n != 1 {
			t.Fatalf("another resident's mark-all changed mine: %v", n)
		}

		if got := h.expect(h.do("POST", "/mp/v1/messages/"+msgID+"/read", tok, nil), 200); got["unread"].(float64) != 0 {
			t.Fatalf("after marking read: %v", got)
		}
		h.expect(h.do("POST", "/mp/v1/messages/"+msgID+"/read", tok, nil), 200) // again: no change, no error
		m := h.expect(h.do("GET", "/mp/v1/messages", tok, nil), 200)["items"].([]any)[0].(map[string]any)
		if m["read"] != true || m["readAt"] == nil {
			t.Fatalf("read message: %v", m)
		}

		// Mark all: a complaint's answer brings a second message.
		cp := h.expect(h.do("POST", "/mp/v1/complaints", tok, map[string]any{"caseId": id, "text": "电话一直打不通"}), 201)
		h.expect(h.do("POST", "/api/v1/complaints/"+cp["id"].(string)+"/answer", r.staff("county"), map[string]any{"answer": "已更换值班电话"}), 200)
		h.expect(h.do("POST", "/dev/v1/notify/run", "", nil), 200)
		n := unread(h, tok)
		if n < 1 {
			t.Fatalf("no new message after the next step")
		}
		if got := h.expect(h.do("POST", "/mp/v1/messages/read-all", tok, nil), 200); got["marked"].(float64) != n || got["unread"].(float64) != 0 {
			t.Fatalf("mark all: %v (had %v unread)", got, n)
		}
	})
}

// Residents' texts that staff or the public read pass WeChat's content check: risky text is
// refused and nothing changes; review text is accepted and flagged in the staff history; when
// WeChat cannot be asked the text is accepted and flagged "unchecked".
func TestContentCheckOnResidentTexts(t *testing.T) {
	testenv.EachSerial(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		tok, id := r.apply(testenv.UniqueName("risky"), seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "卫检", "idNumber": makeID("990101", "19700202", 211)})
		v := r.version(id)
		calls := sim.Calls(wxsim.PathMsgSecCheck)
		res := h.do("POST", "/mp/v1/cases/"+id+"/withdraw", tok, map[string]any{"version": v, "reason": "这里有" + wxsim.DefaultRiskyWord + "内容"})
		if res.Status != 422 || res.errCode(t) != "content.risky" || !strings.Contains(string(res.Body), `"reason"`) {
			t.Fatalf("risky reason: %d %s", res.Status, res.Body)
		}
		if sim.Calls(wxsim.PathMsgSecCheck) == calls {
			t.Fatal("WeChat was not asked")
		}
		if r.version(id) != v || r.status(id) != "submitted" {
			t.Fatalf("a refused text changed the case: version %d, status %s", r.version(id), r.status(id))
		}
		// 87014 is WeChat refusing the content outright: the same as risky.
		sim.FailNext(wxsim.PathMsgSecCheck, 87014)
		if res := h.do("POST", "/mp/v1/cases/"+id+"/withdraw", tok, map[string]any{"version": v, "reason": "家里情况好转了"}); res.Status != 422 || res.errCode(t) != "content.risky" {
			t.Fatalf("87014: %d %s", res.Status, res.Body)
		}
		// WeChat down: accepted, flagged for staff.
		sim.FailNext(wxsim.PathMsgSecCheck, -1)
		h.expect(h.do("POST", "/mp/v1/cases/"+id+"/withdraw", tok, map[string]any{"version": v, "reason": "家里情况好转了"}), 200)
		if flag := lastFlag(r, id, "withdraw"); flag != model.ContentUnchecked {
			t.Fatalf("withdrawal while WeChat is down: flag %q", flag)
		}

		tok2, id2 := r.apply(testenv.UniqueName("review"), seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "卫审", "idNumber": makeID("990101", "19700303", 221)})
		h.expect(h.do("POST", "/mp/v1/cases/"+id2+"/withdraw", tok2, map[string]any{"version": r.version(id2), "reason": "需要" + wxsim.DefaultReviewWord + "的理由"}), 200)
		if flag := lastFlag(r, id2, "withdraw"); flag != model.ContentReview {
			t.Fatalf("review text: flag %q", flag)
		}

		// A resubmission note: passed text carries no flag.
		tok3, id3 := r.apply(testenv.UniqueName("note"), seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "卫补", "idNumber": makeID("990101", "19700404", 231)})
		r.act("town_east", id3, "return", map[string]any{"missingItems": []map[string]string{{"name": "家庭财产申报"}}}, 200)
		if res := h.do("POST", "/mp/v1/cases/"+id3+"/resubmit", tok3, map[string]any{"version": r.version(id3), "note": wxsim.DefaultRiskyWord}); res.Status != 422 {
			t.Fatalf("risky note: %d %s", res.Status, res.Body)
		}
		h.expect(h.do("POST", "/mp/v1/cases/"+id3+"/resubmit", tok3, map[string]any{"version": r.version(id3), "note": "收入证明已补齐"}), 200)
		if flag := lastFlag(r, id3, "resubmit"); flag != "" {
			t.Fatalf("passed note flagged %q", flag)
		}
	})
}

// lastFlag is the content flag of the case's last history entry of action, as staff see it.
func lastFlag(r *reviewer, id, action string) string {
	r.t.Helper()
	hist := r.detail("town_east", id)["history"].([]any)
	for i := len(hist) - 1; i >= 0; i-- {
		e := hist[i].(map[string]any)
		if e["action"] == action {
			f, _ := e["contentFlag"].(string)
			return f
		}
	}
	r.t.Fatalf("no %s in the history of %s", action, id)
	return ""
}

func TestRating(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		tok, id := r.apply(testenv.UniqueName("rate"), seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "韩评", "idNumber": makeID("990101", "19700505", 241)})
		good := map[string]any{"stars": 2, "comment": "等了很久才有人联系"}
		if res := h.do("POST", "/mp/v1/cases/"+id+"/rating", tok, good); res.Status != 409 || res.errCode(t) != "rating.not_finished" {
			t.Fatalf("rating an open case: %d %s", res.Status, res.Body)
		}
		h.expect(h.do("POST", "/mp/v1/cases/"+id+"/withdraw", tok, map[string]any{"version": r.version(id), "reason": "不再需要"}), 200)
		if v := h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200); v["canRate"] != true || v["rating"] != nil {
			t.Fatalf("finished, not rated: canRate %v rating %v", v["canRate"], v["rating"])
		}
		for _, bad := range []map[string]any{{"stars": 0}, {"stars": 6}, {"stars": 3, "comment": strings.Repeat("长", 201)}} {
			if res := h.do("POST", "/mp/v1/cases/"+id+"/rating", tok, bad); res.Status != 400 {
				t.Fatalf("rating %v: %d %s", bad, res.Status, res.Body)
			}
		}
		if res := h.do("POST", "/mp/v1/cases/"+id+"/rating", tok, map[string]any{"stars": 1, "comment": wxsim.DefaultRiskyWord}); res.Status != 422 || res.errCode(t) != "content.risky" {
			t.Fatalf("risky comment: %d %s", res.Status, res.Body)
		}
		other := h.residentLogin(testenv.UniqueName("rate-other"))
		if res := h.do("POST", "/mp/v1/cases/"+id+"/rating", other, good); res.Status != 404 || res.errCode(t) != "case.not_found" {
			t.Fatalf("another resident rates: %d %s", res.Status, res.Body)
		}
		got := h.expect(h.do("POST", "/mp/v1/cases/"+id+"/rating", tok, good), 201)
		if got["stars"].(float64) != 2 || got["label"] != "不满意" {
			t.Fatalf("rating: %v", got)
		}
		if res := h.do("POST", "/mp/v1/cases/"+id+"/rating", tok, map[string]any{"stars": 5}); res.Status != 409 || res.errCode(t) != "rating.exists" {
			t.Fatalf("second rating: %d %s", res.Status, res.Body)
		}
		v := h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
		if v["canRate"] != false || v["rating"].(map[string]any)["comment"] != good["comment"] {
			t.Fatalf("case view after rating: canRate %v rating %v", v["canRate"], v["rating"])
		}
		staffView := r.detail("town_east", id)["rating"].(map[string]any)
		if staffView["stars"].(float64) != 2 || staffView["bad"] != true {
			t.Fatalf("staff detail rating: %v", staffView)
		}
		audit, err := testenv.OpenRows(t, h.app.Config).AuditByAction(context.Background(), "case.rating")
		testenv.Must(t, err)
		if len(audit) != 1 {
			t.Fatalf("%d case.rating audit rows", len(audit))
		}
	})
}

func TestComplaints(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		name := testenv.UniqueName("complain")
		tok, id := r.apply(name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "郑诉", "idNumber": makeID("990101", "19700606", 251)})
		_, foreign := r.apply(testenv.UniqueName("complain-other"), seed.DemoVillageE2, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "郑他", "idNumber": makeID("990101", "19700707", 261)})
		secret := "经办人要求我先请客吃饭才受理"

		if res := h.do("POST", "/mp/v1/complaints", tok, map[string]any{"caseId": foreign, "text": secret}); res.Status != 404 || res.errCode(t) != "case.not_found" {
			t.Fatalf("complaint about another resident's case: %d %s", res.Status, res.Body)
		}
		for body, want := range map[string]int{
			`{"text":"没有说明哪个村"}`:                                                     400,
			`{"villageCode":"371522106000","text":"乡镇代码"}`:                           400, // area.not_village, as everywhere
			`{"villageCode":"371522106200","text":""}`:                               422,
			`{"villageCode":"371522106200","text":"` + wxsim.DefaultRiskyWord + `"}`: 422,
		} {
			if res := h.do("POST", "/mp/v1/complaints", tok, body); res.Status != want {
				t.Fatalf("complaint %s: %d %s, want %d", body, res.Status, res.Body, want)
			}
		}
		onCase := h.expect(h.do("POST", "/mp/v1/complaints", tok, map[string]any{"caseId": id, "text": secret}), 201)
		if onCase["caseId"] != id || onCase["status"] != "open" || onCase["text"] != secret {
			t.Fatalf("complaint on the case: %v", onCase)
		}
		village := h.expect(h.do("POST", "/mp/v1/complaints", tok, map[string]any{"villageCode": seed.DemoVillageE2, "text": "村里公示栏" + wxsim.DefaultReviewWord}), 201)

		// Encrypted at rest: the text is in no table in clear.
		dump, err := testenv.OpenRows(t, h.app.Config).TextDump(context.Background())
		testenv.Must(t, err)
		for table, rows := range dump {
			for _, row := range rows {
				if strings.Contains(strings.Join(row, "\x00"), secret) {
					t.Fatalf("table %s holds the complaint text in clear", table)
				}
			}
		}

		// The county's worklist: open first; town officers may not read it.
		if res := h.do("GET", "/api/v1/complaints", r.staff("town_east"), nil); res.Status != 403 {
			t.Fatalf("a town officer lists complaints: %d %s", res.Status, res.Body)
		}
		list := h.expect(h.do("GET", "/api/v1/complaints?limit=1", r.staff("county"), nil), 200)
		first := list["items"].([]any)[0].(map[string]any)
		if first["id"] != onCase["id"] || first["text"] != secret || list["nextCursor"] == nil {
			t.Fatalf("county worklist page 1: %v", list)
		}
		page2 := h.expect(h.do("GET", "/api/v1/complaints?limit=1&cursor="+list["nextCursor"].(string), r.staff("county"), nil), 200)
		second := page2["items"].([]any)[0].(map[string]any)
		if second["id"] != village["id"] || second["contentFlag"] != model.ContentReview {
			t.Fatalf("county worklist page 2: %v", page2)
		}

		// Answering: a town officer and another county's officer get 404, like a missing complaint.
		elsewhere := &model.Staff{Username: "county_elsewhere_" + be.Name, DisplayName: "外县经办人", Role: model.RoleCountyOfficer, AreaCode: "990102000000", Active: true}
		elsewhere.PasswordHash = adminHash(t, h)
		testenv.Must(t, h.app.Store.UpsertStaff(context.Background(), elsewhere))
		answer := map[string]any{"answer": "已核实，已对经办人批评教育，您的申请正常办理。"}
		cid := onCase["id"].(string)
		for who, tokn := range map[string]string{"town": r.staff("town_east"), "other county": h.staffLogin(elsewhere.Username)} {
			for _, path := range []string{"/api/v1/complaints/" + cid + "/answer", "/api/v1/complaints/nosuchcomplaint/answer"} {
				if res := h.do("POST", path, tokn, answer); res.Status != 404 || res.errCode(t) != "complaint.not_found" {
					t.Fatalf("%s answers %s: %d %s", who, path, res.Status, res.Body)
				}
			}
		}
		if items := h.expect(h.do("GET", "/api/v1/complaints", h.staffLogin(elsewhere.Username), nil), 200)["items"].([]any); len(items) != 0 {
			t.Fatalf("another county sees: %v", items)
		}
		got := h.expect(h.do("POST", "/api/v1/complaints/"+cid+"/answer", r.staff("county_leader"), answer), 200)
		if got["status"] != "answered" || got["answer"] != answer["answer"] {
			t.Fatalf("answered: %v", got)
		}
		if res := h.do("POST", "/api/v1/complaints/"+cid+"/answer", r.staff("county"), answer); res.Status != 409 || res.errCode(t) != "complaint.answered" {
			t.Fatalf("second answer: %d %s", res.Status, res.Body)
		}
		open := h.expect(h.do("GET", "/api/v1/complaints?status=open", r.staff("county"), nil), 200)["items"].([]any)
		if len(open) != 1 || open[0].(map[string]any)["id"] != village["id"] {
			t.Fatalf("open complaints after the answer: %v", open)
		}
		audit, err := testenv.OpenRows(t, h.app.Config).AuditByAction(context.Background(), "complaint.answer")
		testenv.Must(t, err)
		if len(audit) != 1 || audit[0].CaseID == nil {
			t.Fatalf("complaint.answer audit rows: %v", audit)
		}

		// The resident hears of it and reads the answer.
		h.expect(h.do("POST", "/dev/v1/notify/run", "", nil), 200)
		found := false
		for _, m := range h.expect(h.do("GET", "/mp/v1/messages", tok, nil), 200)["items"].([]any) {
			found = found || m.(map[string]any)["title"] == "投诉已答复" && m.(map[string]any)["caseId"] == id
		}
		if !found {
			t.Fatal("no message about the answer")
		}
		mine := h.expect(h.do("GET", "/mp/v1/complaints", tok, nil), 200)["items"].([]any)
		if len(mine) != 2 || mine[1].(map[string]any)["answer"] != answer["answer"] || mine[0].(map[string]any)["status"] != "open" {
			t.Fatalf("my complaints: %v", mine)
		}
		if other := h.expect(h.do("GET", "/mp/v1/complaints", h.residentLogin(testenv.UniqueName("nobody")), nil), 200)["items"].([]any); len(other) != 0 {
			t.Fatalf("another resident lists: %v", other)
		}
	})
}

func TestPersonalDataExportAndDeletion(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		name := testenv.UniqueName("pipl")
		selfID, spouseID := makeID("990101", "19700808", 271), makeID("990101", "19710909", 282)
		tok, id := r.apply(name, seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "陶本", "idNumber": selfID},
			map[string]string{"relation": "spouse", "name": "陶配", "idNumber": spouseID})
		h.expect(h.do("POST", "/mp/v1/me/phone", tok, map[string]string{"code": "phone:13912345678"}), 200)
		r.act("town_east", id, "accept", nil, 200)
		h.expect(h.do("POST", "/dev/v1/notify/run", "", nil), 200)
		h.expect(h.do("POST", "/mp/v1/complaints", tok, map[string]any{"caseId": id, "text": "受理太慢"}), 201)

		res := h.do("GET", "/mp/v1/me/export", tok, nil)
		exp := h.expect(res, 200)
		if !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("export headers: %v", res.Header)
		}
		prof := exp["profile"].(map[string]any)
		if prof["idNumber"] != selfID || prof["phone"] != "13912345678" || prof["realName"] != "陶本" {
			t.Fatalf("export profile: %v", prof)
		}
		cs := exp["cases"].([]any)
		if len(cs) != 1 {
			t.Fatalf("export cases: %v", cs)
		}
		c0 := cs[0].(map[string]any)
		members := c0["members"].([]any)
		if c0["id"] != id || c0["role"] != "applicant" || len(c0["timeline"].([]any)) < 2 || len(members) != 2 {
			t.Fatalf("export case: %v", c0)
		}
		if m := members[0].(map[string]any); m["idNumber"] != selfID || m["self"] != true {
			t.Fatalf("own member entry: %v", m)
		}
		if m := members[1].(map[string]any); m["idNumber"] == spouseID || m["name"] == "陶配" || !strings.Contains(m["idNumber"].(string), "*") {
			t.Fatalf("spouse not masked: %v", m)
		}
		// Two messages: the spouse's confirmation (the household files through the draft path)
		// and the acceptance.
		if len(exp["messages"].([]any)) != 2 || len(exp["complaints"].([]any)) != 1 {
			t.Fatalf("export messages %v complaints %v", exp["messages"], exp["complaints"])
		}
		audit, err := testenv.OpenRows(t, h.app.Config).AuditByAction(context.Background(), "resident.export")
		testenv.Must(t, err)
		if len(audit) != 1 {
			t.Fatalf("%d resident.export audit rows", len(audit))
		}

		// An open case: refused. Withdrawn: deleted.
		if res := h.do("POST", "/mp/v1/me/deletion", tok, map[string]any{"confirm": true}); res.Status != 409 || res.errCode(t) != "account.open_case" {
			t.Fatalf("deletion with an open case: %d %s", res.Status, res.Body)
		}
		h.expect(h.do("POST", "/mp/v1/cases/"+id+"/withdraw", tok, map[string]any{"version": r.version(id), "reason": "想注销账号"}), 200)
		if res := h.do("POST", "/mp/v1/me/deletion", tok, map[string]any{"confirm": false}); res.Status != 422 {
			t.Fatalf("deletion without confirm: %d %s", res.Status, res.Body)
		}
		second := h.residentLogin(name) // a second session of the same account
		h.expect(h.do("POST", "/mp/v1/me/deletion", tok, map[string]any{"confirm": true}), 204)
		for _, tk := range []string{tok, second} {
			if res := h.do("GET", "/mp/v1/me", tk, nil); res.Status != 401 {
				t.Fatalf("a session of the deleted account: %d %s", res.Status, res.Body)
			}
		}

		ctx := context.Background()
		f, err := h.app.Store.LoadCaseFile(ctx, storeSystem(), id)
		testenv.Must(t, err)
		old, err := h.app.Store.GetResident(ctx, f.Case.ApplicantResidentID)
		testenv.Must(t, err)
		if old.ErasedAt == nil || old.RealName != "" || old.IDEnc != nil || old.IDBidx != nil || old.PhoneEnc != nil || old.PhoneBidx != nil ||
			old.IDMasked != "" || old.PhoneMasked != "" || old.OpenID == wxsim.OpenIDFor(testAppID, name) {
			t.Fatalf("erased resident row: %+v", old)
		}
		if f.Case.Status != model.StatusWithdrawn || len(f.Members) != 2 {
			t.Fatalf("the case record was not kept: %s, %d members", f.Case.Status, len(f.Members))
		}
		if left, err := h.app.Store.ListMessages(ctx, old.ID, 0, 10); err != nil || len(left) != 0 {
			t.Fatalf("messages left: %v %v", left, err)
		}
		audit, err = testenv.OpenRows(t, h.app.Config).AuditByAction(ctx, "resident.erase")
		testenv.Must(t, err)
		if len(audit) != 1 || audit[0].ActorID != old.ID {
			t.Fatalf("resident.erase audit: %v", audit)
		}

		// The same WeChat user starts afresh and can bind the same ID number again.
		fresh := h.residentLogin(name)
		if residentID(t, h, name) == old.ID {
			t.Fatal("the new login reached the erased account")
		}
		if items := h.expect(h.do("GET", "/mp/v1/cases", fresh, nil), 200)["items"].([]any); len(items) != 0 {
			t.Fatalf("the new account sees: %v", items)
		}
		h.expect(h.do("PUT", "/mp/v1/me/identity", fresh, map[string]string{"name": "陶本", "idNumber": selfID}), 200)
	})
}

// The public objection and the evidence against a data check pass the same check.
func TestContentCheckOnObjections(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		self := makeID("990101", "19700909", 291)
		tok, id := r.apply(testenv.UniqueName("evidence"), seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "秦证", "idNumber": self})
		h.app.EconSim.Set(self, true, nil)
		r.act("town_east", id, "accept", nil, 200)
		r.act("town_east", id, "start-investigation", nil, 200)
		r.act("county", id, "data-check", map[string]any{"summary": "名下登记车辆一辆"}, 200)
		v := r.version(id)
		if res := h.do("POST", "/mp/v1/cases/"+id+"/data-check-objection", tok, map[string]any{"version": v, "evidence": "车辆" + wxsim.DefaultRiskyWord}); res.Status != 422 || res.errCode(t) != "content.risky" {
			t.Fatalf("risky evidence: %d %s", res.Status, res.Body)
		}
		h.expect(h.do("POST", "/mp/v1/cases/"+id+"/data-check-objection", tok, map[string]any{"version": v, "evidence": "车辆已过户" + wxsim.DefaultReviewWord}), 200)
		if flag := lastFlag(r, id, "data_check_objection"); flag != model.ContentReview {
			t.Fatalf("evidence flag %q", flag)
		}

		_, nid := r.apply(testenv.UniqueName("noticed"), seed.DemoVillageE1, []string{"minimum_living"},
			map[string]string{"relation": "self", "name": "陈公", "idNumber": makeID("990101", "19701010", 301)})
		r.act("town_east", nid, "accept", nil, 200)
		r.investigate(nid, "town_east", "town_east2")
		r.act("town_east", nid, "opinion", map[string]any{"entries": allFive(map[string]int64{"minimum_living": 85000})}, 200)
		r.act("town_east", nid, "notice", nil, 200)
		board := h.expect(h.do("GET", "/mp/v1/villages/"+seed.DemoVillageE1+"/notices", "", nil), 200)
		noticeID := board["items"].([]any)[0].(map[string]any)["id"].(string)
		neighbour := neighbourLogin(t, h, "李邻", 4)
		body := map[string]string{"contact": "13800002222", "content": "申请人" + wxsim.DefaultRiskyWord}
		if res := h.do("POST", "/mp/v1/notices/"+noticeID+"/objections", neighbour, body); res.Status != 422 || res.errCode(t) != "content.risky" {
			t.Fatalf("risky objection: %d %s", res.Status, res.Body)
		}
		if obs := r.detail("town_east", nid)["objections"].([]any); len(obs) != 0 {
			t.Fatalf("a refused objection was stored: %v", obs)
		}
		body["content"] = "申请人家中有车" + wxsim.DefaultReviewWord
		if res := h.do("POST", "/mp/v1/notices/"+noticeID+"/objections", neighbour, body); res.Status != 204 {
			t.Fatalf("objection: %d %s", res.Status, res.Body)
		}
		obs := r.detail("town_east", nid)["objections"].([]any)
		if len(obs) != 1 || obs[0].(map[string]any)["contentFlag"] != model.ContentReview {
			t.Fatalf("flagged objection: %v", obs)
		}
	})
}

// A draft never submitted does not hold the deletion back: it goes with the account (with its
// household and the members' ID numbers), while a finished case of the same resident stays.
func TestDeletionDeletesDrafts(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		name := testenv.UniqueName("drafter")
		tok, kept := r.apply(name, seed.DemoVillageE1, []string{"temporary_aid"},
			map[string]string{"relation": "self", "name": "李草", "idNumber": makeID("990101", "19781111", 311)})
		h.expect(h.do("POST", "/mp/v1/cases/"+kept+"/withdraw", tok, map[string]any{"version": r.version(kept), "reason": "改为代母亲申请"}), 200)
		motherID := makeID("990101", "19500101", 312)
		draft := h.expect(h.do("POST", "/mp/v1/drafts", tok, map[string]any{"villageCode": seed.DemoVillageE1, "address": "孙庄村2组6号",
			"categories": []string{"minimum_living"}, "reason": "母亲年老", "agentRelation": "child", "facts": motherFacts(motherID)}), 201)
		if draft["status"] != "draft" {
			t.Fatalf("draft: %v", draft)
		}
		old := residentID(t, h, name)
		h.expect(h.do("POST", "/mp/v1/me/deletion", tok, map[string]any{"confirm": true}), 204)

		left, err := h.app.Store.CasesOfResident(context.Background(), old)
		testenv.Must(t, err)
		if len(left) != 1 || left[0].PublicID != kept {
			t.Fatalf("cases left after deletion: %v", left)
		}
		dump, err := testenv.OpenRows(t, h.app.Config).TextDump(context.Background())
		testenv.Must(t, err)
		for table, rows := range dump {
			for _, row := range rows {
				if strings.Contains(strings.Join(row, "\x00"), draft["id"].(string)) || strings.Contains(strings.Join(row, "\x00"), motherID[:6]+"********"+motherID[14:]) {
					t.Fatalf("table %s still holds the draft: %q", table, row)
				}
			}
		}
	})
}
