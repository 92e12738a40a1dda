-- +goose Up
-- The flag filters of the staff worklists (agent=true|false, closeRelative, urgent) had no index
-- leading with the flag: a page walked the town's cases newest first looking for matches (at
-- 1 M cases, 200 000 a town, the request deadline answered 503). worklist_flags packs the three
-- flags into one small generated column (1: an agent applied, agent_resident_id IS NOT NULL; 2:
-- close relative; 4: urgent), never written by the application, and one index per area level
-- gives equality on (area, worklist_flags) then id. A filter on one flag matches four values;
-- store.listQuery walks the index once per value, newest first, and merges those pages: three
-- indexes instead of nine (one per flag and area level), each a cost on every submission.
-- sqlite/00030 is the twin.
ALTER TABLE cases
  ADD COLUMN worklist_flags TINYINT UNSIGNED AS ((agent_resident_id IS NOT NULL) + 2 * (close_relative <> 0) + 4 * (urgent <> 0)) VIRTUAL,
  ADD KEY idx_cases_town_flags (town_code, worklist_flags, id),
  ADD KEY idx_cases_county_flags (county_code, worklist_flags, id),
  ADD KEY idx_cases_area_flags (area_code, worklist_flags, id);

-- +goose Down
ALTER TABLE cases DROP INDEX idx_cases_town_flags, DROP INDEX idx_cases_county_flags, DROP INDEX idx_cases_area_flags,
  DROP COLUMN worklist_flags;
