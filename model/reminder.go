package model

import "time"

// Reminder kinds written by the deadline sweep.
const (
	ReminderDueSoon = "due_soon" // an open clock falls due within one working day
	ReminderOverdue = "overdue"  // an open clock's due date has passed
	ReminderRetimed = "retimed"  // a calendar correction moved an open clock's due date (DueOn: the new one)
)

// StaffReminder is an item on the staff side's reminder list: one per (deadline, kind), so the
// sweep can run as often as it likes. The area columns are copied from the case so the list is
// scoped exactly like cases (StaffScope).
type StaffReminder struct {
	ID         uint64 `gorm:"primaryKey"`
	DeadlineID uint64 `gorm:"not null"`
	CaseID     uint64 `gorm:"not null"`
	Kind       string `gorm:"size:16;not null"`
	Step       string `gorm:"size:32;not null"`
	DueOn      string `gorm:"size:10;not null"`
	AreaCode   string `gorm:"size:12;not null"`
	TownCode   string `gorm:"size:12;not null"`
	CountyCode string `gorm:"size:12;not null"`
	CreatedAt  time.Time
}

func (StaffReminder) TableName() string { return "staff_reminders" }

// ResidentDeadlineNotice records that the deadline sweep told the residents of a case about
// one of their clocks (the back-fill of an urgent grant), once per (deadline, kind).
type ResidentDeadlineNotice struct {
	DeadlineID uint64 `gorm:"primaryKey;autoIncrement:false"`
	Kind       string `gorm:"primaryKey;size:16"`
	CaseID     uint64 `gorm:"not null"`
	CreatedAt  time.Time
}

func (ResidentDeadlineNotice) TableName() string { return "resident_deadline_notices" }
