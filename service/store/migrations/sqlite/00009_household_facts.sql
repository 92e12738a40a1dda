-- +goose Up
-- The resident's side (mysql/00009 is the twin): drafts with their declared household facts,
-- consents, one open application per person and category, the beneficiary's blind index and
-- checklist items generated from rules.
CREATE TABLE case_facts (
  case_id INTEGER NOT NULL PRIMARY KEY,
  seq INTEGER NOT NULL,
  facts_enc BLOB NOT NULL,
  updated_at DATETIME NOT NULL,
  CONSTRAINT fk_case_facts_case FOREIGN KEY (case_id) REFERENCES cases (id)
);

CREATE TABLE case_consents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL,
  subject VARCHAR(16) NOT NULL,
  position INTEGER NOT NULL,
  person_bidx CHAR(64) NOT NULL,
  state VARCHAR(16) NOT NULL,
  method VARCHAR(16) NOT NULL DEFAULT '',
  text_version VARCHAR(32) NOT NULL DEFAULT '',
  facts_seq INTEGER NOT NULL DEFAULT 0,
  resident_id INTEGER NULL,
  confirmed_at DATETIME NULL,
  invite_hash CHAR(64) NULL,
  invite_expires_at DATETIME NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  CONSTRAINT fk_case_consents_case FOREIGN KEY (case_id) REFERENCES cases (id)
);
CREATE INDEX idx_case_consents_case ON case_consents (case_id, id);
CREATE UNIQUE INDEX uq_case_consents_invite ON case_consents (invite_hash);

CREATE TABLE open_claims (
  person_bidx CHAR(64) NOT NULL,
  category VARCHAR(32) NOT NULL,
  case_id INTEGER NOT NULL,
  PRIMARY KEY (person_bidx, category),
  CONSTRAINT fk_open_claims_case FOREIGN KEY (case_id) REFERENCES cases (id)
);
CREATE INDEX idx_open_claims_case ON open_claims (case_id);

ALTER TABLE cases ADD COLUMN beneficiary_id_bidx CHAR(64) NOT NULL DEFAULT '';
CREATE INDEX idx_cases_beneficiary_bidx ON cases (beneficiary_id_bidx);

ALTER TABLE household_members ADD COLUMN hukou_type VARCHAR(16) NOT NULL DEFAULT '';
ALTER TABLE household_members ADD COLUMN in_education INTEGER NOT NULL DEFAULT 0;
ALTER TABLE household_members ADD COLUMN employment VARCHAR(16) NOT NULL DEFAULT '';

ALTER TABLE checklist_items ADD COLUMN code VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE checklist_items ADD COLUMN provide VARCHAR(32) NOT NULL DEFAULT 'required';
ALTER TABLE checklist_items ADD COLUMN source VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE checklist_items ADD COLUMN why VARCHAR(255) NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE checklist_items DROP COLUMN why;
ALTER TABLE checklist_items DROP COLUMN source;
ALTER TABLE checklist_items DROP COLUMN provide;
ALTER TABLE checklist_items DROP COLUMN code;
ALTER TABLE household_members DROP COLUMN employment;
ALTER TABLE household_members DROP COLUMN in_education;
ALTER TABLE household_members DROP COLUMN hukou_type;
DROP INDEX idx_cases_beneficiary_bidx;
ALTER TABLE cases DROP COLUMN beneficiary_id_bidx;
DROP TABLE open_claims;
DROP TABLE case_consents;
DROP TABLE case_facts;
