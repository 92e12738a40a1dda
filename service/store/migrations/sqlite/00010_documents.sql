-- +goose Up
-- Uploads (issue 8, item 5): staff review each checklist item (accepted, or rejected with a
-- reason the applicant sees); the applicant may delete a document while the case is theirs
-- (the row stays for the history, the object goes). Storage keys are random and unique
-- (mysql/00010 is the twin).
ALTER TABLE checklist_items ADD COLUMN reject_reason VARCHAR(500) NOT NULL DEFAULT '';
ALTER TABLE checklist_items ADD COLUMN reviewed_by_staff_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE checklist_items ADD COLUMN reviewed_at DATETIME NULL;
ALTER TABLE documents ADD COLUMN deleted_at DATETIME NULL;
CREATE UNIQUE INDEX uq_documents_storage_key ON documents (storage_key);

-- +goose Down
DROP INDEX uq_documents_storage_key;
ALTER TABLE documents DROP COLUMN deleted_at;
ALTER TABLE checklist_items DROP COLUMN reviewed_at;
ALTER TABLE checklist_items DROP COLUMN reviewed_by_staff_id;
ALTER TABLE checklist_items DROP COLUMN reject_reason;
