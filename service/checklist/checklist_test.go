package checklist

import (
	"fmt"
	"math/rand"
	"reflect"
	"sort"
	"strings"
	"testing"

	"palmaid/model"
)

const today = "2026-11-20"

func self() MemberInput { return MemberInput{Relation: model.RelSelf, Adult: true} }

// find returns the items of a code.
func find(items []Item, code string) []Item {
	var out []Item
	for _, it := range items {
		if it.Code == code {
			out = append(out, it)
		}
	}
	return out
}

// override is a region row replacing the national row of code (a copy with changes).
func override(area, code, from, to string, change func(*Rule)) Rule {
	for _, r := range NationalRules() {
		if r.Code == code {
			r.AreaCode, r.EffectiveFrom, r.EffectiveTo = area, from, to
			change(&r)
			return r
		}
	}
	panic("no national rule " + code)
}

const county = "371522000000"

func TestEvaluateRules(t *testing.T) {
	noSharing := override(county, "disability_certificate", "2026-01-01", "", func(r *Rule) { r.SharedSource = "" })
	cases := []struct {
		name    string
		in      Input
		extra   []Rule
		code    string
		want    int    // items of code
		provide string // of the first
		member  int
		why     string // substring of the first's reason
	}{
		{"a plain application: no disability certificate", Input{Categories: []model.Category{model.CatMinimumLiving}, Members: []MemberInput{self()}},
			nil, "disability_certificate", 0, "", 0, ""},
		{"disability: the national rule says data sharing supplies it", Input{Members: []MemberInput{self(), {Relation: model.RelSpouse, DisabilityKind: "physical", DisabilityGrade: 2}}},
			nil, "disability_certificate", 1, ProvideShared, 1, "因家庭成员2（配偶）有残疾"},
		{"disability where the region has no 残联 data: the resident provides it", Input{Members: []MemberInput{self(), {Relation: model.RelSpouse, DisabilityKind: "physical", DisabilityGrade: 2}}},
			[]Rule{noSharing}, "disability_certificate", 1, ProvideRequired, 1, "有残疾"},
		{"serious illness: a diagnosis per ill member", Input{Members: []MemberInput{self(), {Relation: model.RelChild, Health: HealthSerious}}},
			nil, "diagnosis_certificate", 1, ProvideRequired, 1, "因家庭成员2（子女）患重病"},
		{"serious illness: medical receipts for the household", Input{Members: []MemberInput{self(), {Relation: model.RelChild, Health: HealthSerious}}},
			nil, "medical_receipts", 1, ProvideRequired, -1, "因家庭成员2患重病"},
		{"an illness emergency without a member marked: one household diagnosis", Input{Categories: []model.Category{model.CatTemporaryAid}, Emergency: string(model.EmergencySeriousIllness), Members: []MemberInput{self()}},
			nil, "diagnosis_certificate", 1, ProvideRequired, -1, "因突发重病申请临时救助"},
		{"chronic illness is not serious", Input{Members: []MemberInput{{Relation: model.RelSelf, Health: HealthChronic}}},
			nil, "diagnosis_certificate", 0, "", 0, ""},
		{"accident: proof, a commitment allowed", Input{Categories: []model.Category{model.CatTemporaryAid}, Emergency: string(model.EmergencyAccident), Members: []MemberInput{self()}},
			nil, "accident_proof", 1, ProvideCommitment, -1, "因遭遇意外事故申请临时救助"},
		{"no accident proof for a disaster", Input{Categories: []model.Category{model.CatTemporaryAid}, Emergency: string(model.EmergencyDisaster), Members: []MemberInput{self()}},
			nil, "accident_proof", 0, "", 0, ""},
		{"an agent: the authorisation", Input{ByAgent: true, Members: []MemberInput{self()}},
			nil, "agent_authorization", 1, ProvideRequired, -1, "因由他人代为申请"},
		{"no agent: no authorisation", Input{Members: []MemberInput{self()}},
			nil, "agent_authorization", 0, "", 0, ""},
		{"in education: enrolment proof for that member", Input{Members: []MemberInput{self(), {Relation: model.RelChild, InEducation: true}}},
			nil, "enrollment_proof", 1, ProvideRequired, 1, "在读"},
		{"特困 with supporters: their circumstances", Input{Categories: []model.Category{model.CatExtremeHardship}, Supporters: 2, Members: []MemberInput{self()}},
			nil, "supporters_statement", 1, ProvideRequired, -1, "因申请特困且有法定赡养（抚养、扶养）义务人"},
		{"特困 without supporters: no statement", Input{Categories: []model.Category{model.CatExtremeHardship}, Members: []MemberInput{self()}},
			nil, "supporters_statement", 0, "", 0, ""},
		{"supporters but 低保 only: no statement", Input{Categories: []model.Category{model.CatMinimumLiving}, Supporters: 2, Members: []MemberInput{self()}},
			nil, "supporters_statement", 0, "", 0, ""},
		{"employed: income proof or a commitment", Input{Members: []MemberInput{self(), {Relation: model.RelSpouse, Adult: true, Employed: true}}},
			nil, "income_proof", 1, ProvideCommitment, 1, "有工作收入"},
		{"户籍 elsewhere: the residence permit", Input{Members: []MemberInput{{Relation: model.RelSelf, HukouElsewhere: true}}},
			nil, "residence_permit", 1, ProvideRequired, 0, "户籍不在本地"},
		{"a spouse: marriage by data sharing", Input{Members: []MemberInput{self(), {Relation: model.RelSpouse}}},
			nil, "marriage_record", 1, ProvideShared, -1, "是配偶"},
		{"every member's identity by data sharing", Input{Members: []MemberInput{self(), {Relation: model.RelSpouse}, {Relation: model.RelChild}}},
			nil, "id_card", 3, ProvideShared, 0, "家庭成员1（本人）"},
		{"the household register by data sharing", Input{Members: []MemberInput{self()}},
			nil, "household_register", 1, ProvideShared, -1, "所有申请均需"},
		{"a region disables an item", Input{ByAgent: true, Members: []MemberInput{self()}},
			[]Rule{override(county, "agent_authorization", "2026-01-01", "", func(r *Rule) { r.Disabled = true })}, "agent_authorization", 0, "", 0, ""},
		{"a region allows a commitment for enrolment", Input{Members: []MemberInput{self(), {Relation: model.RelChild, InEducation: true}}},
			[]Rule{override(county, "enrollment_proof", "2026-01-01", "", func(r *Rule) { r.CommitmentAllowed = true })}, "enrollment_proof", 1, ProvideCommitment, 1, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			items := Evaluate(c.in, append(NationalRules(), c.extra...), today)
			got := find(items, c.code)
			if len(got) != c.want {
				t.Fatalf("%d items of %s, want %d: %+v", len(got), c.code, c.want, items)
			}
			if c.want == 0 {
				return
			}
			it := got[0]
			if it.Provide != c.provide || it.Member != c.member || !strings.Contains(it.Why, c.why) {
				t.Fatalf("%s: %+v", c.code, it)
			}
			if (it.Provide == ProvideShared) != (it.Source != "") || it.ProvideLabel == "" || it.Name == "" || it.Note == "" {
				t.Fatalf("%s: provide %s, source %q, label %q", c.code, it.Provide, it.Source, it.ProvideLabel)
			}
		})
	}
}

