package checklist

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"palmaid/model"
)

// Limits of the input (a household, not a data set) and of one area's rules.
const (
	MaxMembers    = 20
	MaxSupporters = 40
	MaxAreaRules  = 100
)

var errInvalidInput = model.E(model.KindUnprocessable, "checklist.invalid_input", "填写的情况有误，请按提示修改")

// Validate checks the input and returns one 422 error naming every bad field, or nil.
func (in *Input) Validate() error {
	fields := map[string]string{}
	bad := func(path, hint string) {
		if len(fields) < 50 {
			fields[path] = hint
		}
	}
	if len(in.Categories) > 10 {
		bad("categories", "救助类别最多5项")
	}
	for i, c := range in.Categories {
		if i < 10 && !c.Valid() {
			bad(fmt.Sprintf("categories[%d]", i), "救助类别不正确")
		}
	}
	if len(in.Members) == 0 || len(in.Members) > MaxMembers {
		bad("members", fmt.Sprintf("家庭成员为1至%d人", MaxMembers))
	}
	for i, m := range in.Members {
		if i >= MaxMembers {
			break
		}
		p := fmt.Sprintf("members[%d].", i)
		if !m.Relation.Valid() {
			bad(p+"relation", "与申请人的关系不正确")
		}
		if !model.DisabilityKind(m.DisabilityKind).Valid() {
			bad(p+"disabilityKind", "残疾类别不正确")
		}
		if m.DisabilityGrade < 0 || m.DisabilityGrade > 4 || (m.DisabilityGrade == 0) != (m.DisabilityKind == "") {
			bad(p+"disabilityGrade", "残疾等级为1至4级，并与残疾类别一同填写")
		}
		if m.Health != "" && m.Health != HealthHealthy && m.Health != HealthChronic && m.Health != HealthSerious {
			bad(p+"health", "健康状况为 healthy、chronic、serious 之一")
		}
	}
	if in.Emergency != "" && !model.EmergencyKind(in.Emergency).Valid() {
		bad("emergency", "突发事件类别为 accident、serious_illness、disaster 之一")
	}
	if in.Supporters < 0 || in.Supporters > MaxSupporters {
		bad("supporters", fmt.Sprintf("赡养（抚养、扶养）义务人为0至%d人", MaxSupporters))
	}
	if len(fields) == 0 {
		return nil
	}
	e := *errInvalidInput
	e.Fields = fields
	return &e
}

// RuleInput is one region override as an administrator writes it.
type RuleInput struct {
	Code              string   `json:"code"`              // item code: a national code to override, or a new local item
	Name              string   `json:"name"`              // 1–32 characters
	Note              string   `json:"note"`              // ≤ 120 characters
	AppliesWhen       []string `json:"appliesWhen"`       // conditions, any of which makes the rule apply: "member_disabled", "category:extreme_hardship"
	Scope             string   `json:"scope"`             // household | member
	SharedSource      string   `json:"sharedSource"`      // the department whose data sharing supplies it ("" none): shown as 无需提供
	CommitmentAllowed bool     `json:"commitmentAllowed"` // 告知承诺: a signed commitment may replace it
	Disabled          bool     `json:"disabled"`          // the item is not asked for in this area (name, conditions and scope may be empty)
	Aliases           []string `json:"aliases"`           // other names staff use for it (a return naming one is checked like the name)
	SortOrder         int      `json:"sortOrder"`         // 0–10000: position in the list
	EffectiveFrom     string   `json:"effectiveFrom"`     // YYYY-MM-DD
	EffectiveTo       string   `json:"effectiveTo"`       // YYYY-MM-DD, the last day in force; "" open
}

var (
	errInvalidRules = model.Invalid("checklist.invalid_rules", "材料规则填写有误，请按提示修改")
	codePattern     = regexp.MustCompile(`^[a-z][a-z0-9_]{1,47}$`)
)

