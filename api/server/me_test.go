package server_test

import (
	"fmt"
	"testing"

	"palmaid/model"
	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// /api/v1/me tells a staff console who is logged in: area name, role label and the
// permissions of the role (the one table in model/permissions.go), as does the login answer.
func TestStaffMe(t *testing.T) {
	h := newHarness(t, testenv.New(t, "embedded"), friday)
	for _, tc := range []struct {
		user, area, areaName string
		role                 model.Role
	}{
		{"town_east", seed.DemoTownEast, "古云镇", model.RoleTownCaseworker},
		{"admin", seed.DemoCounty, "莘县", model.RoleAdmin},
	} {
		login := h.expect(h.do("POST", "/api/v1/auth/login", "", map[string]string{"username": tc.user, "password": seed.DemoPassword}), 200)
		tok := login["token"].(string)
		me := h.expect(h.do("GET", "/api/v1/me", tok, nil), 200)
		want := fmt.Sprint(tc.role.Permissions())
		for _, v := range []map[string]any{me, login["staff"].(map[string]any)} {
			if v["areaCode"] != tc.area || v["areaName"] != tc.areaName || v["role"] != string(tc.role) || v["roleLabel"] != tc.role.Label() {
				t.Fatalf("%s: %v", tc.user, v)
			}
			if got := fmt.Sprint(v["permissions"]); got != want {
				t.Fatalf("%s permissions %s, want %s", tc.user, got, want)
			}
		}
	}
}
