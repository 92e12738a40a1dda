package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"palmaid/model"
)

// NewCase is everything written when a resident submits an application.
type NewCase struct {
	Household  model.Household
	Members    []model.Member // Position 0 is the applicant (relation self)
	Case       model.Case
	Categories []model.CaseCategory
	Event      model.CaseEvent
	Deadlines  []model.Deadline         // the acceptance clock, stored at submission
	Idem       *model.IdempotencyRecord // nil when the request had no Idempotency-Key
	// A draft's declared facts, its checklist from the rules and the consents it needs.
	Facts     *model.CaseFacts
	Checklist []model.ChecklistItem
	Consents  []model.Consent
	// DraftCap, for a draft, is how many drafts its applicant may hold at once, this one
	// included (0: no cap): checked under a lock on the applicant's row.
	DraftCap int
}

var errTooManyDrafts = model.E(model.KindConflict, "case.too_many_drafts", "您未提交的申请草稿已达上限，请先提交或撤回已有的草稿后再新建")

// checkDraftCap refuses a new draft when the applicant holds limit drafts already. The applicant's
// row is locked first (MySQL; SQLite serialises writers), so concurrent drafts of one account
// are counted one after the other.
func (s *CaseFileRepo) checkDraftCap(ctx context.Context, applicant uint64, limit int) error {
	db := s.conn(ctx)
	var r model.Resident
	if err := s.forUpdate(db.Select("id")).Take(&r, applicant).Error; err != nil {
		return err
	}
	var n int64
	if err := db.Model(&model.Case{}).Where("applicant_resident_id = ? AND status = ?", applicant, model.StatusDraft).Count(&n).Error; err != nil {
		return err
	}
	if n >= int64(limit) {
		return errTooManyDrafts
	}
	return nil
}

