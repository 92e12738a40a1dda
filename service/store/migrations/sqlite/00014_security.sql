-- +goose Up
-- Real-name verification of identity binding, and the staff second factor (mysql/00014 is the
-- twin).
-- identity_method: the real-name source that verified the identity; '' = unverified (recorded
-- without a source, or before verification existed). Such rows were never verified, so their
-- identity_verified_at is cleared.
ALTER TABLE residents ADD COLUMN identity_method VARCHAR(32) NOT NULL DEFAULT '';
UPDATE residents SET identity_verified_at = NULL;

-- TOTP (RFC 6238): the secret sealed with the personal-data key; totp_enabled_at set once a
-- first code confirmed the enrolment; totp_last_step is the time step of the last accepted code
-- (a code of that step or earlier is a replay).
ALTER TABLE staff ADD COLUMN totp_secret_enc BLOB NULL;
ALTER TABLE staff ADD COLUMN totp_enabled_at DATETIME NULL;
ALTER TABLE staff ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

-- Recovery codes: ten per enrolment, single use, SHA-256 of the code kept.
CREATE TABLE staff_recovery_codes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  staff_id INTEGER NOT NULL,
  code_hash VARCHAR(64) NOT NULL,
  used_at DATETIME NULL,
  created_at DATETIME NOT NULL
);
CREATE INDEX idx_staff_recovery_codes_staff ON staff_recovery_codes (staff_id, code_hash);

-- +goose Down
DROP TABLE staff_recovery_codes;
ALTER TABLE staff DROP COLUMN totp_last_step;
ALTER TABLE staff DROP COLUMN totp_enabled_at;
ALTER TABLE staff DROP COLUMN totp_secret_enc;
ALTER TABLE residents DROP COLUMN identity_method;
