package store_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/store"
	"palmaid/service/testenv"
)

// TestCreateCaseAnswersWhatItWrote: the case file CreateCase returns is what LoadCaseFile reads
// back right after, field for field — for a submitted case and for a draft with its facts,
// document list and consents; with the service clock's nanoseconds and time zone, which the
// database does not keep, and a time GORM fills in itself. Its event is the case's history.
func TestCreateCaseAnswersWhatItWrote(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		st := be.Store(t)
		r, err := st.UpsertResident(ctx, "wxapp", "openid-written", "", t0)
		testenv.Must(t, err)
		now := time.Date(2026, 11, 23, 10, 11, 12, 123456789, calendar.Location())

		submitted := newCase(r.ID, "130102001001", &model.IdempotencyRecord{ResidentID: r.ID, Key: "written-1", RequestHash: "h", CreatedAt: now})
		submitted.Household.Address, submitted.Household.CreatedAt, submitted.Household.UpdatedAt = "孙庄村3组8号", now, now
		for i := range submitted.Members {
			submitted.Members[i].CreatedAt, submitted.Members[i].IDEnc = now, []byte{1, byte(i), 2, 3}
		}
		c := &submitted.Case
		c.Reason, c.Stage, c.Round, c.NextDueOn, c.NextDueStep = "收入很低", model.StageToAccept, 1, "2026-11-25", model.StepAcceptance
		c.PledgeAt, c.AuthorizationAt, c.SubmittedAt, c.CreatedAt, c.UpdatedAt = now, now, now, now, now
		submitted.Event.CreatedAt, submitted.Deadlines[0].StartedAt = now, now

		draft := newCase(r.ID, "130102001002", nil)
		draft.Case.Status, draft.Case.Stage = model.StatusDraft, model.StageDraft
		draft.Case.SubmittedAt, draft.Deadlines = now, nil
		draft.Event.Action, draft.Event.ToStatus = string(model.ActDraft), model.StatusDraft
		for i := range draft.Members {
			draft.Members[i].IDEnc = []byte{1, byte(i), 4, 5}
		}
		expires := now.Add(72 * time.Hour)
		draft.Facts = &model.CaseFacts{Seq: 1, FactsEnc: []byte("sealed facts"), UpdatedAt: now}
		draft.Checklist = []model.ChecklistItem{
			{Name: "户口簿", Status: model.ItemShared, Round: 1, Code: "household_register", Provide: "shared", Source: "公安户籍", CreatedAt: now},
			{Name: "疾病诊断证明", Note: "近6个月内", Status: model.ItemMissing, Round: 1, Code: "diagnosis_certificate"}, // CreatedAt: GORM's
		}
		draft.Consents = []model.Consent{
			{Subject: model.ConsentMember, Position: 0, PersonBidx: draft.Members[0].IDBidx, State: model.ConsentPending, CreatedAt: now, UpdatedAt: now},
			{Subject: model.ConsentMember, Position: 1, PersonBidx: draft.Members[1].IDBidx, State: model.ConsentPending, InviteExpiresAt: &expires, CreatedAt: now, UpdatedAt: now},
		}

		for _, nc := range []*store.NewCase{submitted, draft} {
			f, created, err := st.CreateCase(ctx, nc)
			if err != nil || !created {
				t.Fatalf("create %s: %v %v", nc.Case.Status, created, err)
			}
			read, err := st.LoadCaseFile(ctx, store.ResidentScope(r.ID), f.Case.PublicID)
			testenv.Must(t, err)
			if !reflect.DeepEqual(f, read) {
				t.Fatalf("%s: CreateCase answered\n%s\nLoadCaseFile reads\n%s", nc.Case.Status, asJSON(t, f), asJSON(t, read))
			}
			events, err := st.CaseEvents(ctx, f.Case.ID)
			testenv.Must(t, err)
			if len(events) != 1 || !reflect.DeepEqual(events[0], nc.Event) {
				t.Fatalf("%s: history %s, the event written %s", nc.Case.Status, asJSON(t, events), asJSON(t, nc.Event))
			}
		}

		// A replay answers the first case's row.
		replay := newCase(r.ID, "130102001001", &model.IdempotencyRecord{ResidentID: r.ID, Key: "written-1", RequestHash: "h", CreatedAt: now})
		f, created, err := st.CreateCase(ctx, replay)
		if err != nil || created || f.Case.ID != submitted.Case.ID || f.Case.CaseNo != submitted.Case.CaseNo || len(f.Categories) != 2 {
			t.Fatalf("replay: %v %v %s", created, err, asJSON(t, f))
		}
	})
}

func asJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
