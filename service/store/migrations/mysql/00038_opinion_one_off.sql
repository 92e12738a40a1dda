-- +goose Up
-- Twin of sqlite/00038 (issue 22): the one-off amount of a 临时救助 entry in the town's
-- preliminary opinion (it was accepted by the API and dropped for want of a column).
ALTER TABLE case_opinions ADD COLUMN one_off_cents BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE case_opinions DROP COLUMN one_off_cents;
