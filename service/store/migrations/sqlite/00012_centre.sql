-- +goose Up
-- Message centre, content check, ratings, complaints and account deletion (mysql/00012 is the
-- twin; the comments there explain the columns).
ALTER TABLE case_events ADD COLUMN content_flag VARCHAR(16) NOT NULL DEFAULT '';
ALTER TABLE case_objections ADD COLUMN content_flag VARCHAR(16) NOT NULL DEFAULT '';
ALTER TABLE residents ADD COLUMN erased_at DATETIME NULL;
CREATE INDEX idx_messages_unread ON messages (resident_id, read_at);

CREATE TABLE case_ratings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL,
  resident_id INTEGER NOT NULL,
  stars INTEGER NOT NULL,
  comment VARCHAR(200) NOT NULL DEFAULT '',
  content_flag VARCHAR(16) NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX uq_case_ratings_case ON case_ratings (case_id);
CREATE INDEX idx_case_ratings_resident ON case_ratings (resident_id, id);

CREATE TABLE complaints (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  public_id VARCHAR(32) NOT NULL,
  resident_id INTEGER NOT NULL,
  case_id INTEGER NULL,
  village_code VARCHAR(12) NOT NULL,
  county_code VARCHAR(12) NOT NULL,
  text_enc BLOB NOT NULL,
  content_flag VARCHAR(16) NOT NULL DEFAULT '',
  answered INTEGER NOT NULL DEFAULT 0,
  answer VARCHAR(1000) NOT NULL DEFAULT '',
  answered_by_staff_id INTEGER NOT NULL DEFAULT 0,
  answered_at DATETIME NULL,
  created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX uq_complaints_public ON complaints (public_id);
CREATE INDEX idx_complaints_county ON complaints (county_code, answered, id);
CREATE INDEX idx_complaints_resident ON complaints (resident_id, id);

-- +goose Down
DROP TABLE complaints;
DROP TABLE case_ratings;
DROP INDEX idx_messages_unread;
ALTER TABLE residents DROP COLUMN erased_at;
ALTER TABLE case_objections DROP COLUMN content_flag;
ALTER TABLE case_events DROP COLUMN content_flag;
