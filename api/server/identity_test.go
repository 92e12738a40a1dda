package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"palmaid/service/realname"
	"palmaid/service/residents"
	"palmaid/service/testenv"
	"palmaid/service/wechat/wxsim"
)

// Finding 3: identity squatting. Binding an ID number goes through the real-name verifier; a
// claim the verifier does not confirm stores nothing and answers the same whether or not the
// number is registered; a verified claim takes the number from an unverified holder (audited);
// a verified holder is never displaced (409 only the verified owner can see, audited).
func TestIdentitySquatting(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
		ctx := context.Background()
		sim := h.app.RealNameSim
		ownerName, squatName := testenv.UniqueName("owner"), testenv.UniqueName("squatter")
		owner, squatter := h.residentLogin(ownerName), h.residentLogin(squatName)
		victim := makeID("990101", "19600202", 41) // registered by its owner below
		unused := makeID("990101", "19600303", 52) // nobody uses the service with it
		sim.SetOwner(victim, "张三", wxsim.OpenIDFor(testAppID, ownerName))
		sim.SetOwner(unused, "李四", wxsim.OpenIDFor(testAppID, testenv.UniqueName("nobody")))

		// The owner binds first: verified.
		prof := h.expect(h.do("PUT", "/mp/v1/me/identity", owner, map[string]string{"name": "张三", "idNumber": victim, "proof": "ok"}), 200)
		if prof["identityVerified"] != true {
			t.Fatalf("owner profile: %v", prof)
		}
		// The squatter's claims of a registered and of an unused number answer alike: no oracle.
		a := h.do("PUT", "/mp/v1/me/identity", squatter, map[string]string{"name": "张三", "idNumber": victim})
		b := h.do("PUT", "/mp/v1/me/identity", squatter, map[string]string{"name": "李四", "idNumber": unused})
		if a.Status != 422 || b.Status != 422 || a.errCode(t) != "identity.not_verified" || b.errCode(t) != "identity.not_verified" {
			t.Fatalf("squatter: %d %s / %d %s", a.Status, a.Body, b.Status, b.Body)
		}
		if stripRequestID(a.Body) != stripRequestID(b.Body) {
			t.Fatalf("answers differ:\n%s\n%s", a.Body, b.Body)
		}
		if me := h.expect(h.do("GET", "/mp/v1/me", squatter, nil), 200); me["hasIdentity"] != false {
			t.Fatalf("squatter got an identity: %v", me)
		}
		if rows, err := testenv.OpenRows(t, h.app.Config).AuditByAction(ctx, residents.ActionIdentityRefused); err != nil || len(rows) != 2 || strings.Contains(rows[0].Detail, victim) {
			t.Fatalf("refusals audited: %v %+v", err, rows)
		}

		// A second verified account of the same person meets the verified holder: 409, the
		// holder keeps the number, the town desk gets an audit row.
		second := testenv.UniqueName("owner-2")
		sim.SetOutcome(victim, realname.Verified)
		r := h.do("PUT", "/mp/v1/me/identity", h.residentLogin(second), map[string]string{"name": "张三", "idNumber": victim})
		if r.Status != 409 || r.errCode(t) != "identity.already_bound" {
			t.Fatalf("second verified account: %d %s", r.Status, r.Body)
		}
		if me := h.expect(h.do("GET", "/mp/v1/me", owner, nil), 200); me["identityVerified"] != true {
			t.Fatalf("owner lost the number: %v", me)
		}
		if rows, err := testenv.OpenRows(t, h.app.Config).AuditByAction(ctx, residents.ActionIdentityConflict); err != nil || len(rows) != 1 {
			t.Fatalf("conflict audited: %v %+v", err, rows)
		}

		// The verifier down: 503 with Retry-After, nothing stored.
		down := makeID("990101", "19600404", 63)
		sim.SetError(down, errors.New("source down"))
		r = h.do("PUT", "/mp/v1/me/identity", squatter, map[string]string{"name": "王五", "idNumber": down})
		if r.Status != 503 || r.errCode(t) != "identity.verify_unavailable" || r.Header.Get("Retry-After") == "" {
			t.Fatalf("verifier down: %d %s", r.Status, r.Body)
		}
	})
}

