-- +goose Up
-- 调标 batches (mysql/00045 is the twin and explains them).
CREATE TABLE standard_batches (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  public_id VARCHAR(32) NOT NULL,
  county_code VARCHAR(12) NOT NULL,
  standard_cents BIGINT NOT NULL,
  effective_month CHAR(7) NOT NULL,
  status VARCHAR(16) NOT NULL,
  households INT NOT NULL,
  old_total_cents BIGINT NOT NULL,
  new_total_cents BIGINT NOT NULL,
  prepared_by_staff_id INTEGER NOT NULL,
  approved_by_staff_id INTEGER NOT NULL DEFAULT 0,
  approved_at DATETIME NULL,
  version INT NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX uq_standard_batches_public ON standard_batches (public_id);
CREATE INDEX idx_standard_batches_county ON standard_batches (county_code, id);

CREATE TABLE standard_batch_lines (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  batch_id INTEGER NOT NULL REFERENCES standard_batches (id),
  benefit_id INTEGER NOT NULL,
  benefit_public_id VARCHAR(32) NOT NULL,
  town_code VARCHAR(12) NOT NULL,
  person_masked VARCHAR(16) NOT NULL,
  persons INT NOT NULL,
  income_cents BIGINT NOT NULL,
  old_cents BIGINT NOT NULL,
  new_cents BIGINT NOT NULL,
  skipped VARCHAR(32) NOT NULL DEFAULT ''
);
CREATE INDEX idx_standard_batch_lines_batch ON standard_batch_lines (batch_id, id);

-- +goose Down
DROP TABLE standard_batch_lines;
DROP TABLE standard_batches;
