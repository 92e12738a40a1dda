package model

import "time"

// Resident is a WeChat user of the mini-program. Identity fields are encrypted at rest
// (…Enc), looked up by keyed blind index (…Bidx) and shown only masked (…Masked).
type Resident struct {
	ID                 uint64     `gorm:"primaryKey"`
	AppID              string     `gorm:"size:32;not null"`
	OpenID             string     `gorm:"size:64;not null"`
	UnionID            *string    `gorm:"size:64"`
	PhoneEnc           []byte     `gorm:"size:128"`
	PhoneBidx          *string    `gorm:"size:64"`
	PhoneMasked        string     `gorm:"size:16;not null;default:''"`
	RealName           string     `gorm:"size:64;not null;default:''"`
	IDEnc              []byte     `gorm:"column:id_enc;size:128"`
	IDBidx             *string    `gorm:"column:id_bidx;size:64"`
	IDMasked           string     `gorm:"column:id_masked;size:18;not null;default:''"`
	IdentityVerifiedAt *time.Time `gorm:"column:identity_verified_at"`
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

func (Resident) TableName() string { return "residents" }

// HasIdentity reports whether the resident has recorded a real name and ID number.
func (r *Resident) HasIdentity() bool { return r.IDBidx != nil && *r.IDBidx != "" }

// Staff roles.
type Role string

const (
	RoleVillageAssistant Role = "village_assistant" // 村/社区 社会救助协理员
	RoleTownCaseworker   Role = "town_caseworker"   // 乡镇/街道 经办人
	RoleCountyOfficer    Role = "county_officer"    // 县级民政
	RoleAdmin            Role = "admin"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleVillageAssistant, RoleTownCaseworker, RoleCountyOfficer, RoleAdmin:
		return true
	}
	return false
}

// Staff is a civil-affairs staff account scoped to an area subtree.
type Staff struct {
	ID           uint64 `gorm:"primaryKey"`
	Username     string `gorm:"size:64;not null"`
	PasswordHash string `gorm:"size:255;not null"`
	DisplayName  string `gorm:"size:64;not null"`
	Role         Role   `gorm:"size:32;not null"`
	AreaCode     string `gorm:"size:12;not null"`
	Active       bool   `gorm:"not null"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (Staff) TableName() string { return "staff" }

// Area returns the staff member's jurisdiction root.
func (s *Staff) Area() AreaCode { return AreaCode(s.AreaCode) }

// Actor identifies who did something, for case history and audit.
type Actor struct {
	Type     string // "resident" | "staff" | "system"
	ID       uint64
	AreaCode string // staff's area, empty for residents
}

const (
	ActorResident = "resident"
	ActorStaff    = "staff"
	ActorSystem   = "system"
)

// AuditLog records every staff read and action, and every unmasked read. Detail never holds
// personal data in clear.
type AuditLog struct {
	ID        uint64  `gorm:"primaryKey"`
	ActorType string  `gorm:"size:16;not null"`
	ActorID   uint64  `gorm:"not null"`
	Action    string  `gorm:"size:64;not null"`
	CaseID    *uint64 `gorm:""`
	AreaCode  string  `gorm:"size:12;not null;default:''"`
	RequestID string  `gorm:"size:64;not null;default:''"`
	ClientIP  string  `gorm:"size:64;not null;default:''"`
	Detail    string  `gorm:"size:1024;not null;default:''"`
	CreatedAt time.Time
}

func (AuditLog) TableName() string { return "audit_logs" }
