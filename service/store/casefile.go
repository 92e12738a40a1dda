package store

import (
	"context"
	"reflect"
	"strings"
	"time"

	"gorm.io/gorm"

	"palmaid/model"
)

// caseColumns are the case-row columns an action may change; UpdateCaseFile writes exactly
// these, with the version check. Identity columns (public id, household, area codes,
// submission) never change after submission.
var caseColumns = []string{
	"status", "stage", "reason", "round", "investigation_round", "urgent", "close_relative", "decider_level",
	"special_reason", "spot_checked_at", "spot_checked_by_staff_id", "next_due_on", "next_due_step",
	"next_due_provisional", "accepted_at", "closed_at", "owner_staff_id", "beneficiary_resident_id",
	"agent_resident_id", "agent_relation", "applicant_resident_id", "beneficiary_id_bidx", "pledge_at",
	"authorization_at", "submitted_at", "version", "updated_at",
}

// LoadCaseFile reads a case and all its children (no lock). Outside scope: ErrCaseNotFound.
func (s *CaseFileRepo) LoadCaseFile(ctx context.Context, sc Scope, publicID string) (*model.CaseFile, error) {
	var c model.Case
	if err := sc.byPublicID(s.conn(ctx), publicID).Take(&c).Error; err != nil {
		return nil, notFound(err, model.ErrCaseNotFound)
	}
	return s.loadChildren(ctx, &c)
}

// childTables are the case file's optional child tables: loadChildren first asks in ONE query
// which of them hold rows for the case, then reads only those (a fresh application has rows in
// two or three of the eleven; each query saved is a round trip on MySQL).
var childTables = []struct{ table, cond string }{
	{"case_deadlines", "case_id = ?"},
	{"checklist_items", "case_id = ?"},
	{"case_data_checks", "case_id = ?"},
	{"case_visits", "case_id = ?"},
	{"case_opinions", "case_id = ?"},
	{"case_notices", "case_id = ?"},
	{"case_objections", "case_id = ?"},
	{"decisions", "case_id = ?"},
	{"case_consents", "case_id = ?"},
	{"documents", "case_id = ? AND deleted_at IS NULL"},
	{"case_facts", "case_id = ?"},
	{"case_spot_checks", "case_id = ?"},
}

// childProbe is SELECT EXISTS(…), EXISTS(…), … over childTables.
var childProbe = func() string {
	parts := make([]string, len(childTables))
	for i, t := range childTables {
		parts[i] = "EXISTS (SELECT 1 FROM " + t.table + " WHERE " + t.cond + ")"
	}
	return "SELECT " + strings.Join(parts, ", ")
}()

func (s *CaseFileRepo) loadChildren(ctx context.Context, c *model.Case) (*model.CaseFile, error) {
	f := &model.CaseFile{Case: *c}
	db := s.conn(ctx)
	if err := db.Where("case_id = ?", c.ID).Find(&f.Categories).Error; err != nil { // no id: sorted below
		return nil, err
	}
	has := make([]bool, len(childTables))
	args := make([]any, len(childTables))
	dst := make([]any, len(childTables))
	for i := range childTables {
		args[i], dst[i] = c.ID, &has[i]
	}
	if err := db.Raw(childProbe, args...).Row().Scan(dst...); err != nil {
		return nil, err
	}
	byCase := func(dst any) error { return db.Where("case_id = ?", c.ID).Order("id").Find(dst).Error }
	for i, dst := range []any{&f.Deadlines, &f.Checklist, &f.DataChecks, &f.Visits, &f.Opinions,
		&f.Notices, &f.Objections, &f.Decisions, &f.Consents} {
		if !has[i] {
			// what Find leaves for no rows: an empty, non-nil slice
			v := reflect.ValueOf(dst).Elem()
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			continue
		}
		if err := byCase(dst); err != nil {
			return nil, err
		}
	}
	if err := db.Where("household_id = ?", c.HouseholdID).Order("position").Find(&f.Members).Error; err != nil {
		return nil, err
	}
	if has[9] {
		if err := db.Where("case_id = ? AND deleted_at IS NULL", c.ID).Order("id").Find(&f.Documents).Error; err != nil {
			return nil, err
		}
	} else {
		f.Documents = []model.Document{}
	}
	if has[11] {
		if err := byCase(&f.SpotChecks); err != nil {
			return nil, err
		}
	} else {
		f.SpotChecks = []model.SpotCheck{}
	}
	if has[10] {
		var facts []model.CaseFacts
		if err := db.Where("case_id = ?", c.ID).Limit(1).Find(&facts).Error; err != nil {
			return nil, err
		}
		if len(facts) == 1 {
			f.Facts = &facts[0]
		}
	}
	sortCategories(f.Categories)
	f.Case.Categories = f.Categories
	return f, nil
}