// Household items first, by the declared order; then per-member items by rule order and member;
// one item per code and member.
func TestEvaluateOrderAndDedup(t *testing.T) {
	in := Input{Categories: []model.Category{model.CatExtremeHardship, model.CatTemporaryAid, model.CatIllnessPoverty}, ByAgent: true,
		Emergency: string(model.EmergencySeriousIllness), Supporters: 1,
		Members: []MemberInput{
			{Relation: model.RelSelf, Adult: true, Health: HealthSerious, DisabilityKind: "visual", DisabilityGrade: 1},
			{Relation: model.RelChild, Adult: true, Employed: true, InEducation: true, HukouElsewhere: true, Health: HealthSerious},
		}}
	items := Evaluate(in, NationalRules(), today)
	order := map[string]int{}
	for _, r := range NationalRules() {
		order[r.Code] = r.SortOrder
	}
	seen := map[string]bool{}
	memberPart := false
	for i, it := range items {
		key := fmt.Sprint(it.Code, "/", it.Member)
		if seen[key] {
			t.Fatalf("duplicate %s", key)
		}
		seen[key] = true
		if it.Member >= 0 {
			memberPart = true
		} else if memberPart {
			t.Fatalf("household item %s after per-member items", it.Code)
		}
		if i > 0 {
			prev := items[i-1]
			if (prev.Member < 0) == (it.Member < 0) && (order[prev.Code] > order[it.Code] || prev.Code == it.Code && prev.Member > it.Member) {
				t.Fatalf("out of order: %s/%d before %s/%d", prev.Code, prev.Member, it.Code, it.Member)
			}
		}
	}
	// medical receipts hold for three reasons: one item, every reason given
	mr := find(items, "medical_receipts")
	if len(mr) != 1 || !strings.Contains(mr[0].Why, "因突发重病申请临时救助") || !strings.Contains(mr[0].Why, "因申请因病致贫重病患者") ||
		!strings.Contains(mr[0].Why, "因家庭成员1、2患重病") {
		t.Fatalf("medical receipts: %+v", mr)
	}
	if d := find(items, "diagnosis_certificate"); len(d) != 2 || d[0].Member != 0 || d[1].Member != 1 {
		t.Fatalf("one diagnosis per ill member: %+v", d)
	}
	for _, code := range []string{"agent_authorization", "supporters_statement", "enrollment_proof", "income_proof", "residence_permit", "disability_certificate"} {
		if len(find(items, code)) != 1 {
			t.Errorf("%s missing: %+v", code, items)
		}
	}
}

