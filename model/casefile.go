package model

import (
	"time"
)

// CaseFile is the aggregate every state change works on: the case row and all its children,
// loaded under the case's row lock. A workflow action is one CaseFile method; the store saves
// the result generically (declared case columns with the version check, children inserted or
// updated, events, outbox and audit rows appended), so a new step never needs a store change.
type CaseFile struct {
	Case       Case
	Categories []CaseCategory
	Members    []Member // the household; read-only here
	Deadlines  []Deadline
	Checklist  []ChecklistItem
	Documents  []Document // uploads not deleted, in upload order
	DataChecks []DataCheck
	Visits     []HomeVisit
	Opinions   []Opinion
	Notices    []PublicNotice
	Objections []Objection
	Decisions  []Decision
	Consents   []Consent
	// SpotChecks is the case's row in a 特困 spot-check draw (none, or one).
	SpotChecks []SpotCheck
	// Facts is the declared household facts (nil for applications made before drafts existed).
	// An action that replaces it sets FactsChanged; the store then writes the row.
	Facts        *CaseFacts
	FactsChanged bool
	// NewMembers, when set by an action (a draft's facts were saved), replaces the household's
	// member rows in the same transaction.
	NewMembers []Member
	// CategoriesChanged: a draft's requested categories were changed; the store writes them.
	CategoriesChanged bool

	// Appended by actions, written by the store in the same transaction.
	Events []CaseEvent
	Outbox []Outbox
	Audit  []AuditLog
}

// Requested reports whether the applicant asked for category c.
func (f *CaseFile) Requested(c Category) bool {
	for _, cc := range f.Categories {
		if cc.Category == c && cc.Requested {
			return true
		}
	}
	return false
}

// Deadline states.
const (
	ClockOpen      = "open"
	ClockMet       = "met"       // closed on or before the due date
	ClockMissed    = "missed"    // closed after the due date
	ClockCancelled = "cancelled" // the step no longer applies (withdrawal, new round …)
)

// Deadline is the statutory clock of one step of one case in one round, stored when the step
// starts; nothing recomputes it on read. Provisional: the due date falls in (or counts days of)
// a year whose holiday calendar is not loaded yet.
type Deadline struct {
	ID          uint64 `gorm:"primaryKey"`
	CaseID      uint64 `gorm:"not null"`
	Step        string `gorm:"size:32;not null"`
	Round       int    `gorm:"not null;default:1"`
	DueOn       string `gorm:"size:10;not null"` // civil date, CST
	Days        int    `gorm:"not null;default:0"`
	Calendar    bool   `gorm:"column:calendar_days;not null;default:false"` // true: calendar days, false: working days
	Provisional bool   `gorm:"not null;default:false"`
	State       string `gorm:"size:16;not null;default:'open'"`
	StartedAt   time.Time
	MetAt       *time.Time
	Basis       string `gorm:"size:128;not null;default:''"`
}

func (Deadline) TableName() string { return "case_deadlines" }

// Data-check (核对) states and outcomes.
const (
	CheckRequested = "requested"
	CheckCompleted = "completed"
	CheckCancelled = "cancelled" // the case was withdrawn or terminated before the answer
	CheckPass      = "pass"
	CheckNegative  = "negative" // something found that the applicant did not declare, or over limits
)

// DataCheck is one round of the economic-status check across departments (核对).
type DataCheck struct {
	ID                uint64 `gorm:"primaryKey"`
	CaseID            uint64 `gorm:"not null"`
	Round             int    `gorm:"not null"`
	Status            string `gorm:"size:16;not null"`
	Outcome           string `gorm:"size:16;not null;default:''"`
	Summary           string `gorm:"type:text;not null;default:''" seal:"text"`
	Results           string `gorm:"type:text;not null" seal:"text"` // JSON: per member (position), per source
	Objection         string `gorm:"type:text;not null;default:''" seal:"text"`
	RequestedByStaff  uint64 `gorm:"column:requested_by_staff_id;not null"`
	CompletedByStaff  uint64 `gorm:"column:completed_by_staff_id;not null;default:0"`
	RequestedAt       time.Time
	CompletedAt       *time.Time
	ApplicantToldAt   *time.Time
	ObjectionRaisedAt *time.Time
}

func (DataCheck) TableName() string { return "case_data_checks" }

// HomeVisit is one home visit (入户调查): at least two distinct investigators.
type HomeVisit struct {
	ID              uint64 `gorm:"primaryKey"`
	CaseID          uint64 `gorm:"not null"`
	Round           int    `gorm:"not null"`
	VisitedOn       string `gorm:"size:10;not null"`
	Investigators   string `gorm:"size:255;not null"` // staff ids, comma separated, ascending
	ByCounty        bool   `gorm:"not null;default:false"`
	Findings        string `gorm:"type:text;not null;default:''" seal:"text"`
	FamilyConfirmed bool   `gorm:"not null"`
	RecordedByStaff uint64 `gorm:"column:recorded_by_staff_id;not null"`
	CreatedAt       time.Time
}

