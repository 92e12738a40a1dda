-- +goose Up
-- The monthly payment roster and its lines (mysql/00040 is the twin; the comments there
-- explain them).
CREATE TABLE payment_rosters (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  public_id VARCHAR(32) NOT NULL,
  county_code VARCHAR(12) NOT NULL,
  month CHAR(7) NOT NULL,
  category VARCHAR(32) NOT NULL,
  status VARCHAR(16) NOT NULL,
  pay_by_on CHAR(10) NOT NULL,
  pay_by_provisional INTEGER NOT NULL DEFAULT 0,
  prepared_by_staff_id INTEGER NOT NULL,
  approved_by_staff_id INTEGER NOT NULL DEFAULT 0,
  households INT NOT NULL DEFAULT 0,
  persons INT NOT NULL DEFAULT 0,
  total_cents BIGINT NOT NULL DEFAULT 0,
  towns_pending VARCHAR(1024) NOT NULL DEFAULT '',
  file_sha256 CHAR(64) NOT NULL DEFAULT '',
  version INT NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX uq_payment_rosters_public ON payment_rosters (public_id);
CREATE UNIQUE INDEX uq_payment_rosters_month ON payment_rosters (county_code, month, category);

CREATE TABLE roster_lines (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  roster_id INTEGER NOT NULL REFERENCES payment_rosters (id),
  benefit_id INTEGER NOT NULL,
  town_code VARCHAR(12) NOT NULL,
  area_code VARCHAR(12) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  for_month CHAR(7) NOT NULL,
  persons INT NOT NULL,
  total_cents BIGINT NOT NULL,
  payee_masked VARCHAR(16) NOT NULL DEFAULT '',
  account_tail4 CHAR(4) NOT NULL DEFAULT '',
  status VARCHAR(16) NOT NULL,
  fail_reason TEXT NOT NULL DEFAULT '',
  arrears_of_line_id INTEGER NOT NULL DEFAULT 0,
  fed_back_at DATETIME NULL,
  fed_back_by_staff_id INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_roster_lines_roster ON roster_lines (roster_id, town_code, id);
CREATE INDEX idx_roster_lines_benefit ON roster_lines (benefit_id, for_month);
CREATE INDEX idx_roster_lines_arrears ON roster_lines (arrears_of_line_id);

-- +goose Down
DROP TABLE roster_lines;
DROP TABLE payment_rosters;
