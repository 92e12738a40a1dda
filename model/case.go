package model

import (
	"time"
)

// Status of a case. Which actions each status allows is the table in workflow.go; every
// change goes through a CaseFile method that refuses illegal ones with ErrIllegalStep.
type Status string

const (
	StatusDraft         Status = "draft"          // 草稿：居民填写中，工作人员不可见
	StatusSubmitted     Status = "submitted"      // 已提交，待受理
	StatusReturned      Status = "returned"       // 退回补正（一次性告知）
	StatusNotAccepted   Status = "not_accepted"   // 不予受理
	StatusAccepted      Status = "accepted"       // 已受理，待调查
	StatusInvestigating Status = "investigating"  // 调查核对中（核对、入户）
	StatusOpinionGiven  Status = "opinion_given"  // 初审完成，待公示
	StatusPublicNotice  Status = "public_notice"  // 公示中
	StatusReviewing     Status = "reviewing"      // 审核确认中（县级，或授权的乡镇）
	StatusUrgentGranted Status = "urgent_granted" // 已先行救助，待补办手续
	StatusDecided       Status = "decided"        // 已审核确认
	StatusWithdrawn     Status = "withdrawn"      // 已撤回
	StatusTerminated    Status = "terminated"     // 已终止（不配合调查等）
)

// AllStatuses lists every status in procedure order.
var AllStatuses = [...]Status{StatusDraft, StatusSubmitted, StatusReturned, StatusNotAccepted, StatusAccepted, StatusInvestigating,
	StatusOpinionGiven, StatusPublicNotice, StatusReviewing, StatusUrgentGranted, StatusDecided, StatusWithdrawn, StatusTerminated}

// Label is the Chinese text shown to residents and staff.
func (s Status) Label() string {
	switch s {
	case StatusDraft:
		return "草稿（未提交）"
	case StatusSubmitted:
		return "待受理"
	case StatusReturned:
		return "需补充材料"
	case StatusNotAccepted:
		return "不予受理"
	case StatusAccepted:
		return "已受理"
	case StatusInvestigating:
		return "调查核对中"
	case StatusOpinionGiven:
		return "初审完成，待公示"
	case StatusPublicNotice:
		return "公示中"
	case StatusReviewing:
		return "审核确认中"
	case StatusUrgentGranted:
		return "已先行救助，待补办手续"
	case StatusDecided:
		return "已办结"
	case StatusWithdrawn:
		return "已撤回"
	case StatusTerminated:
		return "已终止"
	}
	return ""
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s.Label() != "" }

// Closed reports whether no further step is expected (a refusal notice may still be due).
func (s Status) Closed() bool {
	return s == StatusDecided || s == StatusWithdrawn || s == StatusNotAccepted || s == StatusTerminated
}

// Steps of the statutory procedure: case history and deadline rows use them.
const (
	StepApplication   = "application"    // 申请
	StepAcceptance    = "acceptance"     // 受理
	StepInvestigation = "investigation"  // 启动调查（受理后3个工作日内）
	StepDataCheck     = "data_check"     // 核对
	StepVisit         = "home_visit"     // 入户调查
	StepPreliminary   = "preliminary"    // 初审（特困15个工作日）
	StepNotice        = "public_notice"  // 公示（7日）
	StepDecision      = "decision"       // 审核确认
	StepRefusalNotice = "refusal_notice" // 不予批准书面告知（3个工作日）
	StepBackfill      = "backfill"       // 先行救助后补办手续
	StepOverall       = "overall"        // 低保全程时限（30/45/20个工作日）
	StepClosing       = "closing"        // 撤回、终止
)