func (HomeVisit) TableName() string { return "case_visits" }

// Recommendations and outcomes per category.
const (
	OutcomeApproved      = "approved"
	OutcomeRefused       = "refused"
	OutcomeNotApplicable = "not_applicable"
)

// HouseholdLevel is MemberPosition for an opinion or decision about the whole household.
const HouseholdLevel = -1

// Opinion is the town's preliminary opinion (初审) for one category and, for 特困 and 单人保,
// one person, in one investigation round.
type Opinion struct {
	ID             uint64   `gorm:"primaryKey"`
	CaseID         uint64   `gorm:"not null"`
	Round          int      `gorm:"not null"`
	Category       Category `gorm:"size:32;not null"`
	MemberPosition int      `gorm:"not null"`
	Outcome        string   `gorm:"size:16;not null"`
	MonthlyCents   int64    `gorm:"not null;default:0"`
	OneOffCents    int64    `gorm:"column:one_off_cents;not null;default:0"` // 临时救助: the one-off amount
	Reason         string   `gorm:"type:text;not null;default:''" seal:"text"`
	ByStaff        uint64   `gorm:"column:by_staff_id;not null"`
	CreatedAt      time.Time
	// What the eligibility engine suggested for this entry on the declared facts ("" when it had
	// no suggestion), and the officer's reason for departing from it.
	EngineOutcome   string `gorm:"size:16;not null;default:''"`
	EngineCents     int64  `gorm:"not null;default:0"`
	DeviationReason string `gorm:"type:text;not null;default:''" seal:"text"`
}

func (Opinion) TableName() string { return "case_opinions" }

// Public-notice states.
const (
	NoticeOpen   = "open"
	NoticeClosed = "closed" // ran its full period
	NoticeVoided = "voided" // an upheld objection sent the case back
)

// PublicNotice is one 公示 in the village: only what the rules allow (masked name, household
// size, categories, amount), copied here so the public list never touches personal tables.
type PublicNotice struct {
	ID            uint64 `gorm:"primaryKey"`
	CaseID        uint64 `gorm:"not null"`
	Round         int    `gorm:"not null"`
	AreaCode      string `gorm:"size:12;not null"`
	PublicRef     string `gorm:"size:32;not null"` // opaque id for the public list (not the case id)
	NameMasked    string `gorm:"size:64;not null"`
	HouseholdSize int    `gorm:"not null"`
	Categories    string `gorm:"size:255;not null"` // Chinese labels, 、-joined
	MonthlyCents  int64  `gorm:"not null;default:0"`
	StartsOn      string `gorm:"size:10;not null"`
	EndsOn        string `gorm:"size:10;not null"` // last day of the notice
	Status        string `gorm:"size:16;not null"`
	CreatedAt     time.Time
	ClosedAt      *time.Time
}

func (PublicNotice) TableName() string { return "case_notices" }

// Objection statuses.
const (
	ObjectionPending   = "pending"
	ObjectionUpheld    = "upheld"
	ObjectionDismissed = "dismissed" // unfounded: the investigation is not reopened
	ObjectionMerged    = "merged"    // a duplicate of MergedInto; settled with it
)

// Objection is a named objection raised during a public notice (from the village list or
// recorded by staff). The contact is personal data: encrypted, shown masked.
type Objection struct {
	ID              uint64 `gorm:"primaryKey"`
	CaseID          uint64 `gorm:"not null"`
	NoticeID        uint64 `gorm:"not null"`
	Name            string `gorm:"size:64;not null"`
	ContactEnc      []byte `gorm:"size:255"`
	ContactMasked   string `gorm:"size:32;not null;default:''"`
	Content         string `gorm:"type:text;not null" seal:"text"`
	Status          string `gorm:"size:16;not null"`
	Resolution      string `gorm:"type:text;not null;default:''" seal:"text"`
	Followup        string `gorm:"size:32;not null;default:''"` // reinvestigation | democratic_evaluation
	ResolvedByStaff uint64 `gorm:"column:resolved_by_staff_id;not null;default:0"`
	ContentFlag     string `gorm:"size:16;not null;default:''"` // see CaseEvent.ContentFlag
	// ResidentID is the objector's account (nil: recorded by staff from a visit or a call).
	ResidentID *uint64 `gorm:"column:resident_id"`
	// MergedInto is the objection this duplicate was merged into (status merged).
	MergedInto *uint64 `gorm:"column:merged_into_id"`
	CreatedAt  time.Time
	ResolvedAt *time.Time
}

func (Objection) TableName() string { return "case_objections" }
