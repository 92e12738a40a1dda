-- +goose Up
-- Uploads (issue 8, item 5): staff review each checklist item (accepted, or rejected with a
-- reason the applicant sees); the applicant may delete a document while the case is theirs
-- (the row stays for the history, the object goes). Storage keys are random and unique
-- (sqlite/00010 is the twin).
ALTER TABLE checklist_items
  ADD COLUMN reject_reason VARCHAR(500) NOT NULL DEFAULT '',
  ADD COLUMN reviewed_by_staff_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN reviewed_at DATETIME(6) NULL;
ALTER TABLE documents
  ADD COLUMN deleted_at DATETIME(6) NULL,
  ADD UNIQUE KEY uq_documents_storage_key (storage_key);

-- +goose Down
ALTER TABLE documents DROP INDEX uq_documents_storage_key, DROP COLUMN deleted_at;
ALTER TABLE checklist_items DROP COLUMN reviewed_at, DROP COLUMN reviewed_by_staff_id, DROP COLUMN reject_reason;
