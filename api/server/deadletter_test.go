package server_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/notify"
	"palmaid/service/seed"
	"palmaid/service/testenv"
	"palmaid/service/wechat/wxsim"
)

func TestBackoffGrowsWithJitterAndCap(t *testing.T) {
	prev := time.Duration(0)
	for n := 1; n <= 12; n++ {
		lo, hi := notify.Backoff(n, 0), notify.Backoff(n, 0.999)
		if lo <= 0 || hi < lo || hi > 30*time.Minute || lo < prev/2 {
			t.Fatalf("attempt %d: %v..%v (previous low %v)", n, lo, hi, prev)
		}
		if n > 1 && hi == lo {
			t.Fatalf("attempt %d: no jitter", n)
		}
		prev = lo
	}
	if notify.Backoff(1, 0) != 2500*time.Millisecond || notify.Backoff(30, 0.999) > 30*time.Minute {
		t.Fatalf("first wait %v, capped wait %v", notify.Backoff(1, 0), notify.Backoff(30, 0.999))
	}
}

// A WeChat outage longer than the retries turns the notification into a dead letter: the
// in-app copy is there, the administrator of the area lists and requeues it, and it is then
// pushed once. Nobody else can see or requeue it.
func TestDeadLetterRequeue(t *testing.T) {
	testenv.EachSerial(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, friday)
		name := testenv.UniqueName("dead-" + be.Name)
		tok := h.residentLogin(name)
		h.expect(h.do("PUT", "/mp/v1/me/identity", tok, map[string]string{"name": "张三", "idNumber": aliceID}), 200)
		h.expect(h.do("POST", "/mp/v1/subscriptions", tok, map[string]any{"results": []map[string]string{{"templateId": seed.SimulatorTemplateID, "result": "accept"}}}), 204)
		id := h.expect(h.do("POST", "/mp/v1/cases", tok, application(seed.DemoVillageE1)), 201)["id"].(string)
		h.expect(h.do("POST", "/api/v1/cases/"+id+"/accept", h.staffLogin("town_east"), map[string]any{"version": 2}), 200)

		now := friday
		for i := 0; i < 8; i++ {
			sim.FailNext(wxsim.PathSubscribe, -1) // WeChat busy, every time
			now = now.Add(2 * time.Hour)
			h.clock.Set(now)
			h.expect(h.do("POST", "/dev/v1/notify/run", "", nil), 200)
		}
		admin := h.staffLogin("admin")
		dead := h.expect(h.do("GET", "/api/v1/admin/notifications/dead", admin, nil), 200)["items"].([]any)
		if len(dead) != 1 || dead[0].(map[string]any)["attempts"].(float64) != 8 {
			t.Fatalf("dead letters: %v", dead)
		}
		if msgs := h.expect(h.do("GET", "/mp/v1/messages", tok, nil), 200)["items"].([]any); len(msgs) != 1 || msgs[0].(map[string]any)["pushed"] != false {
			t.Fatalf("in-app copy of a dead letter: %v", msgs)
		}
		deadID := fmt.Sprint(int(dead[0].(map[string]any)["id"].(float64)))
		if r := h.do("GET", "/api/v1/admin/notifications/dead", h.staffLogin("town_east"), nil); r.Status != 403 {
			t.Fatalf("a caseworker lists dead letters: %d", r.Status)
		}
		if r := h.do("POST", "/api/v1/admin/notifications/"+deadID+"/requeue", h.staffLogin("county"), nil); r.Status != 403 {
			t.Fatalf("a county officer requeues: %d", r.Status)
		}
		// An administrator of another county neither sees nor requeues it.
		other := &model.Staff{Username: "admin_elsewhere_" + be.Name, DisplayName: "外县管理员", Role: model.RoleAdmin, AreaCode: "990102000000", Active: true}
		other.PasswordHash = adminHash(t, h)
		testenv.Must(t, h.app.Store.UpsertStaff(context.Background(), other))
		elsewhere := h.staffLogin(other.Username)
		if items := h.expect(h.do("GET", "/api/v1/admin/notifications/dead", elsewhere, nil), 200)["items"].([]any); len(items) != 0 {
			t.Fatalf("another county's admin sees: %v", items)
		}
		if r := h.do("POST", "/api/v1/admin/notifications/"+deadID+"/requeue", elsewhere, nil); r.Status != 404 {
			t.Fatalf("another county's admin requeues: %d %s", r.Status, r.Body)
		}

		h.expect(h.do("POST", "/api/v1/admin/notifications/"+deadID+"/requeue", admin, nil), 204)
		if r := h.do("POST", "/api/v1/admin/notifications/"+deadID+"/requeue", admin, nil); r.Status != 404 {
			t.Fatalf("requeue of a row no longer dead: %d", r.Status)
		}
		h.expect(h.do("POST", "/dev/v1/notify/run", "", nil), 200)
		h.expect(h.do("POST", "/dev/v1/notify/run", "", nil), 200)
		if got := sim.MessagesTo(wxsim.OpenIDFor(testAppID, name)); len(got) != 1 {
			t.Fatalf("after requeue the simulator got %d messages", len(got))
		}
		audit, err := testenv.OpenRows(t, h.app.Config).AuditByAction(context.Background(), "notify.requeue")
		testenv.Must(t, err)
		if len(audit) != 1 {
			t.Fatalf("requeue audit rows: %d", len(audit))
		}
	})
}

