-- +goose Up
-- Twin of mysql/00022: what the deadline sweep told residents, once per (deadline, kind).
CREATE TABLE resident_deadline_notices (
  deadline_id INTEGER NOT NULL,
  kind VARCHAR(16) NOT NULL,
  case_id INTEGER NOT NULL,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (deadline_id, kind),
  CONSTRAINT fk_resident_deadline_notices_case FOREIGN KEY (case_id) REFERENCES cases (id)
);

-- +goose Down
DROP TABLE resident_deadline_notices;
