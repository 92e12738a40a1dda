-- +goose Up
-- Twin of sqlite/00039 (issue 24). The recipient record (在保对象): one benefit per household
-- (低保) or per person (特困, 单人保), created in the decision's transaction; its append-only
-- changes, each effective from a month (what a month pays is a function of them); the payee's
-- account, its number sealed with the personal-data key and only the last four digits in clear.
CREATE TABLE benefits (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  public_id VARCHAR(32) NOT NULL,
  category VARCHAR(32) NOT NULL,
  household_id BIGINT UNSIGNED NOT NULL,
  member_id BIGINT UNSIGNED NULL,
  member_position INT NOT NULL,
  person_bidx VARCHAR(64) NOT NULL DEFAULT '',
  person_masked VARCHAR(16) NOT NULL DEFAULT '',
  beneficiary_resident_id BIGINT UNSIGNED NULL,
  agent_resident_id BIGINT UNSIGNED NULL,
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
  account_id BIGINT UNSIGNED NULL,
  next_review_on CHAR(10) NOT NULL DEFAULT '',
  source_case_id BIGINT UNSIGNED NOT NULL,
  version INT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  UNIQUE KEY uq_benefits_public (public_id),
  UNIQUE KEY uq_benefits_subject (category, household_id, member_position),
  KEY idx_benefits_county (county_code, category, status),
  KEY idx_benefits_town (town_code, category, status),
  KEY idx_benefits_person (person_bidx),
  KEY idx_benefits_beneficiary (beneficiary_resident_id),
  KEY idx_benefits_agent (agent_resident_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE benefit_changes (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  benefit_id BIGINT UNSIGNED NOT NULL,
  kind VARCHAR(24) NOT NULL,
  effective_month CHAR(7) NOT NULL,
  monthly_cents_after BIGINT NOT NULL,
  persons INT NOT NULL,
  reason TEXT NOT NULL DEFAULT (''),
  decided_by_staff_id BIGINT UNSIGNED NOT NULL,
  decided_at DATETIME(6) NOT NULL,
  case_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ref VARCHAR(64) NOT NULL DEFAULT '',
  KEY idx_benefit_changes_benefit (benefit_id, effective_month, id),
  CONSTRAINT fk_benefit_changes_benefit FOREIGN KEY (benefit_id) REFERENCES benefits (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE payee_accounts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  benefit_id BIGINT UNSIGNED NOT NULL,
  kind VARCHAR(32) NOT NULL,
  bank VARCHAR(64) NOT NULL,
  holder_masked VARCHAR(16) NOT NULL,
  holder_enc VARBINARY(128) NOT NULL,
  number_enc VARBINARY(128) NOT NULL,
  tail4 CHAR(4) NOT NULL,
  custody_agreement VARCHAR(64) NOT NULL DEFAULT '',
  verified_by_staff_id BIGINT UNSIGNED NOT NULL,
  verified_at DATETIME(6) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  KEY idx_payee_accounts_benefit (benefit_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Back-fill: every approved monthly 低保 or 特困 decision already made becomes a benefit (the
-- latest decision per household, category and person), paid from its effective month, with
-- its approval as the first change. Review in 12 months of the decision's China-time date. Another
-- member's own benefit (特困, 单人保) is seen by that person through their verified identity and by
-- whoever applied for them (as the agent), as service/benefits does for new decisions.
INSERT INTO benefits (public_id, category, household_id, member_id, member_position, person_bidx, person_masked,
    beneficiary_resident_id, agent_resident_id, area_code, town_code, county_code, status, persons, monthly_cents,
    policy_ref, effective_from, next_review_on, source_case_id, version, created_at, updated_at)
  SELECT CONCAT('bf', LPAD(d.id, 24, '0')), d.category, c.household_id, pm.id, d.member_position,
      COALESCE(pm.id_bidx, ''), COALESCE(CONCAT(SUBSTRING(pm.name, 1, 1), '*'), ''),
      CASE WHEN d.member_position > 0 THEN NULL ELSE c.beneficiary_resident_id END,
      CASE WHEN d.member_position > 0 THEN COALESCE(c.agent_resident_id, c.applicant_resident_id) ELSE c.agent_resident_id END,
      c.area_code, c.town_code, c.county_code, 'active',
      CASE WHEN d.member_position < 0 THEN (SELECT COUNT(*) FROM household_members hm WHERE hm.household_id = c.household_id) ELSE 1 END,
      d.monthly_cents, d.policy_ref, d.effective_month,
      DATE_FORMAT(DATE_ADD(DATE_ADD(d.decided_at, INTERVAL 8 HOUR), INTERVAL 12 MONTH), '%Y-%m-%d'),
      c.id, 1, d.decided_at, d.decided_at
  FROM decisions d
  JOIN cases c ON c.id = d.case_id
  LEFT JOIN household_members pm ON pm.household_id = c.household_id AND pm.position = GREATEST(d.member_position, 0)
  WHERE d.outcome = 'approved' AND d.monthly_cents > 0 AND d.effective_month <> ''
    AND d.category IN ('minimum_living', 'extreme_hardship')
    AND NOT EXISTS (SELECT 1 FROM decisions d2 JOIN cases c2 ON c2.id = d2.case_id
      WHERE c2.household_id = c.household_id AND d2.category = d.category AND d2.member_position = d.member_position
        AND d2.outcome = 'approved' AND d2.monthly_cents > 0 AND d2.effective_month <> '' AND d2.id > d.id);
UPDATE benefits SET member_id = NULL WHERE member_position < 0;
INSERT INTO benefit_changes (benefit_id, kind, effective_month, monthly_cents_after, persons, reason, decided_by_staff_id,
    decided_at, case_id, ref)
  SELECT b.id, 'approve', d.effective_month, d.monthly_cents, b.persons, '', d.decided_by_staff_id, d.decided_at, d.case_id,
      CONCAT('decision:', d.id)
  FROM benefits b
  JOIN decisions d ON d.case_id = b.source_case_id AND d.category = b.category AND d.member_position = b.member_position;

-- +goose Down
DROP TABLE payee_accounts;
DROP TABLE benefit_changes;
DROP TABLE benefits;
