-- +goose Up
-- Twin of sqlite/00044 (issue 25). A 失信 record on one person (found by the blind index of their
-- ID number; the masked name shown), its basis (a benefit), conduct, level, amounts, the town's
-- facts and the person's statement (陈述申辩; both sealed), its state (draft → notified →
-- confirmed → published → expired / revoked / repaired) and validity. It never refuses an
-- application: later reviews of the person show it to staff.
CREATE TABLE credit_records (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  public_id VARCHAR(32) NOT NULL,
  person_bidx VARCHAR(64) NOT NULL,
  person_masked VARCHAR(16) NOT NULL,
  benefit_id BIGINT UNSIGNED NOT NULL,
  area_code VARCHAR(12) NOT NULL,
  town_code VARCHAR(12) NOT NULL,
  county_code VARCHAR(12) NOT NULL,
  conduct VARCHAR(24) NOT NULL,
  level VARCHAR(16) NOT NULL,
  amount_obtained_cents BIGINT NOT NULL,
  recovered_cents BIGINT NOT NULL DEFAULT 0,
  facts TEXT NOT NULL DEFAULT (''),
  status VARCHAR(16) NOT NULL,
  statement_due_on CHAR(10) NOT NULL DEFAULT '',
  statement TEXT NOT NULL DEFAULT (''),
  drafted_by_staff_id BIGINT UNSIGNED NOT NULL,
  confirmed_by_staff_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  valid_from CHAR(10) NOT NULL DEFAULT '',
  valid_to CHAR(10) NOT NULL DEFAULT '',
  published_until CHAR(10) NOT NULL DEFAULT '',
  end_reason TEXT NOT NULL DEFAULT (''),
  version INT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  UNIQUE KEY uq_credit_records_public (public_id),
  KEY idx_credit_records_person (person_bidx, status),
  KEY idx_credit_records_county (county_code, status, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE credit_records;
