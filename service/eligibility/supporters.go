package eligibility

import (
	"fmt"
	"strings"
	"time"

	"palmaid/model"
)

// noWorkAbility is why a person counts as unable to work for 特困 ("" when they do not): 60 or
// older, under 16, intellectual or mental disability grade 1–3, physical grade 1–2, visual grade 1.
func noWorkAbility(m MemberFacts, age int) string {
	g := m.DisabilityGrade
	switch {
	case age >= 60:
		return fmt.Sprintf("年满60周岁（%d岁）", age)
	case age < 16:
		return fmt.Sprintf("未满16周岁（%d岁）", age)
	case (m.DisabilityKind == "intellectual" || m.DisabilityKind == "mental") && g >= 1 && g <= 3:
		return fmt.Sprintf("%s残疾%d级", model.DisabilityKind(m.DisabilityKind).Label(), g)
	case m.DisabilityKind == "physical" && g >= 1 && g <= 2:
		return fmt.Sprintf("肢体残疾%d级", g)
	case m.DisabilityKind == "visual" && g == 1:
		return "视力残疾1级"
	}
	return ""
}

func (e *engine) age(i int) int {
	birth, _ := time.Parse(time.DateOnly, e.f.Members[i].BirthDate)
	return model.AgeOn(birth, e.on)
}

// Kinship of member j to member i, worked out from both relations to the applicant
// (members[0] is "self"). Only the links the relations settle are drawn: the applicant and
// the spouse are each other's spouses and the parents of the applicant's children; the
// applicant's parents are the parents of the applicant and of the applicant's siblings.
const (
	kinSpouse = "spouse"
	kinParent = "parent" // j is a parent of i
	kinChild  = "child"  // j is a child of i
)

func kinship(ri, rj model.Relation) string {
	couple := func(r model.Relation) bool { return r == model.RelSelf || r == model.RelSpouse }
	switch {
	case couple(ri) && couple(rj) && ri != rj:
		return kinSpouse
	case ri == model.RelChild && couple(rj), (ri == model.RelSelf || ri == model.RelSibling) && rj == model.RelParent:
		return kinParent
	case rj == model.RelChild && couple(ri), (rj == model.RelSelf || rj == model.RelSibling) && ri == model.RelParent:
		return kinChild
	}
	return ""
}

var kinLabel = map[string]string{kinSpouse: "配偶", kinParent: "父母", kinChild: "子女"}

// dependent: an adult child who cannot live independently (severely disabled or seriously ill,
// or unable to work), to whom the parents still owe support.
func dependent(m MemberFacts) bool { return severe(m) || m.WorkAbility == "none" }

// supporter is one legal supporter of a member, in the household or elsewhere.
type supporter struct {
	who     string // 配偶, 父母, 子女 (in the household) or the declared relation (elsewhere)
	home    bool   // lives in the household
	ability string // able, unable, "" (to be checked)
	reason  string
}

// householdSupporters are the members who owe member i support: the spouse; a parent of a
// minor or of an adult child who cannot live independently; an adult child. Each one's
// ability is judged from their age, disability, work ability and own income.
func (e *engine) householdSupporters(i int) []supporter {
	var out []supporter
	mi, agei := e.f.Members[i], e.age(i)
	for j, mj := range e.f.Members {
		if j == i {
			continue
		}
		k := kinship(mi.Relation, mj.Relation)
		agej := e.age(j)
		switch {
		case k == kinSpouse:
		case k == kinParent && (agei < 18 || dependent(mi)):
		case k == kinChild && agej >= 18:
		default:
			continue
		}
		s := supporter{who: fmt.Sprintf("%s（成员%d）", kinLabel[k], j+1), home: true}
		own := e.memberNet[j]
		switch {
		case own >= e.s:
			s.ability, s.reason = "able", fmt.Sprintf("月收入%s，不低于低保标准%s", yuan(own), yuan(e.s))
		case mj.DisabilityGrade > 0 && severe(MemberFacts{DisabilityKind: mj.DisabilityKind, DisabilityGrade: mj.DisabilityGrade}):
			s.ability, s.reason = "unable", "重度残疾，月收入低于低保标准"
		case agej >= 70:
			s.ability, s.reason = "unable", fmt.Sprintf("年满70周岁（%d岁），月收入低于低保标准", agej)
		case noWorkAbility(mj, agej) != "":
			s.reason = noWorkAbility(mj, agej) + "，月收入低于低保标准，是否有履行能力需核实"
		case mj.WorkAbility == "none" || mj.WorkAbility == "partial" || mj.Health == "serious":
			s.reason = "劳动能力受限，月收入低于低保标准，是否有履行能力需核实"
		default:
			s.reason = fmt.Sprintf("%d岁，有劳动能力，月收入%s低于低保标准，是否有履行能力需核实", agej, yuan(own))
		}
		out = append(out, s)
	}
	return out
}

