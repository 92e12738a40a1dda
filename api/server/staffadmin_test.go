package server_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/auth"
	"palmaid/service/seed"
	"palmaid/service/staffadmin"
	"palmaid/service/testenv"
)

// The staff-administration API through the real router: an administrator manages the accounts
// of their own area only; a non-administrator gets 403, another area's administrator 404; a
// disabled account's tokens and a reset account's tokens stop at once; an initial password
// only lets its holder change it; every change is audited.
func TestStaffAdminAPI(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
		ctx := context.Background()
		admin := h.staffLogin("admin")
		west := h.staffLogin("town_west")
		west2 := h.staffLogin("town_west")

		if r := h.do("GET", "/api/v1/admin/staff", west, nil); r.Status != 403 || r.errCode(t) != "auth.forbidden" {
			t.Fatalf("non-admin list: %d %s", r.Status, r.Body)
		}
		list := h.expect(h.do("GET", "/api/v1/admin/staff", admin, nil), 200)["items"].([]any)
		ids := map[string]uint64{}
		for _, it := range list {
			m := it.(map[string]any)
			ids[m["username"].(string)] = uint64(m["id"].(float64))
		}
		if len(ids) != len(seed.DemoStaff()) || ids["town_west"] == 0 {
			t.Fatalf("admin list: %v", ids)
		}

		// Create: normalised username, initial password to be changed.
		body := map[string]any{"username": "ＮＥＷ.Worker ", "displayName": "新经办人", "role": "town_caseworker",
			"areaCode": seed.DemoTownWest, "initialPassword": "Initial-2026x"}
		created := h.expect(h.do("POST", "/api/v1/admin/staff", admin, body), 201)
		if created["username"] != "new.worker" || created["mustChangePassword"] != true {
			t.Fatalf("created: %v", created)
		}
		newID := uint64(created["id"].(float64))
		if r := h.do("POST", "/api/v1/admin/staff", admin, body); r.Status != 409 || r.errCode(t) != "staff.username_taken" {
			t.Fatalf("duplicate: %d %s", r.Status, r.Body)
		}
		for field, bad := range map[string]any{"areaCode": "990102001000", "role": "county_officer", "username": "new\x00worker", "displayName": "新\u202E人"} {
			b := map[string]any{}
			for k, v := range body {
				b[k] = v
			}
			b[field], b["username"] = bad, fmt.Sprint("w.", field)
			if field == "username" {
				b["username"] = bad
			}
			if r := h.do("POST", "/api/v1/admin/staff", admin, b); r.Status != 400 {
				t.Errorf("create with bad %s: %d %s", field, r.Status, r.Body)
			}
		}

		// The initial password only opens the password change.
		login := h.expect(h.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "new.worker", "password": "Initial-2026x"}), 200)
		tmp := login["token"].(string)
		if login["staff"].(map[string]any)["mustChangePassword"] != true {
			t.Fatalf("login of a new account: %v", login)
		}
		if r := h.do("GET", "/api/v1/cases", tmp, nil); r.Status != 403 || r.errCode(t) != "auth.password_change_required" {
			t.Fatalf("must-change token reached the cases: %d %s", r.Status, r.Body)
		}
		if r := h.do("POST", "/api/v1/me/password", tmp, map[string]string{"oldPassword": "nope", "newPassword": "Chosen-2026abc"}); r.Status != 422 {
			t.Fatalf("wrong old password: %d %s", r.Status, r.Body)
		}
		if r := h.do("POST", "/api/v1/me/password", tmp, map[string]string{"oldPassword": "Initial-2026x", "newPassword": "short1"}); r.Status != 422 || r.errCode(t) != "auth.weak_password" {
			t.Fatalf("weak password: %d %s", r.Status, r.Body)
		}
		changed := h.expect(h.do("POST", "/api/v1/me/password", tmp, map[string]string{"oldPassword": "Initial-2026x", "newPassword": "Chosen-2026abc"}), 200)
		worker := changed["token"].(string)
		h.expect(h.do("GET", "/api/v1/cases", tmp, nil), 401)
		h.expect(h.do("GET", "/api/v1/cases", worker, nil), 200)

		// Role change, then reset: the holder's sessions end, the next login must change again.
		r := h.expect(h.do("POST", fmt.Sprintf("/api/v1/admin/staff/%d/role", newID), admin, map[string]string{"role": "town_leader"}), 200)
		if r["role"] != "town_leader" {
			t.Fatalf("role: %v", r)
		}
		h.expect(h.do("POST", fmt.Sprintf("/api/v1/admin/staff/%d/reset-password", newID), admin, map[string]string{"password": "Reset-2026xyz"}), 200)
		h.expect(h.do("GET", "/api/v1/me", worker, nil), 401)
		again := h.expect(h.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "new.worker", "password": "Reset-2026xyz"}), 200)
		if r := h.do("GET", "/api/v1/worklists", again["token"].(string), nil); r.Status != 403 {
			t.Fatalf("reset account's session: %d", r.Status)
		}

		// Disable: every session of the account ends at once; it cannot log in again.
		h.expect(h.do("GET", "/api/v1/me", west, nil), 200)
		h.expect(h.do("POST", fmt.Sprintf("/api/v1/admin/staff/%d/disable", ids["town_west"]), admin, nil), 200)
		for _, tok := range []string{west, west2} {
			if r := h.do("GET", "/api/v1/me", tok, nil); r.Status != 401 {
				t.Fatalf("disabled account's token: %d", r.Status)
			}
		}
		h.expect(h.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "town_west", "password": seed.DemoPassword}), 401)
		if r := h.do("POST", fmt.Sprintf("/api/v1/admin/staff/%d/disable", ids["admin"]), admin, nil); r.Status != 409 {
			t.Fatalf("admin disabled self: %d", r.Status)
		}

		// Another county's administrator sees none of these accounts: 404, never 403.
		hash, err := auth.HashPassword("Other-admin-2026")
		testenv.Must(t, err)
		now := h.clock.Now()
		testenv.Must(t, h.app.Store.CreateStaff(ctx, &model.Staff{Username: "admin.other", PasswordHash: hash, DisplayName: "另一县管理员",
			Role: model.RoleAdmin, AreaCode: "990102000000", Active: true, SessionVersion: 1, CreatedAt: now, UpdatedAt: now}))
		other := h.expect(h.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin.other", "password": "Other-admin-2026"}), 200)["token"].(string)
		if items := h.expect(h.do("GET", "/api/v1/admin/staff", other, nil), 200)["items"].([]any); len(items) != 1 {
			t.Fatalf("other admin sees %d accounts", len(items))
		}
		for path, body := range map[string]any{"disable": nil, "reset-password": map[string]string{"password": "Whatever-2026x"},
			"role": map[string]string{"role": "town_leader"}} {
			r := h.do("POST", fmt.Sprintf("/api/v1/admin/staff/%d/%s", newID, path), other, body)
			if r.Status != 404 || r.errCode(t) != "staff.not_found" {
				t.Fatalf("other area's admin %s: %d %s", path, r.Status, r.Body)
			}
		}

		for _, action := range []string{staffadmin.ActionCreate, staffadmin.ActionRole, staffadmin.ActionResetPassword, staffadmin.ActionDisable} {
			rows, err := testenv.OpenRows(t, h.app.Config).AuditByAction(ctx, action)
			testenv.Must(t, err)
			if len(rows) != 1 || rows[0].RequestID == "" || rows[0].ActorType != model.ActorStaff {
				t.Errorf("audit %s: %+v", action, rows)
			}
		}
	})
}

// A password change revokes every other session of the account.
func TestPasswordChangeRevokesOtherSessions(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
		a, b := h.staffLogin("town_east"), h.staffLogin("town_east")
		res := h.expect(h.do("POST", "/api/v1/me/password", a, map[string]string{"oldPassword": seed.DemoPassword, "newPassword": "Another-2026pw"}), 200)
		h.expect(h.do("GET", "/api/v1/me", b, nil), 401)
		h.expect(h.do("GET", "/api/v1/me", a, nil), 401)
		h.expect(h.do("GET", "/api/v1/me", res["token"].(string), nil), 200)
		h.expect(h.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "town_east", "password": "Another-2026pw"}), 200)
	})
}
