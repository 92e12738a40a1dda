-- +goose Up
-- The template registry maps our values to each library template's own keyword ids (JSON list of
-- {keyword, type, value}); written at start from configuration (sqlite/00005 is the twin).
ALTER TABLE notify_templates ADD COLUMN fields TEXT NOT NULL DEFAULT ('');

-- +goose Down
ALTER TABLE notify_templates DROP COLUMN fields;
