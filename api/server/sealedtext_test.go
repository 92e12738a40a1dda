package server_test

import (
	"context"
	"strings"
	"testing"

	"palmaid/service/seed"
	"palmaid/service/testenv"
)

// sealMarker is written into every free-text field a journey can fill; at rest it must appear
// in no table (raw bytes, both backends), while the staff views still show it.
const sealMarker = "病历机密标记"

// TestFreeTextSealedAtRest runs cases through every free-text field people type (application
// reason and address, staff opinions, data-check summary, visit findings, opinion and decision
// reasons, a public objection and its resolution, a return's opinion and missing-item notes, a
// resubmission note, a withdrawal reason, a refusal of acceptance, a rating comment, a
// complaint and its answer), then scans every table's raw bytes for the marker: a free-text
// column stored in clear fails here. The staff and resident views still show the clear text.
func TestFreeTextSealedAtRest(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		m := func(s string) string { return s + sealMarker }
		applyM := func(resident, name, id string) (string, string) {
			tok := h.residentLogin(resident)
			h.expect(h.do("PUT", "/mp/v1/me/identity", tok, map[string]string{"name": name, "idNumber": id}), 200)
			r.ids = append(r.ids, id)
			cs := h.expect(h.do("POST", "/mp/v1/cases", tok, map[string]any{
				"villageCode": seed.DemoVillageE1, "address": m("东城村5组8号"), "categories": []string{"minimum_living"},
				"reason": m("老伴重病住院"), "facts": soloFacts(name, id),
				"pledgeAccepted": true, "authorizationAccepted": true,
			}), 201)
			return tok, cs["id"].(string)
		}
		withReason := func(entries []map[string]any) []map[string]any {
			for _, e := range entries {
				e["reason"] = m("理由")
			}
			return entries
		}

		// A: accepted, investigated, objected to, decided, rated, complained about.
		tokA, a := applyM(testenv.UniqueName("seal-a"), "秦封", makeID("990101", "19640404", 301))
		r.act("town_east", a, "accept", nil, 200)
		r.act("town_east", a, "start-investigation", map[string]any{"opinion": m("启动调查")}, 200)
		r.act("county", a, "data-check", map[string]any{"summary": m("核对")}, 200)
		r.act("town_east", a, "visits", map[string]any{"visitedOn": "2026-11-23", "investigators": []string{"town_east", "town_east2"},
			"findings": m("患有慢性病"), "familyConfirmed": true}, 200)
		entries := withReason(allFive(map[string]int64{"minimum_living": 85000}))
		r.act("town_east", a, "opinion", map[string]any{"entries": entries}, 200)
		r.act("town_east", a, "notice", nil, 200)
		board := h.expect(h.do("GET", "/mp/v1/villages/"+seed.DemoVillageE1+"/notices", "", nil), 200)
		noticeID := board["items"].([]any)[0].(map[string]any)["id"].(string)
		if res := h.do("POST", "/mp/v1/notices/"+noticeID+"/objections", neighbourLogin(t, h, "王邻", 3), map[string]string{
			"contact": "13800001111", "content": m("家中有车")}); res.Status != 204 {
			t.Fatalf("public objection: %d %s", res.Status, res.Body)
		}
		obID := r.detail("town_east", a)["objections"].([]any)[0].(map[string]any)["id"]
		r.act("town_east", a, "objections/resolve", map[string]any{"objectionId": obID, "upheld": false,
			"resolution": m("经核实车辆为借用")}, 200)
		h.clock.Set(cst("2026-12-09", 9))
		r.act("town_east", a, "notice/close", nil, 200)
		r.act("county", a, "decision", map[string]any{"entries": withReason(allFive(map[string]int64{"minimum_living": 85000}))}, 200)
		h.expect(h.do("POST", "/mp/v1/cases/"+a+"/rating", tokA, map[string]any{"stars": 2, "comment": m("太慢")}), 201)
		cp := h.expect(h.do("POST", "/mp/v1/complaints", tokA, map[string]any{"caseId": a, "text": m("电话打不通")}), 201)
		h.expect(h.do("POST", "/api/v1/complaints/"+cp["id"].(string)+"/answer", r.staff("county"), map[string]any{"answer": m("已更换电话")}), 200)

		// B: returned with notes, resubmitted with a note, withdrawn with a reason.
		tokB, b := applyM(testenv.UniqueName("seal-b"), "秦退", makeID("990101", "19650505", 302))
		r.act("town_east", b, "return", map[string]any{"opinion": m("请补充"), "missingItems": []map[string]string{
			{"name": "家庭财产申报", "note": m("住院")}}}, 200)
		h.expect(h.do("POST", "/mp/v1/cases/"+b+"/resubmit", tokB, map[string]any{"version": r.version(b), "note": m("已补交")}), 200)
		h.expect(h.do("POST", "/mp/v1/cases/"+b+"/withdraw", tokB, map[string]any{"version": r.version(b), "reason": m("病情好转")}), 200)

		// C: acceptance refused.
		_, c := applyM(testenv.UniqueName("seal-c"), "秦拒", makeID("990101", "19660606", 303))
		r.act("town_east", c, "refuse-acceptance", map[string]any{"reason": m("户籍不在本乡镇")}, 200)

		// Authorised staff still read the clear text.
		for _, id := range []string{a, b, c} {
			det := h.do("GET", "/api/v1/cases/"+id, r.staff("town_east"), nil)
			if det.Status != 200 || !strings.Contains(string(det.Body), sealMarker) {
				t.Fatalf("staff view of %s lost the clear text: %d %s", id, det.Status, det.Body)
			}
		}

		dump, err := testenv.OpenRows(t, h.app.Config).TextDump(context.Background())
		testenv.Must(t, err)
		rows := 0
		for table, tr := range dump {
			for _, row := range tr {
				rows++
				for i, v := range row {
					if strings.Contains(v, sealMarker) {
						t.Errorf("%s holds free text in clear (column %d): %q", table, i, v)
					}
				}
			}
		}
		if rows < 30 {
			t.Fatalf("the scan saw too little: %d rows", rows)
		}
	})
}

