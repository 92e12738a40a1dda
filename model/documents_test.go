package model

import (
	"errors"
	"testing"
)

func withItems(status Status, items ...ChecklistItem) *CaseFile {
	f := newFile(CatMinimumLiving)
	f.Case.Status = status
	f.Checklist = items
	return f
}

func TestUploadRulesByStatusItemAndCount(t *testing.T) {
	for _, st := range AllStatuses {
		f := withItems(st, ChecklistItem{ID: 7, Name: "户口簿", Status: ItemMissing, Round: 1})
		err := f.CheckUpload(7)
		want := st == StatusDraft || st == StatusSubmitted || st == StatusReturned
		if (err == nil) != want {
			t.Errorf("status %s: %v", st, err)
		}
		if !want && !errors.Is(err, ErrDocumentsClosed) {
			t.Errorf("status %s: %v", st, err)
		}
	}
	f := withItems(StatusReturned, ChecklistItem{ID: 7, Name: "户口簿", Status: ItemMissing, Round: 1},
		ChecklistItem{ID: 8, Name: "收入证明", Status: ItemAccepted, Round: 1})
	if err := f.CheckUpload(9); !errors.Is(err, ErrItemNotFound) {
		t.Fatalf("unknown item: %v", err)
	}
	if err := f.CheckUpload(8); !errors.Is(err, ErrItemAccepted) {
		t.Fatalf("accepted item: %v", err)
	}
	for _, st := range []string{ItemShared, ItemNotNeeded} {
		g := withItems(StatusDraft, ChecklistItem{ID: 5, Name: "户口簿", Status: st, Provide: ProvideShared})
		if err := g.CheckUpload(5); !errors.Is(err, ErrItemNotNeeded) {
			t.Fatalf("%s item: %v", st, err)
		}
		if err := withItems(StatusSubmitted, ChecklistItem{ID: 5, Status: st}).ReviewItem(env(townStaff, t0), 5, true, ""); !errors.Is(err, ErrItemNotProvided) {
			t.Fatalf("review of a %s item: %v", st, err)
		}
	}
	if err := withItems(StatusDraft, ChecklistItem{ID: 5, Status: ItemCommitted}).CheckUpload(5); err != nil {
		t.Fatalf("committed item: %v", err)
	}
	e := env(townStaff, t0)
	for i := range MaxDocumentsPerItem {
		if err := f.AddDocument(e, 7, Document{ID: uint64(i + 1), StorageKey: "k"}); err != nil {
			t.Fatalf("document %d: %v", i+1, err)
		}
	}
	if f.Checklist[0].Status != ItemProvided || len(f.ItemDocuments(7)) != MaxDocumentsPerItem {
		t.Fatalf("item after uploads: %+v", f.Checklist[0])
	}
	if err := f.AddDocument(e, 7, Document{}); !errors.Is(err, ErrTooManyDocs) {
		t.Fatalf("one over the item limit: %v", err)
	}
	// Deleting them all makes the item missing again.
	for i := range MaxDocumentsPerItem {
		if _, err := f.RemoveDocument(e, uint64(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	if f.Checklist[0].Status != ItemMissing || len(f.ItemDocuments(7)) != 0 {
		t.Fatalf("item after deleting all: %+v", f.Checklist[0])
	}
	if _, err := f.RemoveDocument(e, 1); !errors.Is(err, ErrDocumentGone) {
		t.Fatalf("deleting twice: %v", err)
	}
	// The case limit counts every item.
	g := withItems(StatusSubmitted)
	for i := range MaxDocumentsPerCase/MaxDocumentsPerItem + 1 {
		g.Checklist = append(g.Checklist, ChecklistItem{ID: uint64(100 + i), Status: ItemMissing, Round: 1})
	}
	n := 0
	for _, it := range g.Checklist {
		for range MaxDocumentsPerItem {
			if err := g.AddDocument(e, it.ID, Document{ID: uint64(1000 + n)}); err != nil {
				if !errors.Is(err, ErrTooManyDocs) || n != MaxDocumentsPerCase {
					t.Fatalf("case limit hit at %d: %v", n, err)
				}
				return
			}
			n++
		}
	}
	t.Fatalf("no case limit: %d documents", n)
}

func TestReviewItem(t *testing.T) {
	f := withItems(StatusSubmitted, ChecklistItem{ID: 7, Name: "户口簿", Status: ItemProvided, Round: 1},
		ChecklistItem{ID: 8, Name: "收入证明", Status: ItemMissing, Round: 1})
	e := env(townStaff, t0)
	if err := f.ReviewItem(e, 8, true, ""); !errors.Is(err, ErrItemNotProvided) {
		t.Fatalf("missing item reviewed: %v", err)
	}
	if err := f.ReviewItem(e, 7, false, ""); !errors.Is(err, ErrReasonRequired) {
		t.Fatalf("rejection without reason: %v", err)
	}
	if err := f.ReviewItem(e, 7, false, "复印件不清晰"); err != nil {
		t.Fatal(err)
	}
	if it := f.Checklist[0]; it.Status != ItemRejected || it.RejectReason != "复印件不清晰" || it.ReviewedByStaffID != townStaff.ID || it.ReviewedAt == nil {
		t.Fatalf("rejected: %+v", it)
	}
	if err := f.ReviewItem(e, 7, true, ""); err != nil || f.Checklist[0].Status != ItemAccepted || f.Checklist[0].RejectReason != "" {
		t.Fatalf("accepted after all: %+v %v", f.Checklist[0], err)
	}
	f.Case.Status = StatusReturned
	if err := f.ReviewItem(e, 7, true, ""); !errors.Is(err, ErrReviewClosed) {
		t.Fatalf("review while the applicant completes: %v", err)
	}
}

// A return may name an item of the first notice or an item staff rejected; anything else is
// still refused (一次性告知).
func TestReturnMayAskForARejectedItem(t *testing.T) {
	f := withItems(StatusSubmitted,
		ChecklistItem{ID: 1, Name: "户口簿", Status: ItemAccepted, Round: 1},
		ChecklistItem{ID: 2, Name: "残疾证", Status: ItemRejected, RejectReason: "已过有效期", Round: 2})
	f.Case.Round = 2
	if err := f.Return(env(townStaff, t0), "", []MissingItem{{Name: "房产证明"}}); !errors.Is(err, ErrItemNotInFirstNotice) {
		t.Fatalf("a new item: %v", err)
	}
	if err := f.Return(env(townStaff, t0), "", []MissingItem{{Name: "残疾证"}, {Name: "户口簿"}}); err != nil {
		t.Fatalf("a rejected item and a first-notice item: %v", err)
	}
}
