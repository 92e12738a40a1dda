package store

import (
	"context"
	"fmt"

	"palmaid/model"
)

// SealedColumn is an encrypted column: table, primary key, column.
type SealedColumn struct{ Table, PK, Column string }

func (c SealedColumn) String() string { return c.Table + "." + c.Column }

// SealedColumns lists every column holding ciphertext of the data key (keep in step with the
// migrations: TestSealedColumnsListed checks it).
var SealedColumns = []SealedColumn{
	{"residents", "id", "id_enc"},
	{"residents", "id", "phone_enc"},
	{"household_members", "id", "id_enc"},
	{"legal_supporters", "id", "id_enc"},
	{"case_objections", "id", "contact_enc"},
	{"case_facts", "case_id", "facts_enc"},
	{"complaints", "id", "text_enc"},
	{"staff", "id", "totp_secret_enc"},
	{"payee_accounts", "id", "holder_enc"},
	{"payee_accounts", "id", "number_enc"},
	{"payee_account_requests", "id", "holder_enc"},
	{"payee_account_requests", "id", "number_enc"},
}

// SealedTextColumns lists every free-text column sealed as text (model fields tagged
// `seal:"text"`, see sealtext.go): `palmaid keys rotate` re-encrypts them under the current key
// and seals legacy plaintext. TestSealedTextColumnsListed keeps it in step with the models.
var SealedTextColumns = []SealedColumn{
	{"payee_account_requests", "id", "reason"},
	{"cases", "id", "reason"},
	{"cases", "id", "special_reason"},
	{"case_events", "id", "opinion"},
	{"checklist_items", "id", "note"},
	{"checklist_items", "id", "reject_reason"},
	{"case_data_checks", "id", "summary"},
	{"case_data_checks", "id", "objection"},
	{"case_data_checks", "id", "results"},
	{"case_visits", "id", "findings"},
	{"case_spot_checks", "id", "place"},
	{"case_spot_checks", "id", "findings"},
	{"case_opinions", "id", "reason"},
	{"case_opinions", "id", "deviation_reason"},
	{"case_objections", "id", "content"},
	{"case_objections", "id", "resolution"},
	{"decisions", "id", "reason"},
	{"case_ratings", "id", "comment"},
	{"complaints", "id", "answer"},
	{"households", "id", "address"},
	{"income_items", "id", "note"},
	{"asset_items", "id", "note"},
	{"documents", "id", "file_name"},
	{"outbox", "id", "body"},
	{"outbox", "id", "payload"},
	{"messages", "id", "body"},
	{"benefit_changes", "id", "reason"},
	{"roster_lines", "id", "fail_reason"},
	{"benefit_reviews", "id", "cause"},
	{"benefit_reviews", "id", "findings"},
	{"benefit_reviews", "id", "reason"},
	{"benefit_reviews", "id", "objection"},
	{"benefit_reviews", "id", "objection_decision"},
	{"credit_records", "id", "facts"},
	{"credit_records", "id", "statement"},
	{"credit_records", "id", "end_reason"},
}

// SealedTextValue is one non-empty value of a sealed text column: sealed or legacy plaintext.
type SealedTextValue struct {
	ID    uint64
	Value string
}

// SealedTextBatch reads up to limit non-empty values of c with a key above after, in key order.
func (s *core) SealedTextBatch(ctx context.Context, c SealedColumn, after uint64, limit int) ([]SealedTextValue, error) {
	rows, err := s.conn(ctx).Table(c.Table).Select(fmt.Sprintf("%s, %s", c.PK, c.Column)).
		Where(fmt.Sprintf("%s > ? AND %s <> ''", c.PK, c.Column), after).Order(c.PK).Limit(limit).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SealedTextValue
	for rows.Next() {
		var v SealedTextValue
		if err := rows.Scan(&v.ID, &v.Value); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ReplaceSealedText writes next where the row still holds prev (see ReplaceSealed).
func (s *core) ReplaceSealedText(ctx context.Context, c SealedColumn, id uint64, prev, next string) (bool, error) {
	res := s.conn(ctx).Table(c.Table).Where(fmt.Sprintf("%s = ? AND %s = ?", c.PK, c.Column), id, prev).Update(c.Column, next)
	return res.RowsAffected == 1, res.Error
}

// SealedValue is one ciphertext of a column.
type SealedValue struct {
	ID    uint64
	Value []byte
}

// SealedBatch reads up to limit non-empty values (SQLite keeps a nil slice as an empty blob) of c with a key above after, in key order.
func (s *core) SealedBatch(ctx context.Context, c SealedColumn, after uint64, limit int) ([]SealedValue, error) {
	rows, err := s.conn(ctx).Table(c.Table).Select(fmt.Sprintf("%s, %s", c.PK, c.Column)).
		Where(fmt.Sprintf("%s > ? AND %s IS NOT NULL AND LENGTH(%s) > 0", c.PK, c.Column, c.Column), after).Order(c.PK).Limit(limit).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SealedValue
	for rows.Next() {
		var v SealedValue
		if err := rows.Scan(&v.ID, &v.Value); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ReplaceSealed writes next where the row still holds prev (a concurrent change wins: the row is
// then left for the next run); it reports whether it wrote.
func (s *core) ReplaceSealed(ctx context.Context, c SealedColumn, id uint64, prev, next []byte) (bool, error) {
	res := s.conn(ctx).Table(c.Table).Where(fmt.Sprintf("%s = ? AND %s = ?", c.PK, c.Column), id, prev).Update(c.Column, next)
	return res.RowsAffected == 1, res.Error
}

// DocumentObjects lists up to limit documents (id, storage key) with an id above after.
func (s *core) DocumentObjects(ctx context.Context, after uint64, limit int) ([]model.Document, error) {
	var out []model.Document
	err := s.conn(ctx).Select("id", "storage_key").Where("id > ?", after).Order("id").Limit(limit).Find(&out).Error
	return out, err
}