// Same input → same list; the order of the categories and repeats do not matter; members in
// another order give the same items for the same people, in the same sequence of codes.
func TestEvaluateStable(t *testing.T) {
	members := []MemberInput{
		{Relation: model.RelSelf, Adult: true, Employed: true},
		{Relation: model.RelSpouse, Adult: true, DisabilityKind: "mental", DisabilityGrade: 3, Health: HealthSerious},
		{Relation: model.RelChild, InEducation: true},
		{Relation: model.RelParent, Adult: true, HukouElsewhere: true},
		{Relation: model.RelChild, InEducation: true, Health: HealthSerious},
	}
	base := Input{Categories: []model.Category{model.CatMinimumLiving, model.CatExtremeHardship, model.CatTemporaryAid},
		ByAgent: true, Emergency: string(model.EmergencyAccident), Supporters: 3, Members: members}
	rules := NationalRules()
	want := Evaluate(base, rules, today)
	if len(want) < 15 {
		t.Fatalf("only %d items", len(want))
	}
	rng := rand.New(rand.NewSource(7))
	for round := 0; round < 50; round++ {
		in := base
		in.Categories = append([]model.Category(nil), base.Categories...)
		in.Categories = append(in.Categories, base.Categories[rng.Intn(3)]) // a repeat
		rng.Shuffle(len(in.Categories), func(i, j int) { in.Categories[i], in.Categories[j] = in.Categories[j], in.Categories[i] })
		shuffled := append([]Rule(nil), rules...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if got := Evaluate(in, shuffled, today); !reflect.DeepEqual(got, want) {
			t.Fatalf("categories %v, rules shuffled: a different list\n got %+v\nwant %+v", in.Categories, got, want)
		}

		perm := rng.Perm(len(members)) // new position k holds old member perm[k]
		in.Members = make([]MemberInput, len(members))
		for k, old := range perm {
			in.Members[k] = members[old]
		}
		got := Evaluate(in, rules, today)
		if len(got) != len(want) {
			t.Fatalf("members shuffled: %d items, want %d", len(got), len(want))
		}
		type line struct {
			code, provide string
			member        int
		}
		canon := func(items []Item, old func(int) int) []line {
			out := make([]line, len(items))
			for i, it := range items {
				m := it.Member
				if m >= 0 {
					m = old(m)
				}
				out[i] = line{it.Code, it.Provide, m}
			}
			return out
		}
		g, w := canon(got, func(k int) int { return perm[k] }), canon(want, func(i int) int { return i })
		for i := range g {
			if g[i].code != w[i].code || g[i].provide != w[i].provide {
				t.Fatalf("members shuffled: item %d is %v, want %v", i, g[i], w[i])
			}
		}
		sortLines := func(l []line) {
			sort.Slice(l, func(i, j int) bool { return fmt.Sprint(l[i]) < fmt.Sprint(l[j]) })
		}
		sortLines(g)
		sortLines(w)
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("members shuffled: other people's items\n got %v\nwant %v", g, w)
		}
	}
}

