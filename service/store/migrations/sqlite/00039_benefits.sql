-- +goose Up
-- The recipient record, its changes and the payee's account (mysql/00039 is the twin; the
-- comments there explain the tables and the back-fill).
CREATE TABLE benefits (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  public_id VARCHAR(32) NOT NULL,
  category VARCHAR(32) NOT NULL,
  household_id INTEGER NOT NULL,
  member_id INTEGER NULL,
  member_position INT NOT NULL,
  person_bidx VARCHAR(64) NOT NULL DEFAULT '',
  person_masked VARCHAR(16) NOT NULL DEFAULT '',
  beneficiary_resident_id INTEGER NULL,
  agent_resident_id INTEGER NULL,
  area_code VARCHAR(12) NOT NULL,
  town_code VARCHAR(12) NOT NULL,
  county_code VARCHAR(12) NOT NULL,
  status VARCHAR(16) NOT NULL,
  persons INT NOT NULL,
  monthly_cents BIGINT NOT NULL,
  standard_cents BIGINT NOT NULL DEFAULT 0,
  care_cents BIGINT NOT NULL DEFAULT 0,
  engine_cents BIGINT NOT NULL DEFAULT 0,
  policy_ref VARCHAR(32) NOT NULL DEFAULT '',
  effective_from CHAR(7) NOT NULL,
  effective_to CHAR(7) NOT NULL DEFAULT '',
  account_id INTEGER NULL,
  next_review_on CHAR(10) NOT NULL DEFAULT '',
  source_case_id INTEGER NOT NULL,
  version INT NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX uq_benefits_public ON benefits (public_id);
CREATE UNIQUE INDEX uq_benefits_subject ON benefits (category, household_id, member_position);
CREATE INDEX idx_benefits_county ON benefits (county_code, category, status);
CREATE INDEX idx_benefits_town ON benefits (town_code, category, status);
CREATE INDEX idx_benefits_person ON benefits (person_bidx);
CREATE INDEX idx_benefits_beneficiary ON benefits (beneficiary_resident_id);
CREATE INDEX idx_benefits_agent ON benefits (agent_resident_id);

CREATE TABLE benefit_changes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  benefit_id INTEGER NOT NULL REFERENCES benefits (id),
  kind VARCHAR(24) NOT NULL,
  effective_month CHAR(7) NOT NULL,
  monthly_cents_after BIGINT NOT NULL,
  persons INT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  decided_by_staff_id INTEGER NOT NULL,
  decided_at DATETIME NOT NULL,
  case_id INTEGER NOT NULL DEFAULT 0,
  ref VARCHAR(64) NOT NULL DEFAULT ''
);
CREATE INDEX idx_benefit_changes_benefit ON benefit_changes (benefit_id, effective_month, id);

CREATE TABLE payee_accounts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  benefit_id INTEGER NOT NULL,
  kind VARCHAR(32) NOT NULL,
  bank VARCHAR(64) NOT NULL,
  holder_masked VARCHAR(16) NOT NULL,
  holder_enc BLOB NOT NULL,
  number_enc BLOB NOT NULL,
  tail4 CHAR(4) NOT NULL,
  custody_agreement VARCHAR(64) NOT NULL DEFAULT '',
  verified_by_staff_id INTEGER NOT NULL,
  verified_at DATETIME NOT NULL,
  created_at DATETIME NOT NULL
);
CREATE INDEX idx_payee_accounts_benefit ON payee_accounts (benefit_id, id);

INSERT INTO benefits (public_id, category, household_id, member_id, member_position, person_bidx, person_masked,
    beneficiary_resident_id, agent_resident_id, area_code, town_code, county_code, status, persons, monthly_cents,
    policy_ref, effective_from, next_review_on, source_case_id, version, created_at, updated_at)
  SELECT 'bf' || printf('%024d', d.id), d.category, c.household_id, pm.id, d.member_position,
      COALESCE(pm.id_bidx, ''), COALESCE(substr(pm.name, 1, 1) || '*', ''),
      CASE WHEN d.member_position > 0 THEN NULL ELSE c.beneficiary_resident_id END,
      CASE WHEN d.member_position > 0 THEN COALESCE(c.agent_resident_id, c.applicant_resident_id) ELSE c.agent_resident_id END,
      c.area_code, c.town_code, c.county_code, 'active',
      CASE WHEN d.member_position < 0 THEN (SELECT COUNT(*) FROM household_members hm WHERE hm.household_id = c.household_id) ELSE 1 END,
      d.monthly_cents, d.policy_ref, d.effective_month,
      date(d.decided_at, '+8 hours', '+12 months'),
      c.id, 1, d.decided_at, d.decided_at
  FROM decisions d
  JOIN cases c ON c.id = d.case_id
  LEFT JOIN household_members pm ON pm.household_id = c.household_id AND pm.position = max(d.member_position, 0)
  WHERE d.outcome = 'approved' AND d.monthly_cents > 0 AND d.effective_month <> ''
    AND d.category IN ('minimum_living', 'extreme_hardship')
    AND NOT EXISTS (SELECT 1 FROM decisions d2 JOIN cases c2 ON c2.id = d2.case_id
      WHERE c2.household_id = c.household_id AND d2.category = d.category AND d2.member_position = d.member_position
        AND d2.outcome = 'approved' AND d2.monthly_cents > 0 AND d2.effective_month <> '' AND d2.id > d.id);
UPDATE benefits SET member_id = NULL WHERE member_position < 0;
INSERT INTO benefit_changes (benefit_id, kind, effective_month, monthly_cents_after, persons, reason, decided_by_staff_id,
    decided_at, case_id, ref)
  SELECT b.id, 'approve', d.effective_month, d.monthly_cents, b.persons, '', d.decided_by_staff_id, d.decided_at, d.case_id,
      'decision:' || d.id
  FROM benefits b
  JOIN decisions d ON d.case_id = b.source_case_id AND d.category = b.category AND d.member_position = b.member_position;

-- +goose Down
DROP TABLE payee_accounts;
DROP TABLE benefit_changes;
DROP TABLE benefits;
