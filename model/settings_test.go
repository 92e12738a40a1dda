package model

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestSettingsDeclaration(t *testing.T) {
	seen := map[SettingKey]bool{}
	for _, s := range Settings() {
		if seen[s.Key] {
			t.Errorf("%s declared twice", s.Key)
		}
		seen[s.Key] = true
		if !s.Valid(s.Default) {
			t.Errorf("%s: default %q outside its own range %s", s.Key, s.Default, s.Range())
		}
		if s.Label == "" || s.Group == "" || s.Range() == "" {
			t.Errorf("%s: label, group or range missing", s.Key)
		}
		if _, ok := SettingByKey(s.Key); !ok {
			t.Errorf("%s: SettingByKey does not find it", s.Key)
		}
	}
	if !reflect.DeepEqual(PolicyFrom(nil), PolicyFrom(SettingDefaults())) {
		t.Error("the defaults written out give another policy than no values at all")
	}
}

// another is a valid value different from the default, for each type.
func another(s SettingSpec) string {
	switch s.Type {
	case TypeInteger, TypeCents:
		if s.Default == FormatPermille(s.Max*1000) {
			return FormatPermille(s.Min * 1000)
		}
		return FormatPermille(s.Max * 1000)
	case TypeRatio:
		if s.Default == FormatPermille(s.Max) {
			return FormatPermille(s.Min)
		}
		return FormatPermille(s.Max)
	case TypeBool:
		if s.Default == "true" {
			return "false"
		}
		return "true"
	case TypeEnum:
		for _, o := range s.Options {
			if o != s.Default {
				return o
			}
		}
	case TypeTiers:
		return "500:800,1000:300"
	case TypeMonths:
		return "2,4,6"
	case TypeColumns:
		return "序号,账号,反馈状态"
	}
	return ""
}

// Every declared setting is read: changing it (to another valid value) changes the policy, and
// a value outside its range leaves the default in force.
func TestEverySettingIsRead(t *testing.T) {
	for _, s := range Settings() {
		base := map[SettingKey]string{}
		switch s.Key {
		case SetAmountTiers:
			base[SetAmountMethod] = AmountTiers // tiers apply only with the tiers method
		case SetAmountMethod:
			base[SetAmountTiers] = "500:800,1000:300" // and the method only with valid tiers
		}
		v := another(s)
		if !s.Valid(v) {
			t.Fatalf("%s: test value %q invalid", s.Key, v)
		}
		changed := map[SettingKey]string{s.Key: v}
		for k, x := range base {
			changed[k] = x
		}
		if reflect.DeepEqual(PolicyFrom(base), PolicyFrom(changed)) {
			t.Errorf("%s: setting %q changes nothing in the Policy", s.Key, v)
		}
		if s.Type == TypeInteger || s.Type == TypeCents {
			out := map[SettingKey]string{s.Key: FormatPermille((s.Max + 1) * 1000)}
			for k, x := range base {
				out[k] = x
			}
			if !reflect.DeepEqual(PolicyFrom(base), PolicyFrom(out)) {
				t.Errorf("%s: a value above %d was used", s.Key, s.Max)
			}
		}
	}
}

// Setting keys are written once, in this package: nowhere else in the Go code is a key
// spelled out as a string literal (use the SettingKey constants).
func TestNoSettingKeyLiterals(t *testing.T) {
	keys := Settings()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || filepath.Dir(path) == "." || filepath.Base(filepath.Dir(path)) == "model" && filepath.Dir(filepath.Dir(path)) == ".." {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range keys {
			if strings.Contains(string(b), `"`+string(s.Key)+`"`) {
				t.Errorf("%s spells out the setting key %q: use model.%s", path, s.Key, "Set…")
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// PolicyTable renders Settings() as the table of docs/POLICY.md.
func policyTable() string {
	var b strings.Builder
	b.WriteString("| group | key | meaning | type | range | default |\n|---|---|---|---|---|---|\n")
	for _, s := range Settings() {
		def := s.Default
		if def == "" {
			def = "(none)"
		}
		label := s.Label
		if s.Unit != "" {
			label += "（" + s.Unit + "）"
		}
		b.WriteString("| " + s.Group + " | `" + string(s.Key) + "` | " + strings.ReplaceAll(label, "|", "\\|") + " | " + string(s.Type) + " | " +
			s.Range() + " | `" + def + "` |\n")
	}
	return b.String()
}

// docs/POLICY.md lists the settings exactly as Settings() declares them.
func TestPolicyDocUpToDate(t *testing.T) {
	b, err := os.ReadFile("../docs/POLICY.md")
	if err != nil {
		t.Fatal(err)
	}
	if table := policyTable(); !strings.Contains(string(b), table) {
		t.Errorf("docs/POLICY.md: the settings table is out of date; it should read:\n\n%s", table)
	}
}
