-- +goose Up
-- Twin of mysql/00041 (issue 24): the towns' confirmation deadline of a payment roster (the
-- region's working days before the pay-by date); after it a draft is checked all the same.
-- '' for the rosters made before (no deadline).
ALTER TABLE payment_rosters ADD COLUMN confirm_by_on CHAR(10) NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE payment_rosters DROP COLUMN confirm_by_on;
