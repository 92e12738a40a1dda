-- +goose Up
-- Twin of sqlite/00036 (issue 21). The responsible officer's office phone, shown to the residents
-- of the cases they own (首问负责); the 一事一议 record of a decision above the overall cap of
-- 临时救助: the meeting's date and participants beside its minutes reference (meeting_ref).
ALTER TABLE staff ADD COLUMN office_phone VARCHAR(32) NOT NULL DEFAULT '';
ALTER TABLE decisions
  ADD COLUMN meeting_on VARCHAR(10) NOT NULL DEFAULT '',
  ADD COLUMN meeting_participants VARCHAR(160) NOT NULL DEFAULT '';
-- The notice clock is due the first day after the notice's last day (the first day it may be
-- closed): the clocks still open move by that day.
UPDATE case_deadlines SET due_on = DATE_FORMAT(DATE_ADD(due_on, INTERVAL 1 DAY), '%Y-%m-%d')
  WHERE step = 'public_notice' AND state = 'open' AND calendar_days = 1;
UPDATE cases SET next_due_on = DATE_FORMAT(DATE_ADD(next_due_on, INTERVAL 1 DAY), '%Y-%m-%d')
  WHERE next_due_step = 'public_notice' AND next_due_on <> '';

-- +goose Down
UPDATE cases SET next_due_on = DATE_FORMAT(DATE_SUB(next_due_on, INTERVAL 1 DAY), '%Y-%m-%d')
  WHERE next_due_step = 'public_notice' AND next_due_on <> '';
UPDATE case_deadlines SET due_on = DATE_FORMAT(DATE_SUB(due_on, INTERVAL 1 DAY), '%Y-%m-%d')
  WHERE step = 'public_notice' AND state = 'open' AND calendar_days = 1;
ALTER TABLE decisions DROP COLUMN meeting_participants, DROP COLUMN meeting_on;
ALTER TABLE staff DROP COLUMN office_phone;
