-- +goose Up
-- SQLite twin of migrations/mysql/00002_review.sql (same columns, types and indexes).
ALTER TABLE cases ADD COLUMN stage VARCHAR(24) NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN round INTEGER NOT NULL DEFAULT 1;
ALTER TABLE cases ADD COLUMN investigation_round INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN close_relative INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN decider_level VARCHAR(16) NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN special_reason VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN spot_checked_at DATETIME NULL;
ALTER TABLE cases ADD COLUMN spot_checked_by_staff_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN next_due_on CHAR(10) NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN next_due_step VARCHAR(32) NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN next_due_provisional INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN closed_at DATETIME NULL;
CREATE INDEX idx_cases_town_stage ON cases (town_code, stage, id);
CREATE INDEX idx_cases_county_stage ON cases (county_code, stage, id);
CREATE INDEX idx_cases_area_stage ON cases (area_code, stage, id);
CREATE INDEX idx_cases_town_due ON cases (town_code, next_due_on, id);
CREATE INDEX idx_cases_county_due ON cases (county_code, next_due_on, id);
ALTER TABLE case_deadlines ADD COLUMN round INTEGER NOT NULL DEFAULT 1;
ALTER TABLE case_deadlines ADD COLUMN days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_deadlines ADD COLUMN calendar_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_deadlines ADD COLUMN provisional INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_deadlines ADD COLUMN state VARCHAR(16) NOT NULL DEFAULT 'open';
CREATE INDEX idx_deadlines_case ON case_deadlines (case_id, step);
CREATE INDEX idx_deadlines_provisional ON case_deadlines (provisional, state);
ALTER TABLE decisions ADD COLUMN member_position INTEGER NOT NULL DEFAULT -1;
ALTER TABLE decisions ADD COLUMN one_off_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE decisions ADD COLUMN decider_level VARCHAR(16) NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN meeting_ref VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX uq_decisions_case_category_member ON decisions (case_id, category, member_position);
CREATE INDEX idx_decisions_category_time ON decisions (category, decided_at);
UPDATE cases SET stage = CASE status WHEN 'submitted' THEN 'to_accept' WHEN 'returned' THEN 'returned'
  WHEN 'accepted' THEN 'to_investigate' ELSE 'closed' END;
UPDATE case_deadlines SET state = 'met' WHERE met_at IS NOT NULL;
DROP INDEX uq_deadlines_case_step;
DROP INDEX uq_decisions_case_category;
CREATE TABLE case_data_checks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL,
  round INTEGER NOT NULL,
  status VARCHAR(16) NOT NULL,
  outcome VARCHAR(16) NOT NULL DEFAULT '',
  summary VARCHAR(1000) NOT NULL DEFAULT '',
  results TEXT NOT NULL,
  objection VARCHAR(1000) NOT NULL DEFAULT '',
  requested_by_staff_id INTEGER NOT NULL,
  completed_by_staff_id INTEGER NOT NULL DEFAULT 0,
  requested_at DATETIME NOT NULL,
  completed_at DATETIME NULL,
  applicant_told_at DATETIME NULL,
  objection_raised_at DATETIME NULL,
  CONSTRAINT fk_data_checks_case FOREIGN KEY (case_id) REFERENCES cases (id)
);
CREATE INDEX idx_data_checks_case ON case_data_checks (case_id, id);
CREATE TABLE case_visits (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL,
  round INTEGER NOT NULL,
  visited_on CHAR(10) NOT NULL,
  investigators VARCHAR(255) NOT NULL,
  by_county INTEGER NOT NULL DEFAULT 0,
  findings VARCHAR(2000) NOT NULL DEFAULT '',
  family_confirmed INTEGER NOT NULL,
  recorded_by_staff_id INTEGER NOT NULL,
  created_at DATETIME NOT NULL,
  CONSTRAINT fk_visits_case FOREIGN KEY (case_id) REFERENCES cases (id)
);
CREATE INDEX idx_visits_case ON case_visits (case_id, id);
CREATE TABLE case_opinions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL,
  round INTEGER NOT NULL,
  category VARCHAR(32) NOT NULL,
  member_position INTEGER NOT NULL DEFAULT -1,
  outcome VARCHAR(16) NOT NULL,
  monthly_cents INTEGER NOT NULL DEFAULT 0,
  reason VARCHAR(1000) NOT NULL DEFAULT '',
  by_staff_id INTEGER NOT NULL,
  created_at DATETIME NOT NULL,
  CONSTRAINT fk_opinions_case FOREIGN KEY (case_id) REFERENCES cases (id)
);
CREATE UNIQUE INDEX uq_opinions_case_round ON case_opinions (case_id, round, category, member_position);
CREATE TABLE case_notices (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL,
  round INTEGER NOT NULL,
  area_code CHAR(12) NOT NULL,
  public_ref VARCHAR(32) NOT NULL,
  name_masked VARCHAR(64) NOT NULL,
  household_size INTEGER NOT NULL,
  categories VARCHAR(255) NOT NULL,
  monthly_cents INTEGER NOT NULL DEFAULT 0,
  starts_on CHAR(10) NOT NULL,
  ends_on CHAR(10) NOT NULL,
  status VARCHAR(16) NOT NULL,
  created_at DATETIME NOT NULL,
  closed_at DATETIME NULL,
  CONSTRAINT fk_notices_case FOREIGN KEY (case_id) REFERENCES cases (id)
);
CREATE UNIQUE INDEX uq_notices_public_ref ON case_notices (public_ref);
CREATE INDEX idx_notices_case ON case_notices (case_id, id);
CREATE INDEX idx_notices_area ON case_notices (area_code, status, id);
CREATE TABLE case_objections (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL,
  notice_id INTEGER NOT NULL,
  name VARCHAR(64) NOT NULL,
  contact_enc BLOB NULL,
  contact_masked VARCHAR(32) NOT NULL DEFAULT '',
  content VARCHAR(1000) NOT NULL,
  status VARCHAR(16) NOT NULL,
  resolution VARCHAR(1000) NOT NULL DEFAULT '',
  followup VARCHAR(32) NOT NULL DEFAULT '',
  resolved_by_staff_id INTEGER NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL,
  resolved_at DATETIME NULL,
  CONSTRAINT fk_objections_case FOREIGN KEY (case_id) REFERENCES cases (id),
  CONSTRAINT fk_objections_notice FOREIGN KEY (notice_id) REFERENCES case_notices (id)
);
CREATE INDEX idx_objections_case ON case_objections (case_id, id);

-- Security: with the mask's first 6 and last 4 digits, a birth date in clear rebuilt the whole
-- ID number. It is not stored any more (age comes from the encrypted number).
ALTER TABLE household_members DROP COLUMN birth_date;

-- +goose Down
ALTER TABLE household_members ADD COLUMN birth_date CHAR(10) NOT NULL DEFAULT '';
DROP TABLE case_objections;
DROP TABLE case_notices;
DROP TABLE case_opinions;
DROP TABLE case_visits;
DROP TABLE case_data_checks;
