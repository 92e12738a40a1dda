-- +goose Up
-- Each decision records the region settings it was made under (Policy.Ref: as-of date and a
-- fingerprint of the values), so a later change never rewrites a past decision's basis
-- (sqlite/00008 is the twin).
ALTER TABLE decisions ADD COLUMN policy_ref VARCHAR(32) NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE decisions DROP COLUMN policy_ref;
