-- +goose Up
-- Twin of sqlite/00044 (issue 25). A 特困 termination is decided only after a public notice of
-- clock.notice_days calendar days (the start day not counted, S2 art. 25): notice_start_on /
-- notice_end_on. An objection received during it (sealed text) is decided within 15 working
-- days (objection_due_on); not upheld, a new notice starts; upheld, the support continues.
ALTER TABLE benefit_reviews
  ADD COLUMN notice_start_on CHAR(10) NOT NULL DEFAULT '',
  ADD COLUMN notice_end_on CHAR(10) NOT NULL DEFAULT '',
  ADD COLUMN objection TEXT NOT NULL DEFAULT (''),
  ADD COLUMN objection_on CHAR(10) NOT NULL DEFAULT '',
  ADD COLUMN objection_due_on CHAR(10) NOT NULL DEFAULT '',
  ADD COLUMN objection_decision TEXT NOT NULL DEFAULT ('');

-- +goose Down
ALTER TABLE benefit_reviews
  DROP COLUMN objection_decision,
  DROP COLUMN objection_due_on,
  DROP COLUMN objection_on,
  DROP COLUMN objection,
  DROP COLUMN notice_end_on,
  DROP COLUMN notice_start_on;
