-- +goose Up
-- The preliminary opinion beside the eligibility engine's result (sqlite/00019 is the twin): what
-- the engine suggested for the entry, and the officer's reason when the opinion departs from it.
ALTER TABLE case_opinions ADD COLUMN engine_outcome VARCHAR(16) NOT NULL DEFAULT '',
  ADD COLUMN engine_cents BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN deviation_reason VARCHAR(500) NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE case_opinions DROP COLUMN deviation_reason, DROP COLUMN engine_cents, DROP COLUMN engine_outcome;
