-- +goose Up
-- The five-in-one review (五合一) to a decision: the case file's children (data checks, home
-- visits, opinions, public notices, objections), per-person decisions, clocks per round, and the
-- derived worklist columns of the case row.
ALTER TABLE cases
  ADD COLUMN stage VARCHAR(24) NOT NULL DEFAULT '',
  ADD COLUMN round INT NOT NULL DEFAULT 1,
  ADD COLUMN investigation_round INT NOT NULL DEFAULT 0,
  ADD COLUMN urgent TINYINT(1) NOT NULL DEFAULT 0,
  ADD COLUMN close_relative TINYINT(1) NOT NULL DEFAULT 0,
  ADD COLUMN decider_level VARCHAR(16) NOT NULL DEFAULT '',
  ADD COLUMN special_reason VARCHAR(255) NOT NULL DEFAULT '',
  ADD COLUMN spot_checked_at DATETIME(6) NULL,
  ADD COLUMN spot_checked_by_staff_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN next_due_on CHAR(10) NOT NULL DEFAULT '',
  ADD COLUMN next_due_step VARCHAR(32) NOT NULL DEFAULT '',
  ADD COLUMN next_due_provisional TINYINT(1) NOT NULL DEFAULT 0,
  ADD COLUMN closed_at DATETIME(6) NULL,
  -- worklists: one index per scope level and list, matching ORDER BY id DESC
  ADD KEY idx_cases_town_stage (town_code, stage, id),
  ADD KEY idx_cases_county_stage (county_code, stage, id),
  ADD KEY idx_cases_area_stage (area_code, stage, id),
  ADD KEY idx_cases_town_due (town_code, next_due_on, id),
  ADD KEY idx_cases_county_due (county_code, next_due_on, id);
UPDATE cases SET stage = CASE status WHEN 'submitted' THEN 'to_accept' WHEN 'returned' THEN 'returned'
  WHEN 'accepted' THEN 'to_investigate' ELSE 'closed' END;

ALTER TABLE case_deadlines
  ADD COLUMN round INT NOT NULL DEFAULT 1,
  ADD COLUMN days INT NOT NULL DEFAULT 0,
  ADD COLUMN calendar_days TINYINT(1) NOT NULL DEFAULT 0,
  ADD COLUMN provisional TINYINT(1) NOT NULL DEFAULT 0,
  ADD COLUMN state VARCHAR(16) NOT NULL DEFAULT 'open',
  ADD KEY idx_deadlines_case (case_id, step),
  ADD KEY idx_deadlines_provisional (provisional, state);
ALTER TABLE case_deadlines DROP INDEX uq_deadlines_case_step;
UPDATE case_deadlines SET state = 'met' WHERE met_at IS NOT NULL;

ALTER TABLE decisions
  ADD COLUMN member_position INT NOT NULL DEFAULT -1,
  ADD COLUMN one_off_cents BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN decider_level VARCHAR(16) NOT NULL DEFAULT '',
  ADD COLUMN meeting_ref VARCHAR(64) NOT NULL DEFAULT '',
  ADD COLUMN urgent TINYINT(1) NOT NULL DEFAULT 0,
  ADD UNIQUE KEY uq_decisions_case_category_member (case_id, category, member_position),
  ADD KEY idx_decisions_category_time (category, decided_at);
ALTER TABLE decisions DROP INDEX uq_decisions_case_category;

