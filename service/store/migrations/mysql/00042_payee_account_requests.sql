-- +goose Up
-- Twin of sqlite/00042 (issue 24): a resident's request to change the payee account of a
-- benefit (number and holder sealed, the last four in clear), until the town verifies or refuses it.
CREATE TABLE payee_account_requests (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  benefit_id BIGINT UNSIGNED NOT NULL,
  resident_id BIGINT UNSIGNED NOT NULL,
  kind VARCHAR(32) NOT NULL,
  bank VARCHAR(64) NOT NULL,
  holder_masked VARCHAR(16) NOT NULL,
  holder_enc VARBINARY(128) NOT NULL,
  number_enc VARBINARY(128) NOT NULL,
  tail4 CHAR(4) NOT NULL,
  status VARCHAR(16) NOT NULL,
  reason TEXT NOT NULL DEFAULT (''),
  decided_by_staff_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  decided_at DATETIME(6) NULL,
  created_at DATETIME(6) NOT NULL,
  KEY idx_payee_account_requests_benefit (benefit_id, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE payee_account_requests;