// The longest text validation allows, in 4-byte characters, still fits once sealed (a sealed
// value is about 4/3 of the plaintext's bytes): on MariaDB a column too narrow answers 500.
func TestLongFreeTextSealedFits(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		long := func(n int) string { return strings.Repeat("𠀀", n) }
		tok := h.residentLogin(testenv.UniqueName("seal-long"))
		id := makeID("990101", "19670707", 304)
		h.expect(h.do("PUT", "/mp/v1/me/identity", tok, map[string]string{"name": "秦长", "idNumber": id}), 200)
		r.ids = append(r.ids, id)
		cs := h.expect(h.do("POST", "/mp/v1/cases", tok, map[string]any{
			"villageCode": seed.DemoVillageE1, "address": long(100), "categories": []string{"minimum_living"},
			"reason": long(500), "facts": soloFacts("秦长", id),
			"pledgeAccepted": true, "authorizationAccepted": true,
		}), 201)
		c := cs["id"].(string)
		// A return names items of the one-time list (issue 21); the note is the staff's text.
		items := []map[string]string{{"name": "家庭财产申报", "note": long(120)}}
		r.act("town_east", c, "return", map[string]any{"opinion": long(500), "missingItems": items}, 200)
		h.expect(h.do("POST", "/mp/v1/cases/"+c+"/resubmit", tok, map[string]any{"version": r.version(c), "note": long(500)}), 200)
		r.act("town_east", c, "accept", nil, 200)
		r.act("town_east", c, "start-investigation", map[string]any{"opinion": long(500)}, 200)
		r.act("town_east", c, "visits", map[string]any{"visitedOn": "2026-11-23", "investigators": []string{"town_east", "town_east2"},
			"findings": long(2000), "familyConfirmed": true}, 200)
		det := r.detail("town_east", c)
		if !strings.Contains(string(mustJSON(t, det)), long(2000)) {
			t.Fatalf("the findings did not come back whole")
		}
	})
}
