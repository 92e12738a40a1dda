-- +goose Up
-- Twin of mysql/00017: village-level worklist indexes.
CREATE INDEX idx_cases_area_status ON cases (area_code, status, id);
CREATE INDEX idx_cases_area_due ON cases (area_code, next_due_on, id);

-- +goose Down
DROP INDEX idx_cases_area_due;
DROP INDEX idx_cases_area_status;