// An unverified claim (recorded while no real-name source answered for the number) never
// blocks the real owner: the verified claim takes the number, the holder loses it, audited.
func TestVerifiedClaimTakesNumberFromUnverifiedHolder(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
		ctx := context.Background()
		sim := h.app.RealNameSim
		ownerName, squatName := testenv.UniqueName("owner"), testenv.UniqueName("squatter")
		owner, squatter := h.residentLogin(ownerName), h.residentLogin(squatName)
		id := makeID("990101", "19550505", 74)
		sim.SetOutcome(id, realname.Unchecked)
		prof := h.expect(h.do("PUT", "/mp/v1/me/identity", squatter, map[string]string{"name": "张三", "idNumber": id}), 200)
		if prof["hasIdentity"] != true || prof["identityVerified"] != false {
			t.Fatalf("unverified claim: %v", prof)
		}
		// Unchecked against an unverified holder: both unverified, neither reserves the number
		// (issue 19: the old code answered the real owner 409).
		if p := h.expect(h.do("PUT", "/mp/v1/me/identity", owner, map[string]string{"name": "张三", "idNumber": id}), 200); p["identityLevel"] != "unverified" {
			t.Fatalf("unchecked vs holder: %v", p)
		}
		sim.SetOwner(id, "张三", wxsim.OpenIDFor(testAppID, ownerName))
		prof = h.expect(h.do("PUT", "/mp/v1/me/identity", owner, map[string]string{"name": "张三", "idNumber": id}), 200)
		if prof["identityVerified"] != true {
			t.Fatalf("owner: %v", prof)
		}
		if me := h.expect(h.do("GET", "/mp/v1/me", squatter, nil), 200); me["hasIdentity"] != false {
			t.Fatalf("squatter kept the number: %v", me)
		}
		rows, err := testenv.OpenRows(t, h.app.Config).AuditByAction(ctx, residents.ActionIdentityTakenOver)
		if err != nil || len(rows) != 1 || !strings.Contains(rows[0].Detail, "previous_verified=false") {
			t.Fatalf("take-over audited: %v %+v", err, rows)
		}
		// The squatter cannot claim it back.
		if r := h.do("PUT", "/mp/v1/me/identity", squatter, map[string]string{"name": "张三", "idNumber": id}); r.Status != 422 {
			t.Fatalf("squatter again: %d %s", r.Status, r.Body)
		}
	})
}

// stripRequestID removes the request id from an error body so two answers can be compared.
func stripRequestID(body []byte) string {
	s := string(body)
	if i := strings.Index(s, `"requestId"`); i >= 0 {
		if j := strings.IndexAny(s[i+12:], ",}"); j >= 0 {
			return s[:i] + s[i+12+j:]
		}
	}
	return s
}

// The WeChat city-service adapter through the router and the WeChat simulator: only the
// account whose WeChat Pay real name and ID number match (with the consent page's code) binds
// the number, verified; no real-name data, another name, a bad code or no code: 422 alike.
func TestIdentityThroughWeChatRealNameCheck(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		be.Config.WeChat.RealNameVerifier = "wechat_cityservice"
		h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
		if h.app.RealNameSim != nil {
			t.Fatal("the simulator verifier is on")
		}
		ownerName, squatName := testenv.UniqueName("cs-owner"), testenv.UniqueName("cs-squatter")
		owner, squatter := h.residentLogin(ownerName), h.residentLogin(squatName)
		id := makeID("990101", "19650606", 85)
		sim.SetRealName(wxsim.OpenIDFor(testAppID, ownerName), "张三", id)
		sim.SetRealName(wxsim.OpenIDFor(testAppID, squatName), "李四", makeID("990101", "19700707", 96))
		var first string
		for _, c := range []struct {
			tok  string
			body map[string]string
		}{
			{squatter, map[string]string{"name": "张三", "idNumber": id, "proof": "code-1"}}, // another name
			{squatter, map[string]string{"name": "李四", "idNumber": id, "proof": "code-2"}}, // its name, another's number
			{owner, map[string]string{"name": "张三", "idNumber": id}},                       // no consent code
			{owner, map[string]string{"name": "张三", "idNumber": id, "proof": "bad-code"}},  // expired code
		} {
			r := h.do("PUT", "/mp/v1/me/identity", c.tok, c.body)
			if r.Status != 422 || r.errCode(t) != "identity.not_verified" {
				t.Fatalf("%v: %d %s", c.body, r.Status, r.Body)
			}
			if first == "" {
				first = stripRequestID(r.Body)
			} else if stripRequestID(r.Body) != first {
				t.Fatalf("answers differ: %s / %s", first, r.Body)
			}
		}
		prof := h.expect(h.do("PUT", "/mp/v1/me/identity", owner, map[string]string{"name": "张三", "idNumber": id, "proof": "code-3"}), 200)
		if prof["identityVerified"] != true {
			t.Fatalf("owner: %v", prof)
		}
		// A user without real-name data in WeChat cannot bind anything.
		nodata := h.residentLogin(testenv.UniqueName("cs-nodata"))
		if r := h.do("PUT", "/mp/v1/me/identity", nodata, map[string]string{"name": "王五", "idNumber": makeID("990101", "19800808", 107), "proof": "code-4"}); r.Status != 422 {
			t.Fatalf("no real-name data: %d %s", r.Status, r.Body)
		}
	})
}
