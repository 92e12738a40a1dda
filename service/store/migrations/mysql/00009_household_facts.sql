-- +goose Up
-- The resident's side (sqlite/00009 is the twin): drafts with their declared household facts
-- (one encrypted JSON document per case), consents of every adult member and supporter (own
-- WeChat confirmation through a one-time invitation, or a signed paper form), one open
-- application per person and category, the beneficiary's blind index (the beneficiary finds the
-- case on logging in), and checklist items generated from rules.
CREATE TABLE case_facts (
  case_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  seq INT NOT NULL,
  facts_enc MEDIUMBLOB NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  CONSTRAINT fk_case_facts_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE case_consents (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT UNSIGNED NOT NULL,
  subject VARCHAR(16) NOT NULL,
  position INT NOT NULL,
  person_bidx CHAR(64) NOT NULL,
  state VARCHAR(16) NOT NULL,
  method VARCHAR(16) NOT NULL DEFAULT '',
  text_version VARCHAR(32) NOT NULL DEFAULT '',
  facts_seq INT NOT NULL DEFAULT 0,
  resident_id BIGINT UNSIGNED NULL,
  confirmed_at DATETIME(6) NULL,
  invite_hash CHAR(64) NULL,
  invite_expires_at DATETIME(6) NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  KEY idx_case_consents_case (case_id, id),
  UNIQUE KEY uq_case_consents_invite (invite_hash),
  CONSTRAINT fk_case_consents_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE open_claims (
  person_bidx CHAR(64) NOT NULL,
  category VARCHAR(32) NOT NULL,
  case_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (person_bidx, category),
  KEY idx_open_claims_case (case_id),
  CONSTRAINT fk_open_claims_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE cases ADD COLUMN beneficiary_id_bidx CHAR(64) NOT NULL DEFAULT '',
  ADD KEY idx_cases_beneficiary_bidx (beneficiary_id_bidx);

ALTER TABLE household_members ADD COLUMN hukou_type VARCHAR(16) NOT NULL DEFAULT '',
  ADD COLUMN in_education TINYINT(1) NOT NULL DEFAULT 0,
  ADD COLUMN employment VARCHAR(16) NOT NULL DEFAULT '';

ALTER TABLE checklist_items ADD COLUMN code VARCHAR(64) NOT NULL DEFAULT '',
  ADD COLUMN provide VARCHAR(32) NOT NULL DEFAULT 'required',
  ADD COLUMN source VARCHAR(64) NOT NULL DEFAULT '',
  ADD COLUMN why VARCHAR(255) NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE checklist_items DROP COLUMN why, DROP COLUMN source, DROP COLUMN provide, DROP COLUMN code;
ALTER TABLE household_members DROP COLUMN employment, DROP COLUMN in_education, DROP COLUMN hukou_type;
ALTER TABLE cases DROP INDEX idx_cases_beneficiary_bidx, DROP COLUMN beneficiary_id_bidx;
DROP TABLE open_claims;
DROP TABLE case_consents;
DROP TABLE case_facts;
