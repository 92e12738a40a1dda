package model

import "time"

// Content flags: what WeChat's content check (msg_sec_check) said about a resident's free text
// that staff or the public will read. A "risky" text is refused and never stored.
const (
	ContentPass      = ""          // passed, or there was no text
	ContentReview    = "review"    // WeChat asks for a human look: accepted, shown flagged to staff
	ContentUnchecked = "unchecked" // WeChat could not be asked: accepted, shown flagged to staff
)

// Rating is the applicant's one rating of a finished case (好差评): five levels, 5 = 非常满意 …
// 1 = 非常不满意; 1 and 2 are bad ratings, each followed up.
type Rating struct {
	ID          uint64 `gorm:"primaryKey"`
	CaseID      uint64 `gorm:"not null"`
	ResidentID  uint64 `gorm:"not null"`
	Stars       int    `gorm:"not null"`
	Comment     string `gorm:"type:text;not null;default:''" seal:"text"`
	ContentFlag string `gorm:"size:16;not null;default:''"`
	CreatedAt   time.Time
}

func (Rating) TableName() string { return "case_ratings" }

// RatingLabel is the Chinese label of a star count.
func RatingLabel(stars int) string {
	switch stars {
	case 5:
		return "非常满意"
	case 4:
		return "满意"
	case 3:
		return "基本满意"
	case 2:
		return "不满意"
	case 1:
		return "非常不满意"
	}
	return ""
}

// BadRating reports a rating that must be followed up (不满意, 非常不满意).
func BadRating(stars int) bool { return stars >= 1 && stars <= 2 }

// Complaint is a resident's complaint (投诉), on the worklist of the county it concerns until
// the county answers it. TextEnc is the complaint encrypted (it may hold personal data).
type Complaint struct {
	ID          uint64  `gorm:"primaryKey"`
	PublicID    string  `gorm:"size:32;not null"`
	ResidentID  uint64  `gorm:"not null"`
	CaseID      *uint64 `gorm:""`
	VillageCode string  `gorm:"size:12;not null"`
	CountyCode  string  `gorm:"size:12;not null"`
	TextEnc     []byte  `gorm:"size:4096;not null"`
	ContentFlag string  `gorm:"size:16;not null;default:''"`
	Answered    bool    `gorm:"not null;default:false"`
	Answer      string  `gorm:"type:text;not null;default:''" seal:"text"`
	AnsweredBy  uint64  `gorm:"column:answered_by_staff_id;not null;default:0"`
	AnsweredAt  *time.Time
	CreatedAt   time.Time
}

func (Complaint) TableName() string { return "complaints" }

// TemplateComplaintAnswer is the outbox template key of "your complaint was answered". No
// subscribe template is registered under it: the resident gets the in-app message.
const TemplateComplaintAnswer = "complaint_answer"
