-- +goose Up
-- Security review (issue 6); sqlite/00004_security.sql is the twin.
-- Message bodies list up to 30 missing items of 60 characters: sized by what validation allows.
ALTER TABLE outbox MODIFY body TEXT NOT NULL;
ALTER TABLE messages MODIFY body TEXT NOT NULL;

-- Usernames are normalised by the service (NFKC, lower case, no spaces, [a-z0-9._-]) and compared
-- by their bytes: no case or width folding behind the lockout's back. (utf8mb4_bin still pads
-- trailing spaces, as every MySQL/MariaDB _bin collation does; the service never sends one.)
UPDATE staff SET username = LOWER(TRIM(username));
ALTER TABLE staff
  MODIFY username VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  -- an account created or reset by an administrator must choose its own password first
  ADD COLUMN must_change_password TINYINT(1) NOT NULL DEFAULT 0,
  -- incremented on password change: every session issued before it stops working
  ADD COLUMN session_version INT NOT NULL DEFAULT 1;

-- One resident per ID number: the check-then-write raced (finding 4).
ALTER TABLE residents DROP INDEX idx_residents_id_bidx, ADD UNIQUE KEY uq_residents_id_bidx (id_bidx);

-- +goose Down
ALTER TABLE residents DROP INDEX uq_residents_id_bidx, ADD KEY idx_residents_id_bidx (id_bidx);
ALTER TABLE staff DROP COLUMN session_version, DROP COLUMN must_change_password,
  MODIFY username VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL;
ALTER TABLE messages MODIFY body VARCHAR(500) NOT NULL;
ALTER TABLE outbox MODIFY body VARCHAR(500) NOT NULL;
