package store

import (
	"gorm.io/gorm"

	"palmaid/model"
)

// Scope restricts a case query to what one principal may see. Build it with ResidentScope or
// StaffScope; there is no unscoped case lookup reachable from a handler.
type Scope struct {
	apply func(*gorm.DB) *gorm.DB
	order string // the index-friendly key for keyset pagination
	// single: the scope names one case by itself (an invitation's); an empty public id then
	// reaches it. Any other scope with an empty public id reaches nothing.
	single bool
	// areaOnly filters another table with the same area columns (reminders); nil: apply.
	areaOnly func(*gorm.DB) *gorm.DB
	// indexArea names the cases indexes of the scope's area column ("town" for
	// idx_cases_town*, "county", "area"); empty: let the optimizer choose (resident scopes,
	// province and city staff).
	indexArea string
}

func (sc Scope) area(db *gorm.DB) *gorm.DB {
	if sc.areaOnly != nil {
		return sc.areaOnly(db)
	}
	return sc.apply(db)
}

func (sc Scope) byPublicID(db *gorm.DB, publicID string) *gorm.DB {
	if publicID == "" && sc.single {
		return sc.apply(db)
	}
	return sc.apply(db.Where("public_id = ?", publicID))
}

// ResidentScope: cases where the resident is applicant, agent or beneficiary.
func ResidentScope(residentID uint64) Scope {
	return Scope{apply: func(db *gorm.DB) *gorm.DB {
		return db.Where("(applicant_resident_id = ? OR agent_resident_id = ? OR beneficiary_resident_id = ?)", residentID, residentID, residentID)
	}}
}

// StaffScope: cases inside the staff member's area subtree, using the column indexed for
// that level.
func StaffScope(st *model.Staff) Scope {
	area := st.Area()
	indexArea := ""
	switch area.Level() {
	case model.LevelVillage:
		indexArea = "area"
	case model.LevelTown:
		indexArea = "town"
	case model.LevelCounty:
		indexArea = "county"
	}
	byArea := func(db *gorm.DB) *gorm.DB {
		switch area.Level() {
		case model.LevelVillage:
			return db.Where("area_code = ?", string(area))
		case model.LevelTown:
			return db.Where("town_code = ?", string(area))
		case model.LevelCounty:
			return db.Where("county_code = ?", string(area))
		case model.LevelProvince, model.LevelCity:
			return db.Where("county_code LIKE ?", area.Prefix()+"%")
		}
		return db.Where("1 = 0")
	}
	return Scope{areaOnly: byArea, indexArea: indexArea, apply: func(db *gorm.DB) *gorm.DB {
		// A resident's draft is theirs alone until it is submitted.
		return byArea(db.Where("status <> ?", model.StatusDraft))
	}}
}

// SystemScope reaches one case by its internal id, for the service's own background work
// (recomputing clocks after a calendar year is loaded). Faces never hold the store.
func SystemScope(caseID uint64) Scope {
	return Scope{apply: func(db *gorm.DB) *gorm.DB { return db.Where("id = ?", caseID) }}
}

// NoticeScope reaches the case behind an open public notice (the public objection form):
// only while the case is in its notice.
func NoticeScope(caseID uint64) Scope {
	return Scope{apply: func(db *gorm.DB) *gorm.DB {
		return db.Where("id = ? AND status = ?", caseID, model.StatusPublicNotice)
	}}
}
