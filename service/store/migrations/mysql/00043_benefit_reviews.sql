-- +goose Up
-- Twin of sqlite/00043 (issue 25). A review of a benefit: its kind (periodic, change_report,
-- death, warning, age_out, standard_change), due date, state (open → investigating → proposed
-- → decided → closed), the town's proposal (outcome, new amount and persons, 渐退 months and
-- schedule), the county's decision (its China-time date; the changes it made are benefit_changes
-- with ref review:<public id>, effective the month after) and the written notice's clock. The
-- area columns are the benefit's: the staff area scope applies as to benefits. dedup_key makes
-- the scheduled job open each periodic review once (periodic:<benefit>:<due date>); other
-- reviews carry their public id there. Free text (cause, findings, reason, objection) is sealed.
-- A 特困 termination is decided only after a public notice of clock.notice_days calendar days (the
-- start day not counted, S2 art. 25): notice_start_on / notice_end_on; an objection received during
-- it is decided within 15 working days (objection_due_on).
CREATE TABLE benefit_reviews (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  public_id VARCHAR(32) NOT NULL,
  benefit_id BIGINT UNSIGNED NOT NULL,
  kind VARCHAR(24) NOT NULL,
  status VARCHAR(16) NOT NULL,
  dedup_key VARCHAR(64) NOT NULL,
  due_on CHAR(10) NOT NULL,
  opened_on CHAR(10) NOT NULL,
  event_on CHAR(10) NOT NULL DEFAULT '',
  area_code VARCHAR(12) NOT NULL,
  town_code VARCHAR(12) NOT NULL,
  county_code VARCHAR(12) NOT NULL,
  cause TEXT NOT NULL DEFAULT (''),
  opened_by_staff_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  reported_by_resident_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  findings TEXT NOT NULL DEFAULT (''),
  visited_on CHAR(10) NOT NULL DEFAULT '',
  visitors VARCHAR(128) NOT NULL DEFAULT '',
  outcome VARCHAR(16) NOT NULL DEFAULT '',
  monthly_cents BIGINT NOT NULL DEFAULT 0,
  persons INT NOT NULL DEFAULT 0,
  gradual_months INT NOT NULL DEFAULT 0,
  schedule_pct VARCHAR(64) NOT NULL DEFAULT '',
  variable TINYINT(1) NOT NULL DEFAULT 0,
  reason TEXT NOT NULL DEFAULT (''),
  proposed_by_staff_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  proposed_at DATETIME(6) NULL,
  decided_by_staff_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  decided_at DATETIME(6) NULL,
  decided_on CHAR(10) NOT NULL DEFAULT '',
  effective_month CHAR(7) NOT NULL DEFAULT '',
  notice_due_on CHAR(10) NOT NULL DEFAULT '',
  notice_provisional TINYINT(1) NOT NULL DEFAULT 0,
  notice_served_on CHAR(10) NOT NULL DEFAULT '',
  closed_at DATETIME(6) NULL,
  notice_start_on CHAR(10) NOT NULL DEFAULT '',
  notice_end_on CHAR(10) NOT NULL DEFAULT '',
  objection TEXT NOT NULL DEFAULT (''),
  objection_on CHAR(10) NOT NULL DEFAULT '',
  objection_due_on CHAR(10) NOT NULL DEFAULT '',
  objection_decision TEXT NOT NULL DEFAULT (''),
  version INT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  UNIQUE KEY uq_benefit_reviews_public (public_id),
  UNIQUE KEY uq_benefit_reviews_dedup (dedup_key),
  KEY idx_benefit_reviews_benefit (benefit_id, id),
  KEY idx_benefit_reviews_town (town_code, status, due_on),
  KEY idx_benefit_reviews_county (county_code, status, due_on),
  CONSTRAINT fk_benefit_reviews_benefit FOREIGN KEY (benefit_id) REFERENCES benefits (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- the scheduled job finds benefits due for review by date
CREATE INDEX idx_benefits_next_review ON benefits (next_review_on);

-- +goose Down
DROP INDEX idx_benefits_next_review ON benefits;
DROP TABLE benefit_reviews;
