-- +goose Up
-- Reminders the scheduled deadline sweep writes for staff: one per (deadline, kind), scoped by
-- the case's area columns like cases are (sqlite/00006 is the twin).
CREATE TABLE staff_reminders (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  deadline_id BIGINT UNSIGNED NOT NULL,
  case_id BIGINT UNSIGNED NOT NULL,
  kind VARCHAR(16) NOT NULL,
  step VARCHAR(32) NOT NULL,
  due_on VARCHAR(10) NOT NULL,
  area_code VARCHAR(12) NOT NULL,
  town_code VARCHAR(12) NOT NULL,
  county_code VARCHAR(12) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  UNIQUE KEY uq_staff_reminders_deadline_kind (deadline_id, kind),
  KEY idx_staff_reminders_town (town_code, id),
  KEY idx_staff_reminders_county (county_code, id),
  KEY idx_staff_reminders_area (area_code, id),
  CONSTRAINT fk_staff_reminders_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX idx_case_deadlines_open_due ON case_deadlines (state, due_on);

-- +goose Down
DROP INDEX idx_case_deadlines_open_due ON case_deadlines;
DROP TABLE staff_reminders;
