-- +goose Up
-- The preliminary opinion beside the eligibility engine's result (mysql/00019 is the twin).
ALTER TABLE case_opinions ADD COLUMN engine_outcome VARCHAR(16) NOT NULL DEFAULT '';
ALTER TABLE case_opinions ADD COLUMN engine_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_opinions ADD COLUMN deviation_reason VARCHAR(500) NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE case_opinions DROP COLUMN deviation_reason;
ALTER TABLE case_opinions DROP COLUMN engine_cents;
ALTER TABLE case_opinions DROP COLUMN engine_outcome;
