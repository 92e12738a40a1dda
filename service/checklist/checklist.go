// Package checklist is the one-time list (一次性告知) from rules: which documents an application
// needs, computed from the categories asked and the household's circumstances before anyone
// applies. Rules are data (table checklist_rules): national rows written from NationalRules and
// region overrides of the same item code, each in force between two dates and inherited down the
// area tree like the region settings. An item that government data sharing supplies shows as
// 无需提供 with its source (免证明); an item the region allows to be replaced by a signed
// commitment offers that choice (告知承诺制). The same input and rules always give the same list in
// the same order; a staff return may not ask for an item data sharing covers.
package checklist

import (
	"fmt"
	"sort"
	"strings"

	"palmaid/model"
)

// Rule is one stored rule row.
type Rule = model.ChecklistRule

// Scopes of a rule.
const (
	ScopeHousehold = "household" // one item for the household
	ScopeMember    = "member"    // one item per member the conditions select
)

// Health values of a member.
const (
	HealthHealthy = "healthy"
	HealthChronic = "chronic"
	HealthSerious = "serious"
)

// Input is what the list is computed from: plain values the resident's draft (or the preview
// form) maps into. Member indexes in the answer refer to Members.
type Input struct {
	Categories []model.Category `json:"categories"` // requested categories (order and repeats do not matter)
	ByAgent    bool             `json:"byAgent"`    // an agent applies for someone else (代办)
	Members    []MemberInput    `json:"members"`    // household members, the applicant or beneficiary first
	Emergency  string           `json:"emergency"`  // accident | serious_illness | disaster | "" (急难型临时救助)
	Supporters int              `json:"supporters"` // legal supporters living elsewhere (matter for 特困)
}

// MemberInput is one member.
type MemberInput struct {
	Relation        model.Relation `json:"relation"`        // to the applicant: self, spouse, child …
	Adult           bool           `json:"adult"`           // 18 or older
	DisabilityKind  string         `json:"disabilityKind"`  // physical, visual, hearing, speech, intellectual, mental, multiple, "" none
	DisabilityGrade int            `json:"disabilityGrade"` // 1–4, 0 none
	Health          string         `json:"health"`          // healthy | chronic | serious | "" unknown
	InEducation     bool           `json:"inEducation"`     // a full-time student
	HukouElsewhere  bool           `json:"hukouElsewhere"`  // 户籍 elsewhere: applies where they live (residence permit)
	Employed        bool           `json:"employed"`        // employed or with wage income
}

func (m *MemberInput) disabled() bool { return m.DisabilityGrade > 0 || m.DisabilityKind != "" }

func (in *Input) requested(c model.Category) bool {
	for _, x := range in.Categories {
		if x == c {
			return true
		}
	}
	return false
}

// How an item is provided.
const (
	ProvideRequired   = "required"           // the resident provides it
	ProvideShared     = "shared"             // 无需提供: data sharing supplies it (Source names the department)
	ProvideCommitment = "commitment_allowed" // provide it, or sign a commitment (告知承诺) instead
)

var provideLabels = map[string]string{
	ProvideRequired: "需提供", ProvideShared: "无需提供", ProvideCommitment: "可提供，或签署告知承诺书代替",
}

// Item is one line of the list.
type Item struct {
	Code         string `json:"code"`         // the rule's stable item code
	Name         string `json:"name"`         // 残疾证
	Note         string `json:"note"`         // what exactly (6个月内开具 …)
	Why          string `json:"why"`          // the plain reason: 因家庭成员2有残疾
	Member       int    `json:"member"`       // 0-based index into the input's members; -1 for the household
	Provide      string `json:"provide"`      // required | shared | commitment_allowed
	ProvideLabel string `json:"provideLabel"` // 需提供 | 无需提供 | 可提供，或签署告知承诺书代替
	Source       string `json:"source"`       // shared: the department whose data sharing supplies it; else ""
}

// level is how specific a rule's area is: 0 national, 1 province … 5 village.
func level(r *Rule) int {
	if r.AreaCode == "" {
		return 0
	}
	return model.AreaCode(r.AreaCode).Level()
}

// Resolve picks, for every item code, the row in force on date (YYYY-MM-DD) from the most
// specific area, the latest effective date among that area's rows; disabled items are dropped.
// rules must be those of one area's chain (the village and its ancestors, and the national
// rows). The answer is ordered by SortOrder, then code.
func Resolve(rules []Rule, date string) []Rule {
	best := map[string]*Rule{}
	for i := range rules {
		r := &rules[i]
		if !r.InForce(date) {
			continue
		}
		b, ok := best[r.Code]
		if !ok || level(r) > level(b) || level(r) == level(b) && r.EffectiveFrom > b.EffectiveFrom {
			best[r.Code] = r
		}
	}
	out := make([]Rule, 0, len(best))
	for _, r := range best {
		if !r.Disabled {
			out = append(out, *r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].SortOrder != out[j].SortOrder {
			return out[i].SortOrder < out[j].SortOrder
		}
		return out[i].Code < out[j].Code
	})
	return out
}

