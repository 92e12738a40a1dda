-- +goose Up
-- SQLite twin of migrations/mysql/00004_security.sql. SQLite cannot change a column's type in
-- place: outbox and messages are rebuilt with a TEXT body (nothing references them).
CREATE TABLE outbox_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL,
  resident_id INTEGER NOT NULL,
  template_key VARCHAR(64) NOT NULL,
  title VARCHAR(64) NOT NULL,
  body TEXT NOT NULL,
  payload TEXT NOT NULL,
  idempotency_key VARCHAR(96) NOT NULL,
  status VARCHAR(16) NOT NULL,
  channel VARCHAR(16) NOT NULL DEFAULT '',
  attempts INT NOT NULL DEFAULT 0,
  next_attempt_at DATETIME NOT NULL,
  last_error VARCHAR(255) NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL,
  done_at DATETIME NULL
);
INSERT INTO outbox_new SELECT id, case_id, resident_id, template_key, title, body, payload, idempotency_key, status,
  channel, attempts, next_attempt_at, last_error, created_at, done_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE UNIQUE INDEX uq_outbox_idem ON outbox (idempotency_key);
CREATE INDEX idx_outbox_claim ON outbox (status, next_attempt_at, id);

CREATE TABLE messages_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  resident_id INTEGER NOT NULL,
  case_id INTEGER NOT NULL,
  title VARCHAR(64) NOT NULL,
  body TEXT NOT NULL,
  idempotency_key VARCHAR(96) NOT NULL,
  pushed INTEGER NOT NULL,
  read_at DATETIME NULL,
  created_at DATETIME NOT NULL
);
INSERT INTO messages_new SELECT id, resident_id, case_id, title, body, idempotency_key, pushed, read_at, created_at FROM messages;
DROP TABLE messages;
ALTER TABLE messages_new RENAME TO messages;
CREATE UNIQUE INDEX uq_messages_idem ON messages (idempotency_key);
CREATE INDEX idx_messages_resident ON messages (resident_id, id);

-- SQLite compares text byte for byte (BINARY) already; usernames are normalised by the service.
UPDATE staff SET username = lower(trim(username));
ALTER TABLE staff ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN session_version INTEGER NOT NULL DEFAULT 1;

DROP INDEX idx_residents_id_bidx;
CREATE UNIQUE INDEX uq_residents_id_bidx ON residents (id_bidx);

-- +goose Down
DROP INDEX uq_residents_id_bidx;
CREATE INDEX idx_residents_id_bidx ON residents (id_bidx);
ALTER TABLE staff DROP COLUMN session_version;
ALTER TABLE staff DROP COLUMN must_change_password;