// A region row replaces the national one only between its dates; a town's row beats the
// county's; a later row of the same area beats an earlier one.
func TestRegionOverrideDates(t *testing.T) {
	const town = "371522106000"
	rules := append(NationalRules(),
		override(county, "disability_certificate", "2026-03-01", "2026-06-30", func(r *Rule) { r.SharedSource = "" }),
		override(county, "disability_certificate", "2026-09-01", "", func(r *Rule) { r.SharedSource = "县残联" }),
		override(town, "enrollment_proof", "2026-05-01", "", func(r *Rule) { r.SharedSource = "教育" }),
		override(county, "enrollment_proof", "2026-01-01", "", func(r *Rule) { r.CommitmentAllowed = true }),
	)
	in := Input{Members: []MemberInput{self(), {Relation: model.RelChild, DisabilityKind: "hearing", DisabilityGrade: 2, InEducation: true}}}
	for _, c := range []struct {
		date, disability, source, enrol string
	}{
		{"2026-02-28", ProvideShared, "残联", ProvideCommitment},
		{"2026-03-01", ProvideRequired, "", ProvideCommitment},
		{"2026-06-30", ProvideRequired, "", ProvideShared},
		{"2026-07-01", ProvideShared, "残联", ProvideShared},
		{"2026-09-01", ProvideShared, "县残联", ProvideShared},
	} {
		items := Evaluate(in, rules, c.date)
		d, e := find(items, "disability_certificate"), find(items, "enrollment_proof")
		if len(d) != 1 || d[0].Provide != c.disability || d[0].Source != c.source {
			t.Errorf("%s: disability %+v, want %s %q", c.date, d, c.disability, c.source)
		}
		if len(e) != 1 || e[0].Provide != c.enrol {
			t.Errorf("%s: enrolment %+v, want %s", c.date, e, c.enrol)
		}
	}
	// before the national rules took effect: nothing applies
	if items := Evaluate(in, NationalRules(), "2020-12-31"); len(items) != 0 {
		t.Fatalf("before %s: %+v", NationalFrom, items)
	}
}