// A crash after WeChat accepted a message but before the row was marked done: the retry sees
// the in-app copy already pushed and never sends it again.
func TestRetryAfterPushNeverSendsTwice(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, friday)
		name := testenv.UniqueName("twice-" + be.Name)
		tok := h.residentLogin(name)
		h.expect(h.do("PUT", "/mp/v1/me/identity", tok, map[string]string{"name": "张三", "idNumber": aliceID}), 200)
		for range 2 { // two popups accepted (one popup answers a template once)
			h.expect(h.do("POST", "/mp/v1/subscriptions", tok, map[string]any{"results": []map[string]string{
				{"templateId": seed.SimulatorTemplateID, "result": "accept"}}}), 204)
		}
		id := h.expect(h.do("POST", "/mp/v1/cases", tok, application(seed.DemoVillageE1)), 201)["id"].(string)
		h.expect(h.do("POST", "/api/v1/cases/"+id+"/accept", h.staffLogin("town_east"), map[string]any{"version": 2}), 200)
		h.expect(h.do("POST", "/dev/v1/notify/run", "", nil), 200)
		if got := sim.MessagesTo(wxsim.OpenIDFor(testAppID, name)); len(got) != 1 {
			t.Fatalf("first delivery: %d", len(got))
		}
		// Put the row back as if the worker died between the send and marking the row done.
		f, err := h.app.Store.LoadCaseFile(context.Background(), storeSystem(), id)
		testenv.Must(t, err)
		rows, err := testenv.OpenRows(t, h.app.Config).Opening(h.app.Cipher).OutboxForCase(context.Background(), f.Case.ID)
		testenv.Must(t, err)
		testenv.Must(t, h.app.Store.DeadOutbox(context.Background(), rows[0].ID, "simulated crash", h.clock.Now()))
		if ok, err := h.app.Store.RequeueOutbox(context.Background(), storeSystem(), rows[0].ID, h.clock.Now()); !ok || err != nil {
			t.Fatalf("put back: %v %v", ok, err)
		}
		h.clock.Set(friday.Add(time.Hour))
		h.expect(h.do("POST", "/dev/v1/notify/run", "", nil), 200)
		if got := sim.MessagesTo(wxsim.OpenIDFor(testAppID, name)); len(got) != 1 {
			t.Fatalf("the retry pushed again: %d messages", len(got))
		}
		rows, _ = testenv.OpenRows(t, h.app.Config).Opening(h.app.Cipher).OutboxForCase(context.Background(), f.Case.ID)
		if rows[0].Status != model.OutboxDone || rows[0].Channel != model.ChannelSubscribe {
			t.Fatalf("row after the retry: %+v", rows[0])
		}
		if q, _ := testenv.OpenRows(t, h.app.Config).Quota(context.Background(), residentID(t, h, name), seed.SimulatorTemplateID); q != 1 {
			t.Fatalf("the retry took quota: %d left, want 1", q)
		}
	})
}

func adminHash(t *testing.T, h *harness) string {
	t.Helper()
	st, err := h.app.Store.StaffByUsername(context.Background(), "admin")
	testenv.Must(t, err)
	return st.PasswordHash
}

func residentID(t *testing.T, h *harness, name string) uint64 {
	t.Helper()
	r, err := h.app.Store.UpsertResident(context.Background(), testAppID, wxsim.OpenIDFor(testAppID, name), "", h.clock.Now())
	testenv.Must(t, err)
	return r.ID
}
