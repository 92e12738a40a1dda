-- +goose Up
-- Calendar coverage: which years' holiday arrangements are loaded, and a change counter every
-- instance polls to pick up a newly loaded year without a restart (sqlite/00003 is the twin).
CREATE TABLE calendar_years (
  year INT NOT NULL PRIMARY KEY,
  source VARCHAR(64) NOT NULL,
  loaded_at DATETIME(6) NOT NULL,
  loaded_by_staff_id BIGINT UNSIGNED NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row (id = 1). Loading a year increments version in its transaction; the row lock makes
-- concurrent loads commit strictly increasing versions.
CREATE TABLE calendar_version (
  id INT NOT NULL PRIMARY KEY,
  version BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO calendar_version (id, version) VALUES (1, 0);

-- +goose Down
DROP TABLE calendar_version;
DROP TABLE calendar_years;