func TestMatchNames(t *testing.T) {
	rules := Resolve(NationalRules(), today)
	for name, want := range map[string]string{
		"户口簿": "household_register", "户口本": "household_register", " 户口簿复印件 ": "household_register", "户口簿（户主页）": "household_register",
		"残疾证": "disability_certificate", "残疾人证原件": "disability_certificate", "残疾证明（如有）": "disability_certificate",
		"疾病诊断证明": "diagnosis_certificate", "疾病诊断证明（6个月内）": "diagnosis_certificate", "房产证": "real_estate_record",
		"母亲的残疾证明": "disability_certificate", "张三户口本（户主页）复印件": "household_register", "李四身份证": "id_card",
		"近6个月收入证明": "income_proof", "李四住院费用票据": "", "低保申请书": "", "复印件": "", "": "",
	} {
		got := ""
		if r := Match(rules, name); r != nil {
			got = r.Code
		}
		if got != want {
			t.Errorf("Match(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestValidateRules(t *testing.T) {
	good := RuleInput{Code: "disability_certificate", Name: "残疾证", AppliesWhen: []string{"member_disabled"}, Scope: ScopeMember,
		EffectiveFrom: "2026-01-01"}
	if _, err := toRows([]RuleInput{good, {Code: "agent_authorization", Disabled: true, EffectiveFrom: "2026-01-01"}}); err != nil {
		t.Fatalf("valid rules: %v", err)
	}
	for _, c := range []struct {
		change func(*RuleInput)
		code   string
		field  string
	}{
		{func(r *RuleInput) { r.AppliesWhen = []string{"member_disabled", "moon_phase"} }, "checklist.unknown_condition", "rules[0].appliesWhen"},
		{func(r *RuleInput) { r.AppliesWhen = []string{"category:pension"} }, "checklist.unknown_condition", "rules[0].appliesWhen"},
		{func(r *RuleInput) { r.AppliesWhen = nil }, "checklist.unknown_condition", "rules[0].appliesWhen"},
		{func(r *RuleInput) { r.Scope = "village" }, "checklist.invalid_rules", "rules[0].scope"},
		{func(r *RuleInput) { r.Code = "残疾证" }, "checklist.invalid_rules", "rules[0].code"},
		{func(r *RuleInput) { r.EffectiveTo = "2025-12-31" }, "checklist.invalid_rules", "rules[0].effectiveTo"},
		{func(r *RuleInput) { r.Name = "" }, "checklist.invalid_rules", "rules[0].name"},
		{func(r *RuleInput) { r.Aliases = []string{"a,b"} }, "checklist.invalid_rules", "rules[0].aliases[0]"},
	} {
		r := good
		c.change(&r)
		_, err := toRows([]RuleInput{r})
		e := model.AsError(err)
		if err == nil || e.Code != c.code || e.Fields[c.field] == "" {
			t.Errorf("%+v: %v %v", r, err, e.Fields)
		}
	}
	_, err := toRows([]RuleInput{{Code: "x1", Name: "x", AppliesWhen: []string{"moon_phase"}, Scope: ScopeHousehold, EffectiveFrom: "2026-01-01"}})
	if e := model.AsError(err); !strings.Contains(e.Fields["rules[0].appliesWhen"], "moon_phase") || e.Kind != model.KindUnprocessable {
		t.Fatalf("the unknown kind is named: %v", e.Fields)
	}
	if _, err := toRows([]RuleInput{good, good}); model.AsError(err).Fields["rules[1].effectiveFrom"] == "" {
		t.Fatalf("a repeated code and date: %v", err)
	}
}

func TestNationalRulesValid(t *testing.T) {
	codes := map[string]bool{}
	for _, r := range NationalRules() {
		if codes[r.Code] {
			t.Errorf("code %s twice", r.Code)
		}
		codes[r.Code] = true
		if _, err := ParseConditions(r.AppliesWhen); err != nil {
			t.Errorf("%s: %v", r.Code, err)
		}
		in := RuleInput{Code: r.Code, Name: r.Name, Note: r.Note, AppliesWhen: strings.Split(r.AppliesWhen, ","), Scope: r.Scope,
			SharedSource: r.SharedSource, CommitmentAllowed: r.CommitmentAllowed, SortOrder: r.SortOrder, EffectiveFrom: r.EffectiveFrom}
		if r.Aliases != "" {
			in.Aliases = strings.Split(r.Aliases, ",")
		}
		if _, err := toRows([]RuleInput{in}); err != nil {
			t.Errorf("%s would not pass the administrators' validation: %v", r.Code, err)
		}
	}
}

func TestValidateInput(t *testing.T) {
	in := Input{Categories: []model.Category{"pension"}, Emergency: "flood", Supporters: -1,
		Members: []MemberInput{{Relation: "cousin", DisabilityKind: "physical", Health: "ok"}}}
	e := model.AsError(in.Validate())
	for _, f := range []string{"categories[0]", "emergency", "supporters", "members[0].relation", "members[0].disabilityGrade", "members[0].health"} {
		if e.Fields[f] == "" {
			t.Errorf("no hint for %s: %v", f, e.Fields)
		}
	}
	if e.Code != "checklist.invalid_input" || (&Input{Members: []MemberInput{self()}}).Validate() != nil {
		t.Fatalf("validate: %v", e)
	}
}

// BenchmarkEvaluate: a household of six under the national rules and two region overrides.
func BenchmarkEvaluate(b *testing.B) {
	rules := append(NationalRules(),
		override(county, "disability_certificate", "2026-01-01", "", func(r *Rule) { r.SharedSource = "" }),
		override("371522106000", "enrollment_proof", "2026-01-01", "", func(r *Rule) { r.CommitmentAllowed = true }))
	in := Input{Categories: []model.Category{model.CatMinimumLiving, model.CatExtremeHardship, model.CatTemporaryAid}, ByAgent: true,
		Emergency: string(model.EmergencySeriousIllness), Supporters: 2, Members: []MemberInput{
			{Relation: model.RelSelf, Adult: true, DisabilityKind: "physical", DisabilityGrade: 1},
			{Relation: model.RelSpouse, Adult: true, Health: HealthSerious, Employed: true},
			{Relation: model.RelChild, InEducation: true}, {Relation: model.RelChild, InEducation: true, HukouElsewhere: true},
			{Relation: model.RelParent, Adult: true, Health: HealthChronic}, {Relation: model.RelParent, Adult: true},
		}}
	b.ReportAllocs()
	for b.Loop() {
		if len(Evaluate(in, rules, today)) == 0 {
			b.Fatal("empty list")
		}
	}
}
