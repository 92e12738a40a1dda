-- +goose Up
-- Twin of mysql/00030: the worklist flags (1 agent, 2 close relative, 4 urgent) as one virtual
-- generated column, indexed after each area column.
ALTER TABLE cases ADD COLUMN worklist_flags INTEGER GENERATED ALWAYS AS ((agent_resident_id IS NOT NULL) + 2 * (close_relative <> 0) + 4 * (urgent <> 0)) VIRTUAL;
CREATE INDEX idx_cases_town_flags ON cases (town_code, worklist_flags, id);
CREATE INDEX idx_cases_county_flags ON cases (county_code, worklist_flags, id);
CREATE INDEX idx_cases_area_flags ON cases (area_code, worklist_flags, id);

-- +goose Down
DROP INDEX idx_cases_area_flags;
DROP INDEX idx_cases_county_flags;
DROP INDEX idx_cases_town_flags;
ALTER TABLE cases DROP COLUMN worklist_flags;
