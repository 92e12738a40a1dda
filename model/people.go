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
	// IdentityMethod names the real-name source that verified the identity ("" = unverified:
	// recorded without a real-name source, or before verification existed).
	IdentityMethod string `gorm:"column:identity_method;size:32;not null;default:''"`
	// VerifiedBidx is IDBidx while the identity is verified or desk-verified, else nil: only an
	// assured identity reserves its number (unique); IDBidx, the number claimed, is not unique.
	VerifiedBidx *string `gorm:"column:verified_bidx;size:64"`
	// IdentityVerifiedBy is the officer who desk-verified the identity (IdentityMethod "desk").
	IdentityVerifiedBy *uint64 `gorm:"column:identity_verified_by"`
	// DeskCodeHash is the SHA-256 of the one-time code the resident shows a town or village
	// officer to be desk-verified; valid until DeskCodeExpiresAt.
	DeskCodeHash      *string    `gorm:"column:desk_code_hash;size:64"`
	DeskCodeExpiresAt *time.Time `gorm:"column:desk_code_expires_at"`
	// ErasedAt: the resident deleted the account (identifiers cleared, openid tombstoned).
	ErasedAt  *time.Time `gorm:"column:erased_at"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (Resident) TableName() string { return "residents" }

// HasIdentity reports whether the resident has recorded a real name and ID number.
func (r *Resident) HasIdentity() bool { return r.IDBidx != nil && *r.IDBidx != "" }

// IdentityVerified reports whether the identity is assured: a real-name source confirmed it
// or an officer desk-verified it (docs/SECURITY.md, "Identity assurance").
func (r *Resident) IdentityVerified() bool { return r.HasIdentity() && r.IdentityMethod != "" }

// IdentityMethodDesk is the IdentityMethod of an identity a town or village officer
// desk-verified (saw the 身份证 in person).
const IdentityMethodDesk = "desk"

// Identity assurance levels.
const (
	AssuranceNone         = ""              // no identity recorded
	AssuranceUnverified   = "unverified"    // typed, checksum-valid, confirmed by nobody
	AssuranceDeskVerified = "desk_verified" // an officer saw the 身份证
	AssuranceVerified     = "verified"      // a real-name source (WeChat real-name, face verification)
)

// Assurance is the identity's assurance level. Only verified and desk_verified identities may
// become a beneficiary, open or confirm an invitation, take a case over, see a case as its
// beneficiary, export it, or object to a public notice.
func (r *Resident) Assurance() string {
	switch {
	case !r.HasIdentity():
		return AssuranceNone
	case r.IdentityMethod == "":
		return AssuranceUnverified
	case r.IdentityMethod == IdentityMethodDesk:
		return AssuranceDeskVerified
	}
	return AssuranceVerified
}

// HoldsNumber reports whether the resident's assured identity is the ID number with blind
// index bidx.
func (r *Resident) HoldsNumber(bidx string) bool {
	return r.IdentityVerified() && r.VerifiedBidx != nil && *r.VerifiedBidx == bidx
}

// Staff roles. What each may do is RolePermissions (model/permissions.go).
type Role string

const (
	RoleVillageAssistant Role = "village_assistant" // 村/社区 社会救助协理员：查看本村、记录入户
	RoleTownCaseworker   Role = "town_caseworker"   // 乡镇/街道 经办人：受理、调查、初审、公示
	RoleTownLeader       Role = "town_leader"       // 乡镇/街道 分管领导：授权乡镇时审核确认
	RoleCountyOfficer    Role = "county_officer"    // 县级民政 经办人：核对、审核确认
	RoleCountyLeader     Role = "county_leader"     // 县级民政 分管领导：审核确认、一事一议
	RoleAuditor          Role = "auditor"           // 审计/监督：只读
	RoleAdmin            Role = "admin"             // 系统管理员：账号、区域设置、日历；不看个案
)

// AllRoles lists the roles in display order.
var AllRoles = [...]Role{RoleVillageAssistant, RoleTownCaseworker, RoleTownLeader, RoleCountyOfficer, RoleCountyLeader, RoleAuditor, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.Label() != "" }

// Label is the Chinese name of the role.
func (r Role) Label() string {
	switch r {
	case RoleVillageAssistant:
		return "村（社区）协理员"
	case RoleTownCaseworker:
		return "乡镇（街道）经办人"
	case RoleTownLeader:
		return "乡镇（街道）分管领导"
	case RoleCountyOfficer:
		return "县级民政经办人"
	case RoleCountyLeader:
		return "县级民政分管领导"
	case RoleAuditor:
		return "监督审计"
	case RoleAdmin:
		return "系统管理员"
	}
	return ""
}

// Level is the area level an account of this role must be attached to (admin and auditor: any
// level from county up; returns 0 for those).
func (r Role) Level() int {
	switch r {
	case RoleVillageAssistant:
		return LevelVillage
	case RoleTownCaseworker, RoleTownLeader:
		return LevelTown
	case RoleCountyOfficer, RoleCountyLeader:
		return LevelCounty
	}
	return 0
}

// Staff is a civil-affairs staff account scoped to an area subtree.
type Staff struct {
	ID           uint64 `gorm:"primaryKey"`
	Username     string `gorm:"size:64;not null"`
	PasswordHash string `gorm:"size:255;not null"`
	DisplayName  string `gorm:"size:64;not null"`
	// OfficePhone is shown to the residents of the cases the officer owns (首问负责); set by an
	// administrator.
	OfficePhone string `gorm:"size:32;not null;default:''"`
	Role        Role   `gorm:"size:32;not null"`
	AreaCode    string `gorm:"size:12;not null"`
	Active      bool   `gorm:"not null"`
	// MustChangePassword: set by an administrator's create or reset; such a session may only
	// change its password.
	MustChangePassword bool `gorm:"not null;default:false"`
	// SessionVersion is part of every session; incrementing it revokes them all at once.
	SessionVersion int `gorm:"not null;default:1"`
	// Second factor (TOTP, RFC 6238): the secret sealed with the personal-data key; enabled once
	// a first code confirmed it; TOTPLastStep is the step of the last accepted code (replays of
	// it or an earlier one are refused).
	TOTPSecretEnc []byte     `gorm:"column:totp_secret_enc"`
	TOTPEnabledAt *time.Time `gorm:"column:totp_enabled_at"`
	TOTPLastStep  int64      `gorm:"column:totp_last_step;not null;default:0"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (Staff) TableName() string { return "staff" }

// SecondFactorEnabled reports whether logins of this account need a TOTP or recovery code.
func (s *Staff) SecondFactorEnabled() bool { return s.TOTPEnabledAt != nil }

// StaffRecoveryCode is one single-use recovery code of a staff account's second factor (its
// hash only).
type StaffRecoveryCode struct {
	ID        uint64 `gorm:"primaryKey"`
	StaffID   uint64 `gorm:"not null"`
	CodeHash  string `gorm:"size:64;not null"`
	UsedAt    *time.Time
	CreatedAt time.Time
}

func (StaffRecoveryCode) TableName() string { return "staff_recovery_codes" }

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
	// ChainHash links the row into its day's hash chain; nil until the sealer reaches it.
	ChainHash *string `gorm:"size:64"`
}

func (AuditLog) TableName() string { return "audit_logs" }
