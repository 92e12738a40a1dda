-- +goose Up
-- What the deadline sweep told residents about their own clocks (the back-fill of an urgent
-- grant: due soon, overdue): one row per (deadline, kind), written with the outbox rows in one
-- transaction, so every replica and every re-run of the sweep tells a resident once
-- (sqlite/00022 is the twin).
CREATE TABLE resident_deadline_notices (
  deadline_id BIGINT UNSIGNED NOT NULL,
  kind VARCHAR(16) NOT NULL,
  case_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(6) NOT NULL,
  PRIMARY KEY (deadline_id, kind),
  CONSTRAINT fk_resident_deadline_notices_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE resident_deadline_notices;
