package model

import "fmt"

// The categories that exclude each other (one table: the eligibility engine, the town's
// preliminary opinion and the county's decision all read it; docs/ELIGIBILITY.md prints it).
//
// A grant is one approved category for the household or, for 特困 and 单人保, one person.
// 单人保 is 低保 for one member (CatMinimumLiving with a member position).

// GrantKind names what a grant is for the exclusion table.
type GrantKind string

const (
	GrantMinimumLiving GrantKind = "minimum_living"   // 低保, the whole household
	GrantSinglePerson  GrantKind = "single_person"    // 单人保, one member of an edge household
	GrantEdge          GrantKind = "edge_household"   // 低保边缘家庭
	GrantExtreme       GrantKind = "extreme_hardship" // 特困, one person
	GrantIllness       GrantKind = "illness_poverty"  // 因病致贫重病患者, the household
	GrantTemporary     GrantKind = "temporary_aid"    // 临时救助: excludes nothing
)

// KindOf is the grant kind of a category at a position (HouseholdLevel or a member).
func KindOf(c Category, pos int) GrantKind {
	if c == CatMinimumLiving && pos != HouseholdLevel {
		return GrantSinglePerson
	}
	return GrantKind(c)
}

// Label is the Chinese name of a grant kind.
func (k GrantKind) Label() string {
	if k == GrantSinglePerson {
		return "单人保"
	}
	return Category(k).Label()
}

// Exclusion is one row of the table: A and B are never granted together (SamePerson: only
// for the same member; otherwise anywhere in the household). Err names the rule.
type Exclusion struct {
	A, B       GrantKind
	SamePerson bool
	Err        *Error
}

// Exclusions is the table.
var Exclusions = [...]Exclusion{
	{GrantMinimumLiving, GrantEdge, false, E(KindUnprocessable, "exclusion.minimum_living_edge_household",
		"低保边缘家庭是不符合低保条件的家庭，不能同时认定为低保家庭和低保边缘家庭")},
	{GrantMinimumLiving, GrantExtreme, false, E(KindUnprocessable, "exclusion.minimum_living_extreme_hardship",
		"特困人员不再同时享受低保：家庭低保已包括该成员，不能同时批准")},
	{GrantMinimumLiving, GrantSinglePerson, false, E(KindUnprocessable, "exclusion.minimum_living_single_person",
		"单人保只适用于低保边缘家庭的成员，全户享受低保的不能再批准单人保")},
	{GrantExtreme, GrantSinglePerson, true, E(KindUnprocessable, "exclusion.extreme_hardship_single_person",
		"同一人不能同时认定为特困人员和单人保")},
	{GrantExtreme, GrantEdge, false, E(KindUnprocessable, "exclusion.extreme_hardship_edge_household",
		"低保边缘家庭是不符合低保、特困条件的家庭，有成员认定为特困人员的家庭不能同时认定为低保边缘家庭")},
	{GrantIllness, GrantMinimumLiving, false, errIllnessCovered},
	{GrantIllness, GrantSinglePerson, false, errIllnessCovered},
	{GrantIllness, GrantEdge, false, errIllnessCovered},
	{GrantIllness, GrantExtreme, false, errIllnessCovered},
}

var errIllnessCovered = E(KindUnprocessable, "exclusion.illness_poverty_covered",
	"因病致贫重病患者家庭是不属于低保、特困、低保边缘的家庭，已获这些救助的不能同时认定")

// Grant is one approved entry: a category for the household or a member.
type Grant struct {
	Category       Category
	MemberPosition int
}

// Excludes reports the table row that forbids a and b together, or nil.
func Excludes(a, b Grant) *Exclusion {
	ka, kb := KindOf(a.Category, a.MemberPosition), KindOf(b.Category, b.MemberPosition)
	for i := range Exclusions {
		x := &Exclusions[i]
		if !(x.A == ka && x.B == kb) && !(x.A == kb && x.B == ka) {
			continue
		}
		if x.SamePerson && a.MemberPosition != b.MemberPosition {
			continue
		}
		return x
	}
	return nil
}

func grantLabel(g Grant) string {
	k := KindOf(g.Category, g.MemberPosition)
	if g.MemberPosition != HouseholdLevel {
		return fmt.Sprintf("成员%d的%s", g.MemberPosition+1, k.Label())
	}
	return k.Label()
}
