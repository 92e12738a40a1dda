package model

// Category is one of the five aid categories reviewed together (五合一).
type Category string

const (
	CatMinimumLiving   Category = "minimum_living"   // 低保
	CatExtremeHardship Category = "extreme_hardship" // 特困
	CatTemporaryAid    Category = "temporary_aid"    // 临时救助
	CatEdgeHousehold   Category = "edge_household"   // 低保边缘家庭
	CatIllnessPoverty  Category = "illness_poverty"  // 因病致贫重病患者
)

// AllCategories lists the five in review order.
var AllCategories = [...]Category{CatMinimumLiving, CatExtremeHardship, CatTemporaryAid, CatEdgeHousehold, CatIllnessPoverty}

// Label is the Chinese name.
func (c Category) Label() string {
	switch c {
	case CatMinimumLiving:
		return "低保"
	case CatExtremeHardship:
		return "特困"
	case CatTemporaryAid:
		return "临时救助"
	case CatEdgeHousehold:
		return "低保边缘家庭"
	case CatIllnessPoverty:
		return "因病致贫重病患者"
	}
	return ""
}

// Valid reports whether c is one of the five.
func (c Category) Valid() bool { return c.Label() != "" }

// Requestable reports whether a resident may ask for c directly; the other two are
// classifications the review makes.
func (c Category) Requestable() bool {
	return c == CatMinimumLiving || c == CatExtremeHardship || c == CatTemporaryAid
}

// CaseCategory records that a case is reviewed for a category; Requested marks what the
// applicant asked for.
type CaseCategory struct {
	CaseID    uint64   `gorm:"primaryKey;autoIncrement:false"`
	Category  Category `gorm:"primaryKey;size:32"`
	Requested bool     `gorm:"not null"`
}

func (CaseCategory) TableName() string { return "case_categories" }
