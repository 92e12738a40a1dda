-- +goose Up
-- Twin of mysql/00033: calendar changes waiting for a second administrator.
CREATE TABLE calendar_proposals (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  year INTEGER NOT NULL,
  source VARCHAR(64) NOT NULL,
  days TEXT NOT NULL,
  proposed_by_staff_id INTEGER NOT NULL,
  proposed_at DATETIME NOT NULL,
  status VARCHAR(16) NOT NULL,
  decided_by_staff_id INTEGER NULL,
  decided_at DATETIME NULL
);
CREATE INDEX idx_calendar_proposals_year_status ON calendar_proposals (year, status);

-- +goose Down
DROP TABLE calendar_proposals;
