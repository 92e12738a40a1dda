package notify

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"

	"palmaid/model"
	"palmaid/service/wechat/wxfield"
)

// Registry is the template configuration: for each event we notify, the WeChat template id
// picked in the mini-program's admin console, the page the message opens, and how our values
// map to that library template's own keyword ids and types. It is configuration (a JSON file,
// PALMAID_NOTIFY_TEMPLATES), validated at start, never code.
type Registry struct {
	Templates []TemplateDef `json:"templates"`
}

// TemplateDef is one template of the registry.
type TemplateDef struct {
	Event      string                `json:"event"`      // model.TemplateCaseProgress
	TemplateID string                `json:"templateId"` // from the admin console
	Title      string                `json:"title"`      // shown to the resident before subscribing
	Page       string                `json:"page"`       // mini-program page the message opens (?id=<case> is added)
	Fields     []model.TemplateField `json:"fields"`
	// Kind is "one_time" (the default: each accept allows one message) or "long_term" (长期订阅:
	// one accept allows messages until the user turns them off). WeChat grants long-term
	// templates only to mini-programs of some public-service categories (government services
	// among them): a long_term template is refused at start unless PALMAID_NOTIFY_LONG_TERM says
	// the app qualifies.
	Kind string `json:"kind,omitempty"`
}

// Events lists the events a template can be configured for.
func Events() []string { return []string{model.TemplateCaseProgress} }

var keywordRe = regexp.MustCompile(`^[a-z_]+[0-9]+$`)

// LoadRegistry reads and validates a registry file.
func LoadRegistry(path string) (Registry, error) {
	f, err := os.Open(path)
	if err != nil {
		return Registry{}, fmt.Errorf("notify templates: %w", err)
	}
	defer f.Close()
	return ParseRegistry(f)
}

// ParseRegistry decodes (unknown fields refused) and validates a registry.
func ParseRegistry(r io.Reader) (Registry, error) {
	var reg Registry
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&reg); err != nil {
		return Registry{}, fmt.Errorf("notify templates: not a valid registry: %w", err)
	}
	if err := reg.Validate(); err != nil {
		return Registry{}, err
	}
	return reg, nil
}

// Validate names every problem: an unknown event, type or value, a keyword whose type does not
// match, a duplicate keyword, a missing id, title or page.
func (r Registry) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf("notify templates: "+format, a...)) }
	seen := map[string]bool{}
	for i, t := range r.Templates {
		where := fmt.Sprintf("templates[%d] (%s)", i, t.Event)
		switch {
		case !slices.Contains(Events(), t.Event):
			bad("%s: unknown event %q (known: %v)", where, t.Event, Events())
		case seen[t.Event]:
			bad("%s: event configured twice", where)
		}
		seen[t.Event] = true
		if t.TemplateID == "" || len(t.TemplateID) > 64 {
			bad("%s: templateId is required (≤ 64 characters)", where)
		}
		if t.Title == "" || len([]rune(t.Title)) > 32 {
			bad("%s: title is required (≤ 32 characters)", where)
		}
		switch t.Kind {
		case "", model.TemplateOneTime, model.TemplateLongTerm:
		default:
			bad("%s: kind must be %q or %q, not %q", where, model.TemplateOneTime, model.TemplateLongTerm, t.Kind)
		}
		if t.Page == "" || len(t.Page) > 200 {
			bad("%s: page is required (≤ 200 characters)", where)
		}
		if len(t.Fields) == 0 || len(t.Fields) > 10 {
			bad("%s: fields must map 1 to 10 keywords", where)
		}
		keywords := map[string]bool{}
		for j, f := range t.Fields {
			fw := fmt.Sprintf("%s.fields[%d] (%s)", where, j, f.Keyword)
			if !keywordRe.MatchString(f.Keyword) {
				bad("%s: keyword must look like thing1 or character_string12", fw)
			} else if keywords[f.Keyword] {
				bad("%s: keyword mapped twice", fw)
			}
			keywords[f.Keyword] = true
			if !wxfield.Known(f.Type) {
				bad("%s: unknown WeChat field type %q (known: %v)", fw, f.Type, wxfield.Types())
			} else if wxfield.Type(f.Keyword) != f.Type {
				bad("%s: keyword %s is of type %s, not %s", fw, f.Keyword, wxfield.Type(f.Keyword), f.Type)
			}
			if !slices.Contains(model.NotifyValues(), f.Value) {
				bad("%s: unknown value %q (known: %v)", fw, f.Value, model.NotifyValues())
			}
			if (f.Type == "time" || f.Type == "date") && f.Value != model.NotifyValueTime {
				bad("%s: a %s keyword can only show the value %q", fw, f.Type, model.NotifyValueTime)
			}
		}
	}
	return errors.Join(errs...)
}

