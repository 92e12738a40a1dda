-- +goose Up
-- Reviews of benefits (issue 25; mysql/00043 is the twin and explains the table).
CREATE TABLE benefit_reviews (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  public_id VARCHAR(32) NOT NULL,
  benefit_id INTEGER NOT NULL REFERENCES benefits (id),
  kind VARCHAR(24) NOT NULL,
  status VARCHAR(16) NOT NULL,
  dedup_key VARCHAR(64) NOT NULL,
  due_on CHAR(10) NOT NULL,
  opened_on CHAR(10) NOT NULL,
  event_on CHAR(10) NOT NULL DEFAULT '',
  area_code VARCHAR(12) NOT NULL,
  town_code VARCHAR(12) NOT NULL,
  county_code VARCHAR(12) NOT NULL,
  cause TEXT NOT NULL DEFAULT '',
  opened_by_staff_id INTEGER NOT NULL DEFAULT 0,
  reported_by_resident_id INTEGER NOT NULL DEFAULT 0,
  findings TEXT NOT NULL DEFAULT '',
  visited_on CHAR(10) NOT NULL DEFAULT '',
  visitors VARCHAR(128) NOT NULL DEFAULT '',
  outcome VARCHAR(16) NOT NULL DEFAULT '',
  monthly_cents BIGINT NOT NULL DEFAULT 0,
  persons INT NOT NULL DEFAULT 0,
  gradual_months INT NOT NULL DEFAULT 0,
  schedule_pct VARCHAR(64) NOT NULL DEFAULT '',
  variable INTEGER NOT NULL DEFAULT 0,
  reason TEXT NOT NULL DEFAULT '',
  proposed_by_staff_id INTEGER NOT NULL DEFAULT 0,
  proposed_at DATETIME NULL,
  decided_by_staff_id INTEGER NOT NULL DEFAULT 0,
  decided_at DATETIME NULL,
  decided_on CHAR(10) NOT NULL DEFAULT '',
  effective_month CHAR(7) NOT NULL DEFAULT '',
  notice_due_on CHAR(10) NOT NULL DEFAULT '',
  notice_provisional INTEGER NOT NULL DEFAULT 0,
  notice_served_on CHAR(10) NOT NULL DEFAULT '',
  closed_at DATETIME NULL,
  notice_start_on CHAR(10) NOT NULL DEFAULT '',
  notice_end_on CHAR(10) NOT NULL DEFAULT '',
  objection TEXT NOT NULL DEFAULT '',
  objection_on CHAR(10) NOT NULL DEFAULT '',
  objection_due_on CHAR(10) NOT NULL DEFAULT '',
  objection_decision TEXT NOT NULL DEFAULT '',
  version INT NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX uq_benefit_reviews_public ON benefit_reviews (public_id);
CREATE UNIQUE INDEX uq_benefit_reviews_dedup ON benefit_reviews (dedup_key);
CREATE INDEX idx_benefit_reviews_benefit ON benefit_reviews (benefit_id, id);
CREATE INDEX idx_benefit_reviews_town ON benefit_reviews (town_code, status, due_on);
CREATE INDEX idx_benefit_reviews_county ON benefit_reviews (county_code, status, due_on);
CREATE INDEX idx_benefits_next_review ON benefits (next_review_on);

-- +goose Down
DROP INDEX idx_benefits_next_review;
DROP TABLE benefit_reviews;
