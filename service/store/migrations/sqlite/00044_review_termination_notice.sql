-- +goose Up
-- 特困 termination's public notice and objection on a review (mysql/00044 is the twin).
ALTER TABLE benefit_reviews ADD COLUMN notice_start_on CHAR(10) NOT NULL DEFAULT '';
ALTER TABLE benefit_reviews ADD COLUMN notice_end_on CHAR(10) NOT NULL DEFAULT '';
ALTER TABLE benefit_reviews ADD COLUMN objection TEXT NOT NULL DEFAULT '';
ALTER TABLE benefit_reviews ADD COLUMN objection_on CHAR(10) NOT NULL DEFAULT '';
ALTER TABLE benefit_reviews ADD COLUMN objection_due_on CHAR(10) NOT NULL DEFAULT '';
ALTER TABLE benefit_reviews ADD COLUMN objection_decision TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE benefit_reviews DROP COLUMN objection_decision;
ALTER TABLE benefit_reviews DROP COLUMN objection_due_on;
ALTER TABLE benefit_reviews DROP COLUMN objection_on;
ALTER TABLE benefit_reviews DROP COLUMN objection;
ALTER TABLE benefit_reviews DROP COLUMN notice_end_on;
ALTER TABLE benefit_reviews DROP COLUMN notice_start_on;
