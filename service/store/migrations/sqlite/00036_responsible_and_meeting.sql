-- +goose Up
-- Twin of mysql/00036 (issue 21): the responsible officer's office phone (首问负责); the 一事一议
-- record of a 临时救助 decision above the overall cap (date and participants beside meeting_ref).
ALTER TABLE staff ADD COLUMN office_phone VARCHAR(32) NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN meeting_on VARCHAR(10) NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN meeting_participants VARCHAR(160) NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE decisions DROP COLUMN meeting_participants;
ALTER TABLE decisions DROP COLUMN meeting_on;
ALTER TABLE staff DROP COLUMN office_phone;
