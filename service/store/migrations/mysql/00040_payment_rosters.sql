-- +goose Up
-- Twin of sqlite/00040 (issue 24). The monthly payment roster per county, month and category
-- (draft → checked → approved → exported → fed_back → closed) and its lines: regular lines of
-- the month and arrears lines (补发) repaying a failed line of an earlier roster, once.
CREATE TABLE payment_rosters (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  public_id VARCHAR(32) NOT NULL,
  county_code VARCHAR(12) NOT NULL,
  month CHAR(7) NOT NULL,
  category VARCHAR(32) NOT NULL,
  status VARCHAR(16) NOT NULL,
  pay_by_on CHAR(10) NOT NULL,
  pay_by_provisional TINYINT(1) NOT NULL DEFAULT 0,
  prepared_by_staff_id BIGINT UNSIGNED NOT NULL,
  approved_by_staff_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  households INT NOT NULL DEFAULT 0,
  persons INT NOT NULL DEFAULT 0,
  total_cents BIGINT NOT NULL DEFAULT 0,
  towns_pending VARCHAR(1024) NOT NULL DEFAULT '',
  file_sha256 CHAR(64) NOT NULL DEFAULT '',
  version INT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  UNIQUE KEY uq_payment_rosters_public (public_id),
  UNIQUE KEY uq_payment_rosters_month (county_code, month, category)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE roster_lines (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  roster_id BIGINT UNSIGNED NOT NULL,
  benefit_id BIGINT UNSIGNED NOT NULL,
  town_code VARCHAR(12) NOT NULL,
  area_code VARCHAR(12) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  for_month CHAR(7) NOT NULL,
  persons INT NOT NULL,
  total_cents BIGINT NOT NULL,
  payee_masked VARCHAR(16) NOT NULL DEFAULT '',
  account_tail4 CHAR(4) NOT NULL DEFAULT '',
  status VARCHAR(16) NOT NULL,
  fail_reason TEXT NOT NULL DEFAULT (''),
  arrears_of_line_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  fed_back_at DATETIME(6) NULL,
  fed_back_by_staff_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  KEY idx_roster_lines_roster (roster_id, town_code, id),
  KEY idx_roster_lines_benefit (benefit_id, for_month),
  KEY idx_roster_lines_arrears (arrears_of_line_id),
  CONSTRAINT fk_roster_lines_roster FOREIGN KEY (roster_id) REFERENCES payment_rosters (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE roster_lines;
DROP TABLE payment_rosters;