// toRows validates an area's overrides and builds the rows (without area and time).
func toRows(in []RuleInput) ([]Rule, error) {
	if len(in) > MaxAreaRules {
		return nil, errInvalidRules.WithField("rules", fmt.Sprintf("最多%d条", MaxAreaRules))
	}
	fields := map[string]string{}
	var unknown *model.Error
	seen := map[string]bool{}
	out := make([]Rule, 0, len(in))
	for i, r := range in {
		p := fmt.Sprintf("rules[%d].", i)
		bad := func(f, hint string) {
			if len(fields) < 50 {
				fields[p+f] = hint
			}
		}
		if !codePattern.MatchString(r.Code) {
			bad("code", "2至48位小写字母、数字或下划线，以字母开头")
		}
		from, okFrom := model.ParseDate(r.EffectiveFrom, time.UTC)
		if !okFrom {
			bad("effectiveFrom", "日期格式为YYYY-MM-DD")
		}
		if r.EffectiveTo != "" {
			if to, ok := model.ParseDate(r.EffectiveTo, time.UTC); !ok || okFrom && to.Before(from) {
				bad("effectiveTo", "日期格式为YYYY-MM-DD，且不早于生效日期；长期有效不填")
			}
		}
		key := r.Code + "@" + r.EffectiveFrom
		if seen[key] {
			bad("effectiveFrom", "同一材料同一生效日期只能有一条")
		}
		seen[key] = true
		textField := func(f, v string, min, max int) string {
			v = strings.TrimSpace(v)
			if n := utf8.RuneCountInString(v); n < min || n > max || model.CheckText(f, v) != nil || strings.Contains(v, ",") {
				bad(f, fmt.Sprintf("%d至%d个字，不含逗号和不可见字符", min, max))
			}
			return v
		}
		minName := 1
		if r.Disabled {
			minName = 0
		}
		row := Rule{Code: r.Code, Name: textField("name", r.Name, minName, 32), SharedSource: textField("sharedSource", r.SharedSource, 0, 32),
			CommitmentAllowed: r.CommitmentAllowed, Disabled: r.Disabled, SortOrder: r.SortOrder,
			EffectiveFrom: r.EffectiveFrom, EffectiveTo: r.EffectiveTo, Scope: r.Scope}
		if note := strings.TrimSpace(r.Note); utf8.RuneCountInString(note) > 120 || model.CheckText("note", note) != nil {
			bad("note", "最多120个字，不含不可见字符")
		} else {
			row.Note = note
		}
		if r.SortOrder < 0 || r.SortOrder > 10000 {
			bad("sortOrder", "0至10000")
		}
		if len(r.Aliases) > 10 {
			bad("aliases", "最多10个")
		}
		var aliases []string
		for k, a := range r.Aliases {
			if k < 10 {
				aliases = append(aliases, textField(fmt.Sprintf("aliases[%d]", k), a, 1, 32))
			}
		}
		row.Aliases = strings.Join(aliases, ",")
		if !r.Disabled || len(r.AppliesWhen) > 0 || r.Scope != "" {
			if r.Scope != ScopeHousehold && r.Scope != ScopeMember {
				bad("scope", "household（每户一份）或 member（每位相关成员一份）")
			}
			conds, err := ParseConditions(strings.Join(r.AppliesWhen, ","))
			if err != nil {
				if unknown == nil {
					unknown = errUnknownCondition.WithField(p+"appliesWhen", err.Error())
				}
			} else {
				parts := make([]string, len(conds))
				for k, c := range conds {
					parts[k] = c.String()
				}
				row.AppliesWhen = strings.Join(parts, ",")
			}
		}
		if len(row.AppliesWhen) > 255 || len(row.Aliases) > 255 {
			bad("aliases", "过长")
		}
		out = append(out, row)
	}
	if len(fields) > 0 {
		e := *errInvalidRules
		e.Fields = fields
		return nil, &e
	}
	if unknown != nil {
		return nil, unknown
	}
	return out, nil
}

// normalizeName reduces a document name for matching: spaces, parenthesised remarks
// ("（如有）", "（6个月内）") and the words for copies are dropped.
func normalizeName(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(' || r == '（':
			depth++
		case (r == ')' || r == '）') && depth > 0:
			depth--
		case depth > 0, r == ' ', r == '\u3000', r == '\t':
		default:
			b.WriteRune(r)
		}
	}
	out := b.String()
	for changed := true; changed; {
		changed = false
		for _, suffix := range []string{"及复印件", "复印件", "原件", "扫描件", "照片", "影印件"} {
			if t := strings.TrimSuffix(out, suffix); t != out && t != "" {
				out, changed = t, true
			}
		}
	}
	return out
}

// names are a rule's name and aliases, normalised.
func names(r *Rule) []string {
	out := []string{normalizeName(r.Name)}
	for _, a := range strings.Split(r.Aliases, ",") {
		if a = normalizeName(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// Match finds the resolved rule a document name (as staff write it) refers to: its name or an
// alias, ignoring spaces, remarks in brackets and "复印件". Failing an exact match, the longest
// name or alias (two characters or more) contained in it counts: "母亲的残疾证" and "张三户口本"
// name the rules of 残疾证 and 户口簿. nil when none does.
func Match(resolved []Rule, name string) *Rule {
	n := normalizeName(name)
	if n == "" {
		return nil
	}
	var best *Rule
	bestLen := 0
	for i := range resolved {
		for _, x := range names(&resolved[i]) {
			if x == n {
				return &resolved[i]
			}
			if l := utf8.RuneCountInString(x); l >= 2 && l > bestLen && strings.Contains(n, x) {
				best, bestLen = &resolved[i], l
			}
		}
	}
	return best
}
