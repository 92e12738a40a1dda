-- +goose Up
-- Areas are never deleted: cases, staff and settings refer to them. An area that disappears
-- from a newer release of the division codes is marked inactive by `palmaid areas import`
-- (and active again if it comes back); village search offers active villages only
-- (mysql/00013 is the twin).
ALTER TABLE areas ADD COLUMN active INTEGER NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE areas DROP COLUMN active;
