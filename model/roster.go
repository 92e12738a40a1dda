package model

import "time"

// RosterStatus is where a monthly payment roster (发放花名册) stands:
// draft → checked → approved → exported → fed_back → closed.
type RosterStatus string

const (
	RosterDraft    RosterStatus = "draft"    // 待核对
	RosterChecked  RosterStatus = "checked"  // 乡镇已核对
	RosterApproved RosterStatus = "approved" // 已审批
	RosterExported RosterStatus = "exported" // 已导出（报送银行/财政）
	RosterFedBack  RosterStatus = "fed_back" // 已回盘
	RosterClosed   RosterStatus = "closed"   // 已结束
)

// Label is the Chinese text of the status.
func (s RosterStatus) Label() string {
	switch s {
	case RosterDraft:
		return "待核对"
	case RosterChecked:
		return "乡镇已核对"
	case RosterApproved:
		return "已审批"
	case RosterExported:
		return "已导出"
	case RosterFedBack:
		return "已回盘"
	case RosterClosed:
		return "已结束"
	}
	return ""
}

// Roster line kinds and states.
const (
	LineRegular = "regular" // 当月发放
	LineArrears = "arrears" // 补发（for_month: the month it should have been paid）

	LinePending = "pending" // 待发放
	LinePaid    = "paid"    // 已发放
	LineFailed  = "failed"  // 发放失败
)

// Roster is the monthly payment roster of one county, month and category. Once approved its
// lines never change except for the bank's feedback; a correction is a line in a later roster.
type Roster struct {
	ID               uint64       `gorm:"primaryKey"`
	PublicID         string       `gorm:"size:32;not null"`
	CountyCode       string       `gorm:"size:12;not null"`
	Month            string       `gorm:"size:7;not null"`
	Category         Category     `gorm:"size:32;not null"`
	Status           RosterStatus `gorm:"size:16;not null"`
	PayByOn          string       `gorm:"size:10;not null"`
	PayByProvisional bool         `gorm:"column:pay_by_provisional;not null;default:false"`
	// ConfirmByOn is the towns' confirmation deadline (the region's working days before the
	// pay-by date); after that day a draft is checked all the same. "" for none.
	ConfirmByOn string `gorm:"column:confirm_by_on;size:10;not null;default:''"`
	PreparedBy  uint64 `gorm:"column:prepared_by_staff_id;not null"`
	ApprovedBy  uint64 `gorm:"column:approved_by_staff_id;not null;default:0"`
	Households  int    `gorm:"not null;default:0"`
	Persons     int    `gorm:"not null;default:0"`
	TotalCents  int64  `gorm:"not null;default:0"`
	// Towns that must confirm their lines, and those that did (comma-separated codes).
	TownsPending string `gorm:"size:1024;not null;default:''"`
	FileSHA256   string `gorm:"column:file_sha256;size:64;not null;default:''"`
	Version      int    `gorm:"not null"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (Roster) TableName() string { return "payment_rosters" }

// RosterLine is one payment of a roster.
type RosterLine struct {
	ID             uint64 `gorm:"primaryKey"`
	RosterID       uint64 `gorm:"not null"`
	BenefitID      uint64 `gorm:"not null"`
	TownCode       string `gorm:"size:12;not null"`
	AreaCode       string `gorm:"size:12;not null"`
	Kind           string `gorm:"size:16;not null"`
	ForMonth       string `gorm:"size:7;not null"`
	Persons        int    `gorm:"not null"`
	TotalCents     int64  `gorm:"not null"`
	PayeeMasked    string `gorm:"size:16;not null;default:''"`
	AccountTail4   string `gorm:"column:account_tail4;size:4;not null;default:''"`
	Status         string `gorm:"size:16;not null"`
	FailReason     string `gorm:"type:text;not null;default:''" seal:"text"`    // the bank's reason, as the county entered it
	ArrearsOfLine  uint64 `gorm:"column:arrears_of_line_id;not null;default:0"` // the failed line an arrears line repays
	FedBackAt      *time.Time
	FedBackByStaff uint64 `gorm:"column:fed_back_by_staff_id;not null;default:0"`
}

func (RosterLine) TableName() string { return "roster_lines" }

var (
	ErrRosterState    = E(KindConflict, "roster.wrong_state", "花名册当前状态不允许此操作")
	ErrRosterFourEyes = E(KindForbidden, "roster.four_eyes", "花名册须由编制人以外的人员审批")
	// ErrRosterExists: one roster per county, month and category (also when two are prepared at
	// once: the unique key decides).
	ErrRosterExists = E(KindConflict, "roster.exists", "该月该类别的花名册已经编制")
)

// rosterNext is the one legal forward step from each status.
var rosterNext = map[RosterStatus]RosterStatus{
	RosterDraft: RosterChecked, RosterChecked: RosterApproved, RosterApproved: RosterExported,
	RosterExported: RosterFedBack, RosterFedBack: RosterClosed,
}

// Advance moves the roster one step forward, refusing any other move (409). Approval is four
// eyes: the approver is not the preparer (403).
func (r *Roster) Advance(to RosterStatus, by uint64) error {
	if rosterNext[r.Status] != to {
		return ErrRosterState
	}
	if to == RosterApproved {
		if by == r.PreparedBy {
			return ErrRosterFourEyes
		}
		r.ApprovedBy = by
	}
	r.Status = to
	return nil
}

// LinesEditable reports whether the lines may still be rebuilt (before approval).
func (r *Roster) LinesEditable() bool { return r.Status == RosterDraft || r.Status == RosterChecked }