// CreateCase writes a submitted case with its household in one transaction and returns the
// case file as written (created=true): every row with its id, times as the database keeps
// them, empty child lists where LoadCaseFile finds none — what LoadCaseFile would read back,
// without reading it (nc.Event, the new case's whole history, has its id too). With an
// idempotency record, a second call with the same (resident, key) returns the first case
// (created=false; the file then holds only its case row and categories: read the rest if
// needed), or ErrIdempotencyReuse when the request differs.
func (s *CaseFileRepo) CreateCase(ctx context.Context, nc *NewCase) (f *model.CaseFile, created bool, err error) {
	// A repeated idempotency key is not looked up first: the first request's case holds the
	// household's open claims, or failing that the key's row exists, so the transaction fails
	// on a unique key and the key is looked up then (a replay costs a rolled-back transaction;
	// every first request saves a query).
	atStoredPrecision(reflect.ValueOf(nc))
	err = s.InTx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		if nc.Case.Status == model.StatusDraft && nc.DraftCap > 0 {
			if err := s.checkDraftCap(ctx, nc.Case.ApplicantResidentID, nc.DraftCap); err != nil {
				return err
			}
		}
		if err := db.Create(&nc.Household).Error; err != nil {
			return err
		}
		for i := range nc.Members {
			nc.Members[i].HouseholdID = nc.Household.ID
		}
		if err := db.Create(&nc.Members).Error; err != nil {
			return err
		}
		cs := &nc.Case
		cs.HouseholdID = nc.Household.ID
		cs.ApplicantMemberID = &nc.Members[0].ID
		if err := db.Omit("case_no").Create(cs).Error; err != nil {
			return err
		}
		// The number shows the id, known only after the insert: one UPDATE (no clean way to
		// compute it inside the INSERT on both backends without a schema change).
		cs.CaseNo = fmt.Sprintf("JZ%s%08d", cs.SubmittedAt.In(model.China()).Format("20060102"), cs.ID)
		if err := db.Model(cs).Update("case_no", cs.CaseNo).Error; err != nil {
			return err
		}
		for i := range nc.Categories {
			nc.Categories[i].CaseID = cs.ID
		}
		if err := db.Create(&nc.Categories).Error; err != nil {
			return err
		}
		cs.Categories = nc.Categories
		sortCategories(cs.Categories)
		if cs.Status != model.StatusDraft {
			if err := s.claim(ctx, cs.ID, nc.Members, nc.Categories); err != nil {
				return err
			}
		}
		if nc.Facts != nil {
			nc.Facts.CaseID = cs.ID
			if err := db.Create(nc.Facts).Error; err != nil {
				return err
			}
		}
		for i := range nc.Checklist {
			nc.Checklist[i].CaseID = cs.ID
		}
		if err := insertAll(db, nc.Checklist); err != nil {
			return err
		}
		for i := range nc.Consents {
			nc.Consents[i].CaseID = cs.ID
		}
		if err := insertAll(db, nc.Consents); err != nil {
			return err
		}
		nc.Event.CaseID = cs.ID
		if err := db.Create(&nc.Event).Error; err != nil {
			return err
		}
		for i := range nc.Deadlines {
			nc.Deadlines[i].CaseID = cs.ID
		}
		if err := insertAll(db, nc.Deadlines); err != nil {
			return err
		}
		if nc.Idem != nil {
			nc.Idem.CaseID = cs.ID
			if err := db.Create(nc.Idem).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && nc.Idem != nil && (isDuplicate(err) || model.AsError(err).Code == "case.already_open") {
		// The key was used before (or by a concurrent request that won the race): answer with
		// its case, or refuse a key reused for another request.
		existing, err2 := s.caseByIdempotency(ctx, nc.Idem)
		if errors.Is(err2, model.ErrIdempotencyReuse) {
			return nil, false, err2
		}
		if err2 == nil && existing != nil {
			return replayed(existing), false, nil
		}
	}
	if err != nil {
		return nil, false, err
	}
	return nc.written(), true, nil
}

// replayed is the answer to a repeated idempotency key: the first case's row.
func replayed(c *model.Case) *model.CaseFile {
	if c == nil {
		return nil
	}
	return &model.CaseFile{Case: *c, Categories: c.Categories}
}

// written is the case file CreateCase just wrote, shaped as loadChildren reads it: members in
// position order, children in id (insert) order, categories sorted, an empty list for a child
// table without rows.
func (nc *NewCase) written() *model.CaseFile {
	f := &model.CaseFile{
		Case:       nc.Case,
		Categories: nc.Categories,
		Members:    slices.Clone(nc.Members),
		Deadlines:  orEmpty(nc.Deadlines),
		Checklist:  orEmpty(nc.Checklist),
		DataChecks: []model.DataCheck{},
		Visits:     []model.HomeVisit{},
		Opinions:   []model.Opinion{},
		Notices:    []model.PublicNotice{},
		Objections: []model.Objection{},
		Decisions:  []model.Decision{},
		Consents:   orEmpty(nc.Consents),
		Documents:  []model.Document{},
		SpotChecks: []model.SpotCheck{},
	}
	slices.SortStableFunc(f.Members, func(a, b model.Member) int { return a.Position - b.Position })
	if nc.Facts != nil {
		facts := *nc.Facts
		f.Facts = &facts
	}
	f.Case.Categories = f.Categories
	return f
}

func orEmpty[T any](rows []T) []T {
	if rows == nil {
		return []T{}
	}
	return rows
}

var timeType = reflect.TypeFor[time.Time]()

// atStoredPrecision sets every time reachable from v (through pointers, exported struct fields
// and slices) to what the database gives back: UTC, whole microseconds (DATETIME(6); MariaDB
// truncates the rest, MySQL rounds it). A row written so reads back equal to the value kept in
// memory, which the answer to a submission is built from.
func atStoredPrecision(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			atStoredPrecision(v.Elem())
		}
	case reflect.Struct:
		if v.Type() == timeType {
			if v.CanSet() {
				v.Set(reflect.ValueOf(storedTime(v.Interface().(time.Time))))
			}
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				atStoredPrecision(v.Field(i))
			}
		}
	case reflect.Slice:
		if k := v.Type().Elem().Kind(); k == reflect.Struct || k == reflect.Pointer {
			for i := 0; i < v.Len(); i++ {
				atStoredPrecision(v.Index(i))
			}
		}
	}
}

// storedTime is t as a DATETIME(6) column keeps it.
func storedTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// IdempotentCase is the public id of the resident's case filed with this key ("" when the key
// is unknown), or ErrIdempotencyReuse when the key was used for another request.
func (s *CaseFileRepo) IdempotentCase(ctx context.Context, residentID uint64, key, hash string) (string, error) {
	c, err := s.caseByIdempotency(ctx, &model.IdempotencyRecord{ResidentID: residentID, Key: key, RequestHash: hash})
	if err != nil || c == nil {
		return "", err
	}
	return c.PublicID, nil
}

func (s *CaseFileRepo) caseByIdempotency(ctx context.Context, idem *model.IdempotencyRecord) (*model.Case, error) {
	var rec model.IdempotencyRecord
	err := s.conn(ctx).Where("resident_id = ? AND `key` = ?", idem.ResidentID, idem.Key).Take(&rec).Error
	if err == gorm.ErrRecordNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if rec.RequestHash != idem.RequestHash {
		return nil, model.ErrIdempotencyReuse
	}
	var c model.Case
	if err := s.conn(ctx).Take(&c, rec.CaseID).Error; err != nil {
		return nil, err
	}
	return &c, s.loadCategories(ctx, []*model.Case{&c})
}

