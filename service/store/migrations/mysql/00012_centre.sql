-- +goose Up
-- Message centre, content check, ratings, complaints and account deletion (sqlite/00012 is the
-- twin).
-- content_flag: '' = WeChat's content check passed; 'review' = WeChat asked for a human look;
-- 'unchecked' = WeChat could not be asked (accepted, for staff to look at).
ALTER TABLE case_events ADD COLUMN content_flag VARCHAR(16) NOT NULL DEFAULT '';
ALTER TABLE case_objections ADD COLUMN content_flag VARCHAR(16) NOT NULL DEFAULT '';
-- erased_at: the resident deleted the account; identifiers are cleared, the row stays as the
-- tombstone the kept case records point at.
ALTER TABLE residents ADD COLUMN erased_at DATETIME(6) NULL;
CREATE INDEX idx_messages_unread ON messages (resident_id, read_at);

-- 好差评: one rating per finished case.
CREATE TABLE case_ratings (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT UNSIGNED NOT NULL,
  resident_id BIGINT UNSIGNED NOT NULL,
  stars INT NOT NULL,
  comment VARCHAR(200) NOT NULL DEFAULT '',
  content_flag VARCHAR(16) NOT NULL DEFAULT '',
  created_at DATETIME(6) NOT NULL,
  UNIQUE KEY uq_case_ratings_case (case_id),
  KEY idx_case_ratings_resident (resident_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- 投诉: on the county's worklist (open first), answered by the county. The text is encrypted.
CREATE TABLE complaints (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  public_id VARCHAR(32) NOT NULL,
  resident_id BIGINT UNSIGNED NOT NULL,
  case_id BIGINT UNSIGNED NULL,
  village_code VARCHAR(12) NOT NULL,
  county_code VARCHAR(12) NOT NULL,
  text_enc VARBINARY(4096) NOT NULL,
  content_flag VARCHAR(16) NOT NULL DEFAULT '',
  answered TINYINT(1) NOT NULL DEFAULT 0,
  answer VARCHAR(1000) NOT NULL DEFAULT '',
  answered_by_staff_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  answered_at DATETIME(6) NULL,
  created_at DATETIME(6) NOT NULL,
  UNIQUE KEY uq_complaints_public (public_id),
  KEY idx_complaints_county (county_code, answered, id),
  KEY idx_complaints_resident (resident_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE complaints;
DROP TABLE case_ratings;
DROP INDEX idx_messages_unread ON messages;
ALTER TABLE residents DROP COLUMN erased_at;
ALTER TABLE case_objections DROP COLUMN content_flag;
ALTER TABLE case_events DROP COLUMN content_flag;
