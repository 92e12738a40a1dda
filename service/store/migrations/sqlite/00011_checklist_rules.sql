-- +goose Up
-- The one-time list (一次性告知) from rules: national rows (area_code '') and region overrides of
-- the same code, in force from effective_from to effective_to (inclusive, '' = open). The national
-- rows are written by the binary at start-up (service/checklist NationalRules); administrators
-- write the region rows (mysql/00011 is the twin).
CREATE TABLE checklist_rules (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  area_code CHAR(12) NOT NULL,
  code VARCHAR(48) NOT NULL,
  name VARCHAR(64) NOT NULL,
  note VARCHAR(255) NOT NULL,
  applies_when VARCHAR(255) NOT NULL,
  scope VARCHAR(16) NOT NULL,
  shared_source VARCHAR(64) NOT NULL,
  commitment_allowed INTEGER NOT NULL,
  disabled INTEGER NOT NULL,
  aliases VARCHAR(255) NOT NULL,
  sort_order INTEGER NOT NULL,
  effective_from CHAR(10) NOT NULL,
  effective_to CHAR(10) NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX uq_checklist_rules ON checklist_rules (area_code, code, effective_from);

-- +goose Down
DROP TABLE checklist_rules;
