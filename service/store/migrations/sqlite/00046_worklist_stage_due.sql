-- +goose Up
-- Twin of mysql/00046: a step's worklist read most urgent first.
CREATE INDEX idx_cases_town_stage_due ON cases (town_code, stage, next_due_on, id);
CREATE INDEX idx_cases_county_stage_due ON cases (county_code, stage, next_due_on, id);
CREATE INDEX idx_cases_area_stage_due ON cases (area_code, stage, next_due_on, id);

-- +goose Down
DROP INDEX idx_cases_area_stage_due;
DROP INDEX idx_cases_county_stage_due;
DROP INDEX idx_cases_town_stage_due;
