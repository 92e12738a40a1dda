package model

import (
	"sort"
	"time"
)

// BenefitStatus is where a recipient record (在保对象) stands.
type BenefitStatus string

const (
	BenefitActive      BenefitStatus = "active"       // 在保
	BenefitGradualExit BenefitStatus = "gradual_exit" // 渐退期
	BenefitSuspended   BenefitStatus = "suspended"    // 暂停发放
	BenefitTerminated  BenefitStatus = "terminated"   // 已停保
)

// Label is the Chinese text shown to residents and staff.
func (s BenefitStatus) Label() string {
	switch s {
	case BenefitActive:
		return "在保"
	case BenefitGradualExit:
		return "渐退期"
	case BenefitSuspended:
		return "暂停发放"
	case BenefitTerminated:
		return "已停保"
	}
	return ""
}

// Benefit is the recipient record: one per household (低保) or per person (特困, 单人保). It
// outlives the case that created it; payments and (later) reviews act on it. Its amount in a
// month is a function of its append-only changes (PaysIn); the columns here are the current
// state for lists and scoping.
type Benefit struct {
	ID             uint64   `gorm:"primaryKey"`
	PublicID       string   `gorm:"size:32;not null"`
	Category       Category `gorm:"size:32;not null"`
	HouseholdID    uint64   `gorm:"not null"`
	MemberID       *uint64  // the person of a per-person benefit (特困, 单人保); nil for a household
	MemberPosition int      `gorm:"not null"` // HouseholdLevel for a household
	// PersonBidx is the blind index of the ID number of the person the benefit is paid for
	// (the household head for 低保): that person, logged in with a verified identity, sees it.
	PersonBidx            string `gorm:"column:person_bidx;size:64;not null;default:''"`
	PersonMasked          string `gorm:"size:16;not null;default:''"` // masked name
	BeneficiaryResidentID *uint64
	AgentResidentID       *uint64
	AreaCode              string        `gorm:"size:12;not null"`
	TownCode              string        `gorm:"size:12;not null"`
	CountyCode            string        `gorm:"size:12;not null"`
	Status                BenefitStatus `gorm:"size:16;not null"`
	Persons               int           `gorm:"not null"`
	MonthlyCents          int64         `gorm:"not null"`
	// The basis of the amount: the standard S in force, the policy reference (Policy.Ref) and
	// the eligibility engine's figure from the preliminary opinion (0: none).
	StandardCents int64  `gorm:"not null;default:0"`
	CareCents     int64  `gorm:"not null;default:0"` // 特困: the care part of the amount
	EngineCents   int64  `gorm:"not null;default:0"`
	PolicyRef     string `gorm:"size:32;not null;default:''"`
	EffectiveFrom string `gorm:"size:7;not null"`            // first month paid
	EffectiveTo   string `gorm:"size:7;not null;default:''"` // last month paid; "" open
	AccountID     *uint64
	NextReviewOn  string `gorm:"size:10;not null;default:''"`
	SourceCaseID  uint64 `gorm:"not null"`
	Version       int    `gorm:"not null"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (Benefit) TableName() string { return "benefits" }

// Benefit change kinds (append-only rows).
const (
	ChangeApprove        = "approve"
	ChangeIncrease       = "increase"
	ChangeDecrease       = "decrease"
	ChangeStandardChange = "standard_change"
	ChangeGradualExit    = "gradual_exit"
	ChangeSuspend        = "suspend"
	ChangeResume         = "resume"
	ChangeTerminate      = "terminate"
)

// BenefitChange is one append-only change of a benefit, effective from a month. Suspend and
// terminate pay nothing from their month on (a terminated benefit pays through the month
// before); every other kind sets the monthly amount from its month on.
type BenefitChange struct {
	ID                uint64 `gorm:"primaryKey"`
	BenefitID         uint64 `gorm:"not null"`
	Kind              string `gorm:"size:24;not null"`
	EffectiveMonth    string `gorm:"size:7;not null"`
	MonthlyCentsAfter int64  `gorm:"not null"`
	Persons           int    `gorm:"not null"`
	Reason            string `gorm:"type:text;not null;default:''" seal:"text"`
	DecidedByStaffID  uint64 `gorm:"not null"`
	DecidedAt         time.Time
	CaseID            uint64 `gorm:"not null;default:0"` // the case (or, later, review) that caused it
	Ref               string `gorm:"size:64;not null;default:''"`
}

func (BenefitChange) TableName() string { return "benefit_changes" }

// Payment is what a benefit pays in one month.
type Payment struct {
	Cents   int64
	Persons int
	Kind    string // the change in force
}

// PaysIn is what a benefit with these changes pays in month ("YYYY-MM"): the last change
// effective in or before the month decides (ties: the later row). ok is false when nothing is
// paid (before the first change, suspended, terminated). A pure function of the changes.
func PaysIn(changes []BenefitChange, month string) (p Payment, ok bool) {
	cs := append([]BenefitChange(nil), changes...)
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].EffectiveMonth != cs[j].EffectiveMonth {
			return cs[i].EffectiveMonth < cs[j].EffectiveMonth
		}
		return cs[i].ID < cs[j].ID
	})
	var cur *BenefitChange
	for i := range cs {
		if cs[i].EffectiveMonth > month {
			break
		}
		cur = &cs[i]
	}
	if cur == nil || cur.Kind == ChangeSuspend || cur.Kind == ChangeTerminate || cur.MonthlyCentsAfter <= 0 {
		return Payment{}, false
	}
	return Payment{Cents: cur.MonthlyCentsAfter, Persons: cur.Persons, Kind: cur.Kind}, true
}

// ValidMonth reports whether s is "YYYY-MM" of a real month within the stored years.
func ValidMonth(s string) bool {
	if len(s) != 7 {
		return false
	}
	t, err := time.Parse("2006-01", s)
	return err == nil && t.Year() >= MinDateYear && t.Year() <= MaxDateYear
}

// AddMonths is month + n ("YYYY-MM"); month must be valid.
func AddMonths(month string, n int) string {
	t, _ := time.Parse("2006-01", month)
	return t.AddDate(0, n, 0).Format("2006-01")
}

// Account kinds of a payee (S1 art. 25: paid through a bank or credit institution).
const (
	AccountSocialSecurityCard = "social_security_card" // 社会保障卡
	AccountOneCardPassbook    = "one_card_passbook"    // 惠民惠农一卡通（存折）
	AccountBankCard           = "bank_card"            // 银行卡
)

// AccountKindLabel is the Chinese name of an account kind ("" if unknown).
func AccountKindLabel(k string) string {
	switch k {
	case AccountSocialSecurityCard:
		return "社会保障卡"
	case AccountOneCardPassbook:
		return "一卡通"
	case AccountBankCard:
		return "银行卡"
	}
	return ""
}

// PayeeAccount is where a benefit is paid: the household head's (per household) or the
// person's (per person) account. The number is sealed with the personal-data key; only its
// last four digits are kept in clear.
type PayeeAccount struct {
	ID           uint64 `gorm:"primaryKey"`
	BenefitID    uint64 `gorm:"not null"`
	Kind         string `gorm:"size:32;not null"`
	Bank         string `gorm:"size:64;not null"`
	HolderMasked string `gorm:"size:16;not null"`
	HolderEnc    []byte `gorm:"column:holder_enc;size:128"`
	NumberEnc    []byte `gorm:"column:number_enc;size:128"`
	Tail4        string `gorm:"column:tail4;size:4;not null"`
	// CustodyAgreement: the card is held by staff under a written agreement filed with the
	// county (S1 art. 26); its reference. "" when the payee holds the card.
	CustodyAgreement string `gorm:"size:64;not null;default:''"`
	VerifiedByStaff  uint64 `gorm:"column:verified_by_staff_id;not null"`
	VerifiedAt       time.Time
	CreatedAt        time.Time
}

func (PayeeAccount) TableName() string { return "payee_accounts" }

var (
	ErrEffectiveMonthEarly = E(KindUnprocessable, "case.effective_month_too_early", "发放起始月份不能早于审批日期的次月")
)
