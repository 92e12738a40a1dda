-- +goose Up
-- Village-level worklists (a village officer, or a town officer filtering one village) get the
-- same shape of index the town and county lists have: equality on the village and on the
-- filter column, then id, so a page newest first is a short backward index walk with no sort
-- (sqlite/00017 is the twin).
ALTER TABLE cases
  ADD KEY idx_cases_area_status (area_code, status, id),
  ADD KEY idx_cases_area_due (area_code, next_due_on, id);

-- +goose Down
ALTER TABLE cases DROP INDEX idx_cases_area_status, DROP INDEX idx_cases_area_due;