// Evaluate is the list for in under rules on date: pure, stable (same input and rules → the same
// items in the same order, whatever the order of the categories), deduplicated (one item per
// code and member). Household items come first, then per-member items, each group by the rules'
// declared order; per-member items of one rule by member.
//
// A rule of household scope gives one item when any of its conditions holds (a member condition
// holds when it selects a member). A rule of member scope gives one item per member its member
// conditions select ("always" selects every member); when only a household condition holds it
// gives one household item. A stored condition this binary does not know never holds (writes are
// validated, so only a hand-edited row can carry one).
func Evaluate(in Input, rules []Rule, date string) []Item {
	var household, members []Item
	for _, r := range Resolve(rules, date) {
		conds, err := ParseConditions(r.AppliesWhen)
		if err != nil {
			conds = validOnly(r.AppliesWhen)
		}
		var reasons []string
		selected := map[int][]string{}
		for _, c := range conds {
			if c.member() {
				for i := range in.Members {
					if ok, what := c.selects(&in.Members[i]); ok {
						selected[i] = appendOnce(selected[i], what)
					}
				}
				continue
			}
			if ok, why := c.holds(&in); ok {
				if c.Kind == CondAlways && r.Scope == ScopeMember {
					for i := range in.Members {
						selected[i] = appendOnce(selected[i], "")
					}
					continue
				}
				reasons = appendOnce(reasons, why)
			}
		}
		switch {
		case r.Scope == ScopeMember && len(selected) > 0:
			for i := range in.Members {
				if what, ok := selected[i]; ok {
					members = append(members, item(&r, memberWhy(i, &in.Members[i], what), i))
				}
			}
		case len(reasons) > 0 || len(selected) > 0:
			household = append(household, item(&r, householdWhy(reasons, selected), -1))
		}
	}
	return append(household, members...)
}

// validOnly keeps the conditions of a list that parse one by one.
func validOnly(s string) []Condition {
	var out []Condition
	for _, part := range strings.Split(s, ",") {
		if c, err := ParseConditions(part); err == nil {
			out = append(out, c...)
		}
	}
	return out
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func item(r *Rule, why string, member int) Item {
	it := Item{Code: r.Code, Name: r.Name, Note: r.Note, Why: why, Member: member, Provide: ProvideRequired}
	switch {
	case r.SharedSource != "":
		it.Provide, it.Source = ProvideShared, r.SharedSource
	case r.CommitmentAllowed:
		it.Provide = ProvideCommitment
	}
	it.ProvideLabel = provideLabels[it.Provide]
	if it.Provide == ProvideShared {
		it.ProvideLabel = "无需提供（由" + r.SharedSource + "数据共享获取）"
	}
	return it
}

// memberLabel names member i (0-based) for a resident: 家庭成员2（配偶）.
func memberLabel(i int, m *MemberInput) string {
	s := fmt.Sprintf("家庭成员%d", i+1)
	if l := m.Relation.Label(); l != "" {
		s += "（" + l + "）"
	}
	return s
}

func memberWhy(i int, m *MemberInput, what []string) string {
	var preds []string
	for _, w := range what {
		if w != "" {
			preds = append(preds, w)
		}
	}
	if len(preds) == 0 {
		return memberLabel(i, m) + "：所有家庭成员均需"
	}
	return "因" + memberLabel(i, m) + strings.Join(preds, "、")
}

func householdWhy(reasons []string, selected map[int][]string) string {
	out := append([]string(nil), reasons...)
	if len(selected) > 0 {
		// group members by what selected them: 因家庭成员2、3有残疾
		byWhat := map[string][]int{}
		var order []string
		idx := make([]int, 0, len(selected))
		for i := range selected {
			idx = append(idx, i)
		}
		sort.Ints(idx)
		for _, i := range idx {
			for _, w := range selected[i] {
				if _, ok := byWhat[w]; !ok {
					order = append(order, w)
				}
				byWhat[w] = append(byWhat[w], i)
			}
		}
		for _, w := range order {
			nums := make([]string, len(byWhat[w]))
			for k, i := range byWhat[w] {
				nums[k] = fmt.Sprint(i + 1)
			}
			out = append(out, "因家庭成员"+strings.Join(nums, "、")+w)
		}
	}
	return strings.Join(out, "；")
}
