-- +goose Up
-- Long-term subscriptions (长期订阅): a template's kind, one_time or long_term, from the registry.
-- A message's push_started_at is committed before the subscribe message is handed to WeChat, so a
-- worker killed mid-push is never followed by a second push of the same key; quota_taken remembers
-- a one-time quota taken for it, so a worker taking over after a crash does not take another (sqlite/00016 is the
-- twin).
ALTER TABLE notify_templates ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'one_time';
ALTER TABLE messages ADD COLUMN quota_taken TINYINT(1) NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN push_started_at DATETIME(6) NULL;

-- +goose Down
ALTER TABLE messages DROP COLUMN push_started_at;
ALTER TABLE messages DROP COLUMN quota_taken;
ALTER TABLE notify_templates DROP COLUMN kind;
