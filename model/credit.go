package model

import "time"

// 失信 records (issue 25, RECIPIENTS §6): a record on one person for benefits obtained by a false
// declaration, concealment, forgery or an unreported change. draft (town facts) → notified (the
// interview; a statement window of credit.statement_working_days) → confirmed (county, not the
// drafter: four eyes) → published (masked; only the gravest level, where the region says so) →
// expired | revoked | repaired. Never for a person lacking civil capacity. A record never
// refuses an application by itself: later reviews touching the person show it to staff.
const (
	CreditDraft     = "draft"
	CreditNotified  = "notified"
	CreditConfirmed = "confirmed"
	CreditPublished = "published"
	CreditExpired   = "expired"
	CreditRevoked   = "revoked"
	CreditRepaired  = "repaired"
)

// CreditStatusLabel is the Chinese name of a record's state.
func CreditStatusLabel(s string) string {
	return map[string]string{CreditDraft: "草拟", CreditNotified: "已告知（陈述申辩期）", CreditConfirmed: "已认定",
		CreditPublished: "已公示", CreditExpired: "已到期", CreditRevoked: "已撤销", CreditRepaired: "已修复"}[s]
}

// CreditConductLabel names a conduct ("" unknown).
func CreditConductLabel(c string) string {
	return map[string]string{"false_declaration": "虚报", "concealment": "隐瞒", "forgery": "伪造证明材料", "unreported_change": "情况变化未按规定告知"}[c]
}

// CreditLevelLabel names a level ("" unknown).
func CreditLevelLabel(l string) string {
	return map[string]string{"general": "一般", "serious": "较重", "grave": "严重"}[l]
}

// CreditActive: a record staff are shown on later reviews of the person.
func CreditActive(status string) bool { return status == CreditConfirmed || status == CreditPublished }

// CreditRecord is one 失信 record (credit_records).
type CreditRecord struct {
	ID                  uint64 `gorm:"primaryKey"`
	PublicID            string `gorm:"size:32;not null"`
	PersonBidx          string `gorm:"column:person_bidx;size:64;not null"`
	PersonMasked        string `gorm:"size:16;not null"`
	BenefitID           uint64 `gorm:"not null"` // the basis
	AreaCode            string `gorm:"size:12;not null"`
	TownCode            string `gorm:"size:12;not null"`
	CountyCode          string `gorm:"size:12;not null"`
	Conduct             string `gorm:"size:24;not null"`
	Level               string `gorm:"size:16;not null"`
	AmountObtainedCents int64  `gorm:"not null"`
	RecoveredCents      int64  `gorm:"not null;default:0"`
	Facts               string `gorm:"type:text;not null" seal:"text"`
	Status              string `gorm:"size:16;not null"`
	StatementDueOn      string `gorm:"size:10;not null;default:''"`
	Statement           string `gorm:"type:text;not null" seal:"text"` // 陈述申辩, the person's own words
	DraftedBy           uint64 `gorm:"column:drafted_by_staff_id;not null"`
	ConfirmedBy         uint64 `gorm:"column:confirmed_by_staff_id;not null;default:0"`
	ValidFrom           string `gorm:"size:10;not null;default:''"`
	ValidTo             string `gorm:"size:10;not null;default:''"`
	PublishedUntil      string `gorm:"size:10;not null;default:''"`
	EndReason           string `gorm:"type:text;not null" seal:"text"` // revoked / repaired: why
	Version             int    `gorm:"not null"`
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

func (CreditRecord) TableName() string { return "credit_records" }

// Credit settings (region): the statement window, validity, publication.
const (
	SetCreditStatementWD   SettingKey = "credit.statement_working_days" // 陈述申辩 window [DESIGN]
	SetCreditValidityMonth SettingKey = "credit.validity_months"        // how long a confirmed record counts
	SetCreditPublish       SettingKey = "credit.publish_grave"          // publish (masked) records of the gravest level
)

func creditSettings() []SettingSpec {
	return []SettingSpec{
		{Key: SetCreditStatementWD, Type: TypeInteger, Min: 1, Max: 30, Default: "5", Label: "失信记录：告知后陈述申辩期", Unit: "工作日", Group: GroupReview},
		{Key: SetCreditValidityMonth, Type: TypeInteger, Min: 1, Max: 60, Default: "24", Label: "失信记录：有效期", Unit: "月", Group: GroupReview},
		{Key: SetCreditPublish, Type: TypeBool, Default: "false", Label: "失信记录：严重等级的予以公示（姓名、身份证号加掩码）", Group: GroupReview},
	}
}

// CreditPolicy is the typed view of the credit settings.
type CreditPolicy struct {
	StatementWD, ValidityMonths int
	PublishGrave                bool
}
