package notify

import (
	"strings"
	"testing"

	"palmaid/model"
)

func TestParseRegistry(t *testing.T) {
	good := `{"templates":[{"event":"case_progress","templateId":"abc","title":"办理进度提醒","page":"pages/case/detail",
	  "fields":[{"keyword":"thing1","type":"thing","value":"service"},{"keyword":"date4","type":"date","value":"time"}]}]}`
	reg, err := ParseRegistry(strings.NewReader(good))
	if err != nil || len(reg.Templates) != 1 || len(reg.Rows()) != 1 || !strings.Contains(reg.Rows()[0].Fields, `"keyword":"date4"`) {
		t.Fatalf("good registry: %v %+v", err, reg)
	}
	for _, c := range []struct{ body, want string }{
		{`{"templates":[],"extra":1}`, "unknown field"},
		{`{"templates":[{"event":"case_progress","templateId":"","title":"t","page":"p","fields":[{"keyword":"thing1","type":"thing","value":"service"}]}]}`, "templateId is required"},
		{`{"templates":[{"event":"nope","templateId":"x","title":"t","page":"p","fields":[{"keyword":"thing1","type":"thing","value":"service"}]}]}`, `unknown event "nope"`},
		{`{"templates":[{"event":"case_progress","templateId":"x","title":"t","page":"p","fields":[]}]}`, "1 to 10 keywords"},
		{`{"templates":[{"event":"case_progress","templateId":"x","title":"t","page":"p","fields":[{"keyword":"thing1","type":"thing","value":"service"},{"keyword":"thing1","type":"thing","value":"hint"}]}]}`, "keyword mapped twice"},
		{`{"templates":[{"event":"case_progress","templateId":"x","title":"t","page":"p","fields":[{"keyword":"time3","type":"time","value":"status"}]}]}`, `can only show the value "time"`},
		{`{"templates":[{"event":"case_progress","templateId":"x","title":"t","page":"p","fields":[{"keyword":"Thing 1","type":"thing","value":"status"}]}]}`, "must look like thing1"},
	} {
		if _, err := ParseRegistry(strings.NewReader(c.body)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error saying %q", c.body, err, c.want)
		}
	}
}

func TestRender(t *testing.T) {
	tpl := SimulatorRegistry("x").Rows()[0]
	data, err := render(tpl, []byte(`{"service":"社会救助申请（低保）","status":"已受理(A)","time":"2026-11-23 10:00","hint":"h","caseNo":"JZ 001"}`))
	if err != nil || data["phrase2"] != "已受理" || data["time3"] != "2026年11月23日 10:00" || data["character_string5"] != "JZ001" || len(data) != 5 {
		t.Fatalf("render: %v %v", data, err)
	}
	// Rows written before the registry carried keyword ids: still delivered, formatted.
	legacy, err := render(model.NotifyTemplate{Key: "case_progress"}, []byte(`{"thing1":"a","phrase2":"OK"}`))
	if err != nil || legacy["thing1"] != "a" || legacy["phrase2"] != "有更新" {
		t.Fatalf("legacy row: %v %v", legacy, err)
	}
	if _, err := render(tpl, []byte(`{"unrelated":"x"}`)); err == nil {
		t.Fatal("a payload with none of the template's values rendered")
	}
}

// A template's kind defaults to one_time; long_term needs the app to qualify; others are refused.
func TestRegistryKinds(t *testing.T) {
	body := func(kind string) string {
		return `{"templates":[{"event":"case_progress","templateId":"x","title":"t","page":"p","kind":"` + kind + `","fields":[{"keyword":"thing1","type":"thing","value":"service"}]}]}`
	}
	if _, err := ParseRegistry(strings.NewReader(body("forever"))); err == nil || !strings.Contains(err.Error(), `kind must be "one_time" or "long_term"`) {
		t.Fatalf("unknown kind: %v", err)
	}
	reg, err := ParseRegistry(strings.NewReader(body("")))
	if err != nil || reg.Rows()[0].Kind != model.TemplateOneTime || reg.CheckKinds(false) != nil {
		t.Fatalf("default kind: %v %+v", err, reg.Rows())
	}
	reg, err = ParseRegistry(strings.NewReader(body("long_term")))
	if err != nil || !reg.Rows()[0].LongTerm() {
		t.Fatalf("long_term: %v %+v", err, reg.Rows())
	}
	if err := reg.CheckKinds(false); err == nil || !strings.Contains(err.Error(), "templates[0] (case_progress)") || !strings.Contains(err.Error(), "PALMAID_NOTIFY_LONG_TERM") {
		t.Fatalf("long_term for an app that does not qualify: %v", err)
	}
	if err := reg.CheckKinds(true); err != nil {
		t.Fatalf("long_term for an app that qualifies: %v", err)
	}
}
