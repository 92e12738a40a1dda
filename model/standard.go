package model

import "time"

// Standard-change batch states (调标): prepared (a preview of old and new amounts per household)
// → applied (approved by another county officer: four eyes) | cancelled.
const (
	BatchPrepared = "prepared"
	BatchApplied  = "applied"
	BatchCanceled = "cancelled"
)

// StandardBatch is a county's recomputation of every active 低保 amount for a new standard S
// effective from a month: S × persons − the household's counted income as recorded on the
// benefit (its standard × persons − its amount).
type StandardBatch struct {
	ID             uint64 `gorm:"primaryKey"`
	PublicID       string `gorm:"size:32;not null"`
	CountyCode     string `gorm:"size:12;not null"`
	StandardCents  int64  `gorm:"not null"`
	EffectiveMonth string `gorm:"size:7;not null"`
	Status         string `gorm:"size:16;not null"`
	Households     int    `gorm:"not null"`
	OldTotalCents  int64  `gorm:"not null"`
	NewTotalCents  int64  `gorm:"not null"`
	PreparedBy     uint64 `gorm:"column:prepared_by_staff_id;not null"`
	ApprovedBy     uint64 `gorm:"column:approved_by_staff_id;not null;default:0"`
	ApprovedAt     *time.Time
	Version        int `gorm:"not null"`
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (StandardBatch) TableName() string { return "standard_batches" }

// StandardBatchLine is one household's old and new amount in a batch. Skipped lines (no
// recorded standard, or no amount left under the new standard) change nothing: they need a
// review of their own.
type StandardBatchLine struct {
	ID           uint64 `gorm:"primaryKey"`
	BatchID      uint64 `gorm:"not null"`
	BenefitID    uint64 `gorm:"not null"`
	BenefitPub   string `gorm:"column:benefit_public_id;size:32;not null"`
	TownCode     string `gorm:"size:12;not null"`
	PersonMasked string `gorm:"size:16;not null"`
	Persons      int    `gorm:"not null"`
	IncomeCents  int64  `gorm:"not null"`
	OldCents     int64  `gorm:"not null"`
	NewCents     int64  `gorm:"not null"`
	Skipped      string `gorm:"size:32;not null;default:''"` // "" | no_standard | no_amount
}

func (StandardBatchLine) TableName() string { return "standard_batch_lines" }

// StandardLine computes one household's line: income = old standard × persons − old amount;
// new = S × persons − income.
func StandardLine(b *Benefit, s int64) StandardBatchLine {
	l := StandardBatchLine{BenefitID: b.ID, BenefitPub: b.PublicID, TownCode: b.TownCode, PersonMasked: b.PersonMasked, Persons: b.Persons, OldCents: b.MonthlyCents}
	if b.StandardCents <= 0 {
		l.NewCents, l.Skipped = b.MonthlyCents, "no_standard"
		return l
	}
	l.IncomeCents = max(b.StandardCents*int64(b.Persons)-b.MonthlyCents, 0)
	l.NewCents = s*int64(b.Persons) - l.IncomeCents
	if l.NewCents <= 0 {
		l.NewCents, l.Skipped = b.MonthlyCents, "no_amount"
	}
	return l
}