// GetCase loads a case visible in scope, with its categories. Outside scope: ErrCaseNotFound.
func (s *CaseFileRepo) GetCase(ctx context.Context, sc Scope, publicID string) (*model.Case, error) {
	var c model.Case
	err := sc.apply(s.conn(ctx).Where("public_id = ?", publicID)).Take(&c).Error
	if err != nil {
		return nil, notFound(err, model.ErrCaseNotFound)
	}
	return &c, s.loadCategories(ctx, []*model.Case{&c})
}

// The bits of cases.worklist_flags (migrations 00030): a generated column, never written.
const (
	flagAgent         = 1 // agent_resident_id IS NOT NULL
	flagCloseRelative = 2
	flagUrgent        = 4
)

func (s *CaseFileRepo) loadCategories(ctx context.Context, cases []*model.Case) error {
	if len(cases) == 0 {
		return nil
	}
	ids := make([]uint64, len(cases))
	byID := make(map[uint64]*model.Case, len(cases))
	for i, c := range cases {
		ids[i] = c.ID
		byID[c.ID] = c
		c.Categories = nil
	}
	var cats []model.CaseCategory
	if err := s.conn(ctx).Where("case_id IN ?", ids).Find(&cats).Error; err != nil {
		return err
	}
	for _, cc := range cats {
		byID[cc.CaseID].Categories = append(byID[cc.CaseID].Categories, cc)
	}
	for _, c := range cases {
		sortCategories(c.Categories)
	}
	return nil
}

func sortCategories(cc []model.CaseCategory) {
	rank := func(c model.Category) int {
		for i, x := range model.AllCategories {
			if x == c {
				return i
			}
		}
		return len(model.AllCategories)
	}
	for i := 1; i < len(cc); i++ {
		for j := i; j > 0 && rank(cc[j].Category) < rank(cc[j-1].Category); j-- {
			cc[j], cc[j-1] = cc[j-1], cc[j]
		}
	}
}

// CaseEvents lists a case's history, oldest first.
func (s *CaseFileRepo) CaseEvents(ctx context.Context, caseID uint64) ([]model.CaseEvent, error) {
	var out []model.CaseEvent
	return out, s.conn(ctx).Where("case_id = ?", caseID).Order("id").Find(&out).Error
}

// CaseAreaName is "town village" for a case.
func (s *CaseFileRepo) CaseAreaName(ctx context.Context, c *model.Case) (string, error) {
	names, err := s.reference().AreaNames(ctx, []string{c.AreaCode, c.TownCode})
	if err != nil {
		return "", err
	}
	return caseAreaName(names, c.AreaCode, c.TownCode), nil
}

func caseAreaName(names map[string]string, village, town string) string {
	return strings.TrimSpace(names[town] + " " + names[village])
}

// VillageForCase loads the village a new case goes to and, in the same query, its town: the
// village's row (GetArea's error when it is unknown) and the case's area name as
// CaseAreaName gives it.
func (s *CaseFileRepo) VillageForCase(ctx context.Context, village model.AreaCode) (*model.Area, string, error) {
	town := string(village.Ancestor(model.LevelTown))
	var rows []model.Area
	if err := s.conn(ctx).Where("code IN ?", []string{string(village), town}).Find(&rows).Error; err != nil {
		return nil, "", err
	}
	names := make(map[string]string, len(rows))
	var a *model.Area
	for i := range rows {
		names[rows[i].Code] = rows[i].Name
		if rows[i].Code == string(village) {
			a = &rows[i]
		}
	}
	if a == nil {
		return nil, "", ErrAreaUnknown
	}
	return a, caseAreaName(names, string(village), town), nil
}

// ApplicantNames returns applicant member names by case id for a page of cases (one query).
func (s *CaseFileRepo) ApplicantNames(ctx context.Context, cases []*model.Case) (map[uint64]string, error) {
	out := make(map[uint64]string, len(cases))
	ids := make([]uint64, 0, len(cases))
	for _, c := range cases {
		if c.ApplicantMemberID != nil {
			ids = append(ids, *c.ApplicantMemberID)
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	var ms []model.Member
	if err := s.conn(ctx).Select("id", "name").Where("id IN ?", ids).Find(&ms).Error; err != nil {
		return nil, err
	}
	byMember := make(map[uint64]string, len(ms))
	for _, m := range ms {
		byMember[m.ID] = m.Name
	}
	for _, c := range cases {
		if c.ApplicantMemberID != nil {
			out[c.ID] = byMember[*c.ApplicantMemberID]
		}
	}
	return out, nil
}
