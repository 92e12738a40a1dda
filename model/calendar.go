package model

import "time"

// DayKind says how a calendar date departs from the Monday–Friday default.
type DayKind string

const (
	DayHoliday DayKind = "holiday" // a statutory holiday (or a weekday taken off under 调休)
	DayWorkday DayKind = "workday" // a make-up working day (调休上班) falling on a weekend
)

// CalendarDay is one override of the default week, editable by administrators.
// Date is a civil date in China Standard Time, stored as "2006-01-02".
type CalendarDay struct {
	Date      string    `gorm:"primaryKey;size:10" json:"date"`
	Kind      DayKind   `gorm:"size:16;not null" json:"kind"`
	Name      string    `gorm:"size:64;not null" json:"name"`
	UpdatedAt time.Time `json:"updatedAt"`
}

func (CalendarDay) TableName() string { return "calendar_days" }

// CalendarYear marks a year whose holiday arrangement (the State Council General Office's
// annual notice) is loaded into calendar_days. Dates in a year without this row are computed
// from the Monday–Friday week and the fixed-date holidays only, and are provisional.
type CalendarYear struct {
	Year            int       `gorm:"primaryKey;autoIncrement:false"`
	Source          string    `gorm:"size:64;not null"` // e.g. "国务院办公厅通知 2026年11月"
	LoadedAt        time.Time `gorm:"not null"`
	LoadedByStaffID *uint64   // nil for the built-in seed
}

func (CalendarYear) TableName() string { return "calendar_years" }

// CalendarProposal is a change to a year already loaded, waiting for a second administrator:
// the calendar moves every county's statutory clocks, so one account alone may load a new year
// but not rewrite one in use. Days holds the proposed overrides as JSON (the PUT body's days).
type CalendarProposal struct {
	ID                uint64     `gorm:"primaryKey"`
	Year              int        `gorm:"not null"`
	Source            string     `gorm:"size:64;not null"`
	Days              string     `gorm:"type:text;not null"`
	ProposedByStaffID uint64     `gorm:"not null"`
	ProposedAt        time.Time  `gorm:"not null"`
	Status            string     `gorm:"size:16;not null"` // pending | confirmed | superseded
	DecidedByStaffID  *uint64    // the confirming administrator, or the one whose proposal superseded it
	DecidedAt         *time.Time //
}

func (CalendarProposal) TableName() string { return "calendar_proposals" }

// Calendar proposal statuses.
const (
	ProposalPending    = "pending"
	ProposalConfirmed  = "confirmed"
	ProposalSuperseded = "superseded"
)
