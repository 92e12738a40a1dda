package cases

import (
	"fmt"
	"palmaid/model"
	"palmaid/service/eligibility"
	"palmaid/service/residents"
	"strings"
	"time"
	"unicode/utf8"
)

var (
	hukouTypes  = map[string]bool{"local": true, "elsewhere": true}
	employments = map[string]bool{"employed": true, "self_employed": true, "farming": true, "unemployed": true, "retired": true, "student": true, "none": true}
	errFacts    = model.E(model.KindUnprocessable, "case.invalid_facts", "填写的家庭情况有误，请按提示修改")
	errGaps     = model.E(model.KindUnprocessable, "case.incomplete", "申请信息还不完整，请按提示补充后再提交")
)

// Gaps collects field paths with a hint each.
type Gaps map[string]string

// Add names a gap (up to 100).
func (g Gaps) Add(path, hint string) {
	if len(g) < 100 {
		g[path] = hint
	}
}

// Err is base with every gap as a field, or nil when there is none.
func (g Gaps) Err(base *model.Error) error {
	if len(g) == 0 {
		return nil
	}
	e := *base
	e.Fields = g
	return &e
}

// ValidateShape checks what is filled in (a draft may be incomplete): every present value must
// be well-formed. One 422 names every bad field.
func ValidateShape(f *model.HouseholdFacts, today time.Time) error {
	g := Gaps{}
	if f.Residence != "" && f.Residence != "urban" && f.Residence != "rural" {
		g.Add("facts.residence", "城镇（urban）或农村（rural）")
	}
	if len(f.Members) > maxMembers {
		g.Add("facts.members", fmt.Sprintf("最多%d人", maxMembers))
	}
	seen := map[string]int{}
	for i, m := range f.Members {
		if i >= maxMembers {
			break
		}
		p := fmt.Sprintf("facts.members[%d].", i)
		if m.Relation != "" && (!m.Relation.Valid() || (i == 0) != (m.Relation == model.RelSelf)) {
			g.Add(p+"relation", "第一位为申请救助的本人（self），其余填写与其关系")
		}
		if m.Name != "" && !residents.ValidName(m.Name) {
			g.Add(p+"name", "请填写与身份证一致的姓名")
		}
		if m.IDNumber != "" {
			if err := model.ValidateIDNumber(m.IDNumber, today); err != nil {
				g.Add(p+"idNumber", "身份证号不正确")
			} else if j, dup := seen[m.IDNumber]; dup {
				g.Add(p+"idNumber", fmt.Sprintf("与第%d位成员重复", j+1))
			} else {
				seen[m.IDNumber] = i
			}
		}
		if m.HukouType != "" && !hukouTypes[m.HukouType] {
			g.Add(p+"hukouType", "本地（local）或外地（elsewhere）")
		}
		if utf8.RuneCountInString(m.HukouPlace) > 60 {
			g.Add(p+"hukouPlace", "最多60字")
		}
		if utf8.RuneCountInString(m.SeriousIllness) > 60 {
			g.Add(p+"seriousIllness", "最多60字")
		}
		if m.Employment != "" && !employments[m.Employment] {
			g.Add(p+"employment", "就业状况不正确")
		}
	}
	for i, in := range f.Income {
		p := fmt.Sprintf("facts.income[%d].", i)
		if in.Period != "" && in.Period != "monthly" && in.Period != "yearly" {
			g.Add(p+"period", "按月（monthly）或按年（yearly）")
		}
		if utf8.RuneCountInString(in.Source) > 60 {
			g.Add(p+"source", "最多60字")
		}
	}
	for i, s := range f.Supporter {
		p := fmt.Sprintf("facts.supporters[%d].", i)
		if s.Name != "" && !residents.ValidName(s.Name) {
			g.Add(p+"name", "请填写与身份证一致的姓名")
		}
		if s.IDNumber != "" && model.ValidateIDNumber(s.IDNumber, today) != nil {
			g.Add(p+"idNumber", "身份证号不正确")
		}
	}
	// The engine's own checks (kinds, amounts, grades, emergency) on what is there.
	if err := eligibility.FromDeclaration(f, today, true).Validate(today); err != nil {
		for k, v := range model.AsError(err).Fields {
			if !strings.HasSuffix(k, "birthDate") && !strings.HasSuffix(k, "relation") && k != "residence" && k != "members" {
				g.Add("facts."+k, v)
			}
		}
	}
	return g.Err(errFacts)
}

// Completeness checks, at submission, that everything the requested categories need is
// declared; every gap is named by its field path.
func Completeness(f *model.HouseholdFacts, cats []model.Category, today time.Time) error {
	g := Gaps{}
	if f.Residence == "" {
		g.Add("facts.residence", "请选择城镇或农村")
	}
	if len(f.Members) == 0 {
		g.Add("facts.members", "请填写家庭成员")
	}
	for i, m := range f.Members {
		p := fmt.Sprintf("facts.members[%d].", i)
		if m.Relation == "" {
			g.Add(p+"relation", "必填")
		}
		if m.Name == "" {
			g.Add(p+"name", "必填")
		}
		if m.IDNumber == "" {
			g.Add(p+"idNumber", "必填")
		}
		if m.HukouType == "" {
			g.Add(p+"hukouType", "请选择户籍在本地或外地")
		}
		if m.HukouType == "elsewhere" && m.HukouPlace == "" {
			g.Add(p+"hukouPlace", "请填写户籍所在地")
		}
		if m.Health == "" {
			g.Add(p+"health", "请选择健康状况")
		}
		if m.Health == "serious" && m.SeriousIllness == "" {
			g.Add(p+"seriousIllness", "请填写所患重病")
		}
		age := ageOn(m.IDNumber, today)
		if age >= 16 && m.WorkAbility == "" {
			g.Add(p+"workAbility", "请选择劳动能力")
		}
		if age >= 16 && m.Employment == "" {
			g.Add(p+"employment", "请选择就业状况")
		}
	}
	if len(f.Income) == 0 && !f.NoIncome {
		g.Add("facts.income", "请填写收入，或确认全家无收入")
	}
	for i, in := range f.Income {
		if in.Period == "" {
			g.Add(fmt.Sprintf("facts.income[%d].period", i), "请选择按月或按年")
		}
	}
	if !f.Assets.Declared {
		g.Add("facts.assets.declared", "请申报家庭财产（没有也请确认）")
	}
	for _, c := range cats {
		switch c {
		case model.CatExtremeHardship:
			if len(f.Supporter) == 0 && !f.NoSupporters {
				g.Add("facts.supporters", "申请特困供养须填写法定赡养（抚养、扶养）义务人，没有请确认")
			}
			for i, s := range f.Supporter {
				p := fmt.Sprintf("facts.supporters[%d].", i)
				if s.Name == "" {
					g.Add(p+"name", "必填")
				}
				if s.IDNumber == "" {
					g.Add(p+"idNumber", "必填")
				}
				if s.Ability == "" {
					g.Add(p+"ability", "请选择赡养能力情况")
				}
			}
		case model.CatTemporaryAid:
			if f.Emergency == "" && f.EssentialSpendingCents == 0 {
				g.Add("facts.emergency", "申请临时救助须说明遇到的突发事件或刚性支出")
			}
		}
	}
	return g.Err(errGaps)
}

func ageOn(id string, today time.Time) int {
	b, ok := model.BirthDateFromID(id)
	if !ok {
		return -1
	}
	return model.AgeOn(b, today)
}

// adult: 18 or older on the date (consents are asked of adults).
func Adult(id string, today time.Time) bool { return ageOn(id, today) >= 18 }

const maxMembers = 20
