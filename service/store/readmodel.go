package store

import (
	"context"
	"strings"

	"palmaid/model"
)

// CaseStamp is what the cached progress read asks the database on every request: the case in
// the caller's scope (the authorisation: not found and not yours look the same), its version
// (the key of the cached view) and its area name (areas are renamed without touching cases).
type CaseStamp struct {
	ID       uint64
	Version  int
	AreaName string // "town village", as CaseAreaName
}

// CaseStamp reads the stamp of the case publicID in scope sc: one query.
func (s *CaseFileRepo) CaseStamp(ctx context.Context, sc Scope, publicID string) (*CaseStamp, error) {
	var row struct {
		ID          uint64
		Version     int
		TownName    *string
		VillageName *string
	}
	err := sc.byPublicID(s.conn(ctx).Model(&model.Case{}), publicID).
		Select("cases.id, cases.version, " +
			"(SELECT name FROM areas WHERE areas.code = cases.town_code) AS town_name, " +
			"(SELECT name FROM areas WHERE areas.code = cases.area_code) AS village_name").
		Take(&row).Error
	if err != nil {
		return nil, notFound(err, model.ErrCaseNotFound)
	}
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	return &CaseStamp{ID: row.ID, Version: row.Version, AreaName: strings.TrimSpace(deref(row.TownName) + " " + deref(row.VillageName))}, nil
}