// CheckKinds refuses long-term templates when the app does not qualify for them
// (longTermAllowed: PALMAID_NOTIFY_LONG_TERM), naming each.
func (r Registry) CheckKinds(longTermAllowed bool) error {
	var errs []error
	for i, t := range r.Templates {
		if t.Kind == model.TemplateLongTerm && !longTermAllowed {
			errs = append(errs, fmt.Errorf("notify templates: templates[%d] (%s): kind long_term needs a mini-program WeChat grants long-term subscriptions to (government or public services): set PALMAID_NOTIFY_LONG_TERM=true once the category is approved, or use one_time", i, t.Event))
		}
	}
	return errors.Join(errs...)
}

// Rows are the registry as notify_templates rows (written at start).
func (r Registry) Rows() []model.NotifyTemplate {
	out := make([]model.NotifyTemplate, 0, len(r.Templates))
	for _, t := range r.Templates {
		b, _ := json.Marshal(t.Fields)
		kind := t.Kind
		if kind == "" {
			kind = model.TemplateOneTime
		}
		out = append(out, model.NotifyTemplate{Key: t.Event, TemplateID: t.TemplateID, Title: t.Title, Page: t.Page, Fields: string(b), Kind: kind})
	}
	return out
}

// SimulatorRegistry is the registry of embedded mode: the simulator's "办理进度提醒" template.
func SimulatorRegistry(templateID string) Registry {
	return Registry{Templates: []TemplateDef{{
		Event: model.TemplateCaseProgress, TemplateID: templateID, Title: "办理进度提醒", Page: "pages/case/detail",
		Fields: []model.TemplateField{
			{Keyword: "thing1", Type: "thing", Value: model.NotifyValueService},
			{Keyword: "phrase2", Type: "phrase", Value: model.NotifyValueStatus},
			{Keyword: "time3", Type: "time", Value: model.NotifyValueTime},
			{Keyword: "thing4", Type: "thing", Value: model.NotifyValueHint},
			{Keyword: "character_string5", Type: "character_string", Value: model.NotifyValueCaseNo},
		},
	}}}
}

// render maps a row's values to the template's keywords, each formatted for its type. Rows
// written before the registry carried keyword ids directly: those pass through, formatted.
func render(tpl model.NotifyTemplate, payload []byte) (map[string]string, error) {
	var values map[string]string
	if err := json.Unmarshal(payload, &values); err != nil {
		return nil, fmt.Errorf("payload: %w", err)
	}
	var fields []model.TemplateField
	if tpl.Fields != "" {
		if err := json.Unmarshal([]byte(tpl.Fields), &fields); err != nil {
			return nil, fmt.Errorf("template %s fields: %w", tpl.Key, err)
		}
	}
	data := make(map[string]string, len(fields))
	for _, f := range fields {
		if v, ok := values[f.Value]; ok {
			data[f.Keyword] = wxfield.Format(f.Type, v)
		}
	}
	if len(data) == 0 { // a legacy row (keyword ids as keys) or a template without mapping
		for k, v := range values {
			if keywordRe.MatchString(k) {
				data[k] = wxfield.Normalize(k, v)
			}
		}
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("template %s maps none of the row's values", tpl.Key)
	}
	return data, nil
}
