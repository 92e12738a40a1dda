package model

import (
	"time"
)

// Status of a case. The state machine lives in this file; every change goes through a method
// that refuses illegal transitions with ErrIllegalStep.
type Status string

const (
	StatusSubmitted     Status = "submitted"     // 已提交，待受理
	StatusReturned      Status = "returned"      // 退回补正（一次性告知）
	StatusAccepted      Status = "accepted"      // 已受理，待调查
	StatusInvestigating Status = "investigating" // 调查核对中
	StatusPublicNotice  Status = "public_notice" // 公示中
	StatusReviewing     Status = "reviewing"     // 审核确认中
	StatusDecided       Status = "decided"       // 已审核确认
	StatusWithdrawn     Status = "withdrawn"     // 已撤回
)

// Label is the Chinese text shown to residents and staff.
func (s Status) Label() string {
	switch s {
	case StatusSubmitted:
		return "待受理"
	case StatusReturned:
		return "需补充材料"
	case StatusAccepted:
		return "已受理"
	case StatusInvestigating:
		return "调查核对中"
	case StatusPublicNotice:
		return "公示中"
	case StatusReviewing:
		return "审核确认中"
	case StatusDecided:
		return "已办结"
	case StatusWithdrawn:
		return "已撤回"
	}
	return ""
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s.Label() != "" }

// Steps of the statutory procedure (case history and deadlines).
const (
	StepApplication   = "application"   // 申请
	StepAcceptance    = "acceptance"    // 受理
	StepInvestigation = "investigation" // 调查（入户调查、核对）
)

// Actions recorded in case history.
const (
	ActionSubmit = "submit"
	ActionAccept = "accept"
	ActionReturn = "return"
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
	AreaCode              string `gorm:"size:12;not null"` // village/community
	TownCode              string `gorm:"size:12;not null"`
	CountyCode            string `gorm:"size:12;not null"`
	Status                Status `gorm:"size:24;not null"`
	Reason                string `gorm:"size:1000;not null;default:''"`
	PledgeAt              time.Time
	AuthorizationAt       time.Time
	SubmittedAt           time.Time
	AcceptedAt            *time.Time
	OwnerStaffID          *uint64
	Version               int `gorm:"not null"`
	CreatedAt             time.Time
	UpdatedAt             time.Time

	Categories []CaseCategory `gorm:"-"`
}

func (Case) TableName() string { return "cases" }

// Transition is what a state-machine method decided: the event to append and the outbox
// messages to write, in the same transaction as the case row.
type Transition struct {
	Event     CaseEvent
	Checklist []ChecklistItem
	Deadlines []Deadline
	Notify    []Outbox
}

func (c *Case) move(to Status, step, action string, by Actor, opinion string, at time.Time) Transition {
	ev := CaseEvent{
		CaseID: c.ID, Step: step, Action: action, FromStatus: c.Status, ToStatus: to,
		ActorType: by.Type, ActorID: by.ID, AreaCode: by.AreaCode, Opinion: opinion, CreatedAt: at,
	}
	c.Status = to
	c.Version++
	c.UpdatedAt = at
	return Transition{Event: ev}
}

// MissingItem is one entry of the one-time notice (一次性告知).
type MissingItem struct {
	Name string
	Note string
}

// Accept records 受理 and sets the deadline for starting the investigation (due is computed by
// the caller's calendar: 3 working days after acceptance).
func (c *Case) Accept(by Actor, opinion string, at time.Time, investigationDue string) (Transition, error) {
	if c.Status != StatusSubmitted {
		return Transition{}, ErrIllegalStep
	}
	t := c.move(StatusAccepted, StepAcceptance, ActionAccept, by, opinion, at)
	c.AcceptedAt = &at
	owner := by.ID
	c.OwnerStaffID = &owner
	t.Deadlines = []Deadline{{CaseID: c.ID, Step: StepInvestigation, DueOn: investigationDue, StartedAt: at, Basis: "受理后3个工作日内启动调查"}}
	return t, nil
}

// Return sends the case back with the complete list of missing items, once.
func (c *Case) Return(by Actor, opinion string, items []MissingItem, at time.Time) (Transition, error) {
	if c.Status != StatusSubmitted {
		return Transition{}, ErrIllegalStep
	}
	if len(items) == 0 {
		return Transition{}, E(KindUnprocessable, "case.missing_items_required", "退回补正时须一次性列明全部所缺材料")
	}
	t := c.move(StatusReturned, StepAcceptance, ActionReturn, by, opinion, at)
	for _, it := range items {
		t.Checklist = append(t.Checklist, ChecklistItem{CaseID: c.ID, Name: it.Name, Note: it.Note, Status: ItemMissing, Round: 1, CreatedAt: at})
	}
	return t, nil
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
	Opinion    string `gorm:"size:1000;not null;default:''"`
	CreatedAt  time.Time
}

func (CaseEvent) TableName() string { return "case_events" }

// Checklist item statuses.
const (
	ItemMissing  = "missing"
	ItemProvided = "provided"
	ItemAccepted = "accepted"
)

// ChecklistItem is one document the applicant must provide.
type ChecklistItem struct {
	ID        uint64 `gorm:"primaryKey"`
	CaseID    uint64 `gorm:"not null"`
	Name      string `gorm:"size:128;not null"`
	Note      string `gorm:"size:500;not null;default:''"`
	Status    string `gorm:"size:16;not null"`
	Round     int    `gorm:"not null"`
	CreatedAt time.Time
}

func (ChecklistItem) TableName() string { return "checklist_items" }

// Document is an uploaded file answering a checklist item.
type Document struct {
	ID                   uint64 `gorm:"primaryKey"`
	CaseID               uint64 `gorm:"not null"`
	ChecklistItemID      *uint64
	StorageKey           string `gorm:"size:255;not null"`
	FileName             string `gorm:"size:255;not null"`
	MIME                 string `gorm:"column:mime;size:128;not null"`
	Size                 int64  `gorm:"not null"`
	SHA256               string `gorm:"column:sha256;size:64;not null"`
	UploadedByResidentID *uint64
	CreatedAt            time.Time
}

func (Document) TableName() string { return "documents" }

// Decision is the per-category outcome of the final review.
type Decision struct {
	ID               uint64   `gorm:"primaryKey"`
	CaseID           uint64   `gorm:"not null"`
	Category         Category `gorm:"size:32;not null"`
	Outcome          string   `gorm:"size:16;not null"` // approved, refused, not_applicable
	MonthlyCents     int64    `gorm:"not null;default:0"`
	Reason           string   `gorm:"size:1000;not null;default:''"`
	DecidedByStaffID uint64   `gorm:"not null"`
	DecidedAt        time.Time
	EffectiveMonth   string `gorm:"size:7;not null;default:''"`
}

func (Decision) TableName() string { return "decisions" }

// Deadline is the statutory clock of one step of one case.
type Deadline struct {
	ID        uint64 `gorm:"primaryKey"`
	CaseID    uint64 `gorm:"not null"`
	Step      string `gorm:"size:32;not null"`
	DueOn     string `gorm:"size:10;not null"` // civil date, CST
	StartedAt time.Time
	MetAt     *time.Time
	Basis     string `gorm:"size:128;not null;default:''"`
}

func (Deadline) TableName() string { return "case_deadlines" }
