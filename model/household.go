package model

import "time"

// Relation of a household member to the applicant.
type Relation string

const (
	RelSelf        Relation = "self"
	RelSpouse      Relation = "spouse"
	RelChild       Relation = "child"
	RelParent      Relation = "parent"
	RelGrandchild  Relation = "grandchild"
	RelGrandparent Relation = "grandparent"
	RelSibling     Relation = "sibling"
	RelOther       Relation = "other"
)

// RelationNames maps each relation to its Chinese label.
func (r Relation) Label() string {
	switch r {
	case RelSelf:
		return "本人"
	case RelSpouse:
		return "配偶"
	case RelChild:
		return "子女"
	case RelParent:
		return "父母"
	case RelGrandchild:
		return "孙子女"
	case RelGrandparent:
		return "祖父母"
	case RelSibling:
		return "兄弟姐妹"
	case RelOther:
		return "其他"
	}
	return ""
}

// Valid reports whether r is a known relation.
func (r Relation) Valid() bool { return r.Label() != "" }

// Household is the unit of 共同生活的家庭成员, located in a village/community.
type Household struct {
	ID        uint64 `gorm:"primaryKey"`
	AreaCode  string `gorm:"size:12;not null"`
	Address   string `gorm:"type:text;not null;default:''" seal:"text"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (Household) TableName() string { return "households" }

// Member is one person of a household. Disability, health and work ability feed the 特困 and
// 单人保 rules in later issues.
type Member struct {
	ID              uint64   `gorm:"primaryKey"`
	HouseholdID     uint64   `gorm:"not null"`
	Position        int      `gorm:"not null"`
	Relation        Relation `gorm:"size:16;not null"`
	Name            string   `gorm:"size:64;not null"`
	IDEnc           []byte   `gorm:"column:id_enc;size:128"`
	IDBidx          string   `gorm:"column:id_bidx;size:64;not null"`
	IDMasked        string   `gorm:"column:id_masked;size:18;not null"`
	Gender          string   `gorm:"size:8;not null;default:''"`
	DisabilityKind  string   `gorm:"size:16;not null;default:''"` // physical, visual, hearing, speech, intellectual, mental, multiple
	DisabilityGrade int      `gorm:"not null;default:0"`          // 1–4, 0 = none
	Health          string   `gorm:"size:16;not null;default:''"` // healthy, chronic, serious
	WorkAbility     string   `gorm:"size:16;not null;default:''"` // full, partial, none
	HukouType       string   `gorm:"size:16;not null;default:''"` // local, elsewhere
	InEducation     bool     `gorm:"not null;default:false"`
	Employment      string   `gorm:"size:16;not null;default:''"` // employed, self_employed, farming, unemployed, retired, student, none
	CreatedAt       time.Time
}

func (Member) TableName() string { return "household_members" }

// IncomeItem is a monthly income line of a member (amounts in fen).
type IncomeItem struct {
	ID           uint64 `gorm:"primaryKey"`
	HouseholdID  uint64 `gorm:"not null"`
	MemberID     *uint64
	Kind         string `gorm:"size:32;not null"` // wage, business, property, transfer_in, transfer_out, other
	MonthlyCents int64  `gorm:"not null"`
	Note         string `gorm:"type:text;not null;default:''" seal:"text"`
	CreatedAt    time.Time
}

func (IncomeItem) TableName() string { return "income_items" }

// AssetItem is an asset of the household (amounts in fen).
type AssetItem struct {
	ID          uint64 `gorm:"primaryKey"`
	HouseholdID uint64 `gorm:"not null"`
	Kind        string `gorm:"size:32;not null"` // deposit, securities, vehicle, real_estate, business, other
	ValueCents  int64  `gorm:"not null"`
	Note        string `gorm:"type:text;not null;default:''" seal:"text"`
	CreatedAt   time.Time
}

func (AssetItem) TableName() string { return "asset_items" }

// Supporter is a legal supporter (法定赡养/抚养/扶养义务人) living outside the household; matters for 特困.
type Supporter struct {
	ID          uint64 `gorm:"primaryKey"`
	HouseholdID uint64 `gorm:"not null"`
	ForMemberID *uint64
	Relation    string `gorm:"size:16;not null"`
	Name        string `gorm:"size:64;not null"`
	IDEnc       []byte `gorm:"column:id_enc;size:128"`
	IDBidx      string `gorm:"column:id_bidx;size:64;not null;default:''"`
	IDMasked    string `gorm:"column:id_masked;size:18;not null;default:''"`
	Ability     string `gorm:"size:32;not null;default:''"` // able, unable_tekun, unable_dibao_60, unable_70_low_income, unable_disabled, missing, imprisoned
	CreatedAt   time.Time
}

func (Supporter) TableName() string { return "legal_supporters" }
