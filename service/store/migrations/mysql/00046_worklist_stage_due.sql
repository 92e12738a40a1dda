-- +goose Up
-- A step's worklist (待受理, 待调查 …) is read most urgent first: equality on the area column and
-- the stage, then the strictest open clock's due date and id, so a page is a short forward walk
-- of the index with no sort (sqlite/00046 is the twin).
ALTER TABLE cases
  ADD KEY idx_cases_town_stage_due (town_code, stage, next_due_on, id),
  ADD KEY idx_cases_county_stage_due (county_code, stage, next_due_on, id),
  ADD KEY idx_cases_area_stage_due (area_code, stage, next_due_on, id);

-- +goose Down
ALTER TABLE cases DROP INDEX idx_cases_town_stage_due, DROP INDEX idx_cases_county_stage_due, DROP INDEX idx_cases_area_stage_due;
