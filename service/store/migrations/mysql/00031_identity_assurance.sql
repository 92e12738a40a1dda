-- +goose Up
-- Identity assurance (docs/SECURITY.md, "Identity assurance"); sqlite/00031 is the twin.
-- An identity is verified (a real-name source), desk_verified (identity_method 'desk': a town or
-- village officer saw the 身份证; identity_verified_by names the officer) or unverified. Only the
-- first two reserve the number: verified_bidx holds the blind index then, unique; id_bidx (the
-- number claimed) is no longer unique, so an unverified claim never blocks the real person.
ALTER TABLE residents
  ADD COLUMN verified_bidx VARCHAR(64) NULL,
  ADD COLUMN identity_verified_by BIGINT UNSIGNED NULL,
  ADD COLUMN desk_code_hash VARCHAR(64) NULL,
  ADD COLUMN desk_code_expires_at DATETIME(6) NULL,
  ADD UNIQUE KEY uq_residents_verified_bidx (verified_bidx),
  ADD KEY idx_residents_desk_code (desk_code_hash),
  DROP INDEX uq_residents_id_bidx,
  ADD KEY idx_residents_id_bidx (id_bidx);
UPDATE residents SET verified_bidx = id_bidx WHERE identity_method <> '' AND id_bidx IS NOT NULL;
-- Only an assured identity may be a case's beneficiary: links made to unverified accounts go.
UPDATE cases SET beneficiary_resident_id = NULL, version = version + 1
  WHERE applicant_resident_id <> beneficiary_resident_id
    AND beneficiary_resident_id IN (SELECT id FROM residents WHERE verified_bidx IS NULL);

-- Objections are real-name: the objector's account (NULL: recorded by staff), and a duplicate
-- merged into another (status 'merged').
ALTER TABLE case_objections
  ADD COLUMN resident_id BIGINT UNSIGNED NULL,
  ADD COLUMN merged_into_id BIGINT UNSIGNED NULL,
  ADD KEY idx_case_objections_resident (resident_id, created_at);

-- +goose Down
ALTER TABLE case_objections DROP INDEX idx_case_objections_resident, DROP COLUMN merged_into_id, DROP COLUMN resident_id;
ALTER TABLE residents DROP INDEX uq_residents_verified_bidx, DROP INDEX idx_residents_desk_code,
  DROP INDEX idx_residents_id_bidx, ADD UNIQUE KEY uq_residents_id_bidx (id_bidx),
  DROP COLUMN desk_code_expires_at, DROP COLUMN desk_code_hash, DROP COLUMN identity_verified_by, DROP COLUMN verified_bidx;
