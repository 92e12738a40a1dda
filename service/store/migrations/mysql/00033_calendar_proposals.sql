-- +goose Up
-- A change to a calendar year already loaded waits here for a second administrator's
-- confirmation (service/calendaradmin): one pending row per year at most, the older one
-- superseded by a newer proposal. days is the proposed overrides as JSON (reference data,
-- in clear). sqlite/00033 is the twin.
CREATE TABLE calendar_proposals (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  year INT NOT NULL,
  source VARCHAR(64) NOT NULL,
  days TEXT NOT NULL,
  proposed_by_staff_id BIGINT UNSIGNED NOT NULL,
  proposed_at DATETIME(6) NOT NULL,
  status VARCHAR(16) NOT NULL,
  decided_by_staff_id BIGINT UNSIGNED NULL,
  decided_at DATETIME(6) NULL,
  KEY idx_calendar_proposals_year_status (year, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE calendar_proposals;
