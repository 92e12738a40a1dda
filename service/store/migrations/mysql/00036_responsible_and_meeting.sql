-- +goose Up
-- Twin of sqlite/00036 (issue 21). The responsible officer's office phone, shown to the residents
-- of the cases they own (首问负责); the 一事一议 record of a decision above the overall cap of
-- 临时救助: the meeting's date and participants beside its minutes reference (meeting_ref).
ALTER TABLE staff ADD COLUMN office_phone VARCHAR(32) NOT NULL DEFAULT '';
ALTER TABLE decisions
  ADD COLUMN meeting_on VARCHAR(10) NOT NULL DEFAULT '',
  ADD COLUMN meeting_participants VARCHAR(160) NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE decisions DROP COLUMN meeting_participants, DROP COLUMN meeting_on;
ALTER TABLE staff DROP COLUMN office_phone;
