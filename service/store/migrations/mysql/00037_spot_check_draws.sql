-- +goose Up
-- 特困 spot checks as the rules mean them (issue 21): the county draws its sample at random from
-- the 特困 cases put to it for confirmation in a period, asked for or found by the town
-- (spot_check_draws: the seed, the period, the share and the sizes, so the draw can be redone for
-- audit); one row per case of the population (case_spot_checks: in one draw at most, sampled or
-- not), which for a sampled case is completed by the in-person check — the date, the place, the
-- two officers (staff ids), the findings (place and findings sealed). sqlite/00037 is the twin.
CREATE TABLE spot_check_draws (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  county_code VARCHAR(12) NOT NULL,
  period_from CHAR(10) NOT NULL,
  period_to CHAR(10) NOT NULL,
  seed VARCHAR(64) NOT NULL,
  percent INT NOT NULL,
  population_size INT NOT NULL,
  sample_size INT NOT NULL,
  drawn_by_staff_id BIGINT UNSIGNED NOT NULL,
  drawn_at DATETIME(6) NOT NULL,
  KEY idx_spot_check_draws_county (county_code, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE case_spot_checks (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  draw_id BIGINT UNSIGNED NOT NULL,
  case_id BIGINT UNSIGNED NOT NULL,
  sampled TINYINT(1) NOT NULL,
  checked_on CHAR(10) NOT NULL DEFAULT '',
  place TEXT NOT NULL,
  officers VARCHAR(255) NOT NULL DEFAULT '',
  findings TEXT NOT NULL,
  confirmed TINYINT(1) NOT NULL DEFAULT 0,
  recorded_by_staff_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  recorded_at DATETIME(6) NULL,
  UNIQUE KEY uq_case_spot_checks_case (case_id),
  KEY idx_case_spot_checks_draw (draw_id, id),
  CONSTRAINT fk_case_spot_checks_case FOREIGN KEY (case_id) REFERENCES cases (id),
  CONSTRAINT fk_case_spot_checks_draw FOREIGN KEY (draw_id) REFERENCES spot_check_draws (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The one-time notice (一次性告知, issue 21): how each checklist item entered it — missing at
-- submission on a rules list, named by a return, or needed by a change of facts declared since.
ALTER TABLE checklist_items ADD COLUMN notice VARCHAR(16) NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE checklist_items DROP COLUMN notice;
DROP TABLE case_spot_checks;
DROP TABLE spot_check_draws;
