-- +goose Up
-- SQLite twin of mysql/00001_init.sql (keep them in step). Schema for the whole mission. Amounts in fen (INTEGER);
-- civil dates as CHAR(10) 'YYYY-MM-DD' in China Standard Time; instants as DATETIME UTC.
CREATE TABLE areas (
  code CHAR(12) NOT NULL PRIMARY KEY,
  parent_code CHAR(12) NOT NULL,
  name VARCHAR(64) NOT NULL,
  level INTEGER NOT NULL
);
CREATE INDEX idx_areas_parent ON areas (parent_code);

CREATE TABLE region_settings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  area_code CHAR(12) NOT NULL,
  "key" VARCHAR(64) NOT NULL,
  value VARCHAR(255) NOT NULL,
  effective_from CHAR(10) NOT NULL
);
CREATE UNIQUE INDEX uq_region_settings ON region_settings (area_code, "key", effective_from);

CREATE TABLE calendar_days (
  date CHAR(10) NOT NULL PRIMARY KEY,
  kind VARCHAR(16) NOT NULL,
  name VARCHAR(64) NOT NULL,
  updated_at DATETIME NOT NULL
);

CREATE TABLE residents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id VARCHAR(32) NOT NULL,
  open_id VARCHAR(64) NOT NULL,
  union_id VARCHAR(64) NULL,
  phone_enc BLOB NULL,
  phone_bidx CHAR(64) NULL,
  phone_masked VARCHAR(16) NOT NULL DEFAULT '',
  real_name VARCHAR(64) NOT NULL DEFAULT '',
  id_enc BLOB NULL,
  id_bidx CHAR(64) NULL,
  id_masked VARCHAR(18) NOT NULL DEFAULT '',
  identity_verified_at DATETIME NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX uq_residents_openid ON residents (app_id, open_id);
CREATE INDEX idx_residents_unionid ON residents (union_id);
CREATE INDEX idx_residents_id_bidx ON residents (id_bidx);
CREATE INDEX idx_residents_phone_bidx ON residents (phone_bidx);

