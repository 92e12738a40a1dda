-- +goose Up
-- The one-time list (一次性告知) from rules: national rows (area_code '') and region overrides of
-- the same code, in force from effective_from to effective_to (inclusive, '' = open). The national
-- rows are written by the binary at start-up (service/checklist NationalRules); administrators
-- write the region rows (sqlite/00011 is the twin).
CREATE TABLE checklist_rules (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  area_code CHAR(12) NOT NULL,
  code VARCHAR(48) NOT NULL,
  name VARCHAR(64) NOT NULL,
  note VARCHAR(255) NOT NULL,
  applies_when VARCHAR(255) NOT NULL,
  scope VARCHAR(16) NOT NULL,
  shared_source VARCHAR(64) NOT NULL,
  commitment_allowed TINYINT(1) NOT NULL,
  disabled TINYINT(1) NOT NULL,
  aliases VARCHAR(255) NOT NULL,
  sort_order INT NOT NULL,
  effective_from CHAR(10) NOT NULL,
  effective_to CHAR(10) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  UNIQUE KEY uq_checklist_rules (area_code, code, effective_from)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE checklist_rules;