// supporterCheck is the 特困 supporter rule for member i: no legal supporter, or every one
// unable to support. An able supporter is named (by relation) in the refusal.
func (e *engine) supporterCheck(i int) Check {
	all := e.householdSupporters(i)
	home := len(all)
	for _, s := range e.f.Supporters {
		if s.ForMember != i {
			continue
		}
		ab := ""
		switch s.Ability {
		case "able":
			ab = "able"
		case "":
		default:
			ab = "unable"
		}
		who := s.Relation
		if who == "" {
			who = "义务人"
		}
		all = append(all, supporter{who: who, ability: ab, reason: supporterAbility[s.Ability]})
	}
	var able, unknown []string
	for _, s := range all {
		where := "不在本户居住的"
		if s.home {
			where = "共同生活的"
		}
		line := where + s.who + "：" + s.reason
		switch s.ability {
		case "able":
			able = append(able, line)
		case "":
			unknown = append(unknown, line)
		}
	}
	c := Check{Rule: "extreme.supporters", Outcome: Pass, Figures: map[string]int64{"supporters": int64(len(all)),
		"inHousehold": int64(home), "able": int64(len(able)), "unknown": int64(len(unknown))}}
	switch {
	case len(all) == 0:
		c.Resident, c.Staff = "没有法定赡养、抚养、扶养义务人（共同生活的家庭成员中也没有）", "义务人 0 人（户内 0 人）"
	case len(able) > 0:
		c.Outcome = Fail
		c.Resident = "有具备赡养（抚养、扶养）能力的义务人：" + strings.Join(able, "；")
		c.Staff = fmt.Sprintf("不符合：义务人 %d 人（户内 %d 人），有能力 %d 人：%s", len(all), home, len(able), strings.Join(able, "；"))
	case len(unknown) > 0:
		c.Outcome = Review
		c.Resident = "义务人是否有能力需要工作人员核实：" + strings.Join(unknown, "；")
		c.Staff = fmt.Sprintf("义务人 %d 人（户内 %d 人），情况待核实 %d 人：%s", len(all), home, len(unknown), strings.Join(unknown, "；"))
	default:
		lines := make([]string, len(all))
		for k, s := range all {
			lines[k] = s.who + "：" + s.reason
		}
		c.Resident = "义务人均无赡养（抚养、扶养）能力：" + strings.Join(lines, "；")
		c.Staff = fmt.Sprintf("义务人 %d 人（户内 %d 人），均无能力", len(all), home)
	}
	return c
}

// eligibleMembers are the members whose 特困 result is eligible.
func eligibleMembers(extreme []Result) []int {
	var out []int
	for i, r := range extreme {
		if r.Status == Eligible {
			out = append(out, i)
		}
	}
	return out
}

func positions(members []int) string {
	parts := make([]string, len(members))
	for k, i := range members {
		parts[k] = fmt.Sprintf("成员%d", i+1)
	}
	return strings.Join(parts, "、")
}

// excludeMinimumLiving applies the exclusion table to household 低保: a 特困 person is not also
// paid 低保. When every member qualifies for 特困, 低保 is not suggested; when some do, whether
// the others get 低保 is the officer's call (the household would have to be assessed without
// the 特困 member), so the result is needs_review with no amount.
func (e *engine) excludeMinimumLiving(ml Result, extreme []Result) Result {
	who := eligibleMembers(extreme)
	if ml.Status != Eligible || len(who) == 0 {
		return ml
	}
	ml.AmountCents, ml.Period = 0, "none"
	c := Check{Rule: "exclusion.minimum_living_extreme_hardship", Outcome: Fail,
		Staff: "符合特困的成员：" + positions(who) + "；特困人员不再同时享受低保"}
	if len(who) == len(extreme) {
		ml.Status = NotEligible
		c.Resident = "符合特困条件，按特困供养，不再同时享受低保"
	} else {
		ml.Status, c.Outcome = NeedsReview, Review
		c.Resident = "家中有成员符合特困条件，特困人员不再同时享受低保；其余成员是否享受低保需工作人员核实"
	}
	ml.Checks = append(ml.Checks, c)
	return ml
}
