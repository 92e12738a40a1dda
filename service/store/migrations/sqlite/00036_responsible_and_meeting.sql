-- +goose Up
-- Twin of mysql/00036 (issue 21): the responsible officer's office phone (首问负责); the 一事一议
-- record of a 临时救助 decision above the overall cap (date and participants beside meeting_ref).
ALTER TABLE staff ADD COLUMN office_phone VARCHAR(32) NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN meeting_on VARCHAR(10) NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN meeting_participants VARCHAR(160) NOT NULL DEFAULT '';
-- The notice clock is due the first day after the notice's last day (the first day it may be
-- closed); clocks still open keep their step's rule when they move by that day.
UPDATE case_deadlines SET due_on = date(due_on, '+1 day') WHERE step = 'public_notice' AND state = 'open' AND calendar_days = 1;
UPDATE cases SET next_due_on = date(next_due_on, '+1 day') WHERE next_due_step = 'public_notice' AND next_due_on <> '';

-- +goose Down
UPDATE cases SET next_due_on = date(next_due_on, '-1 day') WHERE next_due_step = 'public_notice' AND next_due_on <> '';
UPDATE case_deadlines SET due_on = date(due_on, '-1 day') WHERE step = 'public_notice' AND state = 'open' AND calendar_days = 1;
ALTER TABLE decisions DROP COLUMN meeting_participants;
ALTER TABLE decisions DROP COLUMN meeting_on;
ALTER TABLE staff DROP COLUMN office_phone;