// UpdateCaseFile is the one way a case changes: lock the case row (in scope), check the
// client's version (expectVersion < 1 skips it: system actions), load the whole case file in
// the same transaction, run decide with the transaction's context, then save generically: the
// declared case columns WHERE version matches, new children inserted and changed children
// updated, events, outbox and audit rows appended. Any write error rolls everything back.
func (s *CaseFileRepo) UpdateCaseFile(ctx context.Context, sc Scope, publicID string, expectVersion int, now time.Time,
	decide func(ctx context.Context, f *model.CaseFile) error) (*model.CaseFile, error) {
	var out *model.CaseFile
	err := s.InTx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		var c model.Case
		if err := s.forUpdate(sc.byPublicID(db, publicID)).Take(&c).Error; err != nil {
			return notFound(err, model.ErrCaseNotFound)
		}
		if expectVersion >= 1 && c.Version != expectVersion {
			return model.ErrStaleVersion
		}
		f, err := s.loadChildren(ctx, &c)
		if err != nil {
			return err
		}
		before := snapshot(f)
		if err := decide(ctx, f); err != nil {
			return err
		}
		f.Finish(now)
		if err := s.saveCaseFile(ctx, before, f, c.Version); err != nil {
			return err
		}
		changed(ctx, c.PublicID)
		out = f
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func snapshot(f *model.CaseFile) *model.CaseFile {
	cp := *f
	cp.Deadlines = append([]model.Deadline(nil), f.Deadlines...)
	cp.Checklist = append([]model.ChecklistItem(nil), f.Checklist...)
	cp.Documents = append([]model.Document(nil), f.Documents...)
	cp.DataChecks = append([]model.DataCheck(nil), f.DataChecks...)
	cp.Visits = append([]model.HomeVisit(nil), f.Visits...)
	cp.Opinions = append([]model.Opinion(nil), f.Opinions...)
	cp.Notices = append([]model.PublicNotice(nil), f.Notices...)
	cp.Objections = append([]model.Objection(nil), f.Objections...)
	cp.Decisions = append([]model.Decision(nil), f.Decisions...)
	cp.Consents = append([]model.Consent(nil), f.Consents...)
	cp.SpotChecks = append([]model.SpotCheck(nil), f.SpotChecks...)
	return &cp
}

func (s *CaseFileRepo) saveCaseFile(ctx context.Context, before, f *model.CaseFile, oldVersion int) error {
	db := s.conn(ctx)
	c := &f.Case
	res := db.Model(&model.Case{}).Where("id = ? AND version = ?", c.ID, oldVersion).Select(caseColumns).Updates(c)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return model.ErrStaleVersion
	}
	if f.CategoriesChanged {
		for _, cc := range f.Categories {
			if err := db.Model(&model.CaseCategory{}).Where("case_id = ? AND category = ?", c.ID, cc.Category).
				Update("requested", cc.Requested).Error; err != nil {
				return err
			}
		}
		f.CategoriesChanged = false
	}
	if f.NewMembers != nil {
		if err := s.replaceMembers(ctx, f); err != nil {
			return err
		}
	}
	steps := []error{
		saveRows(db, c.ID, before.Deadlines, f.Deadlines, func(r *model.Deadline) (*uint64, *uint64) { return &r.ID, &r.CaseID }),
		saveRows(db, c.ID, before.Checklist, f.Checklist, func(r *model.ChecklistItem) (*uint64, *uint64) { return &r.ID, &r.CaseID }),
		saveRows(db, c.ID, before.Documents, f.Documents, func(r *model.Document) (*uint64, *uint64) { return &r.ID, &r.CaseID }),
		saveRows(db, c.ID, before.DataChecks, f.DataChecks, func(r *model.DataCheck) (*uint64, *uint64) { return &r.ID, &r.CaseID }),
		saveRows(db, c.ID, before.Visits, f.Visits, func(r *model.HomeVisit) (*uint64, *uint64) { return &r.ID, &r.CaseID }),
		saveRows(db, c.ID, before.Opinions, f.Opinions, func(r *model.Opinion) (*uint64, *uint64) { return &r.ID, &r.CaseID }),
		saveRows(db, c.ID, before.Notices, f.Notices, func(r *model.PublicNotice) (*uint64, *uint64) { return &r.ID, &r.CaseID }),
		saveRows(db, c.ID, before.Objections, f.Objections, func(r *model.Objection) (*uint64, *uint64) { return &r.ID, &r.CaseID }),
		saveRows(db, c.ID, before.Decisions, f.Decisions, func(r *model.Decision) (*uint64, *uint64) { return &r.ID, &r.CaseID }),
		saveRows(db, c.ID, before.Consents, f.Consents, func(r *model.Consent) (*uint64, *uint64) { return &r.ID, &r.CaseID }),
		saveRows(db, c.ID, before.SpotChecks, f.SpotChecks, func(r *model.SpotCheck) (*uint64, *uint64) { return &r.ID, &r.CaseID }),
		s.saveFacts(ctx, f),
		s.saveClaims(ctx, before.Case.Status, f),
	}
	for _, err := range steps {
		if err != nil {
			return err
		}
	}
	for i := range f.Events {
		f.Events[i].CaseID = c.ID
	}
	for i := range f.Outbox {
		f.Outbox[i].CaseID = c.ID
	}
	for i := range f.Audit {
		if f.Audit[i].CaseID == nil {
			id := c.ID
			f.Audit[i].CaseID = &id
		}
	}
	if err := insertAll(db, f.Events); err != nil {
		return err
	}
	if err := insertAll(db, f.Outbox); err != nil {
		return err
	}
	return insertAll(db, f.Audit)
}

// saveRows inserts rows without an id and updates rows that differ from what was loaded.
// Rows are never deleted: a case file's history only grows. Insert order is slice order, so a
// child inserted earlier in the slice (a notice) has its id before a later one (an objection
// of a new notice is written by a later action, after the notice has its id).
func saveRows[T any](db *gorm.DB, caseID uint64, old, cur []T, keys func(*T) (*uint64, *uint64)) error {
	prev := make(map[uint64]T, len(old))
	for i := range old {
		id, _ := keys(&old[i])
		prev[*id] = old[i]
	}
	for i := range cur {
		r := &cur[i]
		id, cid := keys(r)
		*cid = caseID
		if *id == 0 {
			if err := db.Create(r).Error; err != nil {
				return err
			}
			continue
		}
		if p, ok := prev[*id]; ok && reflect.DeepEqual(p, *r) {
			continue
		}
		if err := db.Model(r).Select("*").Updates(r).Error; err != nil {
			return err
		}
	}
	return nil
}

func insertAll[T any](db *gorm.DB, rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	return db.Create(&rows).Error
}
