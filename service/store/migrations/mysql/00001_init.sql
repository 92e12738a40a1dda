-- +goose Up
-- Schema for the whole mission. All tables utf8mb4; amounts in fen (BIGINT);
-- civil dates as CHAR(10) 'YYYY-MM-DD' in China Standard Time; instants as DATETIME(6) UTC.
CREATE TABLE areas (
  code CHAR(12) NOT NULL PRIMARY KEY,
  parent_code CHAR(12) NOT NULL,
  name VARCHAR(64) NOT NULL,
  level TINYINT NOT NULL,
  KEY idx_areas_parent (parent_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE region_settings (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  area_code CHAR(12) NOT NULL,
  `key` VARCHAR(64) NOT NULL,
  value VARCHAR(255) NOT NULL,
  effective_from CHAR(10) NOT NULL,
  UNIQUE KEY uq_region_settings (area_code, `key`, effective_from)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE calendar_days (
  date CHAR(10) NOT NULL PRIMARY KEY,
  kind VARCHAR(16) NOT NULL,
  name VARCHAR(64) NOT NULL,
  updated_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE residents (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  app_id VARCHAR(32) NOT NULL,
  open_id VARCHAR(64) NOT NULL,
  union_id VARCHAR(64) NULL,
  phone_enc VARBINARY(128) NULL,
  phone_bidx CHAR(64) NULL,
  phone_masked VARCHAR(16) NOT NULL DEFAULT '',
  real_name VARCHAR(64) NOT NULL DEFAULT '',
  id_enc VARBINARY(128) NULL,
  id_bidx CHAR(64) NULL,
  id_masked VARCHAR(18) NOT NULL DEFAULT '',
  identity_verified_at DATETIME(6) NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  UNIQUE KEY uq_residents_openid (app_id, open_id),
  KEY idx_residents_unionid (union_id),
  KEY idx_residents_id_bidx (id_bidx),
  KEY idx_residents_phone_bidx (phone_bidx)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE staff (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  username VARCHAR(64) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  display_name VARCHAR(64) NOT NULL,
  role VARCHAR(32) NOT NULL,
  area_code CHAR(12) NOT NULL,
  active TINYINT(1) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  UNIQUE KEY uq_staff_username (username),
  KEY idx_staff_area (area_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE households (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  area_code CHAR(12) NOT NULL,
  address VARCHAR(255) NOT NULL DEFAULT '',
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  KEY idx_households_area (area_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE household_members (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  household_id BIGINT UNSIGNED NOT NULL,
  position INT NOT NULL,
  relation VARCHAR(16) NOT NULL,
  name VARCHAR(64) NOT NULL,
  id_enc VARBINARY(128) NULL,
  id_bidx CHAR(64) NOT NULL,
  id_masked VARCHAR(18) NOT NULL,
  gender VARCHAR(8) NOT NULL DEFAULT '',
  birth_date CHAR(10) NOT NULL DEFAULT '',
  disability_kind VARCHAR(16) NOT NULL DEFAULT '',
  disability_grade TINYINT NOT NULL DEFAULT 0,
  health VARCHAR(16) NOT NULL DEFAULT '',
  work_ability VARCHAR(16) NOT NULL DEFAULT '',
  created_at DATETIME(6) NOT NULL,
  UNIQUE KEY uq_members_household_position (household_id, position),
  KEY idx_members_id_bidx (id_bidx),
  CONSTRAINT fk_members_household FOREIGN KEY (household_id) REFERENCES households (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE income_items (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  household_id BIGINT UNSIGNED NOT NULL,
  member_id BIGINT UNSIGNED NULL,
  kind VARCHAR(32) NOT NULL,
  monthly_cents BIGINT NOT NULL,
  note VARCHAR(255) NOT NULL DEFAULT '',
  created_at DATETIME(6) NOT NULL,
  KEY idx_income_household (household_id),
  CONSTRAINT fk_income_household FOREIGN KEY (household_id) REFERENCES households (id),
  CONSTRAINT fk_income_member FOREIGN KEY (member_id) REFERENCES household_members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE asset_items (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  household_id BIGINT UNSIGNED NOT NULL,
  kind VARCHAR(32) NOT NULL,
  value_cents BIGINT NOT NULL,
  note VARCHAR(255) NOT NULL DEFAULT '',
  created_at DATETIME(6) NOT NULL,
  KEY idx_assets_household (household_id),
  CONSTRAINT fk_assets_household FOREIGN KEY (household_id) REFERENCES households (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE legal_supporters (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  household_id BIGINT UNSIGNED NOT NULL,
  for_member_id BIGINT UNSIGNED NULL,
  relation VARCHAR(16) NOT NULL,
  name VARCHAR(64) NOT NULL,
  id_enc VARBINARY(128) NULL,
  id_bidx CHAR(64) NOT NULL DEFAULT '',
  id_masked VARCHAR(18) NOT NULL DEFAULT '',
  ability VARCHAR(32) NOT NULL DEFAULT '',
  created_at DATETIME(6) NOT NULL,
  KEY idx_supporters_household (household_id),
  CONSTRAINT fk_supporters_household FOREIGN KEY (household_id) REFERENCES households (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE cases (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  public_id VARCHAR(32) NOT NULL,
  case_no VARCHAR(32) NULL,
  household_id BIGINT UNSIGNED NOT NULL,
  applicant_resident_id BIGINT UNSIGNED NOT NULL,
  applicant_member_id BIGINT UNSIGNED NULL,
  beneficiary_resident_id BIGINT UNSIGNED NULL,
  beneficiary_member_id BIGINT UNSIGNED NULL,
  agent_resident_id BIGINT UNSIGNED NULL,
  agent_relation VARCHAR(16) NOT NULL DEFAULT '',
  area_code CHAR(12) NOT NULL,
  town_code CHAR(12) NOT NULL,
  county_code CHAR(12) NOT NULL,
  status VARCHAR(24) NOT NULL,
  reason VARCHAR(1000) NOT NULL DEFAULT '',
  pledge_at DATETIME(6) NOT NULL,
  authorization_at DATETIME(6) NOT NULL,
  submitted_at DATETIME(6) NOT NULL,
  accepted_at DATETIME(6) NULL,
  owner_staff_id BIGINT UNSIGNED NULL,
  version INT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  UNIQUE KEY uq_cases_public_id (public_id),
  UNIQUE KEY uq_cases_case_no (case_no),
  -- staff queues: keyset pagination newest first inside a town / county, optionally by status
  KEY idx_cases_town (town_code, id),
  KEY idx_cases_town_status (town_code, status, id),
  KEY idx_cases_county (county_code, id),
  KEY idx_cases_county_status (county_code, status, id),
  KEY idx_cases_area (area_code, id),
  -- resident views
  KEY idx_cases_applicant (applicant_resident_id, id),
  KEY idx_cases_agent (agent_resident_id, id),
  KEY idx_cases_beneficiary (beneficiary_resident_id, id),
  CONSTRAINT fk_cases_household FOREIGN KEY (household_id) REFERENCES households (id),
  CONSTRAINT fk_cases_applicant FOREIGN KEY (applicant_resident_id) REFERENCES residents (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE case_categories (
  case_id BIGINT UNSIGNED NOT NULL,
  category VARCHAR(32) NOT NULL,
  requested TINYINT(1) NOT NULL,
  PRIMARY KEY (case_id, category),
  KEY idx_case_categories_category (category, case_id),
  CONSTRAINT fk_case_categories_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE case_events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT UNSIGNED NOT NULL,
  step VARCHAR(32) NOT NULL,
  action VARCHAR(32) NOT NULL,
  from_status VARCHAR(24) NOT NULL DEFAULT '',
  to_status VARCHAR(24) NOT NULL,
  actor_type VARCHAR(16) NOT NULL,
  actor_id BIGINT UNSIGNED NOT NULL,
  area_code CHAR(12) NOT NULL DEFAULT '',
  opinion VARCHAR(1000) NOT NULL DEFAULT '',
  created_at DATETIME(6) NOT NULL,
  KEY idx_case_events_case (case_id, id),
  CONSTRAINT fk_case_events_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE checklist_items (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(128) NOT NULL,
  note VARCHAR(500) NOT NULL DEFAULT '',
  status VARCHAR(16) NOT NULL,
  round INT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  KEY idx_checklist_case (case_id, id),
  CONSTRAINT fk_checklist_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE documents (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT UNSIGNED NOT NULL,
  checklist_item_id BIGINT UNSIGNED NULL,
  storage_key VARCHAR(255) NOT NULL,
  file_name VARCHAR(255) NOT NULL,
  mime VARCHAR(128) NOT NULL,
  size BIGINT NOT NULL,
  sha256 CHAR(64) NOT NULL,
  uploaded_by_resident_id BIGINT UNSIGNED NULL,
  created_at DATETIME(6) NOT NULL,
  KEY idx_documents_case (case_id, id),
  CONSTRAINT fk_documents_case FOREIGN KEY (case_id) REFERENCES cases (id),
  CONSTRAINT fk_documents_item FOREIGN KEY (checklist_item_id) REFERENCES checklist_items (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE decisions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT UNSIGNED NOT NULL,
  category VARCHAR(32) NOT NULL,
  outcome VARCHAR(16) NOT NULL,
  monthly_cents BIGINT NOT NULL DEFAULT 0,
  reason VARCHAR(1000) NOT NULL DEFAULT '',
  decided_by_staff_id BIGINT UNSIGNED NOT NULL,
  decided_at DATETIME(6) NOT NULL,
  effective_month CHAR(7) NOT NULL DEFAULT '',
  UNIQUE KEY uq_decisions_case_category (case_id, category),
  CONSTRAINT fk_decisions_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE case_deadlines (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT UNSIGNED NOT NULL,
  step VARCHAR(32) NOT NULL,
  due_on CHAR(10) NOT NULL,
  started_at DATETIME(6) NOT NULL,
  met_at DATETIME(6) NULL,
  basis VARCHAR(128) NOT NULL DEFAULT '',
  UNIQUE KEY uq_deadlines_case_step (case_id, step),
  KEY idx_deadlines_open (met_at, due_on),
  CONSTRAINT fk_deadlines_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE audit_logs (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  actor_type VARCHAR(16) NOT NULL,
  actor_id BIGINT UNSIGNED NOT NULL,
  action VARCHAR(64) NOT NULL,
  case_id BIGINT UNSIGNED NULL,
  area_code CHAR(12) NOT NULL DEFAULT '',
  request_id VARCHAR(64) NOT NULL DEFAULT '',
  client_ip VARCHAR(64) NOT NULL DEFAULT '',
  detail VARCHAR(1024) NOT NULL DEFAULT '',
  created_at DATETIME(6) NOT NULL,
  KEY idx_audit_case (case_id, id),
  KEY idx_audit_actor (actor_type, actor_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE outbox (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT UNSIGNED NOT NULL,
  resident_id BIGINT UNSIGNED NOT NULL,
  template_key VARCHAR(64) NOT NULL,
  title VARCHAR(64) NOT NULL,
  body VARCHAR(500) NOT NULL,
  payload TEXT NOT NULL,
  idempotency_key VARCHAR(96) NOT NULL,
  status VARCHAR(16) NOT NULL,
  channel VARCHAR(16) NOT NULL DEFAULT '',
  attempts INT NOT NULL DEFAULT 0,
  next_attempt_at DATETIME(6) NOT NULL,
  last_error VARCHAR(255) NOT NULL DEFAULT '',
  created_at DATETIME(6) NOT NULL,
  done_at DATETIME(6) NULL,
  UNIQUE KEY uq_outbox_idem (idempotency_key),
  -- the claim query (status IN pending/sending, due first) is served by this one index
  KEY idx_outbox_claim (status, next_attempt_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE messages (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  resident_id BIGINT UNSIGNED NOT NULL,
  case_id BIGINT UNSIGNED NOT NULL,
  title VARCHAR(64) NOT NULL,
  body VARCHAR(500) NOT NULL,
  idempotency_key VARCHAR(96) NOT NULL,
  pushed TINYINT(1) NOT NULL,
  read_at DATETIME(6) NULL,
  created_at DATETIME(6) NOT NULL,
  UNIQUE KEY uq_messages_idem (idempotency_key),
  KEY idx_messages_resident (resident_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE subscribe_quotas (
  resident_id BIGINT UNSIGNED NOT NULL,
  template_id VARCHAR(64) NOT NULL,
  remaining INT NOT NULL,
  last_result VARCHAR(16) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (resident_id, template_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE notify_templates (
  `key` VARCHAR(64) NOT NULL PRIMARY KEY,
  template_id VARCHAR(64) NOT NULL,
  title VARCHAR(64) NOT NULL,
  page VARCHAR(255) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE idempotency_keys (
  resident_id BIGINT UNSIGNED NOT NULL,
  `key` VARCHAR(64) NOT NULL,
  request_hash CHAR(64) NOT NULL,
  case_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(6) NOT NULL,
  PRIMARY KEY (resident_id, `key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE notify_templates;
DROP TABLE subscribe_quotas;
DROP TABLE messages;
DROP TABLE outbox;
DROP TABLE audit_logs;
DROP TABLE case_deadlines;
DROP TABLE decisions;
DROP TABLE documents;
DROP TABLE checklist_items;
DROP TABLE case_events;
DROP TABLE case_categories;
DROP TABLE cases;
DROP TABLE legal_supporters;
DROP TABLE asset_items;
DROP TABLE income_items;
DROP TABLE household_members;
DROP TABLE households;
DROP TABLE staff;
DROP TABLE residents;
DROP TABLE calendar_days;
DROP TABLE region_settings;
DROP TABLE areas;