CREATE TABLE case_data_checks (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT UNSIGNED NOT NULL,
  round INT NOT NULL,
  status VARCHAR(16) NOT NULL,
  outcome VARCHAR(16) NOT NULL DEFAULT '',
  summary VARCHAR(1000) NOT NULL DEFAULT '',
  results TEXT NOT NULL,
  objection VARCHAR(1000) NOT NULL DEFAULT '',
  requested_by_staff_id BIGINT UNSIGNED NOT NULL,
  completed_by_staff_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  requested_at DATETIME(6) NOT NULL,
  completed_at DATETIME(6) NULL,
  applicant_told_at DATETIME(6) NULL,
  objection_raised_at DATETIME(6) NULL,
  KEY idx_data_checks_case (case_id, id),
  CONSTRAINT fk_data_checks_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE case_visits (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT UNSIGNED NOT NULL,
  round INT NOT NULL,
  visited_on CHAR(10) NOT NULL,
  investigators VARCHAR(255) NOT NULL,
  by_county TINYINT(1) NOT NULL DEFAULT 0,
  findings VARCHAR(2000) NOT NULL DEFAULT '',
  family_confirmed TINYINT(1) NOT NULL,
  recorded_by_staff_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(6) NOT NULL,
  KEY idx_visits_case (case_id, id),
  CONSTRAINT fk_visits_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE case_opinions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT UNSIGNED NOT NULL,
  round INT NOT NULL,
  category VARCHAR(32) NOT NULL,
  member_position INT NOT NULL DEFAULT -1,
  outcome VARCHAR(16) NOT NULL,
  monthly_cents BIGINT NOT NULL DEFAULT 0,
  reason VARCHAR(1000) NOT NULL DEFAULT '',
  by_staff_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(6) NOT NULL,
  UNIQUE KEY uq_opinions_case_round (case_id, round, category, member_position),
  CONSTRAINT fk_opinions_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE case_notices (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT UNSIGNED NOT NULL,
  round INT NOT NULL,
  area_code CHAR(12) NOT NULL,
  public_ref VARCHAR(32) NOT NULL,
  name_masked VARCHAR(64) NOT NULL,
  household_size INT NOT NULL,
  categories VARCHAR(255) NOT NULL,
  monthly_cents BIGINT NOT NULL DEFAULT 0,
  starts_on CHAR(10) NOT NULL,
  ends_on CHAR(10) NOT NULL,
  status VARCHAR(16) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  closed_at DATETIME(6) NULL,
  UNIQUE KEY uq_notices_public_ref (public_ref),
  KEY idx_notices_case (case_id, id),
  -- the village's public list: open notices, newest first
  KEY idx_notices_area (area_code, status, id),
  CONSTRAINT fk_notices_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE case_objections (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT UNSIGNED NOT NULL,
  notice_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(64) NOT NULL,
  contact_enc VARBINARY(255) NULL,
  contact_masked VARCHAR(32) NOT NULL DEFAULT '',
  content VARCHAR(1000) NOT NULL,
  status VARCHAR(16) NOT NULL,
  resolution VARCHAR(1000) NOT NULL DEFAULT '',
  followup VARCHAR(32) NOT NULL DEFAULT '',
  resolved_by_staff_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  created_at DATETIME(6) NOT NULL,
  resolved_at DATETIME(6) NULL,
  KEY idx_objections_case (case_id, id),
  CONSTRAINT fk_objections_case FOREIGN KEY (case_id) REFERENCES cases (id),
  CONSTRAINT fk_objections_notice FOREIGN KEY (notice_id) REFERENCES case_notices (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Security: with the mask's first 6 and last 4 digits, a birth date in clear rebuilt the whole
-- ID number. It is not stored any more (age comes from the encrypted number).
ALTER TABLE household_members DROP COLUMN birth_date;

-- +goose Down
ALTER TABLE household_members ADD COLUMN birth_date CHAR(10) NOT NULL DEFAULT '' AFTER gender;
DROP TABLE case_objections;
DROP TABLE case_notices;
DROP TABLE case_opinions;
DROP TABLE case_visits;
DROP TABLE case_data_checks;
ALTER TABLE decisions ADD UNIQUE KEY uq_decisions_case_category (case_id, category);
ALTER TABLE decisions DROP INDEX uq_decisions_case_category_member, DROP INDEX idx_decisions_category_time,
  DROP COLUMN member_position, DROP COLUMN one_off_cents, DROP COLUMN decider_level, DROP COLUMN meeting_ref, DROP COLUMN urgent;
ALTER TABLE case_deadlines ADD UNIQUE KEY uq_deadlines_case_step (case_id, step);
ALTER TABLE case_deadlines DROP INDEX idx_deadlines_case, DROP INDEX idx_deadlines_provisional,
  DROP COLUMN round, DROP COLUMN days, DROP COLUMN calendar_days, DROP COLUMN provisional, DROP COLUMN state;
ALTER TABLE cases DROP INDEX idx_cases_town_stage, DROP INDEX idx_cases_county_stage, DROP INDEX idx_cases_area_stage,
  DROP INDEX idx_cases_town_due, DROP INDEX idx_cases_county_due,
  DROP COLUMN stage, DROP COLUMN round, DROP COLUMN investigation_round, DROP COLUMN urgent, DROP COLUMN close_relative,
  DROP COLUMN decider_level, DROP COLUMN special_reason, DROP COLUMN spot_checked_at, DROP COLUMN spot_checked_by_staff_id,
  DROP COLUMN next_due_on, DROP COLUMN next_due_step, DROP COLUMN next_due_provisional, DROP COLUMN closed_at;