CREATE TABLE staff (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username VARCHAR(64) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  display_name VARCHAR(64) NOT NULL,
  role VARCHAR(32) NOT NULL,
  area_code CHAR(12) NOT NULL,
  active INTEGER NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX uq_staff_username ON staff (username);
CREATE INDEX idx_staff_area ON staff (area_code);

CREATE TABLE households (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  area_code CHAR(12) NOT NULL,
  address VARCHAR(255) NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE INDEX idx_households_area ON households (area_code);

CREATE TABLE household_members (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  household_id INTEGER NOT NULL,
  position INT NOT NULL,
  relation VARCHAR(16) NOT NULL,
  name VARCHAR(64) NOT NULL,
  id_enc BLOB NULL,
  id_bidx CHAR(64) NOT NULL,
  id_masked VARCHAR(18) NOT NULL,
  gender VARCHAR(8) NOT NULL DEFAULT '',
  birth_date CHAR(10) NOT NULL DEFAULT '',
  disability_kind VARCHAR(16) NOT NULL DEFAULT '',
  disability_grade INTEGER NOT NULL DEFAULT 0,
  health VARCHAR(16) NOT NULL DEFAULT '',
  work_ability VARCHAR(16) NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL,
  CONSTRAINT fk_members_household FOREIGN KEY (household_id) REFERENCES households (id)
);
CREATE UNIQUE INDEX uq_members_household_position ON household_members (household_id, position);
CREATE INDEX idx_members_id_bidx ON household_members (id_bidx);

CREATE TABLE income_items (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  household_id INTEGER NOT NULL,
  member_id INTEGER NULL,
  kind VARCHAR(32) NOT NULL,
  monthly_cents INTEGER NOT NULL,
  note VARCHAR(255) NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL,
  CONSTRAINT fk_income_household FOREIGN KEY (household_id) REFERENCES households (id),
  CONSTRAINT fk_income_member FOREIGN KEY (member_id) REFERENCES household_members (id)
);
CREATE INDEX idx_income_household ON income_items (household_id);

CREATE TABLE asset_items (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  household_id INTEGER NOT NULL,
  kind VARCHAR(32) NOT NULL,
  value_cents INTEGER NOT NULL,
  note VARCHAR(255) NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL,
  CONSTRAINT fk_assets_household FOREIGN KEY (household_id) REFERENCES households (id)
);
CREATE INDEX idx_assets_household ON asset_items (household_id);

CREATE TABLE legal_supporters (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  household_id INTEGER NOT NULL,
  for_member_id INTEGER NULL,
  relation VARCHAR(16) NOT NULL,
  name VARCHAR(64) NOT NULL,
  id_enc BLOB NULL,
  id_bidx CHAR(64) NOT NULL DEFAULT '',
  id_masked VARCHAR(18) NOT NULL DEFAULT '',
  ability VARCHAR(32) NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL,
  CONSTRAINT fk_supporters_household FOREIGN KEY (household_id) REFERENCES households (id)
);
CREATE INDEX idx_supporters_household ON legal_supporters (household_id);

CREATE TABLE cases (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  public_id VARCHAR(32) NOT NULL,
  case_no VARCHAR(32) NULL,
  household_id INTEGER NOT NULL,
  applicant_resident_id INTEGER NOT NULL,
  applicant_member_id INTEGER NULL,
  beneficiary_resident_id INTEGER NULL,
  beneficiary_member_id INTEGER NULL,
  agent_resident_id INTEGER NULL,
  agent_relation VARCHAR(16) NOT NULL DEFAULT '',
  area_code CHAR(12) NOT NULL,
  town_code CHAR(12) NOT NULL,
  county_code CHAR(12) NOT NULL,
  status VARCHAR(24) NOT NULL,
  reason VARCHAR(1000) NOT NULL DEFAULT '',
  pledge_at DATETIME NOT NULL,
  authorization_at DATETIME NOT NULL,
  submitted_at DATETIME NOT NULL,
  accepted_at DATETIME NULL,
  owner_staff_id INTEGER NULL,
  version INT NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  -- staff queues: keyset pagination newest first inside a town / county, optionally by status
  -- resident views
  CONSTRAINT fk_cases_household FOREIGN KEY (household_id) REFERENCES households (id),
  CONSTRAINT fk_cases_applicant FOREIGN KEY (applicant_resident_id) REFERENCES residents (id)
);
CREATE UNIQUE INDEX uq_cases_public_id ON cases (public_id);
CREATE UNIQUE INDEX uq_cases_case_no ON cases (case_no);
CREATE INDEX idx_cases_town ON cases (town_code, id);
CREATE INDEX idx_cases_town_status ON cases (town_code, status, id);
CREATE INDEX idx_cases_county ON cases (county_code, id);
CREATE INDEX idx_cases_county_status ON cases (county_code, status, id);
CREATE INDEX idx_cases_area ON cases (area_code, id);
CREATE INDEX idx_cases_applicant ON cases (applicant_resident_id, id);
CREATE INDEX idx_cases_agent ON cases (agent_resident_id, id);
CREATE INDEX idx_cases_beneficiary ON cases (beneficiary_resident_id, id);

CREATE TABLE case_categories (
  case_id INTEGER NOT NULL,
  category VARCHAR(32) NOT NULL,
  requested INTEGER NOT NULL,
  PRIMARY KEY (case_id, category),
  CONSTRAINT fk_case_categories_case FOREIGN KEY (case_id) REFERENCES cases (id)
);
CREATE INDEX idx_case_categories_category ON case_categories (category, case_id);

CREATE TABLE case_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL,
  step VARCHAR(32) NOT NULL,
  action VARCHAR(32) NOT NULL,
  from_status VARCHAR(24) NOT NULL DEFAULT '',
  to_status VARCHAR(24) NOT NULL,
  actor_type VARCHAR(16) NOT NULL,
  actor_id INTEGER NOT NULL,
  area_code CHAR(12) NOT NULL DEFAULT '',
  opinion VARCHAR(1000) NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL,
  CONSTRAINT fk_case_events_case FOREIGN KEY (case_id) REFERENCES cases (id)
);
CREATE INDEX idx_case_events_case ON case_events (case_id, id);

CREATE TABLE checklist_items (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL,
  name VARCHAR(128) NOT NULL,
  note VARCHAR(500) NOT NULL DEFAULT '',
  status VARCHAR(16) NOT NULL,
  round INT NOT NULL,
  created_at DATETIME NOT NULL,
  CONSTRAINT fk_checklist_case FOREIGN KEY (case_id) REFERENCES cases (id)
);
CREATE INDEX idx_checklist_case ON checklist_items (case_id, id);

CREATE TABLE documents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL,
  checklist_item_id INTEGER NULL,
  storage_key VARCHAR(255) NOT NULL,
  file_name VARCHAR(255) NOT NULL,
  mime VARCHAR(128) NOT NULL,
  size INTEGER NOT NULL,
  sha256 CHAR(64) NOT NULL,
  uploaded_by_resident_id INTEGER NULL,
  created_at DATETIME NOT NULL,
  CONSTRAINT fk_documents_case FOREIGN KEY (case_id) REFERENCES cases (id),
  CONSTRAINT fk_documents_item FOREIGN KEY (checklist_item_id) REFERENCES checklist_items (id)
);
CREATE INDEX idx_documents_case ON documents (case_id, id);