// Case is one application (一次申请) reviewed for all five categories.
type Case struct {
	ID                    uint64 `gorm:"primaryKey"`
	PublicID              string `gorm:"size:32;not null"`
	CaseNo                string `gorm:"size:32"`
	HouseholdID           uint64 `gorm:"not null"`
	ApplicantResidentID   uint64 `gorm:"not null"`
	ApplicantMemberID     *uint64
	BeneficiaryResidentID *uint64
	BeneficiaryMemberID   *uint64
	AgentResidentID       *uint64
	AgentRelation         string `gorm:"size:16;not null;default:''"`
	// BeneficiaryIDBidx is the blind index of the beneficiary's ID number (members[0]): whoever
	// logs in with that verified identity sees the case.
	BeneficiaryIDBidx  string `gorm:"column:beneficiary_id_bidx;size:64;not null;default:''"`
	AreaCode           string `gorm:"size:12;not null"` // village/community
	TownCode           string `gorm:"size:12;not null"`
	CountyCode         string `gorm:"size:12;not null"`
	Status             Status `gorm:"size:24;not null"`
	Stage              Stage  `gorm:"size:24;not null;default:''"` // the worklist the case is on
	Reason             string `gorm:"type:text;not null;default:''" seal:"text"`
	Round              int    `gorm:"not null;default:1"` // submission round (补正 → resubmit)
	InvestigationRound int    `gorm:"not null;default:0"` // 0 before the investigation; +1 per re-investigation
	Urgent             bool   `gorm:"not null;default:false"`
	CloseRelative      bool   `gorm:"not null;default:false"` // 近亲属备案
	DeciderLevel       string `gorm:"size:16;not null;default:''"`
	SpecialReason      string `gorm:"type:text;not null;default:''" seal:"text"` // why the overall clock is 45 WD
	SpotCheckedAt      *time.Time
	SpotCheckedBy      uint64 `gorm:"column:spot_checked_by_staff_id;not null;default:0"`
	NextDueOn          string `gorm:"size:10;not null;default:''"` // the strictest open clock
	NextDueStep        string `gorm:"size:32;not null;default:''"`
	NextDueProvisional bool   `gorm:"not null;default:false"`
	PledgeAt           time.Time
	AuthorizationAt    time.Time
	SubmittedAt        time.Time
	AcceptedAt         *time.Time
	ClosedAt           *time.Time
	OwnerStaffID       *uint64
	Version            int `gorm:"not null"`
	CreatedAt          time.Time
	UpdatedAt          time.Time

	Categories []CaseCategory `gorm:"-"`
}

func (Case) TableName() string { return "cases" }

// MissingItem is one entry of the one-time notice (一次性告知).
type MissingItem struct {
	Name string
	Note string
}

// CaseEvent is one append-only line of the case history.
type CaseEvent struct {
	ID         uint64 `gorm:"primaryKey"`
	CaseID     uint64 `gorm:"not null"`
	Step       string `gorm:"size:32;not null"`
	Action     string `gorm:"size:32;not null"`
	FromStatus Status `gorm:"size:24;not null;default:''"`
	ToStatus   Status `gorm:"size:24;not null"`
	ActorType  string `gorm:"size:16;not null"`
	ActorID    uint64 `gorm:"not null"`
	AreaCode   string `gorm:"size:12;not null;default:''"`
	Opinion    string `gorm:"type:text;not null;default:''" seal:"text"`
	// ContentFlag: the resident's text in Opinion is marked for staff (ContentReview,
	// ContentUnchecked); empty when WeChat's content check passed or there was no text.
	ContentFlag string `gorm:"size:16;not null;default:''"`
	CreatedAt   time.Time
}

func (CaseEvent) TableName() string { return "case_events" }

// Checklist item statuses.
const (
	ItemMissing   = "missing"
	ItemProvided  = "provided"
	ItemAccepted  = "accepted"
	ItemCommitted = "committed"  // 告知承诺: the applicant signed a commitment instead of the document
	ItemShared    = "shared"     // 无需提供: the region receives it by data sharing (Source)
	ItemNotNeeded = "not_needed" // the declared facts changed and the rules no longer ask for it
	ItemRejected  = "rejected"   // staff refused what was provided (RejectReason); a later return may ask for it again
)

// How a checklist item may be satisfied (from the rules).
const (
	ProvideRequired   = "required"
	ProvideShared     = "shared"
	ProvideCommitment = "commitment_allowed"
)

