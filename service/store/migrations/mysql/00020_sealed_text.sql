-- +goose Up
-- Free text that can hold health or family information is sealed with the personal-data
-- cipher (service/store/sealtext.go): a sealed value is a prefix and the base64 of the
-- ciphertext, about 4/3 of the plaintext's bytes plus 45, so these columns become TEXT
-- (65 535 bytes; the longest input validation allows, 2 000 characters of 4 bytes, seals to
-- under 11 000). Existing rows stay readable as plaintext until `palmaid keys rotate` seals
-- them. sqlite/00020 is the twin.
ALTER TABLE cases MODIFY reason TEXT NOT NULL DEFAULT (''), MODIFY special_reason TEXT NOT NULL DEFAULT ('');
ALTER TABLE case_events MODIFY opinion TEXT NOT NULL DEFAULT ('');
ALTER TABLE checklist_items MODIFY note TEXT NOT NULL DEFAULT (''), MODIFY reject_reason TEXT NOT NULL DEFAULT ('');
ALTER TABLE case_data_checks MODIFY summary TEXT NOT NULL DEFAULT (''), MODIFY objection TEXT NOT NULL DEFAULT ('');
ALTER TABLE case_visits MODIFY findings TEXT NOT NULL DEFAULT ('');
ALTER TABLE case_opinions MODIFY reason TEXT NOT NULL DEFAULT (''), MODIFY deviation_reason TEXT NOT NULL DEFAULT ('');
ALTER TABLE case_objections MODIFY content TEXT NOT NULL, MODIFY resolution TEXT NOT NULL DEFAULT ('');
ALTER TABLE decisions MODIFY reason TEXT NOT NULL DEFAULT ('');
ALTER TABLE case_ratings MODIFY comment TEXT NOT NULL DEFAULT ('');
ALTER TABLE complaints MODIFY answer TEXT NOT NULL DEFAULT ('');
ALTER TABLE households MODIFY address TEXT NOT NULL DEFAULT ('');
ALTER TABLE income_items MODIFY note TEXT NOT NULL DEFAULT ('');
ALTER TABLE asset_items MODIFY note TEXT NOT NULL DEFAULT ('');
ALTER TABLE documents MODIFY file_name TEXT NOT NULL;

-- +goose Down
ALTER TABLE cases MODIFY reason VARCHAR(1000) NOT NULL DEFAULT '', MODIFY special_reason VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE case_events MODIFY opinion VARCHAR(1000) NOT NULL DEFAULT '';
ALTER TABLE checklist_items MODIFY note VARCHAR(500) NOT NULL DEFAULT '', MODIFY reject_reason VARCHAR(500) NOT NULL DEFAULT '';
ALTER TABLE case_data_checks MODIFY summary VARCHAR(1000) NOT NULL DEFAULT '', MODIFY objection VARCHAR(1000) NOT NULL DEFAULT '';
ALTER TABLE case_visits MODIFY findings VARCHAR(2000) NOT NULL DEFAULT '';
ALTER TABLE case_opinions MODIFY reason VARCHAR(1000) NOT NULL DEFAULT '', MODIFY deviation_reason VARCHAR(500) NOT NULL DEFAULT '';
ALTER TABLE case_objections MODIFY content VARCHAR(1000) NOT NULL, MODIFY resolution VARCHAR(1000) NOT NULL DEFAULT '';
ALTER TABLE decisions MODIFY reason VARCHAR(1000) NOT NULL DEFAULT '';
ALTER TABLE case_ratings MODIFY comment VARCHAR(200) NOT NULL DEFAULT '';
ALTER TABLE complaints MODIFY answer VARCHAR(1000) NOT NULL DEFAULT '';
ALTER TABLE households MODIFY address VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE income_items MODIFY note VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE asset_items MODIFY note VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE documents MODIFY file_name VARCHAR(255) NOT NULL;
