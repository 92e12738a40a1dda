-- +goose Up
-- Twin of sqlite/00045 (issue 25). A 调标 batch: a county's new 低保 standard S effective from a
-- month, previewed as one line per active 低保 household (old amount, S × persons − the income
-- recorded on the benefit, new amount; skipped lines change nothing and need a review), applied
-- as standard_change benefit changes when a county officer other than the preparer approves.
CREATE TABLE standard_batches (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  public_id VARCHAR(32) NOT NULL,
  county_code VARCHAR(12) NOT NULL,
  standard_cents BIGINT NOT NULL,
  effective_month CHAR(7) NOT NULL,
  status VARCHAR(16) NOT NULL,
  households INT NOT NULL,
  old_total_cents BIGINT NOT NULL,
  new_total_cents BIGINT NOT NULL,
  prepared_by_staff_id BIGINT UNSIGNED NOT NULL,
  approved_by_staff_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  approved_at DATETIME(6) NULL,
  version INT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  UNIQUE KEY uq_standard_batches_public (public_id),
  KEY idx_standard_batches_county (county_code, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE standard_batch_lines (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  batch_id BIGINT UNSIGNED NOT NULL,
  benefit_id BIGINT UNSIGNED NOT NULL,
  benefit_public_id VARCHAR(32) NOT NULL,
  town_code VARCHAR(12) NOT NULL,
  person_masked VARCHAR(16) NOT NULL,
  persons INT NOT NULL,
  income_cents BIGINT NOT NULL,
  old_cents BIGINT NOT NULL,
  new_cents BIGINT NOT NULL,
  skipped VARCHAR(32) NOT NULL DEFAULT '',
  KEY idx_standard_batch_lines_batch (batch_id, id),
  CONSTRAINT fk_standard_batch_lines_batch FOREIGN KEY (batch_id) REFERENCES standard_batches (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE standard_batch_lines;
DROP TABLE standard_batches;