// ChecklistItem is one document the applicant must provide.
type ChecklistItem struct {
	ID        uint64 `gorm:"primaryKey"`
	CaseID    uint64 `gorm:"not null"`
	Name      string `gorm:"size:128;not null"`
	Note      string `gorm:"type:text;not null;default:''" seal:"text"`
	Status    string `gorm:"size:16;not null"`
	Round     int    `gorm:"not null"`
	CreatedAt time.Time
	// From the rules (empty for items a caseworker typed in a return before rules existed).
	Code    string `gorm:"size:64;not null;default:''"`
	Provide string `gorm:"size:32;not null;default:'required'"`
	Source  string `gorm:"size:64;not null;default:''"` // the data-sharing source of a shared item
	Why     string `gorm:"size:255;not null;default:''"`
	// Set by the staff review of the item (accepted or rejected).
	RejectReason      string `gorm:"type:text;not null;default:''" seal:"text"`
	ReviewedByStaffID uint64 `gorm:"not null;default:0"`
	ReviewedAt        *time.Time
	// Notice: how the item entered the one-time notice (一次性告知) — NoticeSubmission,
	// NoticeAsked, NoticeChange — or "" (issue 21; see CaseFile.Returnable).
	Notice string `gorm:"size:16;not null;default:''"`
}

// How an item entered the one-time notice.
const (
	NoticeSubmission = "submission" // on the rules' list and still missing when the application was submitted
	NoticeAsked      = "asked"      // named by a return
	NoticeChange     = "change"     // needed (anew) by a change of facts declared after submission
)

func (ChecklistItem) TableName() string { return "checklist_items" }

// Document is an uploaded file answering a checklist item.
type Document struct {
	ID                   uint64 `gorm:"primaryKey"`
	CaseID               uint64 `gorm:"not null"`
	ChecklistItemID      *uint64
	StorageKey           string `gorm:"size:255;not null"`
	FileName             string `gorm:"type:text;not null" seal:"text"`
	MIME                 string `gorm:"column:mime;size:128;not null"`
	Size                 int64  `gorm:"not null"`
	SHA256               string `gorm:"column:sha256;size:64;not null"`
	UploadedByResidentID *uint64
	CreatedAt            time.Time
	// DeletedAt: the applicant removed it while the case was theirs (the object is deleted; the
	// row stays for the history, and the case file no longer loads it).
	DeletedAt *time.Time
}

func (Document) TableName() string { return "documents" }

// Decision is the final outcome (审核确认) for one category and, for 特困 and 单人保, one person.
type Decision struct {
	ID             uint64   `gorm:"primaryKey"`
	CaseID         uint64   `gorm:"not null"`
	Category       Category `gorm:"size:32;not null"`
	MemberPosition int      `gorm:"not null"`
	Outcome        string   `gorm:"size:16;not null"` // approved, refused, not_applicable
	MonthlyCents   int64    `gorm:"not null;default:0"`
	OneOffCents    int64    `gorm:"column:one_off_cents;not null;default:0"` // 临时救助
	Reason         string   `gorm:"type:text;not null;default:''" seal:"text"`
	DeciderLevel   string   `gorm:"size:16;not null;default:''"`
	MeetingRef     string   `gorm:"size:64;not null;default:''"` // 一事一议 minutes reference
	// MeetingOn and MeetingParticipants complete the 一事一议 record (meeting date, who sat).
	MeetingOn           string `gorm:"size:10;not null;default:''"`
	MeetingParticipants string `gorm:"size:160;not null;default:''"`
	Urgent              bool   `gorm:"not null;default:false"` // 先行救助
	DecidedByStaffID    uint64 `gorm:"not null"`
	DecidedAt           time.Time
	EffectiveMonth      string `gorm:"size:7;not null;default:''"`
	PolicyRef           string `gorm:"size:32;not null;default:''"` // the region settings it was decided under (Policy.Ref)
}

func (Decision) TableName() string { return "decisions" }

// PublicIDMaxLen is the longest public id a case (or complaint) can have: the public_id column's size.
const PublicIDMaxLen = 32

// WellFormedPublicID reports whether s can be a case's public id at all: 1 to PublicIDMaxLen
// ASCII letters, digits, '-' or '_' (new ids are 26 base32 letters; older and generated data
// use the column's whole alphabet). A read answers "not found" for anything else before it
// touches Redis or the database.
func WellFormedPublicID(s string) bool {
	if len(s) == 0 || len(s) > PublicIDMaxLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
