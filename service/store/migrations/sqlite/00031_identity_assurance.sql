-- +goose Up
-- Twin of mysql/00031: identity assurance (only verified or desk-verified identities reserve a
-- number: verified_bidx, unique; id_bidx no longer unique) and real-name objections.
ALTER TABLE residents ADD COLUMN verified_bidx VARCHAR(64) NULL;
ALTER TABLE residents ADD COLUMN identity_verified_by INTEGER NULL;
ALTER TABLE residents ADD COLUMN desk_code_hash VARCHAR(64) NULL;
ALTER TABLE residents ADD COLUMN desk_code_expires_at DATETIME NULL;
CREATE UNIQUE INDEX uq_residents_verified_bidx ON residents (verified_bidx);
CREATE INDEX idx_residents_desk_code ON residents (desk_code_hash);
DROP INDEX uq_residents_id_bidx;
CREATE INDEX idx_residents_id_bidx ON residents (id_bidx);
UPDATE residents SET verified_bidx = id_bidx WHERE identity_method <> '' AND id_bidx IS NOT NULL;
UPDATE cases SET beneficiary_resident_id = NULL, version = version + 1
  WHERE applicant_resident_id <> beneficiary_resident_id
    AND beneficiary_resident_id IN (SELECT id FROM residents WHERE verified_bidx IS NULL);

ALTER TABLE case_objections ADD COLUMN resident_id INTEGER NULL;
ALTER TABLE case_objections ADD COLUMN merged_into_id INTEGER NULL;
CREATE INDEX idx_case_objections_resident ON case_objections (resident_id, created_at);

-- +goose Down
DROP INDEX idx_case_objections_resident;
ALTER TABLE case_objections DROP COLUMN merged_into_id;
ALTER TABLE case_objections DROP COLUMN resident_id;
DROP INDEX idx_residents_id_bidx;
CREATE UNIQUE INDEX uq_residents_id_bidx ON residents (id_bidx);
DROP INDEX idx_residents_desk_code;
DROP INDEX uq_residents_verified_bidx;
ALTER TABLE residents DROP COLUMN desk_code_expires_at;
ALTER TABLE residents DROP COLUMN desk_code_hash;
ALTER TABLE residents DROP COLUMN identity_verified_by;
ALTER TABLE residents DROP COLUMN verified_bidx;
