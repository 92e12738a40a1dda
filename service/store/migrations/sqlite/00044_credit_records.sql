-- +goose Up
-- 失信 records (mysql/00044 is the twin and explains the table).
CREATE TABLE credit_records (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  public_id VARCHAR(32) NOT NULL,
  person_bidx VARCHAR(64) NOT NULL,
  person_masked VARCHAR(16) NOT NULL,
  benefit_id INTEGER NOT NULL,
  area_code VARCHAR(12) NOT NULL,
  town_code VARCHAR(12) NOT NULL,
  county_code VARCHAR(12) NOT NULL,
  conduct VARCHAR(24) NOT NULL,
  level VARCHAR(16) NOT NULL,
  amount_obtained_cents BIGINT NOT NULL,
  recovered_cents BIGINT NOT NULL DEFAULT 0,
  facts TEXT NOT NULL DEFAULT '',
  status VARCHAR(16) NOT NULL,
  statement_due_on CHAR(10) NOT NULL DEFAULT '',
  statement TEXT NOT NULL DEFAULT '',
  drafted_by_staff_id INTEGER NOT NULL,
  confirmed_by_staff_id INTEGER NOT NULL DEFAULT 0,
  valid_from CHAR(10) NOT NULL DEFAULT '',
  valid_to CHAR(10) NOT NULL DEFAULT '',
  published_until CHAR(10) NOT NULL DEFAULT '',
  end_reason TEXT NOT NULL DEFAULT '',
  version INT NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX uq_credit_records_public ON credit_records (public_id);
CREATE INDEX idx_credit_records_person ON credit_records (person_bidx, status);
CREATE INDEX idx_credit_records_county ON credit_records (county_code, status, id);

-- +goose Down
DROP TABLE credit_records;
