-- +goose Up
-- Reminders the scheduled deadline sweep writes for staff: one per (deadline, kind), scoped by
-- the case's area columns like cases are (mysql/00006 is the twin).
CREATE TABLE staff_reminders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  deadline_id INTEGER NOT NULL,
  case_id INTEGER NOT NULL,
  kind VARCHAR(16) NOT NULL,
  step VARCHAR(32) NOT NULL,
  due_on VARCHAR(10) NOT NULL,
  area_code VARCHAR(12) NOT NULL,
  town_code VARCHAR(12) NOT NULL,
  county_code VARCHAR(12) NOT NULL,
  created_at DATETIME NOT NULL,
  CONSTRAINT fk_staff_reminders_case FOREIGN KEY (case_id) REFERENCES cases (id)
);
CREATE UNIQUE INDEX uq_staff_reminders_deadline_kind ON staff_reminders (deadline_id, kind);
CREATE INDEX idx_staff_reminders_town ON staff_reminders (town_code, id);
CREATE INDEX idx_staff_reminders_county ON staff_reminders (county_code, id);
CREATE INDEX idx_staff_reminders_area ON staff_reminders (area_code, id);
CREATE INDEX idx_case_deadlines_open_due ON case_deadlines (state, due_on);

-- +goose Down
DROP INDEX idx_case_deadlines_open_due;
DROP TABLE staff_reminders;
