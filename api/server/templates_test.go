package server_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"palmaid/service/seed"
	"palmaid/service/testenv"
	"palmaid/service/wechat/wxsim"
)

// A library template's keyword ids are its own (thing7, phrase3, time12, …): the registry file
// maps our values to them, every value is formatted for its keyword's type, and the simulator —
// which refuses a message that misses a keyword or breaks a type's rule, as WeChat does —
// delivers it. A "filter" answer in the same popup keeps the accept.
func TestTemplateRegistryMapsLibraryKeywords(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		file := filepath.Join(t.TempDir(), "templates.json")
		testenv.Must(t, os.WriteFile(file, []byte(`{"templates":[{"event":"case_progress","templateId":"`+seed.SimulatorLibraryTemplateID+`",
		  "title":"审批进度通知","page":"pages/case/detail","fields":[
		    {"keyword":"thing7","type":"thing","value":"service"},
		    {"keyword":"phrase3","type":"phrase","value":"status"},
		    {"keyword":"time12","type":"time","value":"time"},
		    {"keyword":"thing2","type":"thing","value":"hint"},
		    {"keyword":"character_string9","type":"character_string","value":"caseNo"}]}]}`), 0o600))
		be.Config.Notify.TemplatesFile = file
		h := newHarness(t, be, friday)
		name := testenv.UniqueName("library-" + be.Name)
		tok := h.residentLogin(name)
		h.expect(h.do("PUT", "/mp/v1/me/identity", tok, map[string]string{"name": "张三", "idNumber": aliceID}), 200)

		tpls := h.expect(h.do("GET", "/mp/v1/subscriptions/templates", tok, nil), 200)["items"].([]any)
		if len(tpls) != 1 || tpls[0].(map[string]any)["templateId"] != seed.SimulatorLibraryTemplateID || tpls[0].(map[string]any)["kind"] != "one_time" {
			t.Fatalf("templates: %v", tpls)
		}
		h.expect(h.do("POST", "/mp/v1/subscriptions", tok, map[string]any{"results": []map[string]string{
			{"templateId": seed.SimulatorLibraryTemplateID, "result": "accept"},
			{"templateId": "some-other-template", "result": "filter"}}}), 204)

		cs := h.expect(h.do("POST", "/mp/v1/cases", tok, application(seed.DemoVillageE1)), 201)
		id := cs["id"].(string)
		h.expect(h.do("POST", "/api/v1/cases/"+id+"/return", h.staffLogin("town_east"), map[string]any{"version": 2, "opinion": "请补充材料",
			"missingItems": []map[string]string{{"name": "家庭财产申报"}}}), 200)
		h.expect(h.do("POST", "/dev/v1/notify/run", "", nil), 200)
		got := sim.MessagesTo(wxsim.OpenIDFor(testAppID, name))
		if len(got) != 1 {
			t.Fatalf("simulator received %d messages: %+v", len(got), got)
		}
		d := got[0].Data
		if got[0].TemplateID != seed.SimulatorLibraryTemplateID || len(d) != 5 || d["thing7"] != "社会救助申请（低保、临时救助）" || d["phrase3"] != "需补正" ||
			d["time12"] != "2026年11月20日 10:00" || !strings.HasPrefix(d["character_string9"], "JZ20261120") || d["thing2"] != "请补充1项材料，详见小程序" {
			t.Fatalf("library template data: %v", d)
		}
	})
}

// A registry that names an unknown type, a keyword of another type or a value we do not have
// stops the start with a message naming it.
func TestTemplateRegistryRefusedAtStart(t *testing.T) {
	be := testenv.New(t, "embedded")
	file := filepath.Join(t.TempDir(), "templates.json")
	testenv.Must(t, os.WriteFile(file, []byte(`{"templates":[{"event":"case_progress","templateId":"x","title":"t","page":"p","fields":[
	  {"keyword":"thing7","type":"phrase","value":"service"},
	  {"keyword":"colour1","type":"colour","value":"status"},
	  {"keyword":"thing2","type":"thing","value":"amount"}]}]}`), 0o600))
	be.Config.Notify.TemplatesFile = file
	be.Config.DemoSeed = true
	_, err := newAppErr(t, be)
	if err == nil {
		t.Fatal("a bad registry was accepted")
	}
	for _, want := range []string{"keyword thing7 is of type thing, not phrase", `unknown WeChat field type "colour"`, `unknown value "amount"`, "PALMAID_NOTIFY_TEMPLATES"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("start-up error does not say %q: %v", want, err)
		}
	}
}

// A wrong app id or secret is our fault, not the resident's: 503 and an ERROR line for the
// engineer on call, without the secret.
func TestWrongAppSecretIsServerSide(t *testing.T) {
	h := newHarness(t, testenv.New(t, "embedded"), friday)
	for _, code := range []string{"fail:40013", "fail:40125"} {
		r := h.do("POST", "/mp/v1/auth/login", "", map[string]string{"code": code})
		if r.Status != 503 || r.Header.Get("Retry-After") == "" && r.errCode(t) != "wechat.unavailable" {
			t.Fatalf("%s: %d %s", code, r.Status, r.Body)
		}
	}
	logs := h.logs.String()
	if !strings.Contains(logs, `"level":"ERROR"`) || !strings.Contains(logs, "PALMAID_WECHAT_APP_SECRET") || strings.Contains(logs, testSecret) {
		t.Fatalf("logs: %s", logs)
	}
}