CREATE TABLE decisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL,
  category VARCHAR(32) NOT NULL,
  outcome VARCHAR(16) NOT NULL,
  monthly_cents INTEGER NOT NULL DEFAULT 0,
  reason VARCHAR(1000) NOT NULL DEFAULT '',
  decided_by_staff_id INTEGER NOT NULL,
  decided_at DATETIME NOT NULL,
  effective_month CHAR(7) NOT NULL DEFAULT '',
  CONSTRAINT fk_decisions_case FOREIGN KEY (case_id) REFERENCES cases (id)
);
CREATE UNIQUE INDEX uq_decisions_case_category ON decisions (case_id, category);

CREATE TABLE case_deadlines (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL,
  step VARCHAR(32) NOT NULL,
  due_on CHAR(10) NOT NULL,
  started_at DATETIME NOT NULL,
  met_at DATETIME NULL,
  basis VARCHAR(128) NOT NULL DEFAULT '',
  CONSTRAINT fk_deadlines_case FOREIGN KEY (case_id) REFERENCES cases (id)
);
CREATE UNIQUE INDEX uq_deadlines_case_step ON case_deadlines (case_id, step);
CREATE INDEX idx_deadlines_open ON case_deadlines (met_at, due_on);

CREATE TABLE audit_logs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  actor_type VARCHAR(16) NOT NULL,
  actor_id INTEGER NOT NULL,
  action VARCHAR(64) NOT NULL,
  case_id INTEGER NULL,
  area_code CHAR(12) NOT NULL DEFAULT '',
  request_id VARCHAR(64) NOT NULL DEFAULT '',
  client_ip VARCHAR(64) NOT NULL DEFAULT '',
  detail VARCHAR(1024) NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL
);
CREATE INDEX idx_audit_case ON audit_logs (case_id, id);
CREATE INDEX idx_audit_actor ON audit_logs (actor_type, actor_id, id);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL,
  resident_id INTEGER NOT NULL,
  template_key VARCHAR(64) NOT NULL,
  title VARCHAR(64) NOT NULL,
  body VARCHAR(500) NOT NULL,
  payload TEXT NOT NULL,
  idempotency_key VARCHAR(96) NOT NULL,
  status VARCHAR(16) NOT NULL,
  channel VARCHAR(16) NOT NULL DEFAULT '',
  attempts INT NOT NULL DEFAULT 0,
  next_attempt_at DATETIME NOT NULL,
  last_error VARCHAR(255) NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL,
  done_at DATETIME NULL
);
CREATE UNIQUE INDEX uq_outbox_idem ON outbox (idempotency_key);
CREATE INDEX idx_outbox_claim ON outbox (status, next_attempt_at, id);

CREATE TABLE messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  resident_id INTEGER NOT NULL,
  case_id INTEGER NOT NULL,
  title VARCHAR(64) NOT NULL,
  body VARCHAR(500) NOT NULL,
  idempotency_key VARCHAR(96) NOT NULL,
  pushed INTEGER NOT NULL,
  read_at DATETIME NULL,
  created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX uq_messages_idem ON messages (idempotency_key);
CREATE INDEX idx_messages_resident ON messages (resident_id, id);

CREATE TABLE subscribe_quotas (
  resident_id INTEGER NOT NULL,
  template_id VARCHAR(64) NOT NULL,
  remaining INT NOT NULL,
  last_result VARCHAR(16) NOT NULL,
  updated_at DATETIME NOT NULL,
  PRIMARY KEY (resident_id, template_id)
);

CREATE TABLE notify_templates (
  "key" VARCHAR(64) NOT NULL PRIMARY KEY,
  template_id VARCHAR(64) NOT NULL,
  title VARCHAR(64) NOT NULL,
  page VARCHAR(255) NOT NULL
);

CREATE TABLE idempotency_keys (
  resident_id INTEGER NOT NULL,
  "key" VARCHAR(64) NOT NULL,
  request_hash CHAR(64) NOT NULL,
  case_id INTEGER NOT NULL,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (resident_id, "key")
);

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
