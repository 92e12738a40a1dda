-- +goose Up
-- SQLite twin of mysql/00003_calendar.sql (keep them in step). Calendar coverage: which years'
-- holiday arrangements are loaded, and a change counter every instance polls.
CREATE TABLE calendar_years (
  year INT NOT NULL PRIMARY KEY,
  source VARCHAR(64) NOT NULL,
  loaded_at DATETIME NOT NULL,
  loaded_by_staff_id INTEGER NULL
);

-- One row (id = 1), incremented by every load of a year.
CREATE TABLE calendar_version (
  id INT NOT NULL PRIMARY KEY,
  version BIGINT NOT NULL
);
INSERT INTO calendar_version (id, version) VALUES (1, 0);

-- +goose Down
DROP TABLE calendar_version;
DROP TABLE calendar_years;
