package model

import "time"

// Consent subjects: who must give the integrity pledge and the data-check authorisation.
const (
	ConsentMember    = "member"    // an adult member of the household
	ConsentSupporter = "supporter" // a legal supporter (特困)
	ConsentAgent     = "agent"     // the person applying on someone's behalf (pledge only)
)

// Consent states and methods.
const (
	ConsentPending   = "pending"   // not given yet
	ConsentConfirmed = "confirmed" // given (by the person in their own WeChat, or by the caller for themself)
	ConsentPaper     = "paper"     // a signed paper form will be (or was) uploaded; the town verifies it at acceptance
	ConsentVerified  = "verified"  // the town verified the paper form
	ConsentVoid      = "void"      // the person is no longer part of the declaration

	ConsentBySelf   = "self"   // the caller, for themself, when saving or submitting
	ConsentByWeChat = "wechat" // through a one-time invitation, from the person's own login
	ConsentByPaper  = "paper"
)

// ConsentTextVersion names the pledge and authorisation text shown when a consent is given;
// change it whenever the text changes (ConsentText).
const ConsentTextVersion = "pledge-2026-12"

// ConsentText is the text a person confirms, in their own words (name and masked ID number
// inserted), for the given applicant village and categories.
func ConsentText(name, idMasked, villageName, categories string) string {
	return "本人" + name + "（身份证号" + idMasked + "）承诺：为申请" + villageName + "的" + categories +
		"所填报的家庭人口、收入、财产等情况真实、完整，家庭情况发生变化时按规定及时告知；如有虚报、隐瞒、伪造证明材料，" +
		"愿承担停止救助、退回已领取的救助金、依法处以罚款等责任，并同意按规定记入社会救助失信记录（严重的可予公示）；" +
		"并授权民政部门及有关单位查询、核对本人及家庭的经济状况信息，用于社会救助审核。"
}

// Consent is one person's pledge and authorisation for a case. PersonBidx is the blind index of
// their ID number: an invitation opens only for a login whose verified identity has the same
// index. FactsSeq is the version of the declared facts the consent was given on: a later change
// of the facts asks for it again.
type Consent struct {
	ID              uint64 `gorm:"primaryKey"`
	CaseID          uint64 `gorm:"not null"`
	Subject         string `gorm:"size:16;not null"`
	Position        int    `gorm:"not null"` // index into the members or supporters; 0 for the agent
	PersonBidx      string `gorm:"size:64;not null"`
	State           string `gorm:"size:16;not null"`
	Method          string `gorm:"size:16;not null;default:''"`
	TextVersion     string `gorm:"size:32;not null;default:''"`
	FactsSeq        int    `gorm:"not null;default:0"`
	ResidentID      *uint64
	ConfirmedAt     *time.Time
	InviteHash      *string `gorm:"size:64"`
	InviteExpiresAt *time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func (Consent) TableName() string { return "case_consents" }

// Given reports whether the consent counts for facts version seq: confirmed on these facts, or
// a paper form (which the town checks at acceptance).
func (c *Consent) Given(seq int) bool {
	switch c.State {
	case ConsentConfirmed:
		return c.FactsSeq == seq
	case ConsentPaper, ConsentVerified:
		return true
	}
	return false
}

// CaseFacts is the declared household facts of a case: one encrypted JSON document (the
// service owns its shape), versioned by Seq.
type CaseFacts struct {
	CaseID    uint64 `gorm:"primaryKey;autoIncrement:false"`
	Seq       int    `gorm:"not null"`
	FactsEnc  []byte `gorm:"column:facts_enc;not null"`
	UpdatedAt time.Time
}

func (CaseFacts) TableName() string { return "case_facts" }

// OpenClaim is one person's open application in one category: the primary key (person,
// category) is what refuses a second open application of the same household and category.
type OpenClaim struct {
	PersonBidx string   `gorm:"primaryKey;size:64"`
	Category   Category `gorm:"primaryKey;size:32"`
	CaseID     uint64   `gorm:"not null"`
}

func (OpenClaim) TableName() string { return "open_claims" }
