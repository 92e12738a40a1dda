-- +goose Up
-- Audit rows are hash-chained per day (China Standard Time) by the scheduled sealer: chain_hash =
-- SHA-256 of the previous row's chain_hash (empty for a day's first row) and the row's fields.
-- `palmaid audit verify` recomputes the chain and names the first broken link (mysql/00007 is
-- the twin).
ALTER TABLE audit_logs ADD COLUMN chain_hash VARCHAR(64) NULL;
CREATE INDEX idx_audit_chain ON audit_logs (chain_hash, id);

-- +goose Down
DROP INDEX idx_audit_chain;
ALTER TABLE audit_logs DROP COLUMN chain_hash;
