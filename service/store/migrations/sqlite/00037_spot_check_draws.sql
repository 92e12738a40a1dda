-- +goose Up
-- Twin of mysql/00037 (issue 21): the county's seeded draws of 特困 cases to spot-check, and one
-- row per case of a draw's population, completed for a sampled case by the in-person check.
CREATE TABLE spot_check_draws (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  county_code VARCHAR(12) NOT NULL,
  period_from CHAR(10) NOT NULL,
  period_to CHAR(10) NOT NULL,
  seed VARCHAR(64) NOT NULL,
  percent INTEGER NOT NULL,
  population_size INTEGER NOT NULL,
  sample_size INTEGER NOT NULL,
  drawn_by_staff_id INTEGER NOT NULL,
  drawn_at DATETIME NOT NULL
);
CREATE INDEX idx_spot_check_draws_county ON spot_check_draws (county_code, id);

CREATE TABLE case_spot_checks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  draw_id INTEGER NOT NULL REFERENCES spot_check_draws (id),
  case_id INTEGER NOT NULL REFERENCES cases (id),
  sampled INTEGER NOT NULL,
  checked_on CHAR(10) NOT NULL DEFAULT '',
  place TEXT NOT NULL DEFAULT '',
  officers VARCHAR(255) NOT NULL DEFAULT '',
  findings TEXT NOT NULL DEFAULT '',
  confirmed INTEGER NOT NULL DEFAULT 0,
  recorded_by_staff_id INTEGER NOT NULL DEFAULT 0,
  recorded_at DATETIME NULL
);
CREATE UNIQUE INDEX uq_case_spot_checks_case ON case_spot_checks (case_id);
CREATE INDEX idx_case_spot_checks_draw ON case_spot_checks (draw_id, id);

-- The one-time notice (一次性告知, issue 21): how each checklist item entered it — missing at
-- submission on a rules list, named by a return, or needed by a change of facts declared since.
ALTER TABLE checklist_items ADD COLUMN notice VARCHAR(16) NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE checklist_items DROP COLUMN notice;
DROP TABLE case_spot_checks;
DROP TABLE spot_check_draws;
