package server_test

import (
	"bytes"
	"context"
	"encoding/base32"
	"fmt"
	"strings"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/auth"
	"palmaid/service/staffadmin"
	"palmaid/service/testenv"
)

// The staff second factor through the router, on a fake clock: a role that must use one can
// only enrol until it has; enrolment shows an otpauth:// URI and is enabled by a first code;
// the secret is sealed at rest; login is password → challenge → code; a used code (or an
// earlier one) is refused; recovery codes are single use; five wrong codes lock; an
// administrator resets it (sessions end), another county's administrator gets 404.
func TestSecondFactor(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		be.Config.Session.SecondFactorRoles = []string{string(model.RoleAdmin)}
		h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
		ctx := context.Background()
		login := func(user, pw string) resp {
			return h.do("POST", "/api/v1/auth/login", "", map[string]string{"username": user, "password": pw})
		}
		second := func(challenge, code string) resp {
			return h.do("POST", "/api/v1/auth/login/second-factor", "", map[string]string{"challenge": challenge, "code": code})
		}

		// Mandatory for admins: before enrolment the session may only enrol.
		admin := h.staffLogin("admin")
		if r := h.do("GET", "/api/v1/admin/staff", admin, nil); r.Status != 403 || r.errCode(t) != "auth.second_factor_required" {
			t.Fatalf("admin before enrolment: %d %s", r.Status, r.Body)
		}
		if me := h.expect(h.do("GET", "/api/v1/me", admin, nil), 200); me["secondFactorRequired"] != true || me["secondFactorEnabled"] != false {
			t.Fatalf("me: %v", me)
		}
		if r := h.do("POST", "/api/v1/me/second-factor/confirm", admin, map[string]string{"code": "123456"}); r.Status != 409 || r.errCode(t) != "auth.second_factor_not_started" {
			t.Fatalf("confirm before enrol: %d %s", r.Status, r.Body)
		}
		enrol := h.expect(h.do("POST", "/api/v1/me/second-factor", admin, nil), 200)
		uri := enrol["otpauthUri"].(string)
		if !strings.HasPrefix(uri, "otpauth://totp/palmaid:admin?") || !strings.Contains(uri, "secret="+enrol["secret"].(string)) {
			t.Fatalf("enrolment: %v", enrol)
		}
		secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(enrol["secret"].(string))
		testenv.Must(t, err)
		// Sealed at rest: no table holds the secret's bytes or its base32 form.
		dump, err := testenv.OpenRows(t, h.app.Config).TextDump(ctx)
		testenv.Must(t, err)
		for table, rows := range dump {
			for _, row := range rows {
				for _, v := range row {
					if strings.Contains(v, enrol["secret"].(string)) || bytes.Contains([]byte(v), secret) {
						t.Fatalf("secret in clear in %s", table)
					}
				}
			}
		}
		code := func() string { return auth.TOTPCode(secret, auth.TOTPStep(h.clock.Now())) }
		if r := h.do("POST", "/api/v1/me/second-factor/confirm", admin, map[string]string{"code": "000000"}); r.Status != 422 || r.errCode(t) != "auth.bad_setup_code" {
			t.Fatalf("wrong confirm code: %d %s", r.Status, r.Body)
		}
		used := code()
		rc := h.expect(h.do("POST", "/api/v1/me/second-factor/confirm", admin, map[string]string{"code": used}), 200)["recoveryCodes"].([]any)
		if len(rc) != 10 {
			t.Fatalf("recovery codes: %v", rc)
		}
		h.expect(h.do("GET", "/api/v1/admin/staff", admin, nil), 200)
		if r := h.do("POST", "/api/v1/me/second-factor", admin, nil); r.Status != 409 || r.errCode(t) != "auth.second_factor_enabled" {
			t.Fatalf("re-enrol: %d %s", r.Status, r.Body)
		}

		// Login: the password alone gives a challenge, never a session.
		ch := h.expect(login("admin", "palmaid-demo-2026"), 202)
		if _, ok := ch["token"]; ok {
			t.Fatalf("token before the second factor: %v", ch)
		}
		challenge := ch["challenge"].(string)
		// The confirming code is spent: a replay in the same 30 s is refused.
		if r := second(challenge, used); r.Status != 401 || r.errCode(t) != "auth.bad_second_factor" {
			t.Fatalf("replayed code: %d %s", r.Status, r.Body)
		}
		h.clock.Set(h.clock.Now().Add(30 * time.Second))
		fresh := code()
		tok := h.expect(second(challenge, fresh), 200)["token"].(string)
		h.expect(h.do("GET", "/api/v1/admin/staff", tok, nil), 200)
		if r := second(challenge, fresh); r.Status != 401 || r.errCode(t) != "auth.challenge_invalid" {
			t.Fatalf("challenge reused: %d %s", r.Status, r.Body)
		}
		// The same code with a new challenge: still a replay (15 s later, same step window).
		h.clock.Set(h.clock.Now().Add(15 * time.Second))
		challenge = h.expect(login("admin", "palmaid-demo-2026"), 202)["challenge"].(string)
		if r := second(challenge, fresh); r.Status != 401 {
			t.Fatalf("code reused with a new challenge: %d %s", r.Status, r.Body)
		}
		// A recovery code works once (typed in capitals, without the dash).
		first := rc[0].(string)
		h.expect(second(challenge, strings.ToUpper(strings.ReplaceAll(first, "-", ""))), 200)
		challenge = h.expect(login("admin", "palmaid-demo-2026"), 202)["challenge"].(string)
		if r := second(challenge, first); r.Status != 401 || r.errCode(t) != "auth.bad_second_factor" {
			t.Fatalf("recovery code reused: %d %s", r.Status, r.Body)
		}
		if rows, err := testenv.OpenRows(t, h.app.Config).AuditByAction(ctx, auth.ActionRecoveryCodeUsed); err != nil || len(rows) != 1 || !strings.Contains(rows[0].Detail, "recovery_codes_left=9") {
			t.Fatalf("recovery audit: %v %+v", err, rows)
		}

		// A role without the requirement may enrol; the administrator resets it: the holder's
		// sessions end and the next login needs only the password.
		west := h.staffLogin("town_west")
		h.expect(h.do("GET", "/api/v1/worklists", west, nil), 200)
		e := h.expect(h.do("POST", "/api/v1/me/second-factor", west, nil), 200)
		ws, _ := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(e["secret"].(string))
		h.expect(h.do("POST", "/api/v1/me/second-factor/confirm", west, map[string]string{"code": auth.TOTPCode(ws, auth.TOTPStep(h.clock.Now()))}), 200)
		h.expect(login("town_west", "palmaid-demo-2026"), 202)
		var westID uint64
		for _, it := range h.expect(h.do("GET", "/api/v1/admin/staff", tok, nil), 200)["items"].([]any) {
			if m := it.(map[string]any); m["username"] == "town_west" {
				westID = uint64(m["id"].(float64))
			}
		}
		// Another county's administrator: 404.
		hash, err := auth.HashPassword("Other-admin-2026")
		testenv.Must(t, err)
		now := h.clock.Now()
		testenv.Must(t, h.app.Store.CreateStaff(ctx, &model.Staff{Username: "admin.other", PasswordHash: hash, DisplayName: "另一县管理员",
			Role: model.RoleAuditor, AreaCode: "990102000000", Active: true, SessionVersion: 1, CreatedAt: now, UpdatedAt: now}))
		testenv.Must(t, h.app.Store.UpdateStaffAdmin(ctx, mustStaffID(t, h, "admin.other"), map[string]any{"role": model.RoleAdmin, "totp_enabled_at": now}))
		path := fmt.Sprintf("/api/v1/admin/staff/%d/reset-second-factor", westID)
		if r := h.do("POST", path, west, nil); r.Status != 403 {
			t.Fatalf("non-admin reset: %d %s", r.Status, r.Body)
		}
		h.expect(h.do("POST", path, tok, nil), 200)
		if r := h.do("GET", "/api/v1/worklists", west, nil); r.Status != 401 {
			t.Fatalf("session after reset: %d %s", r.Status, r.Body)
		}
		h.expect(login("town_west", "palmaid-demo-2026"), 200)
		if rows, err := testenv.OpenRows(t, h.app.Config).AuditByAction(ctx, staffadmin.ActionResetSecondFactor); err != nil || len(rows) != 1 {
			t.Fatalf("reset audit: %v %+v", err, rows)
		}
		if rows, err := testenv.OpenRows(t, h.app.Config).AuditByAction(ctx, auth.ActionSecondFactorEnabled); err != nil || len(rows) != 2 {
			t.Fatalf("enrolment audit: %v %+v", err, rows)
		}

		// Five wrong codes lock the second factor (Retry-After), even with the right one next.
		// (A success clears the count: log in once first.)
		h.clock.Set(h.clock.Now().Add(30 * time.Second))
		h.expect(second(h.expect(login("admin", "palmaid-demo-2026"), 202)["challenge"].(string), code()), 200)
		challenge = h.expect(login("admin", "palmaid-demo-2026"), 202)["challenge"].(string)
		for i := 0; i < 5; i++ {
			if r := second(challenge, fmt.Sprintf("%06d", i)); r.Status != 401 {
				t.Fatalf("wrong code %d: %d %s", i, r.Status, r.Body)
			}
		}
		h.clock.Set(h.clock.Now().Add(30 * time.Second))
		if r := second(challenge, code()); r.Status != 429 || r.errCode(t) != "auth.second_factor_locked" || r.Header.Get("Retry-After") == "" {
			t.Fatalf("locked: %d %s", r.Status, r.Body)
		}
	})
}

func mustStaffID(t *testing.T, h *harness, username string) uint64 {
	t.Helper()
	st, err := h.app.Store.StaffByUsername(context.Background(), username)
	testenv.Must(t, err)
	return st.ID
}
