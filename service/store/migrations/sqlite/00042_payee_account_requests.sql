-- +goose Up
-- Twin of mysql/00042 (issue 24): a resident's request to change the payee account of a
-- benefit (number and holder sealed, the last four in clear), until the town verifies or refuses it.
CREATE TABLE payee_account_requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  benefit_id INTEGER NOT NULL,
  resident_id INTEGER NOT NULL,
  kind VARCHAR(32) NOT NULL,
  bank VARCHAR(64) NOT NULL,
  holder_masked VARCHAR(16) NOT NULL,
  holder_enc BLOB NOT NULL,
  number_enc BLOB NOT NULL,
  tail4 CHAR(4) NOT NULL,
  status VARCHAR(16) NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  decided_by_staff_id INTEGER NOT NULL DEFAULT 0,
  decided_at DATETIME NULL,
  created_at DATETIME NOT NULL
);
CREATE INDEX idx_payee_account_requests_benefit ON payee_account_requests (benefit_id, status);

-- +goose Down
DROP TABLE payee_account_requests;
