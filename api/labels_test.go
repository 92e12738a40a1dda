package api

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"palmaid/model"
	"palmaid/service/cases"
	"palmaid/service/cases/worklist"
)

// Every code the API answers or the audit log records has one label in the catalogue: every
// status, category, worklist, clock step, workflow action (whatever the status), role and
// setting, and every audit action the sources write; no code twice, no empty label.
func TestLabelCatalogueCoversEveryCode(t *testing.T) {
	cat := labelCatalogueOf()
	index := func(name string, list []codeLabel) map[string]string {
		out := map[string]string{}
		for _, l := range list {
			if l.Label == "" {
				t.Errorf("%s %q has an empty label", name, l.Code)
			}
			if _, dup := out[l.Code]; dup {
				t.Errorf("%s %q is listed twice", name, l.Code)
			}
			out[l.Code] = l.Label
		}
		return out
	}
	need := func(name string, m map[string]string, code string) {
		if m[code] == "" {
			t.Errorf("%s %q has no label", name, code)
		}
	}
	statuses, categories, worklists := index("status", cat.Statuses), index("category", cat.Categories), index("worklist", cat.Worklists)
	steps, actions, audit := index("step", cat.Steps), index("action", cat.Actions), index("audit action", cat.AuditActions)
	roles, emergencies := index("role", cat.Roles), index("emergency kind", cat.EmergencyKinds)
	for _, s := range model.AllStatuses {
		need("status", statuses, string(s))
		f := &model.CaseFile{Case: model.Case{Status: s}}
		for _, a := range f.AllowedActions() {
			need("action", actions, string(a))
		}
	}
	for _, a := range []model.Action{model.ActReviewItem, model.ActUploadDocument, model.ActDeleteDocument, model.ActDraft} {
		need("action", actions, string(a))
	}
	for _, c := range model.AllCategories {
		need("category", categories, string(c))
	}
	for _, w := range worklist.AllWorklists {
		need("worklist", worklists, string(w))
	}
	for step := range cases.ClockLabels {
		need("step", steps, step)
	}
	for _, r := range model.AllRoles {
		need("role", roles, string(r))
	}
	for _, k := range model.EmergencyKinds {
		need("emergency kind", emergencies, string(k))
	}
	if len(cat.Settings) != len(model.Settings()) {
		t.Errorf("%d settings named, %d exist", len(cat.Settings), len(model.Settings()))
	}
	for _, s := range cat.Settings {
		if s.Label == "" || s.Group == "" {
			t.Errorf("setting %s: label %q group %q", s.Key, s.Label, s.Group)
		}
	}

	// The audit actions the sources write (a call of an audit function with a literal action).
	lit := regexp.MustCompile(`(?i)audit[A-Za-z]*\([^"\n]*"([a-z_]+\.[a-z_.]+)"`)
	found := 0
	for _, dir := range []string{"../service", "."} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, m := range lit.FindAllStringSubmatch(string(src), -1) {
				a := strings.TrimSuffix(m[1], ".denied")
				found++
				if audit[a] == "" && (!strings.HasPrefix(a, "case.") || actions[strings.TrimPrefix(a, "case.")] == "") {
					t.Errorf("audit action %q (%s) has no label", a, path)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if found < 10 {
		t.Fatalf("found only %d audit actions in the sources: the scan is broken", found)
	}
}
