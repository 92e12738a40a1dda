package model

import (
	"fmt"
)

// Documents answer checklist items. The applicant (or agent, or beneficiary) uploads while the
// case is theirs to complete; staff review each item (accepted, or rejected with a reason), and
// a rejected item is what a later return may ask for again.

// Actions on documents (case history and audit names).
const (
	ActUploadDocument Action = "upload_document"
	ActDeleteDocument Action = "delete_document"
	ActReviewItem     Action = "review_item"
)

// Limits on the number of documents (not deleted).
const (
	MaxDocumentsPerItem = 10
	MaxDocumentsPerCase = 60
)

// uploadStatuses are the statuses in which the applicant may add or remove documents: the case
// awaits them. Allowing one more status (a draft) is one more line here.
var uploadStatuses = map[Status]bool{
	StatusDraft:     true,
	StatusSubmitted: true,
	StatusReturned:  true,
}

// reviewStatuses are the statuses in which staff review the items: before acceptance, and while
// the town investigates (not while the applicant is completing a return).
var reviewStatuses = map[Status]bool{
	StatusSubmitted:     true,
	StatusAccepted:      true,
	StatusInvestigating: true,
}

var (
	ErrDocumentsClosed = E(KindConflict, "document.case_not_open", "当前办理阶段不能上传或删除材料")
	ErrItemNotFound    = E(KindNotFound, "document.item_not_found", "所需材料项不存在")
	ErrItemAccepted    = E(KindConflict, "document.item_accepted", "该项材料已审核通过，无需再上传")
	ErrItemNotNeeded   = E(KindConflict, "document.item_not_needed", "该项材料无需提供（已通过部门数据共享获取，或按现在填写的情况不再需要）")
	ErrTooManyDocs     = E(KindUnprocessable, "document.too_many", "材料数量已达上限，请先删除不需要的文件")
	ErrDocumentGone    = E(KindNotFound, "document.not_found", "文件不存在或已删除")
	ErrReviewClosed    = E(KindConflict, "document.review_not_open", "当前办理阶段不能审核材料")
	ErrItemNotProvided = E(KindUnprocessable, "document.item_not_provided", "申请人尚未提供该项材料，不能审核")
)

// CanChangeDocuments reports whether the applicant may add or remove documents now.
func (f *CaseFile) CanChangeDocuments() bool { return uploadStatuses[f.Case.Status] }

// Item returns the checklist item with the given id.
func (f *CaseFile) Item(id uint64) (*ChecklistItem, error) {
	for i := range f.Checklist {
		if f.Checklist[i].ID == id && id != 0 {
			return &f.Checklist[i], nil
		}
	}
	return nil, ErrItemNotFound
}

// ItemDocuments lists the documents (not deleted) answering one item.
func (f *CaseFile) ItemDocuments(itemID uint64) []Document {
	var out []Document
	for _, d := range f.Documents {
		if d.ChecklistItemID != nil && *d.ChecklistItemID == itemID && d.DeletedAt == nil {
			out = append(out, d)
		}
	}
	return out
}

// Document returns a document of the case that was not deleted.
func (f *CaseFile) Document(id uint64) (*Document, error) {
	for i := range f.Documents {
		if f.Documents[i].ID == id && id != 0 && f.Documents[i].DeletedAt == nil {
			return &f.Documents[i], nil
		}
	}
	return nil, ErrDocumentGone
}

// CheckUpload tells whether one more document may be attached to the item now: the case awaits
// the applicant, the item exists and is not accepted, and the counts leave room.
func (f *CaseFile) CheckUpload(itemID uint64) error {
	if !f.CanChangeDocuments() {
		return ErrDocumentsClosed.WithField("status", string(f.Case.Status))
	}
	it, err := f.Item(itemID)
	if err != nil {
		return err
	}
	switch it.Status {
	case ItemAccepted:
		return ErrItemAccepted
	case ItemShared, ItemNotNeeded:
		return ErrItemNotNeeded
	}
	live := 0
	for _, d := range f.Documents {
		if d.DeletedAt == nil {
			live++
		}
	}
	if live >= MaxDocumentsPerCase {
		return ErrTooManyDocs.WithField("case", fmt.Sprintf("每份申请最多%d个文件", MaxDocumentsPerCase))
	}
	if len(f.ItemDocuments(itemID)) >= MaxDocumentsPerItem {
		return ErrTooManyDocs.WithField("file", fmt.Sprintf("每项材料最多%d个文件", MaxDocumentsPerItem))
	}
	return nil
}

// AddDocument attaches a stored, sanitised document to an item; the item becomes provided (a
// rejected item too: the applicant answered the rejection; a committed one: the applicant
// provides the document after all).
func (f *CaseFile) AddDocument(env Env, itemID uint64, d Document) error {
	if err := f.CheckUpload(itemID); err != nil {
		return err
	}
	it, _ := f.Item(itemID)
	id := it.ID
	d.CaseID, d.ChecklistItemID, d.CreatedAt = f.Case.ID, &id, env.Now
	f.Documents = append(f.Documents, d)
	it.Status = ItemProvided
	return nil
}

// RemoveDocument marks a document deleted; an item left without documents is missing again.
// It returns the removed document (whose object the caller deletes after the commit).
func (f *CaseFile) RemoveDocument(env Env, docID uint64) (Document, error) {
	d, err := f.Document(docID)
	if err != nil {
		return Document{}, err
	}
	if !f.CanChangeDocuments() {
		return Document{}, ErrDocumentsClosed.WithField("status", string(f.Case.Status))
	}
	if d.ChecklistItemID != nil {
		if it, err := f.Item(*d.ChecklistItemID); err == nil && it.Status == ItemAccepted {
			return Document{}, ErrItemAccepted
		}
	}
	at := env.Now
	d.DeletedAt = &at
	removed := *d
	if d.ChecklistItemID != nil {
		if it, err := f.Item(*d.ChecklistItemID); err == nil && len(f.ItemDocuments(it.ID)) == 0 && it.Status == ItemProvided {
			it.Status = ItemMissing
		}
	}
	return removed, nil
}

// ReviewItem records the staff verdict on one provided item: accepted, or rejected with a
// reason the applicant sees. A rejected item may be named by a later return.
func (f *CaseFile) ReviewItem(env Env, itemID uint64, accepted bool, reason string) error {
	if !reviewStatuses[f.Case.Status] {
		return ErrReviewClosed.WithField("status", string(f.Case.Status))
	}
	it, err := f.Item(itemID)
	if err != nil {
		return err
	}
	switch it.Status {
	case ItemMissing, ItemShared, ItemNotNeeded:
		return ErrItemNotProvided // nothing of the applicant's to judge (a commitment is)
	}
	if !accepted && reason == "" {
		return ErrReasonRequired.field("reason", "不通过时须写明原因")
	}
	at := env.Now
	it.ReviewedAt, it.ReviewedByStaffID = &at, env.By.ID
	if accepted {
		it.Status, it.RejectReason = ItemAccepted, ""
	} else {
		it.Status, it.RejectReason = ItemRejected, reason
	}
	return nil
}

// RejectedItems are the names of the items staff rejected.
func (f *CaseFile) RejectedItems() map[string]bool {
	out := map[string]bool{}
	for _, it := range f.Checklist {
		if it.Status == ItemRejected {
			out[it.Name] = true
		}
	}
	return out
}
