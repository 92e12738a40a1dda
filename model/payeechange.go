package model

import "time"

// States of a resident's request to change the payee account.
const (
	AccountChangePending  = "pending"  // 待核实
	AccountChangeVerified = "verified" // 已核实（已启用新账户）
	AccountChangeRejected = "rejected" // 未通过
)

// AccountChangeRequest is a resident's request to change the payee account of a benefit: the
// number and holder sealed, the last four in clear, until the town verifies it (the account is
// then recorded as the town's) or refuses it with a reason.
type AccountChangeRequest struct {
	ID             uint64 `gorm:"primaryKey"`
	BenefitID      uint64 `gorm:"not null"`
	ResidentID     uint64 `gorm:"not null"`
	Kind           string `gorm:"size:32;not null"`
	Bank           string `gorm:"size:64;not null"`
	HolderMasked   string `gorm:"size:16;not null"`
	HolderEnc      []byte `gorm:"not null"`
	NumberEnc      []byte `gorm:"not null"`
	Tail4          string `gorm:"column:tail4;size:4;not null"`
	Status         string `gorm:"size:16;not null"`
	Reason         string `gorm:"type:text;not null;default:''" seal:"text"` // the town's reason for refusing
	DecidedByStaff uint64 `gorm:"column:decided_by_staff_id;not null;default:0"`
	DecidedAt      *time.Time
	CreatedAt      time.Time
}

func (AccountChangeRequest) TableName() string { return "payee_account_requests" }
