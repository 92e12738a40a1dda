package model

import "time"

// ChecklistRule is one document of the one-time list (一次性告知) and when it is asked for:
// national rows (AreaCode "") and region overrides of the same Code, each in force from
// EffectiveFrom to EffectiveTo (inclusive; "" = open). The most specific area in force wins,
// inherited down the area tree like the region settings. service/checklist evaluates them.
type ChecklistRule struct {
	ID       uint64 `gorm:"primaryKey"`
	AreaCode string `gorm:"size:12;not null"` // "" national; else the 12-digit code of the overriding region
	Code     string `gorm:"size:48;not null"` // stable item code (disability_certificate)
	Name     string `gorm:"size:64;not null"` // 残疾证
	Note     string `gorm:"size:255;not null"`
	// AppliesWhen is the comma-separated list of conditions ("member_disabled",
	// "category:extreme_hardship"); the rule applies when any of them holds.
	AppliesWhen string `gorm:"column:applies_when;size:255;not null"`
	Scope       string `gorm:"size:16;not null"` // household | member
	// SharedSource names the department whose data sharing supplies the document ("" none): the
	// resident need not provide it.
	SharedSource      string `gorm:"size:64;not null"`
	CommitmentAllowed bool   `gorm:"not null"`          // 告知承诺: a signed commitment may replace it
	Disabled          bool   `gorm:"not null"`          // a region switches the item off for its subtree
	Aliases           string `gorm:"size:255;not null"` // other names for it, comma-separated (户口本)
	SortOrder         int    `gorm:"not null"`
	EffectiveFrom     string `gorm:"size:10;not null"`
	EffectiveTo       string `gorm:"size:10;not null"`
	UpdatedAt         time.Time
}

func (ChecklistRule) TableName() string { return "checklist_rules" }

// InForce reports whether the row applies on date (YYYY-MM-DD).
func (r *ChecklistRule) InForce(date string) bool {
	return r.EffectiveFrom <= date && (r.EffectiveTo == "" || date <= r.EffectiveTo)
}
